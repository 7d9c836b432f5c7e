#!/usr/bin/env bash
# The in-process benchmark (JMH): one request's parse → map → assess → cards → JSON per sample, without HTTP.
#   bench/jmh.sh                 # all samples
#   bench/jmh.sh -p sample=everything.patient-view -wi 2 -i 3
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" org.openjdk.jmh.Main PipelineBenchmark "$@"
