#!/bin/bash
# End-to-end test of jruntime under containerd 1.6's io.containerd.runc.v2 shim.
#
#   sudo conformance/engines/containerd-e2e.sh [path/to/jruntime]
#
# Starts a private containerd (own config, root, state, sockets under a temp dir; a system
# containerd, if any, is never touched), imports a busybox image built locally by
# make-image.sh (no registry), and drives jruntime through `ctr ... --runc-binary`:
# the shim calls it as runc (--root/--log/--log-format json create/start/exec/ps/kill/
# pause/resume/delete). Every step asserts exit codes and output. At the end it deletes
# the tasks, stops containerd and the shims it started, and checks that no process,
# mount, cgroup or state dir is left behind. Last line: "N passed, N failed".
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
JRUNTIME=$(readlink -f "${1:-$top/jruntime}")
[ "$(id -u)" -eq 0 ] || { echo "containerd-e2e.sh: run as root" >&2; exit 2; }
[ -x "$JRUNTIME" ] || { echo "containerd-e2e.sh: no runtime at $JRUNTIME" >&2; exit 2; }

if ! command -v containerd >/dev/null || ! command -v ctr >/dev/null || ! command -v containerd-shim-runc-v2 >/dev/null; then
    echo "containerd-e2e.sh: installing containerd"
    DEBIAN_FRONTEND=noninteractive apt-get install -y containerd >/dev/null 2>&1 \
        || { DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y containerd >/dev/null; } \
        || { echo "containerd-e2e.sh: cannot install containerd" >&2; exit 2; }
fi

T=$(mktemp -d /tmp/jrt-ctrd.XXXXXX)
# The 1.6 shim puts its socket under /run/containerd/s whatever the state dir: remove
# /run/containerd at the end only when this test made it.
[ -e /run/containerd ] && made_run_dir=0 || made_run_dir=1
NS=jrt-e2e-$$                       # containerd namespace; also the cgroup parent (/NS/ID)
SOCK=$T/containerd.sock
IMAGE=docker.io/library/jbusybox:latest
CTRD_PID=
pass=0 fail=0

ok()   { pass=$((pass + 1)); echo "ok   - $*"; }
nok()  { fail=$((fail + 1)); echo "FAIL - $*"; }
re() { sed 's/[][\.*^$()|+?{}]/\\&/g' <<<"$1"; }   # a literal string as an extended regex
# check NAME EXPECTED_RC EXPECTED_OUTPUT_REGEX(or '') -- command...
# Runs the command (60 s limit), compares its exit code and (if given) matches its output.
check() {
    local name=$1 want_rc=$2 want_out=$3; shift 4
    local out rc
    out=$(timeout 60 "$@" 2>&1); rc=$?
    out=${out//$'\r'/}
    if [ "$rc" -ne "$want_rc" ]; then
        nok "$name: exit $rc, wanted $want_rc; output: $out"
    elif [ -n "$want_out" ] && ! grep -Eq -- "$want_out" <<<"$out"; then
        nok "$name: output does not match /$want_out/: $out"
    else
        ok "$name"
    fi
}
# c ARGS: ctr on our containerd and namespace; run ARGS: ctr run with jruntime as the runc binary.
# Small scripts rather than functions so that `timeout` can run them.
mkdir -p "$T/bin"
printf '#!/bin/sh\nexec ctr --address "%s" -n "%s" "$@"\n' "$SOCK" "$NS" >"$T/bin/c"
printf '#!/bin/sh\nexec ctr --address "%s" -n "%s" run --fifo-dir "%s" --runc-binary "%s" --runc-root "%s" "$@"\n' "$SOCK" "$NS" "$T/fifo" "$JRUNTIME" "$T/runc-root" >"$T/bin/run"
chmod +x "$T/bin/c" "$T/bin/run"
PATH=$T/bin:$PATH
# task_status ID -> RUNNING/PAUSED/STOPPED/... (empty when no task)
task_status() { c task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $3 }'; }
wait_status() { # ID STATUS: up to 20 s
    local i
    for ((i = 0; i < 100; i++)); do
        [ "$(task_status "$1")" = "$2" ] && return 0
        sleep 0.2
    done
    return 1
}

cleanup() {
    local id pid m
    if [ -n "$CTRD_PID" ] && kill -0 "$CTRD_PID" 2>/dev/null; then
        for id in $(c task ls -q 2>/dev/null); do
            c task kill -s SIGKILL "$id" >/dev/null 2>&1
            c task delete -f "$id" >/dev/null 2>&1
        done
        for id in $(c container ls -q 2>/dev/null); do c container delete "$id" >/dev/null 2>&1; done
        c image rm "$IMAGE" >/dev/null 2>&1
        kill "$CTRD_PID" 2>/dev/null
        for ((i = 0; i < 50; i++)); do kill -0 "$CTRD_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$CTRD_PID" 2>/dev/null
    fi
    # Shims started for this containerd (they name its socket on their command line).
    for pid in $(pgrep -f -- "$SOCK"); do kill -9 "$pid" 2>/dev/null; done
    sleep 0.3
    for m in $(awk -v t="$T" 'index($2, t) == 1 { print $2 }' /proc/self/mounts | sort -r); do umount -l "$m" 2>/dev/null; done
    for m in /sys/fs/cgroup/*/"$NS" /sys/fs/cgroup/"$NS"; do
        [ -d "$m" ] && find "$m" -depth -type d -exec rmdir {} + 2>/dev/null
    done
    rm -rf "$T"
    [ "$made_run_dir" = 1 ] && rm -rf /run/containerd
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- containerd of our own -------------------------------------------------------------
cat >"$T/config.toml" <<TOML
version = 2
root = "$T/root"
state = "$T/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$T/containerd-ttrpc.sock"
TOML
containerd --config "$T/config.toml" >"$T/containerd.log" 2>&1 &
CTRD_PID=$!
for ((i = 0; i < 100; i++)); do ctr --address "$SOCK" version >/dev/null 2>&1 && break; sleep 0.1; done
check "containerd up on a private socket" 0 "" -- ctr --address "$SOCK" version

"$here/make-image.sh" "$T/busybox.tar" "$IMAGE" || { echo "containerd-e2e.sh: cannot build the image" >&2; exit 2; }
check "import the local busybox image" 0 "" -- c image import "$T/busybox.tar"
check "image listed" 0 "jbusybox" -- c image ls -q

# --- run --rm ------------------------------------------------------------------------------
check "run: echo output" 0 '^hello from jruntime$' -- run --rm "$IMAGE" echo1 echo hello from jruntime
check "run: exit code 3" 3 "" -- run --rm "$IMAGE" exit3 sh -c 'exit 3'
check "run: exit code 0 of true" 0 "" -- run --rm "$IMAGE" true1 true
check "run: missing program fails with runc's wording" 1 'exec: "/no/such/program": stat /no/such/program: no such file or directory' -- run --rm "$IMAGE" nope1 /no/such/program
check "run: program not in PATH, runc's wording" 1 'exec: "nosuchprog": executable file not found in \$PATH' -- run --rm "$IMAGE" nope2 nosuchprog
check "run: env and cwd from the image" 0 '^/$' -- run --rm "$IMAGE" pwd1 pwd
# ctr gives no HOME: runc takes the user's from the image's /etc/passwd
check "run: HOME from /etc/passwd, as runc" 0 '^/root$' -- run --rm "$IMAGE" home1 sh -c 'echo $HOME'
check "run: --env and --cwd" 0 '^/tmp bar$' -- run --rm --env FOO=bar --cwd /tmp "$IMAGE" envcwd1 sh -c 'echo $(pwd) $FOO'
check "run: pid 1 in its own pid namespace" 0 '^1$' -- run --rm "$IMAGE" pid1 sh -c 'echo $$'
# (reads one line: ctr run without --tty does not pass the pipe's EOF on, with runc too)
check "run: stdin piped" 0 '^piped$' -- sh -c "echo piped | run --rm '$IMAGE' stdin1 sh -c 'read x; echo \$x'"
check "run: --tty" 0 'tty-ok' -- script -qec "run --rm --tty '$IMAGE' tty1 sh -c 'test -t 0 && test -t 1 && echo tty-ok'" /dev/null

# --- memory limit -----------------------------------------------------------------------
# ctr's default spec mounts no cgroupfs in the container, so the limit is checked from the host
# (detached task below) and here by its effect: 48 MiB written to the /dev/shm tmpfs is charged
# to the container's memory cgroup, which a 16 MiB limit refuses (dd fails or is OOM-killed).
check "run: 48 MiB in /dev/shm without a limit" 0 '^wrote$' -- \
    run --rm "$IMAGE" mem0 sh -c 'dd if=/dev/zero of=/dev/shm/f bs=1M count=48 2>/dev/null && echo wrote'
out=$(timeout 60 run --rm --memory-limit 16777216 "$IMAGE" mem1 sh -c 'dd if=/dev/zero of=/dev/shm/f bs=1M count=48 2>/dev/null && echo wrote' 2>&1); rc=$?
[ "$rc" -ne 0 ] && ! grep -q wrote <<<"$out" && ok "run: --memory-limit 16 MiB enforced (exit $rc)" || nok "run: --memory-limit 16 MiB not enforced (exit $rc: $out)"

# --- capabilities, privileged, no_new_privs, seccomp -----------------------------------------------
capeff() { awk '/^CapEff/ { print $2 }'; }
def_caps=$(run --rm "$IMAGE" caps0 cat /proc/self/status 2>/dev/null | capeff)
[[ $def_caps =~ ^[0-9a-f]{16}$ ]] && (( (0x$def_caps & 1) == 1 && (0x$def_caps >> 21 & 1) == 0 )) \
    && ok "default spec: CAP_CHOWN, no CAP_SYS_ADMIN ($def_caps)" || nok "default spec capabilities: ${def_caps:-none}"
check "run: --cap-drop CAP_CHOWN: CapEff without it" 0 "^CapEff:\s+$(printf '%016x' $((0x$def_caps & ~1)))\$" -- \
    run --rm --cap-drop CAP_CHOWN "$IMAGE" caps1 grep CapEff /proc/self/status
check "run: --cap-drop CAP_CHOWN refuses chown" 0 '^refused$' -- run --rm --cap-drop CAP_CHOWN "$IMAGE" caps2 sh -c 'touch /tmp/f; chown 1000 /tmp/f 2>/dev/null || echo refused'
check "run: --cap-add CAP_SYS_ADMIN: CapEff with it" 0 "^CapEff:\s+$(printf '%016x' $((0x$def_caps | 1 << 21)))\$" -- \
    run --rm --cap-add CAP_SYS_ADMIN "$IMAGE" caps3 grep CapEff /proc/self/status
capbnd=$(awk '/^CapBnd/ { print $2 }' /proc/self/status)
check "run: --privileged: every capability this runtime holds" 0 "^CapEff:\s+$capbnd\$" -- run --rm --privileged "$IMAGE" priv1 grep CapEff /proc/self/status
hostdev=$(ls /dev/loop0 /dev/vda /dev/sda /dev/nvme0n1 2>/dev/null | head -1)
if [ -n "$hostdev" ]; then
    check "run: --privileged sees the host's $hostdev" 0 '^seen$' -- run --rm --privileged "$IMAGE" priv2 sh -c "test -b $hostdev && echo seen"
    check "run: without --privileged no $hostdev" 0 '^absent$' -- run --rm "$IMAGE" priv3 sh -c "test -e $hostdev || echo absent"
    check "run: --device $hostdev: the node, readable" 0 "^block special file $(stat -c '%t:%T' "$hostdev") read\$" -- \
        run --rm --device "$hostdev" "$IMAGE" dev1 sh -c "echo \$(stat -c '%F %t:%T' $hostdev) \$(head -c1 $hostdev >/dev/null && echo read)"
fi
check "run: no_new_privs by default" 0 '^NoNewPrivs:\s+1$' -- run --rm "$IMAGE" nnp1 grep NoNewPrivs /proc/self/status
check "run: --allow-new-privs" 0 '^NoNewPrivs:\s+0$' -- run --rm --allow-new-privs "$IMAGE" nnp2 grep NoNewPrivs /proc/self/status
check "run: no seccomp filter by default" 0 '^Seccomp:\s+0$' -- run --rm "$IMAGE" sc0 grep '^Seccomp:' /proc/self/status
check "run: --seccomp: the default profile is on" 0 '^Seccomp:\s+2$' -- run --rm --seccomp "$IMAGE" sc1 grep '^Seccomp:' /proc/self/status
printf '%s\n' '{"defaultAction": "SCMP_ACT_ALLOW",' \
    ' "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}' >"$T/deny-mkdir.json"
check "run: --seccomp-profile FILE: mkdir fails with EPERM" 0 "^mkdir: can't create directory '/tmp/d': Operation not permitted$" -- \
    run --rm --seccomp --seccomp-profile "$T/deny-mkdir.json" "$IMAGE" sc2 sh -c 'mkdir /tmp/d 2>&1; test ! -e /tmp/d'

# --- networks: host, another task's namespace ----------------------------------------------------------
check "run: own network namespace by default: loopback only" 0 '^lo $' -- run --rm "$IMAGE" net0 sh -c 'ls /sys/class/net | tr "\n" " "'
check "run: --net-host: the host's interfaces" 0 "^$(ls /sys/class/net | tr '\n' ' ')\$" -- run --rm --net-host "$IMAGE" net1 sh -c 'ls /sys/class/net | tr "\n" " "'
check "run: --net-host: the host's network namespace" 0 "^$(re "$(readlink /proc/self/ns/net)")\$" -- run --rm --net-host "$IMAGE" net2 readlink /proc/self/ns/net
check "run -d: a task to share a network namespace with" 0 "" -- run -d "$IMAGE" n1 sleep 1000
wait_status n1 RUNNING || nok "n1 RUNNING (is $(task_status n1))"
n1_pid=$(c task ls | awk '$1 == "n1" { print $2 }')
n1_net=$(readlink "/proc/${n1_pid:-0}/ns/net")
check "run: --with-ns network:/proc/PID/ns/net joins it" 0 "^$(re "$n1_net")\$" -- \
    run --rm --with-ns "network:/proc/$n1_pid/ns/net" "$IMAGE" net3 readlink /proc/self/ns/net
check "task delete -f n1" 0 "" -- c task delete -f n1
check "container delete n1" 0 "" -- c container delete n1

# Not here: --uidmap/--gidmap and --no-pivot. ctr 1.6 turns them into task options (WithUIDOwner,
# WithNoPivotRoot) that replace the container's runtime options, --runc-binary included, so the shim
# runs /usr/bin/runc for them, not the runtime under test.

# --- mounts, rootfs, env ---------------------------------------------------------------------------------
mkdir "$T/vol" && echo data >"$T/vol/f"
check "run: --mount bind ro: readable, writes refused" 0 '^data refused$' -- \
    run --rm --mount "type=bind,src=$T/vol,dst=/ro,options=rbind:ro" "$IMAGE" mnt1 sh -c 'echo $(cat /ro/f) $(touch /ro/g 2>/dev/null || echo refused)'
check "run: --mount bind rw: a write inside" 0 "" -- run --rm --mount "type=bind,src=$T/vol,dst=/rw,options=rbind:rw" "$IMAGE" mnt2 sh -c 'echo inside >/rw/g'
[ "$(cat "$T/vol/g" 2>/dev/null)" = inside ] && ok "run: --mount: the write is in the host directory" || nok "run: --mount: no write in the host directory"
check "run: --read-only root refuses writes" 0 '^ro-ok$' -- run --rm --read-only "$IMAGE" ro1 sh -c 'touch /x 2>/dev/null || echo ro-ok'
ROOTFS=$T/rootfs sh "$top/config-samples/build-rootfs.sh" >/dev/null && echo from-rootfs >"$T/rootfs/etc/marker"
# (ctr gives a --rootfs container no image config, hence no PATH: absolute paths)
check "run: --rootfs DIR (no snapshot)" 0 '^from-rootfs$' -- run --rm --rootfs "$T/rootfs" rootfs1 /bin/cat /etc/marker
printf 'A=1\nB=two words\n' >"$T/env"
check "run: --env-file" 0 '^1\|two words$' -- run --rm --env-file "$T/env" "$IMAGE" envf1 sh -c 'echo "$A|$B"'

# --- detached task: exec, ps, pause/resume, kill, delete --------------------------------------
check "run -d: detached task" 0 "" -- run -d --memory-limit 33554432 --cpus 0.5 --cpu-shares 512 --pid-file "$T/d1.pid" "$IMAGE" d1 sh -c 'trap "exit 7" TERM; while :; do sleep 0.2; done'
wait_status d1 RUNNING && ok "detached task RUNNING" || nok "detached task RUNNING (is $(task_status d1))"
memfile=$(ls -d /sys/fs/cgroup/memory/"$NS"/d1/memory.limit_in_bytes /sys/fs/cgroup/"$NS"/d1/memory.max 2>/dev/null | head -1)
if [ -n "$memfile" ] && [ "$(cat "$memfile")" = 33554432 ]; then ok "memory limit in the host cgroup ($memfile)"; else nok "memory limit in the host cgroup (${memfile:-no cgroup /$NS/d1}: $(cat "$memfile" 2>/dev/null))"; fi
cpu=$(cd /sys/fs/cgroup/cpu/"$NS"/d1 2>/dev/null && echo $(cat cpu.cfs_quota_us cpu.cfs_period_us cpu.shares) || echo $(cat /sys/fs/cgroup/"$NS"/d1/cpu.max /sys/fs/cgroup/"$NS"/d1/cpu.weight 2>/dev/null))
[[ $cpu == "50000 100000 512" || $cpu == "50000 100000 20" ]] && ok "--cpus 0.5 --cpu-shares 512 in the host cgroup" || nok "--cpus 0.5 --cpu-shares 512 in the host cgroup: ${cpu:-none}"
[ "$(cat "$T/d1.pid" 2>/dev/null)" = "$(c task ls | awk '$1 == "d1" { print $2 }')" ] && ok "--pid-file: the task's pid" || nok "--pid-file: $(cat "$T/d1.pid" 2>&1)"
check "task exec: output" 0 '^exec-ok$' -- c task exec --fifo-dir "$T/fifo" --exec-id e1 d1 echo exec-ok
check "task exec: HOME from /etc/passwd, as runc" 0 '^/root$' -- c task exec --fifo-dir "$T/fifo" --exec-id eh d1 sh -c 'echo $HOME'
check "task exec --user 1000: the image's home for it" 0 '^uid=1000 /home/user$' -- c task exec --fifo-dir "$T/fifo" --user 1000 --exec-id eh2 d1 sh -c 'echo uid=$(id -u) $HOME'
check "task exec: exit code" 4 "" -- c task exec --fifo-dir "$T/fifo" --exec-id e2 d1 sh -c 'exit 4'
check "task exec: sees the init" 0 'sleep|sh' -- c task exec --fifo-dir "$T/fifo" --exec-id e3 d1 ps
check "task exec: --tty" 0 'tty-ok' -- script -qec "c task exec --fifo-dir '$T/fifo' --tty --exec-id e4 d1 sh -c 'test -t 0 && echo tty-ok'" /dev/null
pid=$(c task ls | awk '$1 == "d1" { print $2 }')
check "task ps lists the init pid" 0 "^$pid( |$)" -- c task ps d1
check "task pause" 0 "" -- c task pause d1
wait_status d1 PAUSED && ok "task PAUSED" || nok "task PAUSED (is $(task_status d1))"
frz=$(cat /sys/fs/cgroup/freezer/"$NS"/d1/freezer.state 2>/dev/null || cat /sys/fs/cgroup/"$NS"/d1/cgroup.freeze 2>/dev/null)
[[ $frz == FROZEN || $frz == 1 ]] && ok "cgroup frozen" || nok "cgroup frozen (state: $frz)"
check "task resume" 0 "" -- c task resume d1
wait_status d1 RUNNING && ok "task RUNNING again" || nok "task RUNNING again (is $(task_status d1))"
check "task exec after resume" 0 '^again$' -- c task exec --fifo-dir "$T/fifo" --exec-id e5 d1 echo again
check "task kill (TERM)" 0 "" -- c task kill d1
wait_status d1 STOPPED && ok "task STOPPED after TERM" || nok "task STOPPED after TERM (is $(task_status d1))"
check "task delete reports exit status 7" 0 '7' -- c task delete d1
check "container delete" 0 "" -- c container delete d1
[ ! -e "$T/runc-root/$NS/d1" ] && ok "jruntime state dir removed" || nok "jruntime state dir left: $(ls "$T/runc-root/$NS/d1")"
[ ! -d /sys/fs/cgroup/memory/"$NS"/d1 ] && [ ! -d /sys/fs/cgroup/"$NS"/d1 ] && ok "container cgroup removed" || nok "container cgroup left"

# --- kill -a and delete -f of a running task ------------------------------------------------------
check "run -d: second task" 0 "" -- run -d "$IMAGE" d2 sleep 1000
wait_status d2 RUNNING && ok "second task RUNNING" || nok "second task RUNNING"
check "task exec -d sleeper" 0 "" -- c task exec --fifo-dir "$T/fifo" -d --exec-id e6 d2 sleep 1000
check "task kill --all SIGKILL" 0 "" -- c task kill -a -s SIGKILL d2
wait_status d2 STOPPED && ok "task STOPPED after kill -a" || nok "task STOPPED after kill -a (is $(task_status d2))"
check "task delete" 0 "" -- c task delete d2
check "run -d: third task" 0 "" -- run -d "$IMAGE" d3 sleep 1000
wait_status d3 RUNNING && ok "third task RUNNING" || nok "third task RUNNING"
check "task delete -f of a running task" 0 "" -- c task delete -f d3
check "containers delete" 0 "" -- c container delete d2 d3

# --- leftovers -------------------------------------------------------------------------------------
check "no task left" 0 '^$' -- c task ls -q
left=$(ls "$T/runc-root/$NS" 2>/dev/null)
[ -z "$left" ] && ok "no jruntime state left" || nok "jruntime state left: $left"

cleanup
trap - EXIT
leftover=
for p in $(pgrep -f -- "$T"); do leftover+=" pid $p"; done
grep -qF "$T" /proc/self/mounts && leftover+=" mounts"
ls -d /sys/fs/cgroup/*/"$NS" /sys/fs/cgroup/"$NS" >/dev/null 2>&1 && leftover+=" cgroups"
[ -e "$T" ] && leftover+=" $T"
[ "$made_run_dir" = 1 ] && [ -e /run/containerd ] && leftover+=" /run/containerd"
[ -z "$leftover" ] && ok "clean after stop: no process, mount, cgroup or temp dir" || nok "left behind:$leftover"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
