#!/bin/sh
# Bounded load test against the real jar, on loopback, about 90 s in all (25 s warm-up, 60 s measured).
# Not part of `mvn verify`. Usage: bench/load.sh [concurrency] [seconds] [warmupSeconds]
set -eu
cd "$(dirname "$0")/.."
[ -f target/hypomag-cds.jar ] || mvn -B -ntp -q package -DskipTests
exec java bench/LoadDriver.java "${1:-48}" "${2:-60}" "${3:-25}"
