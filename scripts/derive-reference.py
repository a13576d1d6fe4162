#!/usr/bin/env python3
"""Derive the identifier reference tables under catalogs/reference/ from ../shared/data/.

Run it when the shared reference data changes, then `scripts/embed-reference.py` to refresh the
copy compiled into the binary. The product never reads ../shared at run time.

    scripts/derive-reference.py [--shared ../shared]

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
    return 0


if __name__ == "__main__":
    sys.exit(main())
