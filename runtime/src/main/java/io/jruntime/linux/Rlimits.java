package io.jruntime.linux;

import java.util.List;

/** RLIMIT_* names of getrlimit(2) to their numbers. */
public final class Rlimits {
    /** Index = resource number. */
    public static final List<String> NAMES = List.of("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK",
            "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS",
            "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    private Rlimits() {}

    /** The resource number, or -1 for a name the kernel has no interface for. */
    public static int number(String type) {
        return type == null ? -1 : NAMES.indexOf(type);
    }
}
