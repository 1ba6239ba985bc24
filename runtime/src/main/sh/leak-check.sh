#!/usr/bin/env bash
# Fails when tests left something behind: a jruntime stage or init process, a mount under a test
# bundle or state root, a cgroup made by tests (their names carry jruntime, jrt or the conformance
# prefixes), or a state directory under the default root.
leaks=()
while read -r pid; do
    leaks+=("process $pid: $(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null)")
done < <(pgrep -f 'jruntime-init' || true)
while read -r line; do
    leaks+=("mount: $line")
done < <(awk '$5 ~ /jrt|jruntime|junit|conformance/ {print $5}' /proc/self/mountinfo)
while read -r dir; do
    leaks+=("cgroup: $dir")
done < <(find /sys/fs/cgroup -maxdepth 4 -type d \( -name '*jruntime*' -o -name '*jrt*' -o -name 'cf[0-9]*-*' -o -name 'it-*' \) 2>/dev/null)
if [[ -d /run/jruntime ]] && [[ -n $(ls -A /run/jruntime 2>/dev/null | grep -v '^\.') ]]; then
    leaks+=("state dirs in /run/jruntime: $(ls -A /run/jruntime | tr '\n' ' ')")
fi
if (( ${#leaks[@]} )); then
    printf 'leak-check: the test run left things behind:\n' >&2
    printf '  %s\n' "${leaks[@]}" >&2
    exit 1
fi
echo "leak-check: no container process, mount, cgroup or state dir left behind"
