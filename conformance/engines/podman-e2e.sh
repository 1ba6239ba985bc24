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
# catatonit: podman's --init (/run/podman-init) and the pause process of a pod's infra container.
if ! command -v podman >/dev/null || ! command -v conmon >/dev/null || ! [ -x /usr/libexec/podman/catatonit ]; then
    echo "podman-e2e.sh: installing podman"
    DEBIAN_FRONTEND=noninteractive apt-get install -y podman catatonit >/dev/null 2>&1 \
        || { DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y podman catatonit >/dev/null; } \
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
re() { sed 's/[][\.*^$()|+?{}]/\\&/g' <<<"$1"; }   # a literal string as an extended regex
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
# Podman asks for RLIMIT_NOFILE 1048576 and RLIMIT_NPROC 32768 (hard). Raising a hard limit needs
# CAP_SYS_RESOURCE; where the runtime lacks it (some sandboxes) runc and jruntime both fail create
# with "operation not permitted", so ask for limits that can always be set. A containers.conf of the
# test's own (default_ulimits) rather than --ulimit flags, so that it also reaches a pod's infra
# container; it keeps the system file's default capabilities (the compiled-in list is longer).
conf=
capeff=$(awk '/^CapEff/ { print $2 }' /proc/self/status)
if (( (0x$capeff >> 24 & 1) == 0 )); then
    conf="CONTAINERS_CONF=$T/containers.conf"
    { echo '[containers]'
      for f in /etc/containers/containers.conf /usr/share/containers/containers.conf; do
          grep -qs '^default_capabilities' "$f" && { awk '/^default_capabilities/, /^\]/' "$f"; break; }
      done
      echo 'default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]'; } >"$T/containers.conf"
fi
cat >"$T/bin/p" <<SH
#!/bin/sh
exec env $conf podman --root "$T/root" --runroot "$T/runroot" --tmpdir "$T/tmp" --storage-driver vfs \\
    --cgroup-manager cgroupfs --events-backend file --runtime "$JRUNTIME" "\$@"
SH
# prun: a container with no network; pnet: one whose --network (or --pod) the test gives.
cat >"$T/bin/prun" <<SH
#!/bin/sh
exec "$T/bin/p" run --network none --cgroup-parent "$CG" "\$@"
SH
cat >"$T/bin/pnet" <<SH
#!/bin/sh
exec "$T/bin/p" run --cgroup-parent "$CG" "\$@"
SH
chmod +x "$T/bin/p" "$T/bin/prun" "$T/bin/pnet"
PATH=$T/bin:$PATH

cleanup() {
    local pid m
    p pod rm -af -t 0 >/dev/null 2>&1
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

# --- capabilities, seccomp, user namespace ---------------------------------------------------------
# Every capability set of the container's process, one line (CapInh CapPrm CapEff CapBnd CapAmb).
caps='grep ^Cap /proc/self/status | awk "{ printf \"%s \", \$2 }"'
check "run: --cap-drop all leaves every set empty" 0 '^(0{16} ){5}$' -- prun --rm --cap-drop all "$IMAGE" sh -c "$caps"
check "run: --cap-drop all refuses chown" 0 '^refused$' -- prun --rm --cap-drop all "$IMAGE" sh -c 'touch /tmp/f; chown 1000 /tmp/f 2>/dev/null || echo refused'
check "run: --cap-drop all --cap-add chown: CapEff is CAP_CHOWN alone" 0 '^CapEff:\s+0{15}1$' -- \
    prun --rm --cap-drop all --cap-add chown "$IMAGE" grep CapEff /proc/self/status
check "run: --cap-add chown lets chown work" 0 '^1000$' -- prun --rm --cap-drop all --cap-add chown "$IMAGE" sh -c 'touch /tmp/f; chown 1000 /tmp/f && stat -c %u /tmp/f'
check "run: --cap-drop all --cap-add net_raw: CapEff is CAP_NET_RAW alone" 0 '^CapEff:\s+0000000000002000$' -- \
    prun --rm --cap-drop all --cap-add net_raw "$IMAGE" grep CapEff /proc/self/status
printf '%s\n' '{"defaultAction": "SCMP_ACT_ALLOW",' \
    ' "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}' >"$T/deny-mkdir.json"
check "run: --security-opt seccomp=FILE: mkdir fails with EPERM" 0 "^mkdir: can't create directory '/tmp/d': Operation not permitted$" -- \
    prun --rm --security-opt seccomp="$T/deny-mkdir.json" "$IMAGE" sh -c 'mkdir /tmp/d 2>&1; test ! -e /tmp/d'
check "run: --security-opt seccomp=FILE: a filter is on" 0 '^Seccomp:\s+2$' -- \
    prun --rm --security-opt seccomp="$T/deny-mkdir.json" "$IMAGE" grep '^Seccomp:' /proc/self/status
check "run: --security-opt seccomp=unconfined: no filter, mkdir works" 0 '^Seccomp:\s+0 made$' -- \
    prun --rm --security-opt seccomp=unconfined "$IMAGE" sh -c 'mkdir /tmp/d && echo "$(grep ^Seccomp: /proc/self/status) made"'
# A user namespace mapping 0-65535 to 100000-165535; the volume is owned by the container's root.
mkdir "$T/uvol" && chown 100000:100000 "$T/uvol"
check "run: --uidmap/--gidmap: the maps inside, root inside" 0 '^0 100000 65536 / 0 100000 65536 / uid=0\(root\) gid=0\(root\)$' -- \
    prun --rm --uidmap 0:100000:65536 --gidmap 0:100000:65536 -v "$T/uvol:/vol" "$IMAGE" \
    sh -c 'echo $(cat /proc/self/uid_map) / $(cat /proc/self/gid_map) / $(id); touch /vol/f; mkdir /vol/d; chown 1000:1000 /vol/d'
[ "$(stat -c %u:%g "$T/uvol/f" 2>/dev/null)" = 100000:100000 ] && [ "$(stat -c %u:%g "$T/uvol/d" 2>/dev/null)" = 101000:101000 ] \
    && ok "run: --uidmap: files made in a volume are owned by the mapped ids on the host" \
    || nok "run: --uidmap: owners on the host: $(stat -c '%n %u:%g' "$T/uvol/f" "$T/uvol/d" 2>&1)"
# An idmapped volume (-v SRC:DST:idmap): host root's files are root's inside the user namespace, and what
# root writes there is host root's (without idmap they would be nobody's, and the write refused).
mkdir "$T/ivol" && echo hello >"$T/ivol/f"
check "run: -v ...:idmap with --uidmap: host root's file is root's inside, writes land as host root" 0 '^0:0 hello$' -- \
    prun --rm --uidmap 0:100000:65536 --gidmap 0:100000:65536 -v "$T/ivol:/vol:idmap" "$IMAGE" \
    sh -c 'echo $(stat -c %u:%g /vol/f) $(cat /vol/f); touch /vol/new'
[ "$(stat -c %u:%g "$T/ivol/new" 2>/dev/null)" = 0:0 ] \
    && ok "run: -v ...:idmap: the new file is host root's" \
    || nok "run: -v ...:idmap: the new file: $(stat -c '%n %u:%g' "$T/ivol/new" 2>&1)"
# (--userns=auto needs a "containers" range in /etc/subuid, which this test does not add to the host.)

# --- networks: none, host, another container's, a pod's ------------------------------------------
check "run: --network none: loopback only" 0 '^lo $' -- prun --rm "$IMAGE" sh -c 'ls /sys/class/net | tr "\n" " "'
host_ifs=$(ls /sys/class/net | tr '\n' ' ')
check "run: --network host: the host's interfaces" 0 "^$host_ifs\$" -- pnet --rm --network host "$IMAGE" sh -c 'ls /sys/class/net | tr "\n" " "'
check "run: --network host: the host's network namespace" 0 "^$(re "$(readlink /proc/self/ns/net)")\$" -- pnet --rm --network host "$IMAGE" readlink /proc/self/ns/net
check "run -d: a container to share a network namespace with" 0 '' -- prun -d --name n1 "$IMAGE" sleep 1000
n1_net=$(readlink "/proc/$(p inspect -f '{{.State.Pid}}' n1 2>/dev/null)/ns/net")
[ -n "$n1_net" ] && [ "$n1_net" != "$(readlink /proc/self/ns/net)" ] && ok "its own network namespace ($n1_net)" || nok "its own network namespace (${n1_net:-none})"
check "run: --network container:n1 joins it" 0 "^$(re "$n1_net")\$" -- pnet --rm --network container:n1 "$IMAGE" readlink /proc/self/ns/net
check "rm -f n1" 0 '' -- p rm -f -t 0 n1
# A pod: its infra container (podman builds the pause image locally from catatonit) holds the
# network, ipc and uts namespaces that the pod's containers join.
check "pod create (network none)" 0 '' -- p pod create --name pod1 --network none --hostname podhost --cgroup-parent "$CG"
check "run -d in the pod" 0 '' -- p run -d --pod pod1 --name pa "$IMAGE" sleep 1000
infra_pid=$(p inspect -f '{{.State.Pid}}' "$(p pod inspect -f '{{.InfraContainerID}}' pod1 2>/dev/null)" 2>/dev/null)
grep -q catatonit "/proc/${infra_pid:-0}/cmdline" 2>/dev/null && ok "the pod's infra container runs catatonit" || nok "the pod's infra container runs catatonit (pid ${infra_pid:-none})"
pod_ns="$(readlink "/proc/${infra_pid:-0}/ns/net") $(readlink "/proc/${infra_pid:-0}/ns/ipc") $(readlink "/proc/${infra_pid:-0}/ns/uts")"
check "exec in a pod container: the infra's net, ipc and uts namespaces" 0 "^$(re "$pod_ns") podhost\$" -- \
    p exec pa sh -c 'echo $(readlink /proc/self/ns/net) $(readlink /proc/self/ns/ipc) $(readlink /proc/self/ns/uts) $(hostname)'
check "run --rm in the pod: the same namespaces" 0 "^$(re "$pod_ns") podhost\$" -- \
    p run --rm --pod pod1 "$IMAGE" sh -c 'echo $(readlink /proc/self/ns/net) $(readlink /proc/self/ns/ipc) $(readlink /proc/self/ns/uts) $(hostname)'
check "pod containers keep their own pid namespaces" 0 '^1 sleep 1000$' -- p exec pa sh -c 'echo $(ps -o pid,args | grep -v -e PID -e ps -e sh)'
check "pod rm -f" 0 '' -- p pod rm -f -t 0 pod1
check "no pod left" 0 '^$' -- p pod ps -q

# --- limits: ulimits, sysctls, cpu, memory+swap, oom killer ------------------------------------------
# (any --ulimit replaces containers.conf's default_ulimits: nproc is given too, see the top)
check "run: --ulimit nofile=1024:2048" 0 '^1024 2048$' -- prun --rm --ulimit nofile=1024:2048 --ulimit nproc=4096:4096 "$IMAGE" sh -c 'echo $(ulimit -Sn) $(ulimit -Hn)'
host_fwd=$(cat /proc/sys/net/ipv4/ip_forward) host_msgmax=$(cat /proc/sys/kernel/msgmax)
check "run: --sysctl in the container's net and ipc namespaces" 0 '^1 4096$' -- \
    prun --rm --sysctl net.ipv4.ip_forward=1 --sysctl kernel.msgmax=4096 "$IMAGE" sh -c 'echo $(cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax)'
[ "$(cat /proc/sys/net/ipv4/ip_forward) $(cat /proc/sys/kernel/msgmax)" = "$host_fwd $host_msgmax" ] \
    && ok "the host's ip_forward and msgmax unchanged" || nok "the host's ip_forward and msgmax changed"
# v1: quota, period, shares; v2: cpu.max and the weight podman converts 512 shares to (20).
check "run: --cpus 0.5 --cpu-shares 512 in the container's cgroup" 0 '^(50000 100000 512|50000 100000 20)$' -- \
    prun --rm --cpus 0.5 --cpu-shares 512 "$IMAGE" sh -c 'cd /sys/fs/cgroup; echo $(cat cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpu/cpu.shares 2>/dev/null || cat cpu.max cpu.weight)'
if [ -e /sys/fs/cgroup/memory/memory.oom_control ]; then
    check "run: --memory-swap and --oom-kill-disable in the container's cgroup" 0 '^67108864 134217728 oom_kill_disable 1$' -- \
        prun --rm --memory 64m --memory-swap 128m --oom-kill-disable "$IMAGE" \
        sh -c 'cd /sys/fs/cgroup/memory; echo $(cat memory.limit_in_bytes memory.memsw.limit_in_bytes) $(grep oom_kill_disable memory.oom_control)'
else
    check "run: --memory-swap in the container's cgroup" 0 '^67108864 67108864$' -- \
        prun --rm --memory 64m --memory-swap 128m "$IMAGE" sh -c 'echo $(cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.swap.max)'
    echo "skip - --oom-kill-disable: cgroup v2 has no such knob"
fi

# --- devices -----------------------------------------------------------------------------------------
check "run: --device /dev/null:/dev/mynull: the node, writable, empty" 0 '^character special file 1:3 wrote 0$' -- \
    prun --rm --device /dev/null:/dev/mynull "$IMAGE" sh -c 'echo $(stat -c "%F %t:%T" /dev/mynull) $(echo x >/dev/mynull && echo wrote) $(wc -c </dev/mynull)'
[ "$(stat -c %u:%g /dev/null)" = 0:0 ] && ok "the host's /dev/null still owned by root" || nok "the host's /dev/null is owned by $(stat -c %u:%g /dev/null)"
# /dev/loop0 (block 7:0) is not in podman's device allow list: mknod is allowed (with CAP_MKNOD, not
# in the default set), opening it is not.
check "run: a device not allowed by the device cgroup cannot be opened" 1 'Operation not permitted' -- \
    prun --rm --cap-add mknod "$IMAGE" sh -c 'mknod /dev/l b 7 0 && head -c1 /dev/l >/dev/null'
check "run: --device-cgroup-rule 'b 7:0 r' allows reading it" 0 '^read$' -- \
    prun --rm --cap-add mknod --device-cgroup-rule 'b 7:0 r' "$IMAGE" sh -c 'mknod /dev/l b 7 0 && head -c1 /dev/l >/dev/null && echo read'
hostdev=$(ls /dev/loop0 /dev/vda /dev/sda /dev/nvme0n1 2>/dev/null | head -1)
capbnd=$(awk '/^CapBnd/ { print $2 }' /proc/self/status)
check "run: --privileged: every capability this runtime holds" 0 "^CapEff:\s+$capbnd\$" -- prun --rm --privileged "$IMAGE" grep CapEff /proc/self/status
if [ -n "$hostdev" ]; then
    check "run: --privileged sees the host's $hostdev" 0 '^seen$' -- prun --rm --privileged "$IMAGE" sh -c "test -b $hostdev && echo seen"
    check "run: without --privileged no $hostdev" 0 '^absent$' -- prun --rm "$IMAGE" sh -c "test -e $hostdev || echo absent"
fi

# --- mounts, env, --init ---------------------------------------------------------------------------
check "run: --tmpfs with size and mode" 0 '^tmpfs /scratch tmpfs rw,nosuid,nodev.*size=1024k.* 1777$' -- \
    prun --rm --tmpfs /scratch:size=1m,mode=1777 "$IMAGE" sh -c 'echo $(grep " /scratch " /proc/mounts) $(stat -c %a /scratch)'
# podman asks for tmpcopyup on --tmpfs by default: the image's files are copied into the tmpfs.
check "run: --tmpfs over an image directory starts with its files (tmpcopyup)" 0 '^tmpfs root:x:0:0:' -- \
    prun --rm --tmpfs /etc "$IMAGE" sh -c 'echo $(grep " /etc " /proc/mounts | cut -d" " -f3) $(grep ^root: /etc/passwd)'
mkdir "$T/vol" && echo data >"$T/vol/f"
check "run: -v DIR:/ro:ro: readable, writes refused, mounted ro" 0 '^data refused ro$' -- \
    prun --rm -v "$T/vol:/ro:ro" "$IMAGE" sh -c 'echo $(cat /ro/f) $(touch /ro/g 2>/dev/null || echo refused) $(awk "\$2 == \"/ro\" { split(\$4, o, \",\"); print o[1] }" /proc/mounts)'
check "run: -v DIR:/rw: a write inside" 0 '' -- prun --rm -v "$T/vol:/rw" "$IMAGE" sh -c 'echo inside >/rw/g'
[ "$(cat "$T/vol/g" 2>/dev/null)" = inside ] && ok "run: -v: the write is in the host directory" || nok "run: -v: no write in the host directory"
printf 'A=1\nB=two words\n# a comment\n' >"$T/env"
check "run: --env-file" 0 '^1\|two words$' -- prun --rm --env-file "$T/env" "$IMAGE" sh -c 'echo "$A|$B"'
check "run: --init: pid 1 is catatonit as /run/podman-init, the command its child" 0 '^/run/podman-init -- sh -c .* PPid: 1 tini version [0-9.]+_catatonit$' -- \
    prun --rm --init "$IMAGE" sh -c 'echo $(tr "\0" " " </proc/1/cmdline) $(grep ^PPid: /proc/$$/status) $(/run/podman-init --version 2>&1)'

# --- wait, restart policy ---------------------------------------------------------------------------
check "run -d: exits 5" 0 '' -- prun -d --name w1 "$IMAGE" sh -c 'sleep 0.5; exit 5'
check "wait prints the exit code" 0 '^5$' -- p wait w1
check "rm w1" 0 '' -- p rm w1
check "run -d --restart on-failure:2, failing" 0 '' -- prun -d --name r1 --restart on-failure:2 "$IMAGE" sh -c 'echo attempt; exit 1'
for ((i = 0; i < 150; i++)); do   # up to 30 s for conmon's cleanup to restart it twice
    [ "$(p inspect -f '{{.RestartCount}} {{.State.Status}}' r1 2>/dev/null)" = "2 exited" ] && break
    sleep 0.2
done
check "restarted twice, then stopped" 0 '^2 exited 1$' -- p inspect -f '{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}' r1
check "three attempts in the logs" 0 '^3$' -- sh -c 'p logs r1 | grep -c attempt'
check "rm r1" 0 '' -- p rm r1

# --- detached: exec, pause/unpause, stop, rm ---------------------------------------------------------
check "run -d" 0 '^[0-9a-f]{64}$' -- prun -d --name d1 --memory 32m --pids-limit 40 "$IMAGE" sh -c 'echo to-stdout; echo to-stderr >&2; trap "exit 0" TERM; while :; do sleep 0.2; done'
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
check "exec --privileged: every capability this runtime holds" 0 "^CapEff:\s+$capbnd\$" -- p exec --privileged d1 grep CapEff /proc/self/status
check "exec without --privileged: fewer" 1 '' -- sh -c "p exec d1 grep CapEff /proc/self/status | grep -q '$capbnd'"
check "logs: the init's stdout" 0 '^to-stdout$' -- p logs d1
check "logs: the init's stderr" 0 '^to-stderr$' -- p logs d1
check "top: the init as pid 1" 0 '^1 +sh -c echo to-stdout' -- p top d1 pid args
echo copied >"$T/cpfile"
check "cp into the running container" 0 '' -- p cp "$T/cpfile" d1:/tmp/cpfile
check "cp: the file inside" 0 '^copied$' -- p exec d1 cat /tmp/cpfile
# podman stats reads the container's cgroup itself (no runtime call): the limit and the pids are jruntime's.
check "stats --no-stream: memory limit and pids" 0 '^33554432 [1-9][0-9]*$' -- p stats --no-stream --format '{{.MemLimit}} {{.PIDs}}' d1
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
