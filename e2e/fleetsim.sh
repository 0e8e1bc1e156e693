#!/usr/bin/env bash
# The fleet simulator: a real server process and PostgreSQL, N simulated agents in one JVM.
#   e2e/fleetsim.sh --agents N [--idle 60s]
# Needs a PostgreSQL named by DROVER_TEST_DATABASE_URL (a user that may create databases).
# FLEETSIM_JAVA_OPTS: JVM options of the simulator (default -Xmx4g); DROVER_JAVA_OPTS: the server's.
set -euo pipefail
cd "$(dirname "$0")/.."
./drover --version >/dev/null   # builds the launcher's jar when sources changed
JAVA_HOME=$(./drover --java-home)
export JAVA_HOME
ulimit -n 65536 2>/dev/null || true
MAVEN_OPTS="${FLEETSIM_JAVA_OPTS:--Xmx4g}" ./mvnw -B -q -pl e2e test-compile exec:java -Ddrover.root="$PWD" \
  -Dexec.mainClass=io.drover.e2e.FleetSim -Dexec.classpathScope=test -Dexec.args="$*"
