package io.jruntime.linux;

import java.util.ArrayList;
import java.util.List;

/** capabilities(7) names to bit numbers, and the five sets of process.capabilities as 64-bit masks. */
public final class Capabilities {
    /** Index = capability number (include/uapi/linux/capability.h). */
    public static final List<String> NAMES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
            "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    /** The five sets as masks, plus the names that could not be granted (to log as warnings). */
    public record Sets(long bounding, long effective, long inheritable, long permitted, long ambient,
                       List<String> unknown) {}

    private Capabilities() {}

    /** The number of a name (with or without the CAP_ prefix, any case), or -1. */
    public static int number(String name) {
        String n = name.toUpperCase();
        return NAMES.indexOf(n.startsWith("CAP_") ? n : "CAP_" + n);
    }

    /**
     * Masks of the given sets. Names unknown to jruntime, or above the kernel's {@code capLastCap}, are left
     * out and listed in {@link Sets#unknown()}: the spec says to warn, not to fail.
     */
    public static Sets of(io.jruntime.spec.LinuxCapabilities caps, int capLastCap) {
        List<String> unknown = new ArrayList<>();
        return new Sets(mask(caps.bounding(), capLastCap, unknown), mask(caps.effective(), capLastCap, unknown),
                mask(caps.inheritable(), capLastCap, unknown), mask(caps.permitted(), capLastCap, unknown),
                mask(caps.ambient(), capLastCap, unknown), List.copyOf(unknown));
    }

    static long mask(List<String> names, int capLastCap, List<String> unknown) {
        long m = 0;
        for (String name : names == null ? List.<String>of() : names) {
            int n = number(name);
            if (n < 0 || n > capLastCap) {
                if (!unknown.contains(name)) {
                    unknown.add(name);
                }
            } else {
                m |= 1L << n;
            }
        }
        return m;
    }
}
