#!/usr/bin/env bash
# Trains the bridge hook's AOT cache (JDK 25 -XX:AOTCache) at build time, with the JDK that runs the
# build and exactly the flags and class path bin/jruntime-bridge uses; records that JDK in java-home, as
# the cache serves that JDK only (the launcher uses the cache only when it runs the same one).
# Usage: train-aot.sh JAVA_HOME TARGET_DIR
set -euo pipefail
java_home=$1
target=$2
cd "$target"
cp=$target/jruntime-hooks.jar
for jar in "$target"/lib/*.jar; do cp="$cp:$jar"; done
# Keep in step with bin/jruntime-bridge.
flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss1m -Xlog:disable -Xlog:all=error:stderr"
rm -f jruntime-bridge.aot java-home
# shellcheck disable=SC2086
"$java_home/bin/java" -XX:AOTCacheOutput="$target/jruntime-bridge.aot" $flags -cp "$cp" io.jruntime.hooks.bridge.AotTraining \
    > aot-training.log 2>&1 || { cat aot-training.log >&2; exit 1; }
test -s jruntime-bridge.aot || { echo "train-aot.sh: the AOT cache was not written" >&2; exit 1; }
echo "$java_home" > java-home
