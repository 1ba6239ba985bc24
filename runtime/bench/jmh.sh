#!/usr/bin/env bash
# JMH benchmarks of the in-process hot paths (config parse + validation, seccomp compilation of a
# podman-sized profile, state write + read). Extra arguments go to JMH, e.g. `-f 1 -wi 2 -i 3`.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
source "$top/runtime/src/main/sh/find-java.sh"
JAVA_HOME=$(find_java)
export JAVA_HOME
cd "$top"
mvn -q -o -pl spec-schemas,runtime -am -DskipTests -Daot.skip=true test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test 2>/dev/null \
  || mvn -q -pl spec-schemas,runtime -am -DskipTests -Daot.skip=true test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cd runtime
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main HotPathsBenchmark "$@"
