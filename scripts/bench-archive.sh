#!/usr/bin/env bash
# The archive benchmark (`make bench-archive`): the full `credit-etl run` of 1,000,000 synthetic
# 行政处罚 records into a fresh archive against a bare `sqlite3 .import` of the same CSV.
#
# Runs each side 3 times, alternately, and prints the median wall times, their ratio and each
# side's peak RSS (from /usr/bin/time -v). Figures are recorded in docs/performance.md.
#
#   scripts/bench-archive.sh [records] [rounds]     # defaults: 1000000 3
#   BENCH_DIR=/big/disk scripts/bench-archive.sh    # where the data and archives go
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
if [ ! -s "$csv" ] || [ "$(cat "$work/records" 2>/dev/null)" != "$records" ]; then
    rm -rf "$work/inbox" "$work/synth"
    mkdir -p "$inbox"
    "$bin" synth --item admin_penalty --records "$records" --defect-rate 0.01 --seed 11 --out "$work/synth" >&2
    mv "$work/synth/admin_penalty_20261120.csv" "$csv"
    echo "$records" > "$work/records"
fi
cat > "$work/pipeline.yaml" <<YAML
name: bench-archive
catalog: $(pwd)/catalogs
inbox: inbox
archive: run/archive.sqlite
reports: run/reports
settle_seconds: 0
YAML

# Prints "<seconds> <peak KiB>" of one command, from /usr/bin/time -v.
measure() {
    local log="$work/time.log"
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    echo "$wall $rss"
}

pipeline_runs=(); import_runs=()
for round in $(seq 1 "$rounds"); do
    rm -rf "$work/run"
    pipeline_runs+=("$(measure "$bin" run "$work/pipeline.yaml" --log-level error)")
    echo "round $round: credit-etl run  ${pipeline_runs[-1]% *} s, ${pipeline_runs[-1]#* } KiB" >&2
    rm -f "$work/fresh.db"
    import_runs+=("$(measure sqlite3 "$work/fresh.db" ".import --csv $csv t")")
    echo "round $round: sqlite3 .import ${import_runs[-1]% *} s, ${import_runs[-1]#* } KiB" >&2
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
run_wall=$(median $(printf '%s\n' "${pipeline_runs[@]}" | cut -d' ' -f1))
run_rss=$(median $(printf '%s\n' "${pipeline_runs[@]}" | cut -d' ' -f2))
import_wall=$(median $(printf '%s\n' "${import_runs[@]}" | cut -d' ' -f1))
import_rss=$(median $(printf '%s\n' "${import_runs[@]}" | cut -d' ' -f2))
echo "records:             $records ($(du -h "$csv" | cut -f1) CSV), $rounds rounds"
echo "credit-etl run:      median ${run_wall} s, peak RSS $((run_rss / 1024)) MB"
echo "sqlite3 .import:     median ${import_wall} s, peak RSS $((import_rss / 1024)) MB"
awk -v a="$run_wall" -v b="$import_wall" 'BEGIN { printf "ratio run / import:  %.2f\n", a / b }'
