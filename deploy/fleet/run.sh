#!/usr/bin/env bash
# The fleet test: two hypomag-cds instances on one PostgreSQL ledger behind HAProxy, on 127.0.0.1 only, driven for
# about a minute while instance A is restarted with SIGTERM (a rolling restart) and instance B is killed with
# SIGKILL. Prints one summary block; exits 0 only when every target passes (see deploy/fleet/README.md).
#
#   deploy/fleet/run.sh
#   FLEET_CONCURRENCY=16 FLEET_STEADY_SECONDS=10 FLEET_TAIL_SECONDS=10 deploy/fleet/run.sh
#   FLEET_RETRY_ON=conn-failure deploy/fleet/run.sh   # HAProxy retries only refused connections: the instances alone
#   FLEET_JAR=/path/to/other/hypomag-cds.jar deploy/fleet/run.sh   # another build of the service, to compare
#   FLEET_KEEP=1 deploy/fleet/run.sh        # keep the work directory (instance, HAProxy and PostgreSQL logs)
#
# Needs Java 17 and Maven (the jar is built when missing); installs haproxy and postgresql with apt-get when absent.
# Everything it starts is stopped by PID when it exits, however it exits.
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { echo "fleet: $*" >&2; }

# ---- what it needs ----
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if ! command -v haproxy >/dev/null || [ -z "$(pg_bin)" ] || ! command -v psql >/dev/null; then
  log "installing haproxy and postgresql"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy postgresql >/dev/null
fi
PG_BIN="$(pg_bin)"
[ -x "$PG_BIN/initdb" ] || { log "initdb not found under /usr/lib/postgresql"; exit 2; }
if [ -n "${FLEET_JAR:-}" ]; then
  [ -f "$FLEET_JAR" ] || { log "FLEET_JAR: no such file: $FLEET_JAR"; exit 2; }
elif [ ! -f target/hypomag-cds.jar ]; then
  log "building target/hypomag-cds.jar"
  mvn -q -B -ntp package -DskipTests
fi

# ---- a work directory, and cleanup of everything started ----
WORK="$(mktemp -d -t hypomag-fleet.XXXXXX)"
PG_DIR="$(mktemp -d -t hypomag-fleet-pg.XXXXXX)"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  as_pg=(runuser -u postgres --) # PostgreSQL refuses to run as root
  chown postgres "$PG_DIR"
fi
: >"$WORK/pids"
driver_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # The driver stops its own children; whatever is left (the driver killed hard) is stopped here, by the PIDs it
  # recorded, and only while that PID is still one of ours (the command line is checked).
  if [ -n "$driver_pid" ] && kill -0 "$driver_pid" 2>/dev/null; then
    kill "$driver_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$driver_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  while read -r pid; do
    [ -n "$pid" ] || continue
    if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qE 'hypomag-cds\.jar|haproxy -db'; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done <"$WORK/pids"
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  if [ "${FLEET_KEEP:-0}" = 1 ]; then
    cp "$PG_DIR/log" "$WORK/postgresql.log" 2>/dev/null || true
    log "kept $WORK (logs of A, B, HAProxy and PostgreSQL)"
  else
    rm -rf "$WORK"
  fi
  rm -rf "$PG_DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free TCP port on 127.0.0.1, not one handed out earlier in this run (bounded: 200 tries). Taken below the
# kernel's ephemeral range: a port from that range can be handed to some outgoing connection (JDBC, the instances'
# warm-up listener) between this check and the moment HAProxy or an instance binds it.
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
[ "$ephemeral_low" -gt 12000 ] || ephemeral_low=60000
used_ports=" "
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( 10000 + RANDOM % (ephemeral_low - 10000) ))
    case "$used_ports" in *" $port "*) continue ;; esac
    if [ -z "$(ss -Htan "sport = :$port" 2>/dev/null)" ]; then
      used_ports="$used_ports$port "
      echo "$port"
      return 0
    fi
  done
  log "no free port found"; return 1
}
PG_PORT=$(free_port); FRONT_PORT=$(free_port); A_PORT=$(free_port); B_PORT=$(free_port); STATS_PORT=$(free_port)

# ---- PostgreSQL on loopback, trust authentication, a database for the ledger ----
"${as_pg[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U app --auth=trust -E UTF8 --no-sync >"$PG_DIR/initdb.out" 2>&1 \
  || { cat "$PG_DIR/initdb.out" >&2; exit 2; }
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=50" start >/dev/null \
  || { cat "$PG_DIR/log" >&2; exit 2; }
psql -h 127.0.0.1 -p "$PG_PORT" -U app -d postgres -qAtX -c 'CREATE DATABASE hypomag' >/dev/null

# ---- HAProxy's configuration, from the template ----
RETRY_ON="${FLEET_RETRY_ON:-conn-failure empty-response}"
case "$RETRY_ON" in *[!a-z0-9\ -]*|"") log "FLEET_RETRY_ON: HAProxy retry-on keywords only"; exit 2 ;; esac
sed -e "s/@RETRY_ON@/$RETRY_ON/" -e "s/@FRONT_PORT@/$FRONT_PORT/" -e "s/@A_PORT@/$A_PORT/" -e "s/@B_PORT@/$B_PORT/" -e "s/@STATS_PORT@/$STATS_PORT/" \
  deploy/fleet/haproxy.cfg.template >"$WORK/haproxy.cfg"
haproxy -c -q -f "$WORK/haproxy.cfg"

# The admin token both instances share (never printed).
ADMIN_TOKEN="fleet-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export ADMIN_TOKEN

export FLEET_WORK="$WORK" FLEET_PG_PORT="$PG_PORT" FLEET_DB=hypomag FLEET_FRONT_PORT="$FRONT_PORT" \
  FLEET_A_PORT="$A_PORT" FLEET_B_PORT="$B_PORT" FLEET_STATS_PORT="$STATS_PORT" FLEET_HAPROXY_CFG="$WORK/haproxy.cfg" \
  FLEET_RETRY_ON="$RETRY_ON" \
  FLEET_LABEL="$(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo '+changes')"
log "PostgreSQL :$PG_PORT, HAProxy :$FRONT_PORT (stats :$STATS_PORT), A :$A_PORT, B :$B_PORT; about 90 s"
set +e
java deploy/fleet/FleetDriver.java &
driver_pid=$!
wait "$driver_pid"
status=$?
driver_pid=""
set -e
exit "$status"
