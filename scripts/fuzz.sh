#!/usr/bin/env bash
# Fuzzes one source adapter with libFuzzer for a bounded time; crashes and hangs are saved in
# Fuzz/findings/<target>/ (each one becomes a regression test in Tests/CreditAdaptersTests).
#
#     scripts/fuzz.sh <csv|json|jsonl|xml|gb18030> [seconds=60]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:?usage: scripts/fuzz.sh <csv|json|jsonl|xml|gb18030> [seconds]}"
seconds="${2:-60}"
cd "$root"
CREDIT_ETL_FUZZ=1 swift build --scratch-path .build-fuzz -c release --product credit-etl-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2
corpus="Fuzz/corpus/$target"
findings="Fuzz/findings/$target"
mkdir -p "$findings" ".build-fuzz/corpus/$target"
CREDIT_ETL_FUZZ_TARGET="$target" .build-fuzz/release/credit-etl-fuzz ".build-fuzz/corpus/$target" "$corpus" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -artifact_prefix="$findings/" -print_final_stats=1
