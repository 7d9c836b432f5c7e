#!/usr/bin/env bash
# The soak: the service as operators run it (-Xmx256m, SerialGC, ExitOnOutOfMemoryError, AUTH_MODE=required) over a
# PostgreSQL 15 ledger of 1,000,000 generated cards, driven at a modest fixed rate for SOAK_MINUTES: the sample CDS
# Hooks calls with fresh tokens, feedback for a share of the cards answered, 90 days of analytics every 10 s. Samples
# heap after a full GC, RSS, readiness and the ledger metrics every minute; at the end compares the cards and feedback
# answered with the rows written, reads the service log, prints one summary (also target/soak-summary.txt) and exits
# 0 only if every check passes. Loopback only; everything it starts is stopped by PID, its temp dirs removed.
#
#   bench/soak.sh                         # 20 minutes
#   SOAK_MINUTES=2 bench/soak.sh          # a quick check
#   SOAK_RATE=60 SOAK_CLIENTS=8 SOAK_FEEDBACK_SHARE=0.3 bench/soak.sh    # the defaults
#
# Needs PostgreSQL 15 (initdb, pg_ctl, psql: apt-get install postgresql) and a JDK with jcmd. Takes about 4 minutes
# more than SOAK_MINUTES on two shared cores (build aside): start, 1M-card load, drain.
set -euo pipefail
cd "$(dirname "$0")/.."

export SOAK_MINUTES="${SOAK_MINUTES:-20}"
export SOAK_RATE="${SOAK_RATE:-60}"
export SOAK_CLIENTS="${SOAK_CLIENTS:-8}"
export SOAK_FEEDBACK_SHARE="${SOAK_FEEDBACK_SHARE:-0.3}"
export GENERATED_CARDS=1000000 GENERATED_FEEDBACK=200000

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
for tool in "$PG_BIN/initdb" "$PG_BIN/pg_ctl"; do
  [ -x "$tool" ] || { echo "PostgreSQL 15 not found ($tool): apt-get install postgresql, or set PG_BIN" >&2; exit 2; }
done
command -v psql >/dev/null && command -v jcmd >/dev/null || { echo "psql and jcmd are needed" >&2; exit 2; }

[ -f target/hypomag-cds.jar ] || mvn -q package -DskipTests

WORK="$(mktemp -d /tmp/hypomag-soak.XXXXXX)"
PG_DIR="$(mktemp -d /tmp/hypomag-soak-pg.XXXXXX)"
as_postgres=()
if [ "$(id -u)" = 0 ]; then   # PostgreSQL refuses to run as root
  chown postgres "$PG_DIR"
  as_postgres=(runuser -u postgres --)
fi
schema_pid=""
driver_pid=""
pg_started=""
cleanup() {
  set +e
  for pid in "$driver_pid" "$schema_pid" "$(cat "$WORK/service.pid" 2>/dev/null)"; do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || continue
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null
  done
  [ -n "$pg_started" ] && "${as_postgres[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
  rm -rf "$WORK" "$PG_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nothing listens on, from a bounded number of tries.
free_port() {
  for _ in $(seq 1 100); do
    local port=$(( 20000 + RANDOM % 40000 ))
    [ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ] && { echo "$port"; return 0; }
  done
  echo "no free port found" >&2; return 1
}

step() { echo "[$(date -u +%H:%M:%S)] $*"; }

# 1. PostgreSQL 15 on loopback, trust authentication for user app, in a temp dir.
PG_PORT="$(free_port)"
step "PostgreSQL on 127.0.0.1:$PG_PORT"
"${as_postgres[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U app --auth=trust -E UTF8 --no-sync >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; exit 2; }
"${as_postgres[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
pg_started=1
export DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" DB_USER=app
export PSQL="psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $PG_PORT -U app -d postgres"
mkdir -p "$WORK/data"
export SOAK_DATA_DIR="$WORK/data"

# 2. The schema: the jar started once on the database until it reports it up (migrated), then stopped by PID.
port="$(free_port)"
step "schema: the service once on port $port"
PORT="$port" DATA_DIR="$WORK/data" LEDGER_RETENTION_DAYS=400 SHUTDOWN_GRACE_SECONDS=0 \
  java -Xmx256m -XX:+UseSerialGC -jar target/hypomag-cds.jar >"$WORK/schema.log" 2>&1 &
schema_pid=$!
up=""
for _ in $(seq 1 240); do
  if curl -s --max-time 2 "http://127.0.0.1:$port/health/ready" | tr -d ' \n' | grep -q '"database":{"state":"up"'; then
    up=1; break
  fi
  kill -0 "$schema_pid" 2>/dev/null || break
  sleep 0.5
done
kill "$schema_pid"; wait "$schema_pid" 2>/dev/null || true; schema_pid=""
[ -n "$up" ] || { echo "the service did not report the database up; its log:" >&2; tail -20 "$WORK/schema.log" >&2; exit 2; }
[ "$($PSQL -Atc 'SELECT count(*) FROM card')" = 0 ] || { echo "the new ledger is not empty" >&2; exit 2; }

# 3. The generated ledger, tallied for analytics.
step "loading $GENERATED_CARDS cards and $GENERATED_FEEDBACK feedback rows"
$PSQL -v cards="$GENERATED_CARDS" -v feedback="$GENERATED_FEEDBACK" -f bench/soak-ledger.sql
$PSQL -f bench/ledger-tally.sql
$PSQL -c 'ANALYZE'
step "ledger: $($PSQL -Atc 'SELECT count(*) FROM card') cards, $($PSQL -Atc 'SELECT count(*) FROM feedback') feedback rows, $($PSQL -Atc 'SELECT sum(cards) FROM card_tally') in the tally"

# 4. The soak itself: SoakDriver starts the service (its PID in $WORK/service.pid for the trap), drives, sums up.
ADMIN_TOKEN="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ADMIN_TOKEN
export SERVICE_PID_FILE="$WORK/service.pid" SERVICE_LOG=target/soak-server.log
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp target/hypomag-cds.jar bench/LoadDriver.java bench/SoakDriver.java
step "soak: $SOAK_MINUTES min (service log: $SERVICE_LOG)"
java -Xmx128m -XX:+UseSerialGC -cp "$WORK/classes:target/hypomag-cds.jar" SoakDriver &
driver_pid=$!
rc=0
wait "$driver_pid" || rc=$?
driver_pid=""
exit "$rc"
