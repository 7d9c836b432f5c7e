#!/usr/bin/env bash
# The fetch benchmark (issue 7: without prefetch, a request costs at most 1.3x its slowest single FHIR query).
# Starts the embedded HAPI FHIR JPA server (all fhir-samples patients) and hypomag-cds in one JVM on 127.0.0.1; for
# several sample requests of all three hooks it times each prefetch query alone against HAPI with the service's
# FHIR client, the whole CDS Hooks call without prefetch (the service fetches everything), and the call with full
# prefetch for reference. Prints per sample the slowest single query, the call's median and p90 and their ratio,
# the worst ratio, and where the time goes (the queries side by side without the service, the resolver's
# timeline, CPU by thread group). Stops by itself; every request goes to 127.0.0.1.
#
#   bench/fetch.sh                      # at least 30 warm-up rounds (more while the JIT is busy), 50 timed rounds
#   WARMUP=10 ROUNDS=20 bench/fetch.sh
#   HAPI_DELAY_MS=20 bench/fetch.sh     # HAPI answers every request 20 ms late, as a server across a network would
set -euo pipefail
cd "$(dirname "$0")/.."

WARMUP="${WARMUP:-30}"
ROUNDS="${ROUNDS:-50}"
HAPI_DELAY_MS="${HAPI_DELAY_MS:-0}"
JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"

mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
# Log lines would bury the table: warnings only (the test classpath's logback-test.xml; Jetty and HAPI are at WARN
# in any case).
# shellcheck disable=SC2086
exec java $JAVA_OPTS -Dwarmup="$WARMUP" -Drounds="$ROUNDS" -Dhapi.delayMs="$HAPI_DELAY_MS" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.hypomag.cds.bench.FetchBenchmark
