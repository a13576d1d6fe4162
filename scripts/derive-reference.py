#!/usr/bin/env python3
"""Derive the identifier reference tables under catalogs/reference/ from ../shared/data/.

Run it when the shared reference data changes, then `scripts/embed-reference.py` to refresh the
copy compiled into the binary. The product never reads ../shared at run time.

    scripts/derive-reference.py [--shared ../shared]

Also copies the official working-day calendar (holidays and 调休 workdays, 2004–2026, derived from
the PyPI package chinese-calendar 1.11.0) to catalogs/reference/cn-official-calendar.csv.

Writes catalogs/reference/gbt2260-divisions.csv: every county-level-and-above GB/T 2260 code in
use at any time since 1981 (the `areacodes` dataset, CC0), plus the rows real registration codes
need and the dataset lacks: `xx01` 市辖区 for every prefecture `xx00`, and `100000` for the
national level (credit-data-standard §2.5).
"""
import argparse
import csv
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
HEADER = ["code", "name", "province", "prefecture", "level", "status", "since", "until", "successors", "origin"]
LEVELS = {"省级": "province", "地级": "prefecture", "县级": "county"}
STATUS = {"在用": "current", "弃用": "retired", "变更": "renamed"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args()
    source = pathlib.Path(args.shared) / "data" / "gbt2260-history.csv"
    rows = []
    with source.open(encoding="utf-8", newline="") as handle:
        for line, record in enumerate(csv.DictReader(handle), start=2):
            code = record["代码"]
            if len(code) != 6 or not code.isdigit():
                sys.exit(f"{source}:{line}: code {code!r} is not six digits")
            rows.append([
                code, record["名称"], record["一级行政区"], record["二级行政区"],
                LEVELS[record["级别"]], STATUS[record["状态"]], record["启用时间"],
                record["变更/弃用时间"], record["新代码"], "gbt2260-history",
            ])
    known = {row[0] for row in rows}
    derived = []
    for row in rows:
        code, level = row[0], row[4]
        if level == "prefecture" and code.endswith("00") and not code.endswith("0000"):
            district = code[:4] + "01"
            if district not in known:
                known.add(district)
                derived.append([district, "市辖区", row[2], row[1], "district", row[5], row[6], row[7], "",
                                "derived:xx01"])
    derived.append(["100000", "国家级", "", "", "national", "current", "", "", "", "derived:national"])
    out = ROOT / "catalogs" / "reference" / "gbt2260-divisions.csv"
    for row in rows + derived:
        for value in row:
            if any(ch in value for ch in ',"\n\r'):
                sys.exit(f"value {value!r} needs quoting; the reference reader takes plain CSV only")
    with out.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(HEADER) + "\n")
        for row in sorted(rows + derived, key=lambda r: r[0]):
            handle.write(",".join(row) + "\n")
    print(f"{out.relative_to(ROOT)}: {len(rows)} rows from {source.name}, {len(derived)} derived")
    derive_calendar(pathlib.Path(args.shared) / "data" / "cn-official-calendar.csv")
    return 0


def derive_calendar(source: pathlib.Path) -> None:
    """Copies the official calendar's exceptions (holidays on weekdays, 调休 working weekends),
    checked: ISO dates, kind holiday|workday, sorted, no date twice."""
    out = ROOT / "catalogs" / "reference" / "cn-official-calendar.csv"
    seen = set()
    rows = []
    with source.open(encoding="utf-8", newline="") as handle:
        for line, record in enumerate(csv.DictReader(handle), start=2):
            date, kind, festival = record["date"], record["kind"], record["festival"]
            if kind not in ("holiday", "workday") or len(date) != 10 or date in seen:
                sys.exit(f"{source}:{line}: unexpected row {record}")
            if any(ch in festival for ch in ',"'):
                sys.exit(f"{source}:{line}: festival {festival!r} needs quoting")
            seen.add(date)
            rows.append([date, kind, festival])
    rows.sort()
    with out.open("w", encoding="utf-8", newline="") as handle:
        handle.write("date,kind,festival\n")
        for row in rows:
            handle.write(",".join(row) + "\n")
    years = sorted({row[0][:4] for row in rows})
    print(f"{out.relative_to(ROOT)}: {len(rows)} exceptions, {years[0]}-{years[-1]}, from {source.name}")


if __name__ == "__main__":
    sys.exit(main())
