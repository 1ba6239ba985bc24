package io.jruntime.linux;

import java.util.Map;

/** The spec's namespace types and their CLONE_NEW* flags. */
public final class Namespaces {
    public static final long CLONE_NEWTIME = 0x80, CLONE_NEWNS = 0x20000, CLONE_NEWCGROUP = 0x02000000,
            CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000,
            CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;

    public static final Map<String, Long> FLAGS = Map.of("pid", CLONE_NEWPID, "network", CLONE_NEWNET,
            "mount", CLONE_NEWNS, "ipc", CLONE_NEWIPC, "uts", CLONE_NEWUTS, "user", CLONE_NEWUSER,
            "cgroup", CLONE_NEWCGROUP, "time", CLONE_NEWTIME);

    private Namespaces() {}

    /** The flag of a type, or 0 for an unknown type. */
    public static long flag(String type) {
        return FLAGS.getOrDefault(type, 0L);
    }
}
