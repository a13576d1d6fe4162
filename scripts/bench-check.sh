#!/usr/bin/env bash
# The batch-check benchmark (`make bench-check`): `credit-etl check-subjects` of a 10,000-subject
# list against the 10,000,000-record archive the NIGHT benchmark of scripts/bench-archive.sh grew
# (run that first, with the same BENCH_DIR), with a registry and lists added to a copy of it.
#
# The copy gets, from `synth` over the same population of 1,200,000 subjects: the registry
# (企业登记注册, every subject once), 10,000 entries of the 严重失信主体名单 and 50,000 of the
# 经营异常名录, backfilled with the repository's catalog (whose `standing:` rules the check
# reads). The list: 9,000 codes spread over the registry, 500 names alone (resolved through the
# subject pairs), 300 codes no subject has, 200 with a bad check character. Prints the median wall
# time of 3 checks and the peak RSS, next to what the same list costs through `subject`'s
# lookups one subject at a time (credit-etl-benchmarks subject over 1,000 of its codes, scaled).
# Then times a nightly run over an empty inbox on that archive, twice: what the run report's city
# indicators cost a night (they read the registry and every adverse item).
#
#   BENCH_DIR=/tmp/bench10m scripts/bench-check.sh [subjects]     # default 10000
set -euo pipefail
cd "$(dirname "$0")/.."
subjects="${1:-10000}"
work="${BENCH_DIR:-.build/bench-archive}"
grown="$work/grown-archive/archive.sqlite"
[ -s "$grown" ] || { echo "bench-check: no $grown; grow it first: NIGHT=10000 ROWS=night-grown BENCH_DIR=$work scripts/bench-archive.sh 10000000 1" >&2; exit 1; }
for tool in sqlite3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench-check: $tool is missing (apt-get install sqlite3 time)" >&2; exit 1; }
done
swift build -c release --product credit-etl >&2
CREDIT_ETL_BENCHMARKS=1 swift build -c release --product credit-etl-benchmarks >&2
bin="$(swift build -c release --show-bin-path)"
work="$(cd "$work" && pwd)"
catalog="$(pwd)/catalogs"
population="${POPULATION:-1200000}"
check="$work/check"
archive="$check/archive/archive.sqlite"
stamp="$(stat -c %Y "$grown") $population"
if [ ! -s "$archive" ] || [ "$(cat "$check/setup" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$check" && mkdir -p "$check/archive" "$check/inbox/nb-scjg" "$check/inbox/nb-fgw" "$check/synth"
    cp "$grown" "$archive"
    "$bin/credit-etl" synth --item enterprise_registration --records "$population" --population "$population" --defect-rate 0 \
        --seed 41 --date 2026-11-22 --out "$check/synth" --catalog "$catalog" >&2
    "$bin/credit-etl" synth --item serious_dishonest --records 10000 --population "$population" --defect-rate 0 \
        --seed 42 --date 2026-11-22 --out "$check/synth" --catalog "$catalog" >&2
    "$bin/credit-etl" synth --item abnormal_operation --records 50000 --population "$population" --defect-rate 0 \
        --seed 43 --date 2026-11-22 --out "$check/synth" --catalog "$catalog" >&2
    mv "$check/synth/enterprise_registration_20261122.csv" "$check/synth/abnormal_operation_20261122.csv" "$check/inbox/nb-scjg/"
    mv "$check/synth/serious_dishonest_20261122.csv" "$check/inbox/nb-fgw/"
    printf 'name: bench-check\ncatalog: %s\ninbox: inbox\narchive: archive/archive.sqlite\nreports: reports\nsettle_seconds: 0\nfail_on: [unreadable_files]\n' \
        "$catalog" > "$check/pipeline.yaml"
    status=0
    "$bin/credit-etl" run "$check/pipeline.yaml" --backfill --log-level error --progress off >/dev/null || status=$?
    [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || { echo "bench-check: the backfill failed (exit $status)" >&2; exit 1; }
    echo "$stamp" > "$check/setup"
fi
count() { sqlite3 "$archive" "SELECT count(*) FROM $1 WHERE _current = 1"; }
echo "archive: $(count item_admin_penalty) penalties, $(count item_enterprise_registration) registered, $(count item_serious_dishonest) on the 严重失信 list, $(count item_abnormal_operation) 经营异常"
# The list, in the shape offices keep: code and name columns, a name alone on some rows.
registered=$(count item_enterprise_registration)
step=$(( registered / subjects ))
python3 - "$archive" "$subjects" "$step" "$check/list.csv" "$check/codes.txt" <<'PY'
import sqlite3, sys
archive, subjects, step, out, codes_out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
db = sqlite3.connect(archive)
rows = db.execute("SELECT tyshxydm, qymc FROM item_enterprise_registration WHERE _current = 1 AND _id % ? = 1 LIMIT ?",
                  (step, subjects)).fetchall()
names, unknown, broken = subjects * 5 // 100, subjects * 3 // 100, subjects * 2 // 100
lines = ["统一社会信用代码,名称"]
for index, (code, name) in enumerate(rows[:subjects]):
    if index < names:
        lines.append(f",{name}")
    elif index < names + unknown:
        lines.append(f"91330200MA2{index:06d}X,未登记{index}有限公司")   # mostly an invalid check; counted as such
    elif index < names + unknown + broken:
        lines.append(f"{code[:-1]}{'0' if code[-1] != '0' else '1'},{name}")
    else:
        lines.append(f"{code},{name}")
open(out, "w").write("\n".join(lines) + "\n")
open(codes_out, "w").write("\n".join(code for code, _ in rows[:1000]) + "\n")
PY
echo "list: $(( $(wc -l < "$check/list.csv") - 1 )) rows"
times=()
for round in 1 2 3; do
    /usr/bin/time -v -o "$check/time-$round.log" "$bin/credit-etl" check-subjects "$check/list.csv" --pipeline "$check/pipeline.yaml" \
        --out "$check/out" > "$check/out-$round.txt"
    times+=("$(grep 'Elapsed' "$check/time-$round.log" | awk '{print $NF}')")
done
echo "check-subjects: $(head -1 "$check/out-1.txt")"
echo "check-subjects wall times: ${times[*]}; peak RSS $(grep 'Maximum resident' "$check/time-1.log" | awk '{print $NF}') kB"
# The same subjects one at a time through `subject`'s indexes (1,000 of them, timed in one process).
echo "one at a time (subject's lookup, 1,000 codes): $("$bin/credit-etl-benchmarks" subject "$archive" "$check/codes.txt" "$catalog")"
# A night with nothing to archive: the run's report, its city indicators with it.
mkdir -p "$check/inbox-empty"
sed 's/^inbox: inbox$/inbox: inbox-empty/' "$check/pipeline.yaml" > "$check/pipeline-empty.yaml"
for round in 1 2; do
    status=0
    /usr/bin/time -f "%e %M" -o "$check/night-$round.log" "$bin/credit-etl" run "$check/pipeline-empty.yaml" \
        --log-level error --progress off >/dev/null || status=$?
    [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || { echo "bench-check: the night failed (exit $status)" >&2; exit 1; }
done
echo "a night over an empty inbox (its report's city indicators): $(awk '{print $1 " s"}' "$check/night-1.log"), $(awk '{print $1 " s, peak RSS " $2 " kB"}' "$check/night-2.log")"
