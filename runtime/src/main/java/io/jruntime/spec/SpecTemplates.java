package io.jruntime.spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The config.json that {@code spec} writes: the same document as {@code runc spec} (runc 1.1, the
 * one installed here), with {@code ociVersion} 1.3.0, and what {@code spec --rootless} changes.
 */
public final class SpecTemplates {
    private SpecTemplates() {}

    private static final List<String> DEFAULT_CAPS = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    /** {@link #defaultSpec(boolean)} for this host: a cgroup namespace is added on a cgroup v2 (unified) host. */
    public static Spec defaultSpec() {
        return defaultSpec(Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")));
    }

    /**
     * A busybox-friendly starter config: {@code sh} on a terminal as root in a read-only {@code rootfs},
     * three capabilities, the usual /proc, /dev, /sys mounts, new pid, network, ipc, uts and mount
     * namespaces (and cgroup when {@code cgroupV2}), all devices denied in the device cgroup.
     */
    public static Spec defaultSpec(boolean cgroupV2) {
        LinuxCapabilities caps = new LinuxCapabilities(DEFAULT_CAPS, DEFAULT_CAPS, null, DEFAULT_CAPS, DEFAULT_CAPS);
        Process process = new Process(true, null, User.of(0, 0), List.of("sh"), null,
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"),
                "/", caps, List.of(new PosixRlimit("RLIMIT_NOFILE", 1024L, 1024L)), true,
                null, null, null, null, null, null);
        List<Mount> mounts = List.of(
                Mount.of("/proc", "proc", "proc", null),
                Mount.of("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                Mount.of("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                Mount.of("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                Mount.of("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                Mount.of("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                Mount.of("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
        List<LinuxNamespace> namespaces = new ArrayList<>(List.of(
                LinuxNamespace.of(LinuxNamespace.PID),
                LinuxNamespace.of(LinuxNamespace.NETWORK),
                LinuxNamespace.of(LinuxNamespace.IPC),
                LinuxNamespace.of(LinuxNamespace.UTS),
                LinuxNamespace.of(LinuxNamespace.MOUNT)));
        if (cgroupV2) {
            namespaces.add(LinuxNamespace.of(LinuxNamespace.CGROUP));
        }
        Linux linux = Linux.of(
                List.copyOf(namespaces),
                LinuxResources.ofDevices(List.of(new LinuxDeviceCgroup(false, null, null, null, "rwm"))),
                List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"),
                List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        return Spec.of(KnownValues.OCI_VERSION, process, new Root("rootfs", true), "runc", mounts, null, null, linux);
    }

    /**
     * What {@code spec --rootless} changes for a user with effective ids {@code uid}/{@code gid}:
     * no network namespace (an unprivileged user cannot configure one) and a new user namespace mapping
     * container root to that user; /sys bind-mounted from the host instead of a new sysfs (which needs a
     * network namespace); {@code uid=}/{@code gid=} mount options dropped (those ids are unmapped);
     * no cgroup resources (an unprivileged user usually cannot write cgroups).
     */
    public static Spec rootless(Spec spec, long uid, long gid) {
        Linux linux = spec.linux() != null ? spec.linux() : Linux.of(null, null, null, null);
        List<LinuxNamespace> namespaces = new ArrayList<>();
        for (LinuxNamespace ns : linux.namespaceList()) {
            if (!LinuxNamespace.NETWORK.equals(ns.type()) && !LinuxNamespace.USER.equals(ns.type())) {
                namespaces.add(ns);
            }
        }
        namespaces.add(LinuxNamespace.of(LinuxNamespace.USER));
        linux = linux.withNamespaces(List.copyOf(namespaces))
                .withUidMappings(List.of(LinuxIdMapping.of(0, uid, 1)))
                .withGidMappings(List.of(LinuxIdMapping.of(0, gid, 1)))
                .withResources(null);

        List<Mount> mounts = new ArrayList<>();
        for (Mount m : spec.mountList()) {
            if ("/sys".equals(clean(m.destination()))) {
                mounts.add(Mount.of("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")));
                continue;
            }
            if (m.options() == null) {
                mounts.add(m);
                continue;
            }
            List<String> options = m.options().stream()
                    .filter(o -> !o.startsWith("gid=") && !o.startsWith("uid="))
                    .toList();
            mounts.add(m.withOptions(options.isEmpty() ? null : options));
        }
        return spec.withLinux(linux).withMounts(List.copyOf(mounts));
    }

    /** Lexical path cleaning like Go's filepath.Clean, enough to recognise "/sys", "/sys/" or "//sys". */
    static String clean(String path) {
        if (path == null || path.isEmpty()) {
            return ".";
        }
        String normalized = Path.of(path).normalize().toString();
        return normalized.isEmpty() ? "." : normalized;
    }
}
