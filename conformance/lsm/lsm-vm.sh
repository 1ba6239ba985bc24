#!/bin/bash
# jruntime with AppArmor and SELinux enabled, and under systemd, for real: boots a Debian VM once with
# AppArmor, once with SELinux (permissive, with Debian's reference policy) and twice with systemd as
# PID 1 (--systemd-cgroup on cgroup v2 and on a hybrid layout), and runs in-vm.sh there against this
# checkout's jruntime. The machine jruntime is developed on has neither LSM enabled nor systemd
# running, and neither can be switched on for one test without changing the whole host; a VM has its
# own kernel and its own PID 1.
#
#   sudo conformance/lsm/lsm-vm.sh [apparmor|selinux|systemd|systemd-hybrid ...]     all when none is named
#
# The VM image (Debian bookworm from the machine's apt mirror: kernel, apparmor, selinux-policy-default, systemd)
# is built on first use into $JRT_LSM_VM_DIR (default /var/cache/jruntime-lsm-vm, ~1 GB, ~2 min) and
# booted with snapshot=on, so a run never changes it. The checkout and the JDK reach the VM read-only
# over virtio-9p at the same paths as here; the results come back through a third, writable share.
# Software emulation (JRT_LSM_VM_ACCEL=kvm for KVM). Prints one ok/FAIL line per check
# and ends with "N passed, N failed"; the exit code is non-zero when anything failed or a boot did not
# finish.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "lsm-vm.sh: run as root" >&2; exit 2; }
VM_DIR=${JRT_LSM_VM_DIR:-/var/cache/jruntime-lsm-vm}
# Bump when the image's contents below change, so existing images are rebuilt.
layout=4
lsms=("$@")
(( ${#lsms[@]} )) || lsms=(apparmor selinux systemd systemd-hybrid)

say() { echo "lsm-vm.sh: $*" >&2; }

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
if (( ${#need[@]} )); then
    say "installing ${need[*]}"
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; }; } \
        || { say "cannot install ${need[*]}"; exit 2; }
fi

[ -f "$top/runtime/target/java-home" ] || { say "jruntime is not built: run ./jruntime --rebuild first"; exit 2; }
java_home=$(cat "$top/runtime/target/java-home")

# The mirror the machine's apt uses (deb822 or one-line sources), so the VM comes from the same registry.
mirror() {
    local m
    m=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{ print $2 }' | grep -v security | head -1)
    [ -n "$m" ] || m=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{ print $2 }' | grep -v security | head -1)
    echo "${m:-http://deb.debian.org/debian}"
}

build_image() {
    local rootfs=$VM_DIR/rootfs
    say "building the VM image in $VM_DIR (first use)"
    rm -rf "$rootfs" "$VM_DIR"/image.ext4 "$VM_DIR"/vmlinuz "$VM_DIR"/initrd.img "$VM_DIR"/stamp
    mkdir -p "$VM_DIR"
    # coreutils' ls -Z reads SELinux labels; apparmor_parser loads profiles; load_policy the policy;
    # keyutils' keyctl reads a keyring's label; runc runs the conformance rows beside jruntime; systemd is
    # PID 1 for the --systemd-cgroup boot.
    debootstrap --variant=minbase \
        --include=linux-image-amd64,apparmor,selinux-policy-default,selinux-utils,policycoreutils,procps,kmod,udev,keyutils,runc,systemd \
        bookworm "$rootfs" "$(mirror)" >"$VM_DIR/debootstrap.log" 2>&1 \
        || { tail -20 "$VM_DIR/debootstrap.log" >&2; say "debootstrap failed (log: $VM_DIR/debootstrap.log)"; return 1; }
    # Permissive: labels are set and checked, and the reference policy need not know this test's files.
    printf 'SELINUX=permissive\nSELINUXTYPE=default\n' >"$rootfs/etc/selinux/config"
    echo jrtvm >"$rootfs/etc/hostname"
    # PID 1 (or, when systemd is PID 1, the jrt-test.service it boots into): the usual mounts where they
    # are missing, the shares named on the kernel command line, the project's in-vm.sh (so changing the
    # checks never needs a new image), then power off.
    cat >"$rootfs/sbin/jrt-vm-init" <<'INIT'
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
for kv in $(cat /proc/cmdline); do
    case $kv in jrt.*=*) k=${kv%%=*}; eval "${k#jrt.}=\${kv#*=}" ;; esac
done
mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mountpoint -q /run || mount -t tmpfs -o mode=755 tmpfs /run
mountpoint -q /tmp || mount -t tmpfs tmpfs /tmp
mountpoint -q /sys/fs/cgroup || mount -t cgroup2 cgroup2 /sys/fs/cgroup
mountpoint -q /sys/kernel/security || mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
[ -d /sys/fs/selinux ] && { mountpoint -q /sys/fs/selinux || mount -t selinuxfs selinuxfs /sys/fs/selinux 2>/dev/null; }
mkdir -p /dev/pts /dev/shm
mountpoint -q /dev/pts || mount -t devpts devpts /dev/pts
mountpoint -q /dev/shm || mount -t tmpfs tmpfs /dev/shm
ip link set lo up 2>/dev/null
for share in top:ro java:ro m2:ro out:rw; do
    name=${share%%:*}; eval "dir=\$$name"
    mkdir -p "$dir" && mount -t 9p -o "trans=virtio,version=9p2000.L,msize=262144,${share#*:}" "jrt$name" "$dir"
done
"$top/conformance/lsm/in-vm.sh" "$lsm" "$out" >"$out/in-vm.log" 2>&1
echo "$?" >"$out/in-vm.rc"
sync
umount "$out"
echo o >/proc/sysrq-trigger
sleep 60
INIT
    chmod 755 "$rootfs/sbin/jrt-vm-init"
    # The unit systemd boots into (systemd.unit=jrt-test.service): only it, not the usual boot.
    cat >"$rootfs/etc/systemd/system/jrt-test.service" <<'UNIT'
[Unit]
Description=jruntime VM checks
DefaultDependencies=no

[Service]
Type=oneshot
ExecStart=/sbin/jrt-vm-init
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
UNIT
    local kernel initrd
    kernel=$(ls "$rootfs"/boot/vmlinuz-* | tail -1)
    initrd=$(ls "$rootfs"/boot/initrd.img-* | tail -1)
    cp "$kernel" "$VM_DIR/vmlinuz" && cp "$initrd" "$VM_DIR/initrd.img" || return 1
    # An ext4 image filled from the directory (no loop device, no mount on this host).
    mkfs.ext4 -q -F -L jrtvm -d "$rootfs" "$VM_DIR/image.ext4" 3G || { say "mkfs.ext4 failed"; return 1; }
    rm -rf "$rootfs"
    echo "$layout" >"$VM_DIR/stamp"
}

if [ "$(cat "$VM_DIR/stamp" 2>/dev/null)" != "$layout" ]; then
    exec 9>"$VM_DIR.lock"
    flock 9
    [ "$(cat "$VM_DIR/stamp" 2>/dev/null)" = "$layout" ] || build_image || exit 2
    exec 9>&-
fi

# Software emulation by default: on the machines this is developed on /dev/kvm exists and takes a VM,
# but a 64-bit kernel never gets past its decompressor (nested KVM), while TCG boots in ~10 s.
# JRT_LSM_VM_ACCEL=kvm where KVM really works. TCG runs single-threaded: with one host thread per
# vCPU (thread=multi), QEMU 7.2 once ran stale translated code while the JVM's compiler threads
# rewrote its code cache on the other vCPU (a SIGILL in the middle of a JIT-compiled method, CI
# 2026-11-23); serialising the vCPUs on one thread removes that cross-modifying-code race.
# JRT_LSM_VM_ACCEL=tcg-multi keeps the faster, racy mode for trying it.
case ${JRT_LSM_VM_ACCEL:-tcg} in
    kvm) accel=(-accel kvm -cpu host,-arch-capabilities) timeout=600 ;;
    tcg-multi) accel=(-accel tcg,thread=multi -cpu max) timeout=1800 ;;
    tcg) accel=(-accel tcg,thread=single -cpu max) timeout=2400 ;;
    *) say "JRT_LSM_VM_ACCEL: tcg, tcg-multi or kvm"; exit 2 ;;
esac
"$top/config-samples/build-rootfs.sh" >/dev/null || { say "cannot build the sample rootfs"; exit 2; }
# The conformance suite's LSM rows run in the VM too: its classes, probe and classpath (Maven's local
# repository, shared read-only at the same path), built here as conformance/run.sh builds them.
if [ ! -f "$top/conformance/target/classpath.txt" ] || [ ! -x "$top/conformance/target/probe" ]; then
    build=(-q -pl conformance -DskipTests test-compile dependency:build-classpath
           -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test)
    (cd "$top" && { JAVA_HOME=$java_home mvn -o "${build[@]}" 2>/dev/null || JAVA_HOME=$java_home mvn "${build[@]}"; }) \
        || { say "cannot build the conformance module"; exit 2; }
fi
m2=$(tr ':' '\n' <"$top/conformance/target/classpath.txt" | grep -m1 '/repository/' | sed 's#/repository/.*#/repository#')
[ -d "$m2" ] || { say "no Maven repository found in conformance/target/classpath.txt"; exit 2; }

T=$(mktemp -d /tmp/jrt-lsm-vm.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
for lsm in "${lsms[@]}"; do
    case $lsm in
        apparmor) cmdline="apparmor=1 security=apparmor" ;;
        selinux) cmdline="selinux=1 security=selinux enforcing=0" ;;
        systemd) cmdline="apparmor=0 selinux=0" ;;
        # v1 controllers and systemd's cgroup2 at /sys/fs/cgroup/unified, as on the development machine
        systemd-hybrid) cmdline="apparmor=0 selinux=0 systemd.unified_cgroup_hierarchy=0" ;;
        *) say "unknown check: $lsm (apparmor, selinux, systemd or systemd-hybrid)"; exit 2 ;;
    esac
    init=/sbin/jrt-vm-init
    [[ $lsm == systemd* ]] && init="/lib/systemd/systemd systemd.unit=jrt-test.service"
    out=$T/$lsm
    mkdir -p "$out"
    echo "== $lsm"
    timeout -k 10 "$timeout" qemu-system-x86_64 "${accel[@]}" -m 2048 -smp 2 -no-reboot -display none \
        -monitor none -serial "file:$out/console.log" -nodefaults -no-user-config \
        -kernel "$VM_DIR/vmlinuz" -initrd "$VM_DIR/initrd.img" \
        -drive "file=$VM_DIR/image.ext4,if=virtio,format=raw,snapshot=on" \
        -virtfs "local,path=$top,mount_tag=jrttop,security_model=none,readonly=on" \
        -virtfs "local,path=$java_home,mount_tag=jrtjava,security_model=none,readonly=on" \
        -virtfs "local,path=$m2,mount_tag=jrtm2,security_model=none,readonly=on" \
        -virtfs "local,path=$out,mount_tag=jrtout,security_model=none" \
        -append "root=/dev/vda rw console=ttyS0 panic=-1 quiet init=$init $cmdline jrt.lsm=$lsm jrt.top=$top jrt.java=$java_home jrt.m2=$m2 jrt.out=$out" \
        </dev/null >"$out/qemu.log" 2>&1
    qrc=$?
    [ -f "$out/in-vm.log" ] && cat "$out/in-vm.log"
    for report in "$out"/hs_err_pid*.log; do
        [ -f "$report" ] && { echo "# a JVM in the VM crashed: $report"; sed -n 1,80p "$report" | sed 's/^/#   /'; }
    done
    if [ ! -f "$out/in-vm.rc" ]; then
        fail=$((fail + 1))
        echo "FAIL - $lsm: the VM did not finish (qemu exit $qrc); its console:"
        tail -40 "$out/console.log" "$out/qemu.log" 2>/dev/null
        continue
    fi
    p=$(grep -c '^ok ' "$out/in-vm.log") f=$(grep -c '^FAIL ' "$out/in-vm.log")
    pass=$((pass + p)) fail=$((fail + f))
    if [ "$(cat "$out/in-vm.rc")" != 0 ] && [ "$f" -eq 0 ]; then
        fail=$((fail + 1))
        echo "FAIL - $lsm: in-vm.sh exited $(cat "$out/in-vm.rc")"
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
