#!/usr/bin/env bash
# Runs the OCI runtime-spec conformance suite against one or more runtimes, one after the
# other, and writes the side-by-side report to conformance/target/conformance-report/.
#
#   conformance/run.sh [--out DIR] [--tests REGEX] [RUNTIME...]
#   RUNTIME = PATH | NAME=PATH | NAME=PATH,GLOBAL-FLAG,...     (default: jruntime=../jruntime)
#
# e.g. conformance/run.sh runc=/usr/sbin/runc crun=/usr/bin/crun jruntime=./jruntime
# The last line is the total: "N passed, N failed, N skipped" (skipped = not applicable here).
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
top=$(dirname "$here")

if [[ $(id -u) -ne 0 ]]; then
    echo "run.sh: the suite creates containers (namespaces, mounts, cgroups): run as root" >&2
    exit 1
fi

# What the suite needs from Debian: a static busybox for the rootfs, gcc and static libc for the probe.
need=()
[[ -x /bin/busybox || -x /usr/bin/busybox ]] || need+=(busybox-static)
command -v gcc >/dev/null || need+=(gcc)
[[ -f /usr/lib/x86_64-linux-gnu/libc.a || -f /usr/lib/aarch64-linux-gnu/libc.a ]] || need+=(libc6-dev)
command -v unshare >/dev/null || need+=(util-linux)
if (( ${#need[@]} )); then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# A JDK 25, found as the launcher finds it.
source "$top/runtime/src/main/sh/find-java.sh"
JAVA_HOME=$(find_java) || exit 1
export JAVA_HOME

# Build the module (probe included) and write its classpath.
build=(-q -pl conformance -DskipTests test-compile dependency:build-classpath
       -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test)
(cd "$top" && { mvn -o "${build[@]}" 2>/dev/null || mvn "${build[@]}"; })

# Runtime paths on the command line are relative to the caller's directory: stay in it.
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    -Dconformance.probe="$here/target/probe" \
    -Dconformance.reportDir="$here/target/conformance-report" \
    -cp "$here/target/classes:$here/target/test-classes:$(cat "$here/target/classpath.txt")" \
    io.jruntime.conformance.Runner "$@"
