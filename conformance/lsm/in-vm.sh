#!/bin/bash
# Runs inside the test VM (see lsm-vm.sh), as root, with the checkout at the same path as on the
# host: loads a test AppArmor profile or the SELinux policy, then checks what containers see from the
# inside when process.apparmorProfile, process.selinuxLabel and linux.mountLabel are set; or, with
# systemd as PID 1, checks --systemd-cgroup from both sides.
#
#   in-vm.sh apparmor|selinux|systemd|systemd-hybrid OUT_DIR
#
# One ok/FAIL line per check. Every container is deleted at the end of its check and the state,
# cgroups and processes are checked to be gone.
set -uo pipefail
lsm=$1
outdir=${2:-/tmp}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
JRUNTIME=$top/jruntime
T=$(mktemp -d /tmp/lsm.XXXXXX)
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "ok   - $lsm: $*"; }
nok() { fail=$((fail + 1)); echo "FAIL - $lsm: $*"; }
j() { timeout -k 5 60 "$JRUNTIME" "$@"; }

# The sample rootfs on the VM's tmpfs (the share is read-only), with a directory the AppArmor profile
# denies writes to and one to mask.
cp -a "$top/config-samples/rootfs" "$T/rootfs" || { nok "copy the sample rootfs"; exit 1; }
mkdir -p "$T/rootfs/denied" "$T/rootfs/masked" "$T/rootfs/mnt/t"
echo secret >"$T/rootfs/masked/file"

# bundle NAME ARGS_JSON [PROCESS_FIELDS] [LINUX_FIELDS]: a bundle at $T/NAME; the *_FIELDS are JSON
# members (with a leading comma) added to process and linux.
bundle() {
    local dir=$T/$1
    mkdir -p "$dir"
    cat >"$dir/config.json" <<JSON
{
  "ociVersion": "1.3.0",
  "process": {
    "user": {"uid": 0, "gid": 0},
    "args": $2,
    "env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
    "cwd": "/",
    "noNewPrivileges": true,
    "capabilities": {
      "bounding": ["CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_CHOWN", "CAP_DAC_OVERRIDE"],
      "effective": ["CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_CHOWN", "CAP_DAC_OVERRIDE"],
      "permitted": ["CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_CHOWN", "CAP_DAC_OVERRIDE"]
    }${3:-}
  },
  "root": {"path": "$T/rootfs"},
  "hostname": "lsm",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
    {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/mnt/t", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}
  ],
  "linux": {
    "namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "network"}],
    "maskedPaths": ["/masked", "/proc/kcore"]${4:-}
  }
}
JSON
    echo "$dir"
}

# expect NAME WANT_RC REGEX -- command...: the command's exit code and combined output.
expect() {
    local name=$1 want_rc=$2 want=$3; shift 4
    local out rc
    out=$("$@" 2>&1 | tr -d '\0'; exit "${PIPESTATUS[0]}"); rc=$?   # attr/current ends in a NUL
    if [ "$rc" -ne "$want_rc" ]; then
        nok "$name: exit $rc, wanted $want_rc; output: $out"
    elif ! grep -Eq -- "$want" <<<"$out"; then
        nok "$name: output does not match /$want/: $out"
    else
        ok "$name"
    fi
}

# nothing_left NAME ID: no state dir, no container in list, no cgroup, no process of the bundle.
nothing_left() {
    local left=
    [ -e "/run/jruntime/$2" ] && left+=" state-dir"
    j list -q | grep -qx "$2" && left+=" listed"
    [ -n "$(find /sys/fs/cgroup -type d -name "*$2*" 2>/dev/null)" ] && left+=" cgroup"
    pgrep -f "$T/rootfs" >/dev/null && left+=" process"
    if [ -z "$left" ]; then ok "$1: nothing left behind"; else nok "$1: left behind:$left"; fi
}

# running ID BUNDLE: create, so the init is up (waiting on its exec fifo).
running() { j create --bundle "$2" "$1" >/dev/null 2>"$T/$1.err" || { nok "create $1: $(cat "$T/$1.err")"; return 1; }; }
gone() { j delete -f "$1" >/dev/null 2>&1; }

compact() { tr -d ' \t\n' <<<"$1"; }

# conformance_rows REGEX: the conformance suite's rows for this LSM (conformance/, the same test methods
# that are "not applicable" on the development machine), jruntime's gating, runc's beside it for the record.
conformance_rows() {
    local cp java_home out jr rc
    java_home=$(cat "$top/runtime/target/java-home")
    cp="$top/conformance/target/classes:$top/conformance/target/test-classes:$(cat "$top/conformance/target/classpath.txt")"
    local runtimes=("jruntime=$JRUNTIME")
    [ -x /usr/sbin/runc ] && runtimes+=("runc=/usr/sbin/runc")
    # A JVM crash report goes to the results share, so that the host sees what the emulator did.
    out=$(cd "$T" && timeout -k 5 900 "$java_home/bin/java" --enable-native-access=ALL-UNNAMED \
        -XX:ErrorFile="$outdir/hs_err_pid%p.log" \
        -Dconformance.probe="$top/conformance/target/probe" -Dconformance.busybox="$top/config-samples/rootfs/bin/busybox" \
        -Dconformance.reportDir="$T/conformance-report" -Dconformance.workDir="$T" -Dconformance.apparmorProfile=jrt-test \
        -cp "$cp" io.jruntime.conformance.Runner --tests "$1" "${runtimes[@]}" 2>&1)
    rc=$?
    grep '^== ' <<<"$out" | sed 's/^/# /'
    jr=$(grep '^== jruntime: ' <<<"$out")
    if [[ $jr =~ ^==\ jruntime:\ ([0-9]+)\ passed,\ 0\ failed ]] && (( BASH_REMATCH[1] > 0 )); then
        ok "conformance rows /$1/: ${jr#== }"
    else
        nok "conformance rows /$1/ (exit $rc): $(tail -30 <<<"$out")"
    fi
}
features=$(compact "$(j features)")

case $lsm in
apparmor)
    [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] || { nok "AppArmor is not enabled in the VM"; exit 1; }
    # Confines like a container profile would, but denies writes below /denied so the profile is
    # seen working, not only named. jrt-other is the same with another name, for exec --apparmor.
    for name in jrt-test jrt-other; do
        cat >"$T/$name.profile" <<PROFILE
profile $name flags=(attach_disconnected,mediate_deleted) {
  file,
  capability,
  network,
  signal,
  ptrace,
  unix,
  mount,
  umount,
  pivot_root,
  deny /denied/** w,
}
PROFILE
        apparmor_parser -r "$T/$name.profile" || { nok "apparmor_parser $name"; exit 1; }
    done
    grep -q '"apparmor":{"enabled":true}' <<<"$features" && ok "features: apparmor enabled" || nok "features: $features"
    grep -q '"selinux":{"enabled":false}' <<<"$features" && ok "features: selinux not enabled" || nok "features: $features"

    b=$(bundle plain '["cat", "/proc/self/attr/current"]')
    expect "no profile: the process is unconfined" 0 '^unconfined$' -- j run --bundle "$b" plain
    nothing_left "no profile" plain

    b=$(bundle confined '["cat", "/proc/self/attr/current"]' ', "apparmorProfile": "jrt-test"')
    expect "process.apparmorProfile is the process's profile (with no_new_privs)" 0 '^jrt-test \(enforce\)$' -- j run --bundle "$b" confined
    nothing_left "confined run" confined

    b=$(bundle enforced '["sh", "-c", "echo x >/ok && echo wrote /ok; echo x >/denied/f || echo refused /denied/f"]' ', "apparmorProfile": "jrt-test"')
    expect "the profile is enforced: a denied write fails, others work" 0 '^wrote /ok$' -- j run --bundle "$b" enforced
    expect "the profile is enforced: the denied write says permission denied" 0 'denied/f: Permission denied' -- j run --bundle "$b" enforced2
    [ -e "$T/rootfs/denied/f" ] && nok "the denied file exists" || ok "the denied file was not created"
    rm -f "$T/rootfs/ok"

    b=$(bundle userns '["cat", "/proc/self/attr/current"]' ', "apparmorProfile": "jrt-test"' \
        ', "uidMappings": [{"containerID": 0, "hostID": 0, "size": 65536}], "gidMappings": [{"containerID": 0, "hostID": 0, "size": 65536}]')
    sed -i 's/{"type": "pid"}/{"type": "user"}, {"type": "pid"}/' "$b/config.json"
    expect "a user namespace container gets its profile" 0 '^jrt-test \(enforce\)$' -- j run --bundle "$b" userns

    b=$(bundle detached '["sleep", "300"]' ', "apparmorProfile": "jrt-test"')
    if running det "$b"; then
        j start det
        pid=$(j state det | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
        expect "the init's profile seen from the host" 0 '^jrt-test \(enforce\)$' -- cat "/proc/$pid/attr/current"
        expect "exec inherits the container's profile" 0 '^jrt-test \(enforce\)$' -- j exec det cat /proc/self/attr/current
        expect "exec --apparmor gives the process another profile" 0 '^jrt-other \(enforce\)$' -- j exec --apparmor jrt-other det cat /proc/self/attr/current
        expect "exec --apparmor with an unknown profile fails, naming it" 1 'unable to apply apparmor profile \\?"jrt-missing\\?": write /proc/self/attr/apparmor/exec' -- j exec --apparmor jrt-missing det true
        expect "the container runs on after the failed exec" 0 '"status": *"running"' -- j state det
        gone det
    fi
    nothing_left "detached container" det

    b=$(bundle missing '["true"]' ', "apparmorProfile": "jrt-missing"')
    expect "an unknown profile fails create, naming it" 1 'unable to apply apparmor profile \\?"jrt-missing\\?": write /proc/self/attr/apparmor/exec' -- j create --bundle "$b" missing
    nothing_left "unknown profile" missing
    conformance_rows 'apparmorProfile'

    ;;
selinux)
    [ -e /sys/fs/selinux/enforce ] || { nok "selinuxfs is not mounted: SELinux is not enabled in the VM"; exit 1; }
    load_policy || { nok "load_policy"; exit 1; }
    # A valid label: /sys/fs/selinux/context answers EINVAL for an invalid one. Debian's reference policy
    # has the container module; with MCS the categories are what separates containers.
    valid() { printf '%s' "$1" >/sys/fs/selinux/context 2>/dev/null; }
    level=:s0:c1,c2
    [ "$(cat /sys/fs/selinux/mls)" = 1 ] || level=
    proc= file=
    for t in container_t spc_t initrc_t; do valid "system_u:system_r:$t$level" && { proc=system_u:system_r:$t$level; break; }; done
    for t in container_file_t tmpfs_t; do valid "system_u:object_r:$t$level" && { file=system_u:object_r:$t$level; break; }; done
    [ -n "$proc" ] && [ -n "$file" ] || { nok "no valid process/file label in the loaded policy"; exit 1; }
    other=${proc/c1,c2/c3,c4}
    [ "$other" != "$proc" ] || other=system_u:system_r:initrc_t
    echo "# labels: process $proc, mount $file"
    grep -q '"selinux":{"enabled":true}' <<<"$features" && ok "features: selinux enabled" || nok "features: $features"

    b=$(bundle plain '["cat", "/proc/self/attr/current"]')
    expect "no label: a plain container still runs" 0 'system_u:' -- j run --bundle "$b" plain
    nothing_left "no label" plain

    labels=", \"selinuxLabel\": \"$proc\""
    mount_label=", \"mountLabel\": \"$file\""
    b=$(bundle labelled '["cat", "/proc/self/attr/current"]' "$labels" "$mount_label")
    expect "process.selinuxLabel is the process's context" 0 "^$proc\$" -- j run --bundle "$b" labelled
    nothing_left "labelled run" labelled

    # The context= a mount got shows in mountinfo's super options (the label's commas quoted).
    b=$(bundle mounts '["cat", "/proc/self/mountinfo"]' "$labels" "$mount_label")
    out=$(j run --bundle "$b" mounts 2>&1)
    for m in /dev /dev/shm /dev/pts /mnt/t /masked; do
        line=$(awk -v m="$m" '$5 == m' <<<"$out" | tail -1)
        if grep -qF "context=\"$file\"" <<<"$line" || grep -qF "context=$file" <<<"$line"; then
            ok "linux.mountLabel: $m has context=$file"
        else
            nok "linux.mountLabel: $m: ${line:-not mounted}"
        fi
    done
    line=$(awk '$5 == "/proc"' <<<"$out" | tail -1)
    grep -q 'context=' <<<"$line" && nok "proc must not get context=: $line" || ok "linux.mountLabel: /proc has no context="

    b=$(bundle detached '["sleep", "300"]' "$labels" "$mount_label")
    if running det "$b"; then
        pid=$(j state det | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
        expect "mqueue's root carries the mount label" 0 "$file" -- ls -Zd "/proc/$pid/root/dev/mqueue"
        # The session keyring the init joined (_ses.ID) was created under the process label (SetKeyLabel).
        ring=$(awk '$9 == "_ses.det:" { print $1 }' /proc/keys)
        expect "the container's session keyring carries the process label" 0 "^$proc\$" -- keyctl security "$((16#${ring:-0}))"
        j start det
        expect "the init's context seen from the host" 0 "^$proc\$" -- cat "/proc/$pid/attr/current"
        expect "exec inherits the container's label" 0 "^$proc\$" -- j exec det cat /proc/self/attr/current
        expect "exec --process-label gives the process another label" 0 "^$other\$" -- j exec --process-label "$other" det cat /proc/self/attr/current
        expect "exec with an invalid label fails, naming it" 1 'set selinux label \\?"system_u:system_r:no_such_t:s0\\?": write /proc/self/attr/(keycreate|exec): invalid argument' -- j exec --process-label system_u:system_r:no_such_t:s0 det true
        gone det
    fi
    nothing_left "detached container" det

    b=$(bundle badlabel '["true"]' ', "selinuxLabel": "system_u:system_r:no_such_t:s0"')
    expect "an invalid process label fails create, naming it" 1 'set selinux label \\?"system_u:system_r:no_such_t:s0\\?": write /proc/self/attr/(keycreate|exec): invalid argument' -- j create --bundle "$b" badlabel
    nothing_left "invalid process label" badlabel
    conformance_rows 'selinuxLabel|mountLabel'
    b=$(bundle badmount '["true"]' "" ', "mountLabel": "system_u:object_r:no_such_t:s0"')
    expect "an invalid mount label fails create at the first labelled mount" 1 'mount tmpfs to /dev' -- j create --bundle "$b" badmount
    nothing_left "invalid mount label" badmount
    ;;
systemd|systemd-hybrid)
    # --systemd-cgroup on a host where systemd is PID 1 (the VM boots it): on cgroup v2 as systemd 252 sets
    # it up, or (systemd-hybrid) on v1 controllers plus a cgroup2 mount, as the development machine has.
    [ "$(cat /proc/1/comm)" = systemd ] && [ -d /run/systemd/system ] || { nok "systemd is not PID 1 in the VM"; exit 1; }
    fstype=$(stat -fc %T /sys/fs/cgroup)
    if [ "$lsm" = systemd ]; then
        want=cgroup2fs v2=1
    else
        want=tmpfs v2=
    fi
    if [ "$fstype" = "$want" ]; then
        ok "systemd $(systemctl --version | awk 'NR == 1 { print $2 }') is PID 1, /sys/fs/cgroup is $fstype"
    else
        nok "/sys/fs/cgroup is $fstype, wanted $want"
    fi
    sd() { j --systemd-cgroup "$@"; }
    prop() { systemctl show -p "$2" --value "$1"; }
    # cg CONTROLLER FILE: the file of jrt-sd1.scope that holds a controller's setting on this layout
    cg() {
        if [ -n "$v2" ]; then echo "/sys/fs/cgroup/system.slice/jrt-sd1.scope/$2"; return; fi
        local d
        d=$(ls -d /sys/fs/cgroup/"$1" /sys/fs/cgroup/"$1",* /sys/fs/cgroup/*,"$1" 2>/dev/null | head -1)
        echo "$d/system.slice/jrt-sd1.scope/$2"
    }
    # The line of /proc/PID/cgroup to compare: the cgroup2 one on v2, the memory controller's on v1.
    own='grep :memory: /proc/self/cgroup || cat /proc/self/cgroup'
    line() { grep :memory: "/proc/$1/cgroup" || cat "/proc/$1/cgroup"; }
    at='^(0:|[0-9]+:memory):'

    b=$(bundle sd1 '["sleep", "600"]' "" ', "cgroupsPath": "system.slice:jrt:sd1",
        "resources": {"memory": {"limit": 67108864}, "pids": {"limit": 50}, "cpu": {"shares": 512, "quota": 25000, "period": 100000}}')
    ann='"annotations": {"org.systemd.property.CollectMode": "'\''inactive-or-failed'\''", "org.systemd.property.TimeoutStopSec": "15"},'
    sed -i "s/\"ociVersion\": \"1.3.0\",/&$ann/" "$b/config.json"
    if sd create --bundle "$b" sd1 >/dev/null 2>"$T/sd1.err"; then
        ok "create --systemd-cgroup"
        expect "the container's scope is active" 0 '^active$' -- systemctl is-active jrt-sd1.scope
        expect "the scope delegates its cgroup" 0 '^yes$' -- prop jrt-sd1.scope Delegate
        expect "the scope is in the slice cgroupsPath names" 0 '^/system.slice/jrt-sd1.scope$' -- prop jrt-sd1.scope ControlGroup
        if [ -n "$v2" ]; then
            expect "systemd has the memory limit" 0 '^67108864$' -- prop jrt-sd1.scope MemoryMax
            expect "systemd's CPUWeight is the cpu.weight written" 0 "^$(cat "$(cg cpu cpu.weight)" 2>&1)\$" -- prop jrt-sd1.scope CPUWeight
        else
            expect "systemd has the memory limit" 0 '^67108864$' -- prop jrt-sd1.scope MemoryLimit
            expect "systemd has the cpu shares" 0 '^512$' -- prop jrt-sd1.scope CPUShares
        fi
        expect "systemd has the pids limit" 0 '^50$' -- prop jrt-sd1.scope TasksMax
        expect "systemd has the cpu quota" 0 '^250ms$' -- prop jrt-sd1.scope CPUQuotaPerSecUSec
        expect "org.systemd.property annotations are unit properties" 0 '^inactive-or-failed$' -- prop jrt-sd1.scope CollectMode
        expect "a ...Sec annotation is converted to USec" 0 '^15s$' -- prop jrt-sd1.scope TimeoutStopUSec
        pid=$(j state sd1 | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
        expect "the init is in the scope" 0 "$at/system.slice/jrt-sd1.scope\$" -- line "$pid"
        if [ -n "$v2" ]; then
            expect "the scope's memory.max" 0 '^67108864$' -- cat "$(cg memory memory.max)"
            expect "the scope's cpu.max" 0 '^25000 100000$' -- cat "$(cg cpu cpu.max)"
        else
            expect "the scope's memory.limit_in_bytes" 0 '^67108864$' -- cat "$(cg memory memory.limit_in_bytes)"
            expect "the scope's cpu.cfs_quota_us" 0 '^25000$' -- cat "$(cg cpu cpu.cfs_quota_us)"
            expect "the init is in the devices hierarchy's scope too (made by jruntime)" 0 ':devices:/system.slice/jrt-sd1.scope$' -- grep :devices: "/proc/$pid/cgroup"
            expect "and in the freezer's" 0 ':freezer:/system.slice/jrt-sd1.scope$' -- grep :freezer: "/proc/$pid/cgroup"
        fi
        expect "the scope's pids.max" 0 '^50$' -- cat "$(cg pids pids.max)"
        sd start sd1
        expect "exec joins the scope" 0 "$at/system.slice/jrt-sd1.scope\$" -- j exec sd1 sh -c "$own"
        expect "update" 0 '' -- j update --memory 134217728 sd1
        if [ -n "$v2" ]; then
            expect "update reaches systemd" 0 '^134217728$' -- prop jrt-sd1.scope MemoryMax
            expect "update reaches memory.max" 0 '^134217728$' -- cat "$(cg memory memory.max)"
        else
            expect "update reaches systemd" 0 '^134217728$' -- prop jrt-sd1.scope MemoryLimit
            expect "update reaches memory.limit_in_bytes" 0 '^134217728$' -- cat "$(cg memory memory.limit_in_bytes)"
        fi
        expect "pause" 0 '' -- j pause sd1
        if [ -n "$v2" ]; then
            expect "pause freezes the scope" 0 '^1$' -- cat "$(cg freezer cgroup.freeze)"
        else
            expect "pause freezes the scope" 0 '^FROZEN$' -- cat "$(cg freezer freezer.state)"
        fi
        expect "resume" 0 '' -- j resume sd1
        expect "delete --force" 0 '' -- j delete --force sd1
        expect "delete stops the scope" 3 '^inactive$' -- systemctl is-active jrt-sd1.scope
    else
        nok "create --systemd-cgroup: $(cat "$T/sd1.err")"
        gone sd1
    fi
    nothing_left "systemd scope" sd1

    b=$(bundle sd2 "[\"sh\", \"-c\", \"$own\"]")
    expect "no cgroupsPath: the default scope, named after the container" 0 "$at/system.slice/jruntime-sd2.scope\$" -- sd run --bundle "$b" sd2
    expect "run's scope is gone after the run" 3 '^inactive$' -- systemctl is-active jruntime-sd2.scope
    nothing_left "default scope" sd2

    b=$(bundle sd3 "[\"sh\", \"-c\", \"$own; exit 3\"]" "" ', "cgroupsPath": "machine-jrt.slice:jrt:sd3"')
    expect "a nested slice, and the exit code of run" 3 "$at/machine.slice/machine-jrt.slice/jrt-sd3.scope\$" -- sd run --bundle "$b" sd3
    nothing_left "nested slice" sd3

    b=$(bundle sd4 '["true"]' "" ', "cgroupsPath": "/not/systemd"')
    expect "a cgroupfs path is refused with --systemd-cgroup" 1 'linux.cgroupsPath.*slice:prefix:name' -- sd create --bundle "$b" sd4
    nothing_left "refused path" sd4

    b=$(bundle sd5 '["true"]' "" ', "cgroupsPath": "a--b.slice:jrt:sd5"')
    expect "an invalid slice is refused before anything is made" 1 'invalid slice name: a--b.slice' -- sd create --bundle "$b" sd5
    nothing_left "invalid slice" sd5

    b=$(bundle fs1 "[\"sh\", \"-c\", \"$own\"]" "" ', "cgroupsPath": "/jrt-fs1"')
    expect "without the flag, cgroupfs still works on a systemd host" 0 "$at/jrt-fs1\$" -- j run --bundle "$b" fs1
    nothing_left "cgroupfs beside systemd" fs1

    # Rootless: systemd user managers are not supported yet; a user's --systemd-cgroup create says so and
    # leaves nothing behind.
    id jrtu >/dev/null 2>&1 || useradd -m -u 1000 jrtu
    mkdir -p -m 700 /run/user/1000 && chown 1000:1000 /run/user/1000 # the state's place, as login makes it
    rl=/tmp/jrt-rootless
    rm -rf "$rl" && mkdir -p "$rl/b" && cp -a "$T/rootfs" "$rl/b/rootfs" && chmod 755 "$rl" && chown jrtu "$rl/b"
    as_user() { setpriv --reuid 1000 --regid 1000 --init-groups env HOME=/home/jrtu XDG_RUNTIME_DIR=/run/user/1000 "$@"; }
    as_user "$JRUNTIME" spec --rootless --bundle "$rl/b"
    sed -i -e 's/"terminal": true/"terminal": false/' -e 's/^\t\t\t"sh"$/\t\t\t"sleep", "600"/' "$rl/b/config.json"
    expect "rootless --systemd-cgroup is refused, saying why" 1 'systemd user managers are not supported' -- \
        as_user "$JRUNTIME" --systemd-cgroup create --bundle "$rl/b" rl1
    left=$( { [ -e /run/user/1000/jruntime/rl1 ] && echo state-dir; find /sys/fs/cgroup -name '*rl1*'; } 2>/dev/null)
    [ -z "$left" ] && ok "rootless refusal: nothing left behind" || nok "rootless refusal: left behind: $left"
    rm -rf "$rl"
    ;;
*)
    echo "in-vm.sh: unknown LSM $lsm" >&2
    exit 2
    ;;
esac
rm -rf "$T"
[ "$fail" -eq 0 ]
