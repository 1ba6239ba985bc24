#!/bin/bash
# End-to-end test of jruntime under podman 4.3 (through conmon).
#
#   sudo conformance/engines/podman-e2e.sh [path/to/jruntime]
#
# Every podman call gets a private --root/--runroot/--tmpdir under a temp dir, the vfs storage
# driver, --cgroup-manager cgroupfs, --events-backend file and --runtime jruntime; containers use
# --network none and a cgroup parent of their own. The busybox image is built locally by
# make-image.sh (no registry) and loaded with `podman load`. Every step asserts exit codes and
# output; at the end everything is removed and checked (no process, mount, cgroup, temp dir).
# Last line: "N passed, N failed".
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
JRUNTIME=$(readlink -f "${1:-$top/jruntime}")
[ "$(id -u)" -eq 0 ] || { echo "podman-e2e.sh: run as root" >&2; exit 2; }
[ -x "$JRUNTIME" ] || { echo "podman-e2e.sh: no runtime at $JRUNTIME" >&2; exit 2; }
if ! command -v podman >/dev/null || ! command -v conmon >/dev/null; then
    echo "podman-e2e.sh: installing podman"
    DEBIAN_FRONTEND=noninteractive apt-get install -y podman >/dev/null 2>&1 \
        || { DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y podman >/dev/null; } \
        || { echo "podman-e2e.sh: cannot install podman" >&2; exit 2; }
fi

T=$(mktemp -d /tmp/jrt-podman.XXXXXX)
# podman also writes outside --root/--runroot: a blob-info cache and a network dir. Remove those at the
# end only when this test made them.
host_dirs=
for d in /var/lib/containers /var/lib/containers/cache /run/containers /run/containers/networks; do
    [ -e "$d" ] || host_dirs="$d $host_dirs"   # deepest first
done
CG=/jrt-podman-e2e-$$                # cgroup parent of every container
IMAGE=docker.io/library/jbusybox:latest
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "ok   - $*"; }
nok() { fail=$((fail + 1)); echo "FAIL - $*"; }
check() { # NAME EXPECTED_RC OUTPUT_REGEX('' = any) -- command...
    local name=$1 want_rc=$2 want_out=$3; shift 4
    local out rc
    out=$(timeout -k 5 90 "$@" 2>&1); rc=$?
    out=${out//$'\r'/}
    if [ "$rc" -ne "$want_rc" ]; then
        nok "$name: exit $rc, wanted $want_rc; output: $out"
    elif [ -n "$want_out" ] && ! grep -Eq -- "$want_out" <<<"$out"; then
        nok "$name: output does not match /$want_out/: $out"
    else
        ok "$name"
    fi
}

# p ARGS: podman with the private stores and jruntime. Scripts, not functions, so `timeout` runs them.
mkdir -p "$T/bin"
# conmon drops an "oom" file in its working directory when a container is OOM-killed: keep it in $T.
cd "$T" || exit 2
cat >"$T/bin/p" <<SH
#!/bin/sh
exec podman --root "$T/root" --runroot "$T/runroot" --tmpdir "$T/tmp" --storage-driver vfs \\
    --cgroup-manager cgroupfs --events-backend file --runtime "$JRUNTIME" "\$@"
SH
# Podman asks for RLIMIT_NOFILE 1048576 and RLIMIT_NPROC 32768 (hard). Raising a hard limit needs
# CAP_SYS_RESOURCE; where the runtime lacks it (some sandboxes) runc and jruntime both fail create
# with "operation not permitted", so ask for limits that can always be set.
ulimits=
capeff=$(awk '/^CapEff/ { print $2 }' /proc/self/status)
if (( (0x$capeff >> 24 & 1) == 0 )); then ulimits="--ulimit nofile=1024:1024 --ulimit nproc=4096:4096"; fi
cat >"$T/bin/prun" <<SH
#!/bin/sh
exec "$T/bin/p" run --network none --cgroup-parent "$CG" $ulimits "\$@"
SH
chmod +x "$T/bin/p" "$T/bin/prun"
PATH=$T/bin:$PATH

cleanup() {
    local pid m
    p rm -af -t 0 >/dev/null 2>&1
    p rmi -af >/dev/null 2>&1
    # conmon and any container process left for this test (they name the temp dir).
    for pid in $(pgrep -f -- "$T"); do kill -9 "$pid" 2>/dev/null; done
    sleep 0.3
    for m in $(awk -v t="$T" 'index($2, t) == 1 { print $2 }' /proc/self/mounts | sort -r); do umount -l "$m" 2>/dev/null; done
    for m in /sys/fs/cgroup/*"$CG" /sys/fs/cgroup"$CG"; do
        [ -d "$m" ] && find "$m" -depth -type d -exec rmdir {} + 2>/dev/null
    done
    rm -rf "$T"
    for m in $host_dirs; do
        case $m in
            */cache | */networks) rm -rf "$m" ;;
            *) rmdir "$m" 2>/dev/null ;;
        esac
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$here/make-image.sh" "$T/busybox.tar" "$IMAGE" || { echo "podman-e2e.sh: cannot build the image" >&2; exit 2; }
check "podman load of the local busybox image" 0 "jbusybox" -- p load -i "$T/busybox.tar"

# --- run --rm ---------------------------------------------------------------------------
check "run: echo" 0 '^hi$' -- prun --rm "$IMAGE" echo hi
check "run: exit code 3" 3 '' -- prun --rm "$IMAGE" sh -c 'exit 3'
check "run: missing program -> 127" 127 'not found|no such file' -- prun --rm "$IMAGE" /no/such/program
check "run: not executable -> 126" 126 'permission denied' -- prun --rm "$IMAGE" /etc/passwd
check "run: --user 1000:1000" 0 '^uid=1000\(user\) gid=1000' -- prun --rm --user 1000:1000 "$IMAGE" id
check "run: --user nobody (from /etc/passwd)" 0 '^uid=65534\(nobody\) gid=65534' -- prun --rm --user nobody "$IMAGE" id
check "run: --read-only root refuses writes" 0 '^ro-ok$' -- prun --rm --read-only "$IMAGE" sh -c 'touch /x 2>/dev/null || echo ro-ok'
check "run: --read-only keeps /tmp writable" 0 '^tmp-ok$' -- prun --rm --read-only "$IMAGE" sh -c 'touch /tmp/x && echo tmp-ok'
check "run: -e" 0 '^bar$' -- prun --rm -e FOO=bar "$IMAGE" sh -c 'echo $FOO'
check "run: -w" 0 '^/tmp$' -- prun --rm -w /tmp "$IMAGE" pwd
check "run: --hostname" 0 '^hosty$' -- prun --rm --hostname hosty "$IMAGE" hostname
check "run: pid 1" 0 '^1$' -- prun --rm "$IMAGE" sh -c 'echo $$'
check "run: stdin (-i)" 0 '^piped$' -- sh -c "echo piped | prun --rm -i '$IMAGE' cat"
check "run: -t" 0 'tty-ok' -- script -qec "prun --rm -t '$IMAGE' sh -c 'test -t 0 && test -t 1 && echo tty-ok'" /dev/null
check "run: --memory 64m seen in the container's cgroup" 0 '^67108864$' -- \
    prun --rm --memory 64m "$IMAGE" sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max'
check "run: --pids-limit 50 seen in the container's cgroup" 0 '^50$' -- \
    prun --rm --pids-limit 50 "$IMAGE" sh -c 'cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max'
check "run: /sys/fs/cgroup shows the container's cgroups, not the host's tree" 0 '^own$' -- \
    prun --rm "$IMAGE" sh -c "for h in /sys/fs/cgroup/*; do [ -e \$h/memory.limit_in_bytes ] || [ -e \$h/cgroup.procs ] || exit 1; [ -e \$h$CG ] && exit 1; done; echo own"
out=$(timeout 90 prun --rm --memory 16m "$IMAGE" sh -c 'dd if=/dev/zero of=/dev/shm/f bs=1M count=48 2>/dev/null && echo wrote' 2>&1); rc=$?
[ "$rc" -ne 0 ] && ! grep -q wrote <<<"$out" && ok "run: --memory 16m enforced (exit $rc)" || nok "run: --memory 16m not enforced (exit $rc: $out)"

# --- detached: exec, pause/unpause, stop, rm ---------------------------------------------------------
check "run -d" 0 '^[0-9a-f]{64}$' -- prun -d --name d1 --memory 32m --pids-limit 40 "$IMAGE" sh -c 'trap "exit 0" TERM; while :; do sleep 0.2; done'
check "ps shows it running" 0 '^running$' -- p inspect -f '{{.State.Status}}' d1
id=$(p inspect -f '{{.Id}}' d1 2>/dev/null)
memfile=$(ls -d /sys/fs/cgroup/memory"$CG"/*"$id"*/memory.limit_in_bytes 2>/dev/null | head -1)
[ -n "$memfile" ] && [ "$(cat "$memfile")" = 33554432 ] && ok "memory limit in the host cgroup" || nok "memory limit in the host cgroup (${memfile:-none}: $(cat "$memfile" 2>/dev/null))"
pidsfile=$(ls -d /sys/fs/cgroup/pids"$CG"/*"$id"*/pids.max 2>/dev/null | head -1)
[ -n "$pidsfile" ] && [ "$(cat "$pidsfile")" = 40 ] && ok "pids limit in the host cgroup" || nok "pids limit in the host cgroup (${pidsfile:-none})"
check "exec: output" 0 '^exec-ok$' -- p exec d1 echo exec-ok
check "exec: exit code" 4 '' -- p exec d1 sh -c 'exit 4'
check "exec: missing program -> 127" 127 '' -- p exec d1 /no/such/program
check "exec: --user" 0 '^uid=1000' -- p exec --user 1000 d1 id
check "exec: -e and -w" 0 '^/tmp baz$' -- p exec -e FOO=baz -w /tmp d1 sh -c 'echo $(pwd) $FOO'
check "exec: sees the init's processes" 0 'sleep' -- p exec d1 ps
check "exec: -t" 0 'tty-ok' -- script -qec "p exec -t d1 sh -c 'test -t 0 && echo tty-ok'" /dev/null
check "exec -d" 0 '' -- p exec -d d1 sleep 1000
check "pause" 0 '' -- p pause d1
check "status paused" 0 '^paused$' -- p inspect -f '{{.State.Status}}' d1
check "unpause" 0 '' -- p unpause d1
check "status running again" 0 '^running$' -- p inspect -f '{{.State.Status}}' d1
check "update --memory" 0 '' -- p update --memory 48m d1
[ -n "$memfile" ] && [ "$(cat "$memfile" 2>/dev/null)" = 50331648 ] && ok "updated memory limit in the host cgroup" || nok "updated memory limit in the host cgroup ($(cat "$memfile" 2>/dev/null))"
check "stop (TERM, trapped)" 0 'd1' -- p stop -t 10 d1
check "exit code 0 after stop" 0 '^0$' -- p inspect -f '{{.State.ExitCode}}' d1
check "restart a stopped container" 0 '' -- p start d1
check "running after restart" 0 '^running$' -- p inspect -f '{{.State.Status}}' d1
check "kill (SIGKILL)" 0 '' -- p kill d1
check "stopped after kill" 0 '^(exited|stopped)$' -- p inspect -f '{{.State.Status}}' d1
check "rm" 0 '' -- p rm d1
check "rm -f of a running container" 0 '' -- sh -c "prun -d --name d2 '$IMAGE' sleep 1000 >/dev/null && p rm -f -t 0 d2"
check "no container left" 0 '^$' -- p ps -aq

cleanup
trap - EXIT
leftover=
for pid in $(pgrep -f -- "$T"); do leftover+=" pid $pid"; done
grep -qF "$T" /proc/self/mounts && leftover+=" mounts"
ls -d /sys/fs/cgroup/*"$CG" /sys/fs/cgroup"$CG" >/dev/null 2>&1 && leftover+=" cgroups"
[ -e "$T" ] && leftover+=" $T"
for m in $host_dirs; do [ -e "$m" ] && leftover+=" $m"; done
[ -z "$leftover" ] && ok "clean: no process, mount, cgroup or temp dir left" || nok "left behind:$leftover"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
