#!/usr/bin/env bash
# The subject-lookup benchmark (`make bench-subject`): `credit-etl subject` against the archive
# the NIGHT benchmark of scripts/bench-archive.sh grew (run that first, with the same BENCH_DIR).
#
# Picks subjects spread over the archive (every n-th row's code, and another row's name), looks
# each up as `subject` does, in one process (credit-etl-benchmarks: the archive opened once, each
# lookup timed; p50, p99, worst), and times the whole command for a few of them next to the same
# command on an empty archive (the fixed cost of starting, loading the catalog, opening the
# archive). With SCAN=1 the lookup's indexes are dropped from a copy of the archive and 10
# lookups of each kind are timed again: what `subject` cost before the indexes (a scan per item).
#
#   BENCH_DIR=/tmp/bench10m scripts/bench-subject.sh [lookups]     # default 1000
#   SCAN=1 BENCH_DIR=/tmp/bench10m scripts/bench-subject.sh
set -euo pipefail
cd "$(dirname "$0")/.."
lookups="${1:-1000}"
work="${BENCH_DIR:-.build/bench-archive}"
archive="$work/grown-archive/archive.sqlite"
[ -s "$archive" ] || { echo "bench-subject: no $archive; grow it first: NIGHT=10000 ROWS=night-grown BENCH_DIR=$work scripts/bench-archive.sh" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench-subject: sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
swift build -c release --product credit-etl >&2
CREDIT_ETL_BENCHMARKS=1 swift build -c release --product credit-etl-benchmarks >&2
bin="$(swift build -c release --show-bin-path)"
# A run that completes exits 0, or 3 when the synthetic defects miss a target; anything else stops here.
run_ok() { local status=0; "$bin/credit-etl" run "$1" --log-level error --progress off >/dev/null || status=$?
    [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || { echo "bench-subject: credit-etl run $1 failed (exit $status)" >&2; exit 1; }; }
# The lookup's indexes are made by a run's preparation: an archive grown before them gets them
# here, from a run over an empty inbox.
mkdir -p "$work/inbox-subject"
printf 'name: bench-subject\ncatalog: %s\ninbox: inbox-subject\narchive: grown-archive/archive.sqlite\nreports: subject-reports\nsettle_seconds: 0\n' \
    "$work/catalog" > "$work/pipeline-subject.yaml"
run_ok "$work/pipeline-subject.yaml"
rows=$(sqlite3 "$archive" "SELECT max(_id) FROM item_admin_penalty")
step=$(( rows / lookups ))
sqlite3 "$archive" "SELECT cf_xdr_shxym FROM item_admin_penalty WHERE _id % $step = 3 AND cf_xdr_shxym IS NOT NULL LIMIT $lookups" > "$work/subject-codes.txt"
sqlite3 "$archive" "SELECT cf_xdr_mc FROM item_admin_penalty WHERE _id % $step = 5 AND cf_xdr_mc IS NOT NULL LIMIT $lookups" > "$work/subject-names.txt"
echo "records: $rows; lookups: $(wc -l < "$work/subject-codes.txt") codes, $(wc -l < "$work/subject-names.txt") names"
echo "by code: $("$bin/credit-etl-benchmarks" subject "$archive" "$work/subject-codes.txt" "$work/catalog")"
echo "by name: $("$bin/credit-etl-benchmarks" subject "$archive" "$work/subject-names.txt" "$work/catalog")"
# The whole command: median of 21, on this archive and on an empty one.
command_ms() {
    local pipeline="$1" query="$2" times=()
    for _ in $(seq 21); do
        local start end
        # Exit 1 (no such subject) is an answer too: the empty archive has none.
        start=$(date +%s%N); "$bin/credit-etl" subject "$query" --pipeline "$pipeline" --json >/dev/null || [ $? -eq 1 ]; end=$(date +%s%N)
        times+=($(( (end - start) / 1000000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 11p
}
empty="$work/empty-archive"
rm -rf "$empty" && mkdir -p "$empty/inbox"
printf 'name: empty\ncatalog: %s\ninbox: inbox\narchive: archive.sqlite\nreports: reports\nsettle_seconds: 0\n' "$work/catalog" > "$empty/pipeline.yaml"
run_ok "$empty/pipeline.yaml"
code=$(head -1 "$work/subject-codes.txt")
echo "credit-etl subject <code>, whole command (median of 21): $(command_ms "$work/pipeline-subject.yaml" "$code") ms; on an empty archive: $(command_ms "$empty/pipeline.yaml" "$code") ms"
if [ -n "${SCAN:-}" ]; then
    rm -rf "$work/scan-archive" && cp -r "$work/grown-archive" "$work/scan-archive"
    sqlite3 "$work/scan-archive/archive.sqlite" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index'
        AND name GLOB 'item_*_by_*' AND name NOT GLOB '*_by_file'" | sqlite3 "$work/scan-archive/archive.sqlite"
    head -10 "$work/subject-codes.txt" > "$work/scan-codes.txt"
    head -10 "$work/subject-names.txt" > "$work/scan-names.txt"
    echo "without the indexes, by code: $("$bin/credit-etl-benchmarks" subject "$work/scan-archive/archive.sqlite" "$work/scan-codes.txt" "$work/catalog")"
    echo "without the indexes, by name: $("$bin/credit-etl-benchmarks" subject "$work/scan-archive/archive.sqlite" "$work/scan-names.txt" "$work/catalog")"
    rm -rf "$work/scan-archive"
fi
