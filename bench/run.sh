#!/usr/bin/env bash
# The HTTP benchmark: builds the jar, starts hypomag-cds alone (ready time, first request against the hundredth),
# then the bare Javalin floor with the same JVM settings, drives both on loopback with wrk over the fhir-samples
# requests of all three hooks at several concurrency levels, and prints throughput, latency percentiles and our
# share of the floor. Everything stops by itself; nothing leaves loopback.
#
#   bench/run.sh                                  # defaults: 30-180 s warm-up each (until its JIT settles), 15 s per level, levels 1 8 32 64
#   DURATION=10 LEVELS="1 32" bench/run.sh
#   LEDGER_ENABLED=false bench/run.sh             # any of the service's settings passes through the environment
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-15}"
# Both JVMs compile their hot paths while wrk drives them; under 32 connections on two cores that takes tens of
# seconds, so the comparison starts only when both are warm: each is driven for at least WARMUP seconds, then in 10 s
# steps until its JIT compilers took under JIT_SETTLED percent of its CPU in the last step, or WARMUP_MAX is reached.
# With a fixed 30 s the service (which compiles H2's SQL engine for the card ledger too) was still compiling
# with 14 % of its CPU and its p99 varied by half. The cold start is measured on its own, below.
WARMUP="${WARMUP:-30}"
WARMUP_MAX="${WARMUP_MAX:-180}"
JIT_SETTLED="${JIT_SETTLED:-5}"
LEVELS="${LEVELS:-1 8 32 64}"
JAVA_OPTS="${JAVA_OPTS:--Xmx256m -XX:+UseParallelGC}"
APP_PORT="${APP_PORT:-18080}"
FLOOR_PORT="${FLOOR_PORT:-18081}"
FIRST_SAMPLE="fhir-samples/requests/ppi-low-mg.patient-view.json"

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }

mvn -q -B -ntp package -DskipTests
mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
CLASSPATH_TEST="target/test-classes:target/classes:$(cat target/bench.classpath)"

DATA="$(mktemp -d)"   # a fresh card ledger each run: a ledger grown by earlier runs would skew the numbers
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 1000); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.01
  done
  echo "not ready: $1" >&2; exit 1
}

# hypomag-cds alone on the machine: how soon it serves, and whether its first request is as fast as the hundredth.
start_ms=$(date +%s%3N)
# As the README runs it: with the class-data archive the build makes (only start-up depends on it).
DATA_DIR="$DATA" PORT="$APP_PORT" java $JAVA_OPTS -XX:SharedArchiveFile=target/hypomag-cds.jsa -jar target/hypomag-cds.jar \
  >target/bench-app.log 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_ready "http://127.0.0.1:$APP_PORT/health/ready"
ready_ms=$(( $(date +%s%3N) - start_ms ))
sequence=()
for i in $(seq 1 100); do
  [ "$i" -gt 1 ] && sequence+=(--next)
  sequence+=(-s -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' -H 'Expect:' --data "@$FIRST_SAMPLE"
             "http://127.0.0.1:$APP_PORT/cds-services/hypomagnesemia-patient-view")
done
# One curl process, one connection, 100 requests: #1 also pays for the new connection and for waking an idle server.
sequence_times() { # file
  curl "${sequence[@]}" >"$1"
  local tail_median
  tail_median=$(sed -n '91,100p' "$1" | sort -n | sed -n '5,6p' | awk '{ s += $1 } END { printf "%.2f", s * 500 }')
  awk -v m="$tail_median" '{ t[NR] = $1 * 1000 } END {
    printf "#1 %.2f ms, #2 %.2f ms, #10 %.2f ms, #100 %.2f ms (median of #91-#100 %s ms)", t[1], t[2], t[10], t[100], m }' "$1"
}
first=$(sequence_times "$DATA/sequence.txt")

java $JAVA_OPTS -cp "$CLASSPATH_TEST" io.hypomag.cds.bench.FloorServer "$FLOOR_PORT" >target/bench-floor.log 2>&1 &
floor_pid=$!
pids+=("$floor_pid")
for _ in $(seq 1 1000); do curl -s -o /dev/null "http://127.0.0.1:$FLOOR_PORT/" && break; sleep 0.01; done

export BENCH_REQUESTS
BENCH_REQUESTS="$(ls fhir-samples/requests/*.json | tr '\n' ' ')"

run() { # url connections seconds
  wrk -t "$(( $2 < 2 ? 1 : 2 ))" -c "$2" -d "${3}s" --timeout 5s -s bench/requests.lua "$1" | grep '^RESULT'
}
rss() { awk '/VmRSS/ { printf "%.0f MB", $2 / 1024 }' "/proc/$1/status"; }
# CPU clock ticks of a JVM's JIT compiler threads and of the whole process: "jit all". A thread's name may hold a
# space ("C2 CompilerThre"), so its stat line is read after the closing parenthesis.
cpu_ticks() { # pid
  local jit=0 task
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1\ CompilerThre*|C2\ CompilerThre*) jit=$(( jit + $(sed 's/.*) //' "$task/stat" | awk '{ print $12 + $13 }') )) ;;
    esac
  done
  echo "$jit $(sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }')"
}
warm_up() { # url pid -> "seconds jit%" (the JIT's share of the process's CPU in the last step)
  local spent=0 step before after jit all
  while :; do
    step=$(( spent < WARMUP ? WARMUP - spent : 10 ))
    before=$(cpu_ticks "$2")
    run "$1" 32 "$step" >/dev/null
    after=$(cpu_ticks "$2")
    spent=$(( spent + step ))
    jit=$(( ${after% *} - ${before% *} )); all=$(( ${after#* } - ${before#* } ))
    if [ $(( jit * 100 )) -lt $(( all * JIT_SETTLED )) ] || [ "$spent" -ge "$WARMUP_MAX" ]; then
      break
    fi
  done
  # The last step's share, over whatever length it had.
  echo "$spent $(( all > 0 ? jit * 100 / all : 0 ))"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); JVM: $JAVA_OPTS; $(echo $BENCH_REQUESTS | wc -w) request files; ${DURATION}s per level"
echo "hypomag-cds: card ledger $(grep -o 'card ledger [a-z0-9]*' target/bench-app.log | cut -d' ' -f3 || echo '?'); ready ${ready_ms} ms after java -XX:SharedArchiveFile=target/hypomag-cds.jsa -jar (alone)"
echo "hypomag-cds cold, one connection, $(basename "$FIRST_SAMPLE"): $first"
app_warm=$(warm_up "http://127.0.0.1:$APP_PORT" "$app_pid")
floor_warm=$(warm_up "http://127.0.0.1:$FLOOR_PORT" "$floor_pid")
echo "warm-up at 32 connections, until the JIT took under ${JIT_SETTLED}% of the CPU in 10 s (at least ${WARMUP}s, at most ${WARMUP_MAX}s):" \
  "hypomag-cds ${app_warm% *}s (JIT ${app_warm#* }% in the last step), floor ${floor_warm% *}s (JIT ${floor_warm#* }%)"

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
echo
# The same sequence on the service now fully warm, after two seconds idle: what #1 costs with nothing cold left.
sleep 2
echo "hypomag-cds warm (after the load), the same sequence: $(sequence_times "$DATA/sequence-warm.txt")"
echo "after the run: hypomag-cds RSS $(rss "$app_pid"), floor RSS $(rss "$floor_pid"); hypomag-cds log: $(grep -c ' ERROR ' target/bench-app.log || true) ERROR lines, $(grep -c 'OutOfMemoryError' target/bench-app.log || true) OutOfMemoryError"
