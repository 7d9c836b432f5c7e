#!/usr/bin/env bash
# Loads a large, realistic card ledger into PostgreSQL for bench/analytics.sh (issue 14 item 4, issue 18).
#
#   bench/ledger-pg.sh start                      # a loopback PostgreSQL under /tmp/hypomag-ledger-pg (or bring your own)
#   bench/ledger-generate.sh                      # 5,000,000 cards, 1,000,000 feedback rows, over 365 days
#   bench/ledger-generate.sh --cards 100000 --feedback 20000 --days 30 --db-url jdbc:postgresql://127.0.0.1:55432/postgres
#
# Options (defaults in brackets): --cards N [5000000], --feedback N [1000000], --days N [365],
#   --db-url JDBC-URL [jdbc:postgresql://127.0.0.1:55432/postgres], --db-user NAME [app] (DB_PASSWORD from the
#   environment, passed to both the service and psql), --jar PATH [target/hypomag-cds.jar], --port N [18481, the
#   service's port while it migrates], --chunks N [10, card inserts], --replace (empty a ledger that already holds cards),
#   --migrate-only (only the first step: bring a loaded ledger to the jar's schema, and time it).
#
# First the schema: the service jar starts once against the database (DB_URL, PORT on loopback, the ledger on as by
# default) and is stopped by its PID as soon as /health/ready shows the database "up", which it only does after
# Flyway migrated. Then bench/ledger-generate.sql fills it (see there what the rows look like), fills the card's
# last-outcome columns if migration 3 added them, tallies the cards with bench/ledger-tally.sql if migration 5 added
# the card tally, and VACUUM ANALYZE leaves the tables as a long-lived ledger's
# autovacuum would. Prints each step's time, the rows and sizes, and the total.
set -euo pipefail
cd "$(dirname "$0")/.."

CARDS=5000000
FEEDBACK=1000000
DAYS=365
DB_URL_ARG="jdbc:postgresql://127.0.0.1:55432/postgres"
DB_USER_ARG="app"
JAR="target/hypomag-cds.jar"
SERVICE_PORT=18481
CHUNKS=10
REPLACE=false
MIGRATE_ONLY=false
while [ $# -gt 0 ]; do
  case "$1" in
    --cards) CARDS="$2"; shift 2 ;;
    --feedback) FEEDBACK="$2"; shift 2 ;;
    --days) DAYS="$2"; shift 2 ;;
    --db-url) DB_URL_ARG="$2"; shift 2 ;;
    --db-user) DB_USER_ARG="$2"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --port) SERVICE_PORT="$2"; shift 2 ;;
    --chunks) CHUNKS="$2"; shift 2 ;;
    --replace) REPLACE=true; shift ;;
    --migrate-only) MIGRATE_ONLY=true; shift ;;
    -h|--help) sed -n 2,19p "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (--help)" >&2; exit 2 ;;
  esac
done
for n in "$CARDS" "$FEEDBACK" "$DAYS" "$SERVICE_PORT" "$CHUNKS"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "not a whole number: $n" >&2; exit 2; }
done
[ "$DAYS" -ge 1 ] && [ "$CHUNKS" -ge 1 ] || { echo "--days and --chunks must be at least 1" >&2; exit 2; }
[ -f "$JAR" ] || { echo "no $JAR: mvn -q -o package -DskipTests" >&2; exit 2; }

# jdbc:postgresql://host[:port]/database[?…] → psql's host, port and database
if [[ "$DB_URL_ARG" =~ ^jdbc:postgresql://([^/:?]+)(:([0-9]+))?/([^?]+) ]]; then
  PGHOST_="${BASH_REMATCH[1]}"; PGPORT_="${BASH_REMATCH[3]:-5432}"; PGDB_="${BASH_REMATCH[4]}"
else
  echo "--db-url must look like jdbc:postgresql://127.0.0.1:55432/postgres" >&2; exit 2
fi
export PGPASSWORD="${DB_PASSWORD:-}"
psql_() { psql -X -q -h "$PGHOST_" -p "$PGPORT_" -U "$DB_USER_ARG" -d "$PGDB_" -v ON_ERROR_STOP=1 "$@"; }
psql_ -Atc "SELECT 1" >/dev/null || { echo "cannot reach $DB_URL_ARG as $DB_USER_ARG" >&2; exit 1; }
secs() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(secs)" 'BEGIN { printf "%.1f", b - a }'; }

total_start=$(secs)
service_pid=""
log="$(mktemp /tmp/ledger-generate-service.XXXXXX.log)"
cleanup() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

echo "== schema: $JAR against $DB_URL_ARG (service on 127.0.0.1:$SERVICE_PORT until the database is up, at most 10 min)"
step=$(secs)
# LEDGER_RETENTION_DAYS at its maximum: the writer purges on its first idle tick, and the default 90 days would
# delete most of a ledger that is already loaded.
DB_URL="$DB_URL_ARG" DB_USER="$DB_USER_ARG" DB_PASSWORD="${DB_PASSWORD:-}" PORT="$SERVICE_PORT" \
  LEDGER_RETENTION_DAYS=3650 java -Xmx256m -XX:+UseSerialGC -jar "$JAR" >"$log" 2>&1 &
service_pid=$!
up=false
for _ in $(seq 1 3000); do   # at most 10 min: migrating a loaded ledger takes a while
  if curl -s --max-time 2 "http://127.0.0.1:$SERVICE_PORT/health/ready" 2>/dev/null \
      | grep -q '"database":{"state":"up"'; then up=true; break; fi
  kill -0 "$service_pid" 2>/dev/null || break
  sleep 0.2
done
kill "$service_pid" 2>/dev/null || true
wait "$service_pid" 2>/dev/null || true
service_pid=""
if ! $up; then
  echo "the service did not report the database up; its log ($log):" >&2; tail -20 "$log" >&2; exit 1
fi
echo "   migrated: $(psql_ -Atc "SELECT string_agg(version || ' ' || description, ', ' ORDER BY installed_rank) FROM flyway_schema_history")"
echo "   $(elapsed "$step") s"
if $MIGRATE_ONLY; then
  grep -iE 'migrat' "$log" | cut -c1-240 | sed 's/^/   log: /' || true
  rm -f "$log"
  exit 0
fi
rm -f "$log"

existing=$(psql_ -Atc "SELECT (SELECT count(*) FROM card) + (SELECT count(*) FROM feedback)")
if [ "$existing" -gt 0 ]; then
  if $REPLACE; then
    echo "== emptying the ledger ($existing cards and feedback rows)"
    psql_ -c "TRUNCATE feedback_suggestion, feedback, card"
  else
    echo "the ledger already holds $existing cards and feedback rows: --replace empties it first" >&2; exit 1
  fi
fi

echo "== generating $CARDS cards and $FEEDBACK feedback rows over $DAYS days"
step=$(secs)
psql_ -v cards="$CARDS" -v feedback="$FEEDBACK" -v days="$DAYS" -v chunks="$CHUNKS" -f bench/ledger-generate.sql
echo "   generated in $(elapsed "$step") s"

# Migration 5 (when present): analytics read the card tally, which the service keeps as it writes; cards loaded
# straight into the table are tallied once by bench/ledger-tally.sql, before any service writes.
if [ "$(psql_ -Atc "SELECT to_regclass('card_tally') IS NOT NULL")" = t ]; then
  echo "== card tally (migration 5): bench/ledger-tally.sql"
  step=$(secs)
  psql_ -f bench/ledger-tally.sql
  echo "   $(psql_ -Atc "SELECT count(*) || ' tally rows for ' || coalesce(sum(cards), 0) || ' cards' FROM card_tally"), $(elapsed "$step") s"
fi

echo "== VACUUM ANALYZE"
step=$(secs)
psql_ -c "VACUUM ANALYZE card" -c "VACUUM ANALYZE feedback" -c "VACUUM ANALYZE feedback_suggestion"
echo "   $(elapsed "$step") s"

echo "== the ledger"
psql_ -P pager=off -c "
SELECT 'card' AS table_name, count(*) AS rows, pg_size_pretty(pg_total_relation_size('card')) AS size,
       min(issued_at)::timestamp(0)::text AS oldest, max(issued_at)::timestamp(0)::text AS newest FROM card
UNION ALL
SELECT 'feedback', count(*), pg_size_pretty(pg_total_relation_size('feedback')),
       min(received_at)::timestamp(0)::text, max(received_at)::timestamp(0)::text FROM feedback
UNION ALL
SELECT 'feedback_suggestion', count(*), pg_size_pretty(pg_total_relation_size('feedback_suggestion')), NULL, NULL
FROM feedback_suggestion"
psql_ -P pager=off -c "
SELECT outcome, known_card, count(*) AS rows, count(reason_code) AS with_reason FROM feedback GROUP BY 1, 2 ORDER BY 1, 2"
echo "   database size: $(psql_ -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")"
echo "== total $(elapsed "$total_start") s"
