#!/bin/sh
# Build step (package phase): records the JDK and the JVM arguments the launcher uses, then trains the
# AOT cache over every subcommand with exactly those arguments, so the cache matches the launcher's JVM.
# Usage: train-aot.sh JAVA_HOME TARGET_DIR
set -e
java_home=$1
target=$2
cd "$target"
cp="$target/jruntime.jar"
for jar in "$target"/lib/*.jar; do cp="$cp:$jar"; done

# C1 only (C2 threads fight for the two cores), SerialGC, no perf data file: measured fastest start-up.
# No container detection (the JVM reads a dozen cgroup files to size itself; jruntime needs a few MB of
# heap, capped instead): 1-2 ms. Logging off except real errors on stderr, so no JVM warning can ever
# corrupt JSON on stdout.
flags="-XX:TieredStopAtLevel=1
-XX:+UseSerialGC
-XX:-UsePerfData
-XX:-UseContainerSupport
-Xmx256m
-Xss1m
-Xlog:disable
-Xlog:all=error:stderr
--enable-native-access=ALL-UNNAMED"

echo "$java_home" > java-home
# Three caches, because the JVM loads every class of its cache at start-up: "hot" for state, list, start,
# kill, delete, --version; "create" for create, run and exec (config reading, plan, cgroups, the native
# stage; no databind, no schema validator); "full" for the rest. The launcher picks one by the subcommand.
for kind in hot create full; do
    {
      echo "-XX:AOTCache=$target/jruntime-$kind.aot"
      echo "$flags"
      echo "-cp"
      echo "$cp"
      echo "io.jruntime.cli.Main"
    } > "jvm-$kind.args"
    rm -f "jruntime-$kind.aot"
    # shellcheck disable=SC2086
    "$java_home/bin/java" -XX:AOTCacheOutput="$target/jruntime-$kind.aot" $flags -cp "$cp" io.jruntime.cli.AotTraining $kind \
        > "aot-training-$kind.log" 2>&1 || { cat "aot-training-$kind.log" >&2; exit 1; }
    test -s "jruntime-$kind.aot" || { echo "train-aot.sh: the $kind AOT cache was not written" >&2; exit 1; }
done
