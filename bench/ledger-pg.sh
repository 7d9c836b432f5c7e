#!/usr/bin/env bash
# A PostgreSQL server on loopback for the ledger benchmarks (bench/ledger-generate.sh, bench/analytics.sh), kept in a
# directory of its own so a loaded ledger survives between runs. As root it runs as the postgres user (PostgreSQL
# refuses root), like src/test/java/io/hypomag/cds/ledger/PostgresServer.java; trust authentication for user "app".
#
#   bench/ledger-pg.sh start [DIR] [PORT]   # initdb on first use, then pg_ctl start; prints the JDBC URL
#   bench/ledger-pg.sh stop  [DIR]          # pg_ctl stop -m fast
#   bench/ledger-pg.sh status [DIR]
#
# DIR defaults to /tmp/hypomag-ledger-pg, PORT to 55432. The server settings are the defaults except what a bulk
# load and a benchmark machine need: fsync off (a throw-away benchmark server, as in the tests), a 256 MB buffer cache
# (PG_SHARED_BUFFERS), a larger WAL so a 5-million-row load is not one checkpoint after another, and commit
# timestamps, so bench/analytics.sh can tell when each card the service answered reached the table; statements over a
# second are logged with their duration (DIR/log).
set -euo pipefail

cmd="${1:-}"
DIR="${2:-${PG_DIR:-/tmp/hypomag-ledger-pg}}"
PORT="${3:-${PG_PORT:-55432}}"
PG_SHARED_BUFFERS="${PG_SHARED_BUFFERS:-256MB}"

bin=""
for candidate in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")" /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then bin="$candidate"; fi
done
[ -n "$bin" ] || { echo "PostgreSQL not found (apt-get install postgresql)" >&2; exit 2; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    if [ ! -d "$DIR/data" ]; then
      mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
      as_pg "$bin/initdb" -D "$DIR/data" -U app --auth=trust -E UTF8 --no-sync >"$DIR/initdb.out" 2>&1 \
        || { cat "$DIR/initdb.out" >&2; exit 1; }
    fi
    if as_pg "$bin/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
      echo "already running: $DIR/data" >&2
    else
      as_pg "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 120 start -o \
        "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
-c shared_buffers=$PG_SHARED_BUFFERS -c max_wal_size=4GB -c checkpoint_timeout=30min -c track_commit_timestamp=on \
-c log_min_duration_statement=1000" >/dev/null
    fi
    port=$(sed -n 4p "$DIR/data/postmaster.pid")
    echo "jdbc:postgresql://127.0.0.1:$port/postgres"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$DIR/data" -m fast -w -t 120 stop >/dev/null
    ;;
  status)
    as_pg "$bin/pg_ctl" -D "$DIR/data" status
    ;;
  *)
    echo "usage: $0 start|stop|status [DIR] [PORT]" >&2; exit 2
    ;;
esac
