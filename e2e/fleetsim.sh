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
# the simulator runs against this checkout's modules (the reactor), not jars from the local repository
./mvnw -B -q -pl e2e -am test-compile dependency:build-classpath -Dmdep.outputFile=target/fleetsim.classpath \
  -Dmdep.includeScope=test
classpath="e2e/target/test-classes:e2e/target/classes:$(cat e2e/target/fleetsim.classpath)"
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" ${FLEETSIM_JAVA_OPTS:--Xmx4g} -Ddrover.root="$PWD" -cp "$classpath" \
  io.drover.e2e.FleetSim "$@"
