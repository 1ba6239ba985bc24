#!/usr/bin/env bash
# What a test run must not leave behind: jruntime stage or init processes, mounts under test bundles or
# state roots, test cgroups (names with jruntime, jrt, or the conformance suite's cfN- ids), state dirs
# under /run/jruntime, test network namespaces (jrt-*), loop devices on test files.
#   leak-check.sh --snapshot FILE   record what is there before the run
#   leak-check.sh [--since FILE]    fail on anything found that the snapshot did not have
set -uo pipefail

list() {
    pgrep -f 'jruntime-init' | sed 's/^/process /' || true
    awk '$5 ~ /jrt|jruntime|junit|conformance/ {print "mount " $5}' /proc/self/mountinfo
    find /sys/fs/cgroup -type d \( -name '*jruntime*' -o -name 'jrt*' -o -name 'cf[0-9]*-*' \) 2>/dev/null | sed 's/^/cgroup /'
    ls -A /run/jruntime 2>/dev/null | grep -v '^\.' | sed 's|^|state /run/jruntime/|' || true
    ls -A /run/netns 2>/dev/null | grep '^jrt' | sed 's/^/netns /' || true
    losetup -a 2>/dev/null | grep -E 'jrt|jruntime|conformance' | sed 's/^/loop /' || true
}

case ${1:-} in
    --snapshot)
        list | sort > "$2"
        exit 0 ;;
    --since)
        before=$2 ;;
    *)
        before=/dev/null ;;
esac
leaks=$(comm -13 "$before" <(list | sort))
if [[ -n $leaks ]]; then
    echo "leak-check: the test run left things behind:" >&2
    sed 's/^/  /' <<<"$leaks" >&2
    exit 1
fi
echo "leak-check: no container process, mount, cgroup or state dir left behind"
