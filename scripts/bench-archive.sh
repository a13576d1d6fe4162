#!/usr/bin/env bash
# The archive benchmark (`make bench-archive`): the full `credit-etl run` of 1,000,000 synthetic
# 行政处罚 records into a fresh archive against a bare `sqlite3 .import` of the same CSV.
#
# Runs each 3 times, alternately: `credit-etl run` as a nightly run (write-ahead log), `credit-etl
# run --backfill` (rollback journal) and `sqlite3 .import`; prints the median wall times, the
# ratios to the import, each one's peak RSS (from /usr/bin/time -v) and the archive's size next
# to the CSV's. With FORMATS="csv xml json" the same records are also synthesized as XML and
# JSON and backfilled, to compare the adapters end to end. With SPLIT="10 100" the same CSV is
# also cut into 10 and 100 files (header repeated) and backfilled as one multi-file backfill.
# With RESEND=1 a `resend` row times a nightly run of the same records sent again under another
# file name (every record unchanged) into the archive a first, untimed run filled, and a
# `resend-1pct` row the same with every hundredth record's 违法事实 changed (a new version each).
# With NIGHT=10000 two rows time a nightly run of that many new records against an empty archive
# (`night-empty`) and against one a first backfill of [records] filled (`night-grown`,
# after an untimed run over an empty inbox: the night before, which leaves the archive stamped):
# both files name subjects of one stable population (`synth --population`, POPULATION=1200000),
# as real nights do, so the ratio is the cost the archive's size adds to a night.
# The backfill that fills that archive is timed too, with its progress logged every 2 s: the
# records/s of its first and last million say whether the cost stays flat as the archive grows
# (target: the last within 20% of the first). ROWS="night-empty night-grown" runs only those
# rows (at 10,000,000 records the nightly and backfill rows take some 20 minutes more).
# Figures are recorded in docs/performance.md.
#
#   scripts/bench-archive.sh [records] [rounds]     # defaults: 1000000 3
#   BENCH_DIR=/big/disk scripts/bench-archive.sh    # where the data and archives go
#   FORMATS="csv xml json" scripts/bench-archive.sh
#   SPLIT="10 100" scripts/bench-archive.sh 1000000 1
#   RESEND=1 scripts/bench-archive.sh
#   NIGHT=10000 scripts/bench-archive.sh 1000000 3
#   NIGHT=10000 ROWS="night-empty night-grown" BENCH_DIR=/big/disk scripts/bench-archive.sh 10000000 1
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-1000000}"
rounds="${2:-3}"
work="${BENCH_DIR:-.build/bench-archive}"
for tool in sqlite3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench-archive: $tool is missing (apt-get install sqlite3 time)" >&2; exit 1; }
done

swift build -c release --product credit-etl >&2
bin="$(swift build -c release --show-bin-path)/credit-etl"

mkdir -p "$work"
work="$(cd "$work" && pwd)"
inbox="$work/inbox/nb-scjg"
csv="$inbox/admin_penalty_20261120.csv"
# The main CSV, unless ROWS names only the night rows (which synthesize their own).
needs_csv=yes
if [ -n "${ROWS:-}" ] && ! grep -qwE 'run|backfill|import|resend|resend-1pct|backfill-[a-z0-9]+' <<< "$ROWS"; then needs_csv=; fi
if [ -n "$needs_csv" ] && { [ ! -s "$csv" ] || [ "$(cat "$work/records" 2>/dev/null)" != "$records" ]; }; then
    rm -rf "$work/inbox" "$work/synth"
    mkdir -p "$inbox"
    "$bin" synth --item admin_penalty --records "$records" --defect-rate 0.01 --seed 11 --out "$work/synth" >&2
    mv "$work/synth/admin_penalty_20261120.csv" "$csv"
    echo "$records" > "$work/records"
fi
# A copy of the catalog with feeds for the same item as XML and JSON.
rm -rf "$work/catalog" && cp -r catalogs "$work/catalog"
cat >> "$work/catalog/feeds.yaml" <<YAML
  - id: bench.admin_penalty_xml
    department: nb-scjg
    item: admin_penalty
    format: xml
    record_path: /DATA/ROW
    files: "bench-xml/*.xml"
  - id: bench.admin_penalty_json
    department: nb-scjg
    item: admin_penalty
    format: json
    files: "bench-json/*.json"
YAML
formats="${FORMATS:-csv}"
for format in $formats; do
    [ "$format" = csv ] && continue
    file="$work/inbox-$format/bench-$format/admin_penalty_20261120.$format"
    if [ ! -s "$file" ] || [ "$(cat "$work/records-$format" 2>/dev/null)" != "$records" ]; then
        rm -rf "$work/inbox-$format" "$work/synth-$format"
        mkdir -p "$(dirname "$file")"
        "$bin" synth --item admin_penalty --records "$records" --format "$format" --defect-rate 0.01 --seed 11 \
            --out "$work/synth-$format" >&2
        mv "$work/synth-$format/admin_penalty_20261120.$format" "$file"
        echo "$records" > "$work/records-$format"
    fi
done
splits="${SPLIT:-}"
for parts in $splits; do
    dir="$work/inbox-split$parts/nb-scjg"
    if [ ! -d "$dir" ] || [ "$(cat "$work/records-split$parts" 2>/dev/null)" != "$records" ]; then
        rm -rf "$work/inbox-split$parts" && mkdir -p "$dir"
        awk -v parts="$parts" -v records="$records" -v dir="$dir" '
            NR == 1 { header = $0; next }
            { part = int((NR - 2) * parts / records)
              file = sprintf("%s/admin_penalty_20261120_%04d.csv", dir, part)
              if (file != current) { if (current != "") close(current); current = file; print header > file }
              print > file }' "$csv"
        echo "$records" > "$work/records-split$parts"
    fi
done
pipeline() {   # pipeline <name> <inbox>
    cat > "$work/$1.yaml" <<YAML
name: bench-archive
catalog: $work/catalog
inbox: $2
archive: run/archive.sqlite
reports: run/reports
settle_seconds: 0
# Synthetic defects miss the targets on purpose: a missed target is not a failed benchmark.
fail_on: [unreadable_files]
YAML
}
pipeline pipeline inbox
for format in $formats; do [ "$format" = csv ] || pipeline "pipeline-$format" "inbox-$format"; done
for parts in $splits; do pipeline "pipeline-split$parts" "inbox-split$parts"; done
if [ -n "${RESEND:-}" ]; then
    # The same bytes and a newline: another file (another SHA-256), the same records.
    resent="$work/inbox-resend/nb-scjg/admin_penalty_20261121.csv"
    mkdir -p "$(dirname "$resent")"
    { cat "$csv"; echo; } > "$resent"
    pipeline pipeline-resend inbox-resend
    changed="$work/inbox-resend1/nb-scjg/admin_penalty_20261121.csv"
    mkdir -p "$(dirname "$changed")"
    awk 'NR > 1 && NR % 100 == 0 { sub(/,违法事实/, ",违法事实（更正）") } { print }' "$csv" > "$changed"
    pipeline pipeline-resend1 inbox-resend1
fi
if [ -n "${NIGHT:-}" ]; then
    population="${POPULATION:-1200000}"
    grown="$work/inbox-grown/nb-scjg/admin_penalty_20261120.csv"
    night="$work/inbox-night/nb-scjg/admin_penalty_20261121.csv"
    stamp="$records $population $NIGHT"
    if [ ! -s "$work/grown-archive/archive.sqlite" ] || [ "$(cat "$work/night-setup" 2>/dev/null)" != "$stamp" ]; then
        rm -rf "$work/inbox-grown" "$work/inbox-night" "$work/synth-night" "$work/grown-archive" "$work/run"
        mkdir -p "$(dirname "$grown")" "$(dirname "$night")"
        "$bin" synth --item admin_penalty --records "$records" --defect-rate 0.01 --seed 11 --population "$population" \
            --out "$work/synth-night" >&2
        mv "$work/synth-night/admin_penalty_20261120.csv" "$grown"
        "$bin" synth --item admin_penalty --records "$NIGHT" --defect-rate 0.01 --seed 21 --population "$population" \
            --date 2026-11-21 --out "$work/synth-night" >&2
        mv "$work/synth-night/admin_penalty_20261121.csv" "$night"
        pipeline pipeline-grown inbox-grown
        # Timed, with a progress line every 2 s stamped with the seconds since the start.
        start=$(date +%s.%N)
        { "$bin" run "$work/pipeline-grown.yaml" --backfill --log-level notice --log-format json \
              --progress log --progress-every 2 2>&1 >/dev/null || [ $? -eq 3 ]; } \
            | python3 -u -c 'import sys, time; t0 = float(sys.argv[1])
for line in sys.stdin: print(f"{time.time() - t0:.2f} {line}", end="")' "$start" > "$work/grown-progress.log"
        echo "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')" > "$work/grown-wall"
        mv "$work/run" "$work/grown-archive"
        echo "$stamp" > "$work/night-setup"
    fi
    # Records/s of the backfill's first and last million, from its progress lines (interpolated
    # where a line crossed the million), and the time after the last line (the rest, the final
    # commit and the report).
    if [ ! -s "$work/grown-progress.log" ] || [ ! -s "$work/grown-wall" ]; then
        echo "grown backfill: not timed (the archive was grown by an earlier version of this script; rm $work/night-setup to grow it again)" >&2
    else
    python3 - "$work/grown-progress.log" "$records" "$(cat "$work/grown-wall")" <<'PY' >&2
import json, sys
points = [(0.0, 0)]
for line in open(sys.argv[1], encoding="utf-8"):
    stamp, _, text = line.partition(" ")
    try:
        entry = json.loads(text)
    except ValueError:
        continue
    count = entry.get("credit.records") or entry.get("metadata", {}).get("credit.records")
    if count is not None:
        points.append((float(stamp), int(count)))
total, wall = int(sys.argv[2]), float(sys.argv[3])
def at(records):
    for (t0, r0), (t1, r1) in zip(points, points[1:]):
        if r0 <= records <= r1 and r1 > r0:
            return t0 + (t1 - t0) * (records - r0) / (r1 - r0)
    return None
million = min(1_000_000, total)
# The last progress line may come before the last record: the last million is the one before it.
last = points[-1][1]
first, end, before = at(million), at(last), at(last - million)
if None in (first, end, before):
    print(f"grown backfill: {wall:.1f} s; too few progress lines for per-million rates ({len(points) - 1})")
else:
    a, b = million / first, million / (end - before)
    print(f"grown backfill: {total} records in {wall:.1f} s ({total / wall:,.0f} records/s); "
          f"first million {a:,.0f} records/s, last million {b:,.0f} records/s: {b / a:.2f} of the first "
          f"(target ≥ 0.80); {wall - end:.1f} s after the last progress line")
PY
    fi
    pipeline pipeline-night inbox-night
    # The night before: a run over an empty inbox leaves the archive closed and stamped, as a
    # real previous night does (a copied file is another file: checked whole once).
    mkdir -p "$work/inbox-empty"
    pipeline pipeline-before inbox-empty
fi

# Prints "<seconds> <peak KiB>" of one command, from /usr/bin/time -v.
measure() {
    local log="$work/time.log"
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    echo "$wall $rss"
}

declare -A runs
names=(run backfill import)
for format in $formats; do [ "$format" = csv ] || names+=("backfill-$format"); done
for parts in $splits; do names+=("backfill-split$parts"); done
[ -n "${RESEND:-}" ] && names+=(resend resend-1pct)
[ -n "${NIGHT:-}" ] && names+=(night-empty night-grown)
if [ -n "${ROWS:-}" ]; then read -r -a names <<< "$ROWS"; fi
for round in $(seq 1 "$rounds"); do
    for name in "${names[@]}"; do
        rm -rf "$work/run" "$work/fresh.db"
        case "$name" in
            run) result=$(measure "$bin" run "$work/pipeline.yaml" --log-level error --progress off) ;;
            backfill) result=$(measure "$bin" run "$work/pipeline.yaml" --backfill --log-level error --progress off)
                      archive_bytes=$(stat -c %s "$work/run/archive.sqlite") ;;
            import) result=$(measure sqlite3 "$work/fresh.db" ".import --csv $csv t") ;;
            resend) "$bin" run "$work/pipeline.yaml" --log-level error --progress off >/dev/null
                    result=$(measure "$bin" run "$work/pipeline-resend.yaml" --log-level error --progress off)
                    resend_growth=$(stat -c %s "$work/run/archive.sqlite") ;;
            resend-1pct) "$bin" run "$work/pipeline.yaml" --log-level error --progress off >/dev/null
                    filled=$(stat -c %s "$work/run/archive.sqlite")
                    result=$(measure "$bin" run "$work/pipeline-resend1.yaml" --log-level error --progress off) ;;
            night-empty) result=$(measure "$bin" run "$work/pipeline-night.yaml" --log-level error --progress off) ;;
            night-grown) cp -r "$work/grown-archive" "$work/run"
                         "$bin" run "$work/pipeline-before.yaml" --log-level error --progress off >/dev/null
                         result=$(measure "$bin" run "$work/pipeline-night.yaml" --log-level error --progress off) ;;
            backfill-*) result=$(measure "$bin" run "$work/pipeline-${name#backfill-}.yaml" --backfill --log-level error --progress off) ;;
        esac
        runs[$name]+="$result"$'\n'
        echo "round $round: $name ${result% *} s, ${result#* } KiB" >&2
    done
done

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
wall() { printf '%s' "${runs[$1]}" | cut -d' ' -f1 | median; }
rss() { printf '%s' "${runs[$1]}" | cut -d' ' -f2 | median; }
import_wall=$([ -n "${runs[import]:-}" ] && wall import || echo 0)
[ -s "$csv" ] || csv="$work/inbox-grown/nb-scjg/admin_penalty_20261120.csv"
csv_bytes=$(stat -c %s "$csv")
echo "records:                  $records ($((csv_bytes / 1000000)) MB CSV), $rounds rounds, medians"
for name in "${names[@]}"; do
    printf '%-25s %7.2f s  peak RSS %4d MB' "$name:" "$(wall "$name")" "$(( $(rss "$name") / 1024 ))"
    # Without an import row (ROWS) there is nothing to divide by.
    awk -v a="$(wall "$name")" -v b="$import_wall" 'BEGIN { if (b > 0) printf "  ratio to import %.2f", a / b; print "" }'
done
if [ -n "${NIGHT:-}" ]; then
    awk -v g="$(wall night-grown)" -v e="$(wall night-empty)" -v n="$NIGHT" -v r="$records" \
        'BEGIN { printf "night of %d records on a %d-record archive ÷ on an empty one: %.2f (target ≤ 2)\n", n, r, g / e }'
fi
if [ -n "${RESEND:-}" ]; then
    awk -v f="$filled" -v g="$resend_growth" -v r="$(wall resend)" -v n="$(wall run)" \
        'BEGIN { printf "unchanged re-send ÷ nightly run: %.2f (target ≤ 0.2); archive growth %.2f%% (target ≤ 2%%)\n", r / n, (g - f) * 100 / f }'
fi
if [ -n "${archive_bytes:-}" ]; then
    awk -v a="$archive_bytes" -v c="$csv_bytes" -v r="$records" \
        'BEGIN { printf "archive size:             %d MB per million records (CSV %d MB): %.2f x\n", a / r * 1e6 / 1e6, c / r * 1e6 / 1e6, a / c }'
fi
