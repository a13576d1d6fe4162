#!/usr/bin/env bash
# The PostgreSQL benchmark: `credit-etl run` of synthetic 行政处罚 records into a throwaway
# PostgreSQL cluster with 1 and 2 workers, against the SQLite archive (`run --backfill`) and a
# bare `psql \copy` of the same CSV into a table of text columns.
#
# The records are cut into 10 files (header repeated), as a backfill arrives. Two inboxes are
# timed: `penalty` (all 行政处罚: files of one item are archived in order, one at a time, so a
# second worker cannot share them) and `mixed` (the same records as 行政处罚 and 行政许可 files,
# half each: two items, two chains a second worker can share). Prints wall time, records/s and
# each process's peak RSS (from /usr/bin/time -v). Figures are recorded in docs/performance.md.
#
#   scripts/bench-postgres.sh [records] [rounds]     # defaults: 1000000 1
#   BENCH_DIR=/big/disk scripts/bench-postgres.sh 10000000
#   INBOXES=penalty scripts/bench-postgres.sh 10000000   # only the one-item inbox
#
# The cluster: initdb in $BENCH_DIR/pg, a free port, shared_buffers 1GB, fsync on (the server
# defaults otherwise), stopped at the end. As root, it runs as the `postgres` user.
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-1000000}"
rounds="${2:-1}"
work="${BENCH_DIR:-.build/bench-postgres}"
pgbin="${CREDIT_ETL_POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$pgbin/initdb" ] || { echo "bench-postgres: PostgreSQL is missing (apt-get install postgresql)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "bench-postgres: apt-get install time" >&2; exit 1; }

swift build -c release --product credit-etl >&2
bin="$(swift build -c release --show-bin-path)/credit-etl"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

# Records: one CSV per item, cut into 10 files each.
make_files() {   # make_files <item> <count> <seed> <folder> <parts>
    local item=$1 count=$2 seed=$3 folder=$4 parts=$5
    rm -rf "$work/synth" && mkdir -p "$folder"
    "$bin" synth --item "$item" --records "$count" --defect-rate 0.01 --seed "$seed" --out "$work/synth" >&2
    awk -v parts="$parts" -v records="$count" -v dir="$folder" -v item="$item" '
        NR == 1 { header = $0; next }
        { part = int((NR - 2) * parts / records)
          file = sprintf("%s/%s_20261120_%04d.csv", dir, item, part)
          if (file != current) { if (current != "") close(current); current = file; print header > file }
          print > file }' "$work/synth/${item}_20261120.csv"
    mv "$work/synth/${item}_20261120.csv" "$work/$item-$count.csv"
}
if [ "$(cat "$work/records" 2>/dev/null)" != "$records" ]; then
    rm -rf "$work/penalty" "$work/mixed" "$work"/*.csv
    make_files admin_penalty "$records" 11 "$work/penalty/nb-scjg" 10
    make_files admin_penalty "$((records / 2))" 11 "$work/mixed/nb-scjg" 5
    make_files admin_license "$((records / 2))" 12 "$work/mixed/hs-scjg" 5
    echo "$records" > "$work/records"
fi

# A throwaway cluster.
cluster="$work/pg"
rm -rf "$cluster" && mkdir -p "$cluster"
as_server=()
if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$cluster"; as_server=(runuser -u postgres --); fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_server[@]}" "$pgbin/initdb" -D "$cluster/data" -A trust -U credit -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_server[@]}" "$pgbin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
    -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c max_wal_size=8GB" start >/dev/null
trap '"${as_server[@]}" "$pgbin/pg_ctl" -D "$cluster/data" -m fast stop >/dev/null 2>&1 || true' EXIT
psql() { "$pgbin/psql" -X -q -h "$cluster" -p "$port" -U credit "$@"; }
url="postgresql://credit@localhost:$port/bench?host=$cluster"

pipeline() {   # pipeline <name> <inbox> <archive>
    cat > "$work/$1.yaml" <<YAML
name: bench-postgres
catalog: $PWD/catalogs
inbox: $2
archive: $3
reports: run/reports
settle_seconds: 0
fail_on: [unreadable_files]
YAML
}

# Prints "<seconds> <peak KiB>" of one command, from /usr/bin/time -v.
measure() {   # measure <log> <command…>
    local log=$1; shift
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    echo "$wall $rss"
}
fresh_database() { psql -d postgres -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench"; }
report() {   # report <name> <seconds> <rss list>
    printf "%-28s %8.1f s %10.0f records/s  peak RSS %s\n" "$1" "$2" "$(echo "$records / $2" | bc -l)" "$3"
}

for inbox in penalty mixed; do
    pipeline "pg-$inbox" "$work/$inbox" "$url"
    pipeline "sqlite-$inbox" "$work/$inbox" "$work/run/archive.sqlite"
done
inboxes="${INBOXES:-penalty mixed}"
for round in $(seq 1 "$rounds"); do
    echo "round $round, $records records" >&2
    # Bare COPY of the same records (the one-file CSV) into a table of text columns.
    fresh_database
    columns=$(head -1 "$work/admin_penalty-$records.csv" | tr -d '\r' | awk -F, '{ for (i = 1; i <= NF; i++) printf "%sc%d text", (i > 1 ? ", " : ""), i }')
    psql -d bench -c "CREATE TABLE t ($columns)"
    read -r wall rss < <(measure "$work/time-copy.log" "$pgbin/psql" -X -q -h "$cluster" -p "$port" -U credit -d bench \
        -c "\\copy t from '$work/admin_penalty-$records.csv' csv header")
    report "psql \\copy" "$wall" "$((rss / 1024)) MB"
    for inbox in $inboxes; do
        rm -rf "$work/run"
        read -r wall rss < <(measure "$work/time-sqlite.log" "$bin" run "$work/sqlite-$inbox.yaml" --backfill --log-level error --progress off)
        report "sqlite --backfill ($inbox)" "$wall" "$((rss / 1024)) MB"
        echo "  archive size: $(du -h "$work/run/archive.sqlite" | cut -f1)"
        for workers in 1 2; do
            fresh_database
            start=$(date +%s.%N)
            pids=()
            for w in $(seq 1 "$workers"); do
                /usr/bin/time -v -o "$work/time-worker$w.log" "$bin" run --worker "$work/pg-$inbox.yaml" --log-level error \
                    --progress off >/dev/null &
                pids+=($!)
            done
            for pid in "${pids[@]}"; do wait "$pid"; done
            wall=$(echo "$(date +%s.%N) - $start" | bc -l)
            rss=$(for w in $(seq 1 "$workers"); do awk -F': ' '/Maximum resident set size/ {printf "%d MB ", $2 / 1024}' "$work/time-worker$w.log"; done)
            report "postgres $workers worker(s) ($inbox)" "$wall" "$rss"
            if [ "$workers" = 1 ]; then
                echo "  database size: $(psql -d bench -tAc "SELECT pg_size_pretty(pg_database_size('bench'))")"
            fi
        done
    done
done
