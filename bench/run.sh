#!/usr/bin/env bash
# The HTTP benchmark: builds the jar, starts hypomag-cds and the bare Javalin floor (same JVM settings) on loopback,
# drives both with wrk over the fhir-samples requests of all three hooks at several concurrency levels, and prints
# throughput, latency percentiles and our share of the floor. Everything stops by itself; nothing leaves loopback.
#
#   bench/run.sh                 # defaults: 15 s per level after a 5 s warm-up, levels 1 8 32 64
#   DURATION=30 LEVELS="1 32" bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-5}"
LEVELS="${LEVELS:-1 8 32 64}"
JAVA_OPTS="${JAVA_OPTS:--Xmx256m -XX:+UseParallelGC}"
APP_PORT="${APP_PORT:-18080}"
FLOOR_PORT="${FLOOR_PORT:-18081}"

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }

mvn -q -B -ntp package -DskipTests
mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
CLASSPATH_TEST="target/test-classes:target/classes:$(cat target/bench.classpath)"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

start_ms=$(date +%s%3N)
PORT="$APP_PORT" java $JAVA_OPTS -jar target/hypomag-cds.jar >target/bench-app.log 2>&1 &
pids+=($!)
java $JAVA_OPTS -cp "$CLASSPATH_TEST" io.hypomag.cds.bench.FloorServer "$FLOOR_PORT" >target/bench-floor.log 2>&1 &
pids+=($!)

wait_ready() {
  for _ in $(seq 1 200); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.05
  done
  echo "not ready: $1" >&2; exit 1
}
wait_ready "http://127.0.0.1:$APP_PORT/health/ready"
ready_ms=$(( $(date +%s%3N) - start_ms ))
for _ in $(seq 1 200); do curl -s -o /dev/null "http://127.0.0.1:$FLOOR_PORT/" && break; sleep 0.05; done

export BENCH_REQUESTS
BENCH_REQUESTS="$(ls fhir-samples/requests/*.json | tr '\n' ' ')"

first_ms=$(curl -s -o /dev/null -w '%{time_total}' -X POST -H 'Content-Type: application/json' \
  --data @fhir-samples/requests/ppi-low-mg.patient-view.json \
  "http://127.0.0.1:$APP_PORT/cds-services/hypomagnesemia-patient-view")

run() { # url connections seconds
  wrk -t "$(( $2 < 2 ? 1 : 2 ))" -c "$2" -d "${3}s" --timeout 5s -s bench/requests.lua "$1" | grep '^RESULT'
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); JVM: $JAVA_OPTS; $(echo $BENCH_REQUESTS | wc -w) request files; ${DURATION}s per level"
echo "hypomag-cds ready ${ready_ms} ms after java -jar; first request ${first_ms} s"
run "http://127.0.0.1:$APP_PORT" 8 "$WARMUP" >/dev/null
run "http://127.0.0.1:$FLOOR_PORT" 8 "$WARMUP" >/dev/null

printf '\n%-6s %-12s %10s %8s %8s %8s %8s %7s\n' conns server req/s p50_ms p90_ms p99_ms max_ms errors
for c in $LEVELS; do
  app=$(run "http://127.0.0.1:$APP_PORT" "$c" "$DURATION")
  floor=$(run "http://127.0.0.1:$FLOOR_PORT" "$c" "$DURATION")
  for pair in "hypomag:$app" "floor:$floor"; do
    name="${pair%%:*}"; line="${pair#*:}"
    get() { echo "$line" | sed -E "s/.*$1=([0-9.]+).*/\1/"; }
    printf '%-6s %-12s %10s %8s %8s %8s %8s %7s\n' "$c" "$name" "$(get rps)" "$(get p50)" "$(get p90)" "$(get p99)" "$(get max)" "$(get errors)"
  done
  a_rps=$(echo "$app" | sed -E 's/.*rps=([0-9.]+).*/\1/'); f_rps=$(echo "$floor" | sed -E 's/.*rps=([0-9.]+).*/\1/')
  a_p99=$(echo "$app" | sed -E 's/.*p99=([0-9.]+).*/\1/'); f_p99=$(echo "$floor" | sed -E 's/.*p99=([0-9.]+).*/\1/')
  a_p50=$(echo "$app" | sed -E 's/.*p50=([0-9.]+).*/\1/'); f_p50=$(echo "$floor" | sed -E 's/.*p50=([0-9.]+).*/\1/')
  awk -v c="$c" -v ar="$a_rps" -v fr="$f_rps" -v a99="$a_p99" -v f99="$f_p99" -v a50="$a_p50" -v f50="$f_p50" 'BEGIN {
    printf "%-6s ratio        throughput %.0f%% of floor; p99 %.2fx floor; p50 %.2fx floor\n", c, 100*ar/fr, a99/f99, a50/f50 }'
done
