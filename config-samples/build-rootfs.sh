#!/bin/sh
# Builds the busybox root filesystem the sample bundles share: config-samples/rootfs.
#
#   ./build-rootfs.sh            build it if missing or out of date (quick no-op otherwise)
#   ./build-rootfs.sh --force    throw it away and build it again
#   ROOTFS=/some/dir ./build-rootfs.sh   build somewhere else
#
# Needs a statically linked busybox at /bin/busybox. On Debian/Ubuntu it is installed from
# busybox-static when missing or dynamic (apt-get update only if the install fails). Run as root
# so that the files belong to root and /home/user to uid 1000, as in a real image.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
rootfs=${ROOTFS:-$here/rootfs}
busybox=/bin/busybox
# Bump when the layout below changes, so existing trees are rebuilt.
layout_version=1
stamp_name=.jruntime-rootfs

force=0
for arg in "$@"; do
    case $arg in
        --force | -f) force=1 ;;
        --help | -h)
            sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "build-rootfs.sh: unknown argument: $arg (try --help)" >&2
            exit 2
            ;;
    esac
done

say() { echo "build-rootfs.sh: $*"; }
die() {
    echo "build-rootfs.sh: $*" >&2
    exit 1
}

is_static() {
    [ -x "$1" ] || return 1
    if command -v readelf >/dev/null 2>&1; then
        # A dynamic executable names its loader in a PT_INTERP program header.
        ! readelf -l "$1" 2>/dev/null | grep -q 'INTERP'
    elif command -v file >/dev/null 2>&1; then
        file -L "$1" | grep -q 'statically linked'
    else
        ldd "$1" 2>&1 | grep -q 'not a dynamic executable'
    fi
}

ensure_busybox() {
    if is_static "$busybox"; then
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || die "$busybox is missing or not static, and there is no apt-get to install busybox-static"
    [ "$(id -u)" -eq 0 ] || die "$busybox is missing or not static; run as root to install busybox-static"
    say "installing busybox-static"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y busybox-static >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y busybox-static >/dev/null
    fi
    is_static "$busybox" || die "$busybox is still not a static executable after installing busybox-static"
}

ensure_busybox
busybox_sum=$(cksum <"$busybox")
stamp_text="layout=$layout_version busybox=$busybox_sum"

if [ "$force" -eq 0 ] && [ -f "$rootfs/$stamp_name" ] && [ "$(cat "$rootfs/$stamp_name")" = "$stamp_text" ]; then
    say "$rootfs is up to date (use --force to rebuild)"
    exit 0
fi

# Build beside the target, then swap it in, so an interrupted build never leaves half a tree.
parent=$(dirname "$rootfs")
mkdir -p "$parent"
work=$(mktemp -d "$parent/.rootfs-build.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# Directories. Mount points for the sample configs: /proc /sys /dev (and /dev/pts, /dev/shm,
# /dev/mqueue are created on the /dev tmpfs by the runtime) and /sys/fs/cgroup inside sysfs.
for d in bin sbin usr/bin usr/sbin etc proc sys dev tmp var/tmp run root home/user mnt; do
    mkdir -p "$work/$d"
done
chmod 0755 "$work"
chmod 1777 "$work/tmp" "$work/var/tmp"
chmod 0700 "$work/root"

# busybox and one symlink per applet in /bin (sh, ls, cat, echo, id, hostname, sleep, true,
# false, ps, mount, ...). /usr/bin/env too, for scripts that start with #!/usr/bin/env.
cp "$busybox" "$work/bin/busybox"
chmod 0755 "$work/bin/busybox"
for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$work/bin/$applet"
done
ln -sf ../../bin/busybox "$work/usr/bin/env"
for required in sh ls cat echo id hostname sleep true false ps mount mkdir touch; do
    [ -e "$work/bin/$required" ] || die "busybox at $busybox has no '$required' applet"
done

# Users: root, a normal user 1000 and nobody (65534).
cat >"$work/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$work/etc/group" <<'GROUP'
root:x:0:
tty:x:5:
user:x:1000:
nogroup:x:65534:
GROUP
cat >"$work/etc/hosts" <<'HOSTS'
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
HOSTS
echo jruntime >"$work/etc/hostname"
: >"$work/etc/resolv.conf"
ln -sf /proc/mounts "$work/etc/mtab"
chmod 0644 "$work/etc/passwd" "$work/etc/group" "$work/etc/hosts" "$work/etc/hostname" "$work/etc/resolv.conf"

if [ "$(id -u)" -eq 0 ]; then
    chown -R 0:0 "$work"
    chown 1000:1000 "$work/home/user"
else
    say "not root: files stay owned by $(id -un); /home/user is not given to uid 1000"
fi
echo "$stamp_text" >"$work/$stamp_name"

rm -rf "$rootfs"
mv "$work" "$rootfs"
trap - EXIT INT TERM
say "built $rootfs ($(ls "$rootfs/bin" | wc -l) entries in /bin)"
