#!/usr/bin/env bash
# Compares libpq and PostgresNIO loading the same rows with COPY, and `psql \copy` of them, on a
# throwaway cluster (initdb in .build, a free port, stopped at the end; as the postgres user when
# run as root). Usage: Benchmarks/postgres-client/run.sh [rows]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")"
rows="${1:-1000000}"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
swift build -c release >&2
work="$(pwd)/.build/cluster"
rm -rf "$work"; mkdir -p "$work"
as_server() { if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$work"; runuser -u postgres -- "$@"; else "$@"; fi; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd /tmp && as_server "$bin/initdb" -D "$work/data" -A trust -U bench -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null)
(cd /tmp && as_server "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o "-p $port -k $work -c listen_addresses=''" start >/dev/null)
trap '(cd /tmp && as_server "$bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null); rm -rf "$work"' EXIT
.build/release/postgres-client-bench "$work" "$port" bench "$rows" "$work/rows.tsv"
psql -h "$work" -p "$port" -U bench -d postgres -q -c "CREATE UNLOGGED TABLE psql_rows (id bigint, name text, code text, doc text, decided date, kind text, amount numeric, facts text, authority text, authority_code text)"
start=$(date +%s.%N)
psql -h "$work" -p "$port" -U bench -d postgres -q -c "\\copy psql_rows from '$work/rows.tsv'"
end=$(date +%s.%N)
python3 -c "import sys; t=$end-$start; print(f'psql \\\\copy:         {t:6.2f} s  {$rows/t/1000:6.0f} k rows/s')"
echo "rows: $rows ($(du -m "$work/rows.tsv" | cut -f1) MB of text)"
