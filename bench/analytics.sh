#!/usr/bin/env bash
# Measures /admin/analytics and the retention purge against a large PostgreSQL ledger (issue 14 item 4, issue 18).
# Load the ledger first with bench/ledger-generate.sh (5,000,000 cards over 365 days by default).
#
#   bench/analytics.sh                            # PostgreSQL from bench/ledger-pg.sh (/tmp/hypomag-ledger-pg), target/hypomag-cds.jar
#   JAR=/tmp/hypomag-before.jar LABEL="before (090a5ad)" bench/analytics.sh
#   DB_URL=jdbc:postgresql://127.0.0.1:5432/ledger DB_USER=app bench/analytics.sh   # a server already running
#
# 1. Analytics: the service (JAVA_OPTS, default -Xmx256m -XX:+UseSerialGC) against the ledger with ADMIN_TOKEN and
#    LEDGER_RETENTION_DAYS=400, so its start-up purge deletes nothing; GET /admin/analytics for the last 7, 30, 90 and
#    365 days, each twice; per request: status, seconds, response size, cards counted, the process RSS after, and
#    whether the service log gained an OutOfMemoryError.
# 2. Purge: the service again with LEDGER_RETENTION_DAYS=180 (the ledger writer purges at its first idle tick after
#    start) while a sample CDS call is posted every 100 ms; prints when the "Ledger purge" line appeared, how many new
#    cards had reached the table by then, and (with track_commit_timestamp, which bench/ledger-pg.sh turns on) each
#    new card's delay from its answer to its commit. The purge deletes half the ledger, so with the PostgreSQL of
#    bench/ledger-pg.sh it runs on a copy of the data directory (PG_DIR-purge, removed afterwards) and the loaded ledger
#    stays as it was; against a DB_URL of your own it runs only with PURGE_IN_PLACE=1.
#
# Settings (environment): JAR [target/hypomag-cds.jar], LABEL, PG_DIR [/tmp/hypomag-ledger-pg], PG_PORT [55432],
# PURGE_PG_PORT [55433], PORT [18482], TIMEOUT [300 s per analytics request], PURGE_MAX [600 s], SKIP_PURGE=1,
# SKIP_ANALYTICS=1, FRESH_JVM=1 (a new service process for each range, so one range's OutOfMemoryError does not
# spoil the next). Everything runs on loopback and is stopped by its PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR="${JAR:-target/hypomag-cds.jar}"
LABEL="${LABEL:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}"
JAVA_OPTS="${JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}"
PG_DIR="${PG_DIR:-/tmp/hypomag-ledger-pg}"
PG_PORT="${PG_PORT:-55432}"
PURGE_PG_PORT="${PURGE_PG_PORT:-55433}"
PORT="${PORT:-18482}"
TIMEOUT="${TIMEOUT:-300}"
PURGE_MAX="${PURGE_MAX:-600}"
DB_USER="${DB_USER:-app}"
export PGPASSWORD="${DB_PASSWORD:-}"
[ -f "$JAR" ] || { echo "no $JAR: mvn -q -o package -DskipTests" >&2; exit 2; }

RUN="$(mktemp -d /tmp/analytics-bench.XXXXXX)"
ADMIN_TOKEN="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
service_pid=""
started_pg=""      # data directories whose server this script started
purge_copy=""

stop_service() {
  if [ -n "$service_pid" ]; then
    kill "$service_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
    service_pid=""
  fi
}
cleanup() {
  stop_service
  for dir in $started_pg; do bench/ledger-pg.sh stop "$dir" 2>/dev/null || true; done
  if [ -n "$purge_copy" ] && [ -d "$purge_copy" ]; then rm -rf "$purge_copy"; fi
}
trap cleanup EXIT

# psql against a jdbc:postgresql://host:port/db URL
psql_url() {
  local url="$1"; shift
  [[ "$url" =~ ^jdbc:postgresql://([^/:?]+)(:([0-9]+))?/([^?]+) ]] || { echo "not a PostgreSQL JDBC URL: $url" >&2; exit 2; }
  psql -X -q -h "${BASH_REMATCH[1]}" -p "${BASH_REMATCH[3]:-5432}" -U "$DB_USER" -d "${BASH_REMATCH[4]}" -v ON_ERROR_STOP=1 "$@"
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
rss_mb() { ps -o rss= -p "$1" 2>/dev/null | awk '{ printf "%d", $1 / 1024 }'; }
ooms() { grep -c 'OutOfMemoryError' "$1" 2>/dev/null || true; }

own_pg=false
if [ -z "${DB_URL:-}" ]; then
  running_before=$(bench/ledger-pg.sh status "$PG_DIR" >/dev/null 2>&1 && echo yes || echo no)
  DB_URL=$(bench/ledger-pg.sh start "$PG_DIR" "$PG_PORT")
  [ "$running_before" = no ] && started_pg="$PG_DIR"
  own_pg=true
fi

# start_service LOG RETENTION_DAYS DB_URL: starts the jar, waits (bounded) until /health/ready shows the database up
start_service() {
  local log="$1" retention="$2" url="$3"
  DB_URL="$url" DB_USER="$DB_USER" DB_PASSWORD="${DB_PASSWORD:-}" PORT="$PORT" ADMIN_TOKEN="$ADMIN_TOKEN" \
    LEDGER_RETENTION_DAYS="$retention" java $JAVA_OPTS -jar "$JAR" >>"$log" 2>&1 &
  service_pid=$!
  service_start=$(now)
}
wait_database_up() {
  for _ in $(seq 1 900); do   # at most about 180 s
    if curl -s --max-time 2 "http://127.0.0.1:$PORT/health/ready" 2>/dev/null | grep -q '"database":{"state":"up"'; then
      return 0
    fi
    kill -0 "$service_pid" 2>/dev/null || { echo "the service exited; its log:" >&2; tail -20 "$1" >&2; exit 1; }
    sleep 0.2
  done
  echo "the database never showed up in /health/ready; the log:" >&2; tail -20 "$1" >&2; exit 1
}

echo "# bench/analytics.sh — $LABEL — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "jar: $JAR ($(sha256sum "$JAR" | cut -c1-12)), JAVA_OPTS: $JAVA_OPTS, database: $DB_URL, run directory: $RUN"
psql_url "$DB_URL" -P pager=off -F ' ' -Atc "
SELECT 'ledger: ' || (SELECT count(*) FROM card) || ' cards (' || coalesce((SELECT min(issued_at)::date::text FROM card), '-')
    || ' to ' || coalesce((SELECT max(issued_at)::date::text FROM card), '-') || '), '
    || (SELECT count(*) FROM feedback) || ' feedback rows, migrations '
    || (SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history)
    || ', database ' || pg_size_pretty(pg_database_size(current_database()))"

if [ "${SKIP_ANALYTICS:-0}" != 1 ]; then
  log="$RUN/analytics-service.log"
  analytics_service() {
    start_service "$log" 400 "$DB_URL"
    wait_database_up "$log"
    echo "service up (database up in /health/ready) after $(since "$service_start") s, RSS $(rss_mb "$service_pid") MB"
  }
  analytics_service
  [ "${FRESH_JVM:-0}" = 1 ] && echo "FRESH_JVM=1: a new service process for each range (logs appended to one file)"
  echo
  echo "| range | run | status | seconds | bytes | cards counted | RSS after (MB) | OutOfMemoryError in log |"
  echo "|---|---|---|---|---|---|---|---|"
  today=$(date -u +%F)
  analytics_started=$(now)
  for days in 7 30 90 365; do
    from=$(date -u -d "$today - $((days - 1)) days" +%F)
    if [ "${FRESH_JVM:-0}" = 1 ] && [ "$days" != 7 ]; then
      stop_service; analytics_service >/dev/null
    fi
    for run in 1 2; do
      if ! kill -0 "$service_pid" 2>/dev/null; then
        echo "| $days days | $run | service exited | | | | | $(ooms "$log") |"; continue
      fi
      before=$(ooms "$log")
      body="$RUN/analytics-$days-$run.json"
      result=$(curl -s -o "$body" --max-time "$TIMEOUT" -H "Authorization: Bearer $ADMIN_TOKEN" \
        -w '%{http_code} %{time_total} %{size_download}' \
        "http://127.0.0.1:$PORT/admin/analytics?from=$from&to=$today" || true)
      read -r status seconds bytes <<<"$result"
      [ "$status" = 000 ] && status="000 (no answer within ${TIMEOUT} s)"
      cards=$(grep -o '"total":{"key":"[^"]*","issued":[0-9]*' "$body" 2>/dev/null | grep -o '[0-9]*$' || true)
      after=$(ooms "$log")
      oom="no"; [ "$after" -gt "$before" ] && oom="yes ($((after - before)))"
      echo "| $days days ($from to $today) | $run | $status | $seconds | $bytes | ${cards:--} | $(rss_mb "$service_pid") | $oom |"
    done
  done
  echo
  echo "service log: $(ooms "$log") lines with OutOfMemoryError; process RSS at the end $(rss_mb "$service_pid") MB"
  grep -m3 'OutOfMemoryError' "$log" | cut -c1-200 | sed 's/^/    /' || true
  # Is the ledger still writing cards after all this? One sample call, then up to 10 s for its card to reach the table.
  if kill -0 "$service_pid" 2>/dev/null; then
    mark=$(psql_url "$DB_URL" -Atc "SELECT now()")
    code=$(curl -s -o /dev/null --max-time 10 -w '%{http_code}' -H 'Content-Type: application/json' \
      --data-binary @fhir-samples/requests/ppi-low-mg.patient-view.json \
      "http://127.0.0.1:$PORT/cds-services/hypomagnesemia-patient-view" || true)
    step=$(now); written=""
    for _ in $(seq 1 50); do
      n=$(psql_url "$DB_URL" -Atc "SELECT count(*) FROM card WHERE issued_at >= '$mark'")
      [ "$n" -gt 0 ] && { written=$(since "$step"); break; }
      sleep 0.2
    done
    echo "after the analytics, one card call answered $code; its card $([ -n "$written" ] && echo "was in the table within $written s" || echo "was NOT in the table 10 s later (ledger writer stopped?)")"
    curl -s --max-time 5 "http://127.0.0.1:$PORT/health/ready" | cut -c1-400 | sed 's/^/health: /' || true
    echo
  fi
  if $own_pg && [ -f "$PG_DIR/log" ]; then
    echo "PostgreSQL statements over 1 s during the analytics (its log):"
    awk -v since="$(date -u -d @"${analytics_started%.*}" '+%Y-%m-%d %H:%M:%S')" 'substr($0, 1, 19) >= since && /duration:/' "$PG_DIR/log" \
      | sed -E 's/^([0-9-]+ [0-9:.]+) [A-Z]+ \[[0-9]+\] LOG: +/\1 /' | cut -c1-200 | sed 's/^/    /' | head -20 || true
    echo
  fi
  stop_service
fi

if [ "${SKIP_PURGE:-0}" = 1 ]; then exit 0; fi
purge_url="$DB_URL"
if $own_pg; then
  echo
  echo "purge runs on a copy of $PG_DIR (the loaded ledger stays as it is)"
  step=$(now)
  bench/ledger-pg.sh stop "$PG_DIR"
  started_pg="${started_pg/$PG_DIR/}"
  purge_copy="$PG_DIR-purge"
  rm -rf "$purge_copy"
  cp -a "$PG_DIR" "$purge_copy"
  rm -f "$purge_copy/log"
  # a server that was running before this script runs again afterwards, as it was
  [ "$running_before" = yes ] && bench/ledger-pg.sh start "$PG_DIR" "$PG_PORT" >/dev/null
  purge_url=$(bench/ledger-pg.sh start "$purge_copy" "$PURGE_PG_PORT")
  started_pg="$started_pg $purge_copy"
  echo "copied and started in $(since "$step") s: $purge_url"
elif [ "${PURGE_IN_PLACE:-0}" != 1 ]; then
  echo "purge skipped: it would delete half of the ledger at $DB_URL (PURGE_IN_PLACE=1 runs it there)"
  exit 0
fi

cutoff_sql="now() - interval '180 days'"
read -r cards_before old_cards feedback_before old_feedback <<<"$(psql_url "$purge_url" -F ' ' -Atc "
SELECT (SELECT count(*) FROM card), (SELECT count(*) FROM card WHERE issued_at < $cutoff_sql),
       (SELECT count(*) FROM feedback), (SELECT count(*) FROM feedback WHERE received_at < $cutoff_sql)")"
commit_ts=$(psql_url "$purge_url" -Atc "SHOW track_commit_timestamp")
echo "before the purge: $cards_before cards ($old_cards older than 180 days), $feedback_before feedback rows ($old_feedback older)"

samples=(fhir-samples/requests/*.json)
service_for() {
  case "$(basename "$1" .json)" in
    *.patient-view) echo hypomagnesemia-patient-view ;;
    *.order-select*) echo hypomagnesemia-order-select ;;
    *.order-sign) echo hypomagnesemia-order-sign ;;
  esac
}
log="$RUN/purge-service.log"
start_service "$log" 180 "$purge_url"
start_iso=$(psql_url "$purge_url" -Atc "SELECT now()")   # the database's clock for "new cards"
echo
echo "service started with LEDGER_RETENTION_DAYS=180 at $start_iso; a sample call every 100 ms"
echo
echo "| seconds since start | calls answered 200 (other) | new cards in the table | purge logged |"
echo "|---|---|---|---|"
ok=0; other=0; i=0; purge_at=""; purge_line=""; cards_at_purge=""; last_report=-1; ready_at=""
deadline=$(awk -v s="$(now)" -v m="$PURGE_MAX" 'BEGIN { printf "%d", s + m }')
while [ "$(date +%s)" -lt "$deadline" ]; do
  f="${samples[$((i % ${#samples[@]}))]}"
  i=$((i + 1))
  read -r code took <<<"$(curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total}' -H 'Content-Type: application/json' \
    --data-binary "@$f" "http://127.0.0.1:$PORT/cds-services/$(service_for "$f")" || true)"
  if [ "$code" = 200 ]; then
    ok=$((ok + 1)); echo "$took" >>"$RUN/call-seconds"; [ -z "$ready_at" ] && ready_at=$(since "$service_start")
  elif [ "$code" != 000 ]; then other=$((other + 1)); fi
  if [ -z "$purge_at" ] && grep -q 'Ledger purge:' "$log"; then
    purge_at=$(since "$service_start")
    purge_line=$(grep -m1 'Ledger purge:' "$log")
    cards_at_purge=$(psql_url "$purge_url" -Atc "SELECT count(*) FROM card WHERE issued_at >= '$start_iso'")
    purge_done_epoch=$(now)
  fi
  elapsed_s=$(since "$service_start"); whole=${elapsed_s%.*}
  if [ $((whole / 5)) -gt "$last_report" ]; then   # a row every 5 s
    last_report=$((whole / 5))
    new_cards=$(psql_url "$purge_url" -Atc "SELECT count(*) FROM card WHERE issued_at >= '$start_iso'" 2>/dev/null || echo "?")
    echo "| $elapsed_s | $ok ($other) | $new_cards | ${purge_at:+yes, at $purge_at s} |"
  fi
  # after the purge: 15 s more and at least 50 calls answered, to see the writer catch up
  if [ -n "$purge_at" ] && [ "$ok" -ge 50 ] && awk -v a="$purge_done_epoch" -v b="$(now)" 'BEGIN { exit !(b - a > 15) }'; then
    break
  fi
  if ! kill -0 "$service_pid" 2>/dev/null; then echo "the service exited" >&2; break; fi
  sleep 0.1
done
new_cards=$(psql_url "$purge_url" -Atc "SELECT count(*) FROM card WHERE issued_at >= '$start_iso'")
echo
echo "first 200 $([ -n "$ready_at" ] && echo "$ready_at s after the start" || echo never); $i calls posted in $(since "$service_start") s, $ok answered 200, $other otherwise"
if [ -s "$RUN/call-seconds" ]; then
  sort -n "$RUN/call-seconds" | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); p = int(NR * 0.99 + 0.5); if (p < 1) p = 1
    printf "call answer time (curl time_total, the 200s): median %.3f s, p99 %.3f s, max %.3f s\n", v[m], v[p], v[NR] }'
fi
if [ -n "$purge_at" ]; then
  echo "purge logged $purge_at s after the start: ${purge_line#*Ledger purge: }"
  echo "new cards in the table when the purge line appeared: $cards_at_purge; at the end: $new_cards"
else
  echo "no purge line within ${PURGE_MAX} s; new cards in the table: $new_cards"
fi
read -r cards_after feedback_after <<<"$(psql_url "$purge_url" -F ' ' -Atc "SELECT (SELECT count(*) FROM card), (SELECT count(*) FROM feedback)")"
echo "after: $cards_after cards, $feedback_after feedback rows"
curl -s --max-time 5 "http://127.0.0.1:$PORT/health/ready" | grep -o '"ledgerQueue":{[^}]*}}' | sed 's/^/health: /' || true
if [ "$commit_ts" = on ]; then
  echo
  echo "new cards, from the answer (issued_at) to the commit of their row (track_commit_timestamp):"
  psql_url "$purge_url" -P pager=off -c "
SELECT count(*) AS cards,
       round(min(d)::numeric, 3) AS min_s, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::numeric, 3) AS median_s,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY d)::numeric, 3) AS p99_s, round(max(d)::numeric, 3) AS max_s
FROM (SELECT extract(epoch FROM pg_xact_commit_timestamp(xmin) - issued_at) AS d
      FROM card WHERE issued_at >= '$start_iso') x"
fi
echo "service RSS at the end $(rss_mb "$service_pid") MB; OutOfMemoryError lines in its log: $(ooms "$log")"
if $own_pg && [ -f "$purge_copy/log" ]; then
  echo "PostgreSQL statements over 1 s during the purge (its log):"
  grep 'duration:' "$purge_copy/log" | sed -E 's/^([0-9-]+ [0-9:.]+) [A-Z]+ \[[0-9]+\] LOG: +/\1 /' | cut -c1-200 | sed 's/^/    /' | head -20 || true
fi
grep -E 'WARN|ERROR' "$log" | grep -v 'AUTH_MODE\|FHIR_SERVER_ALLOWLIST' | head -5 | cut -c1-240 | sed 's/^/log: /' || true
