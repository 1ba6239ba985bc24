package io.jruntime.cgroups;

import java.util.function.Consumer;

/**
 * Where the cgroup code reports settings it accepts but cannot honour (kernel memory limits on kernels that
 * dropped them, swappiness on cgroup v2 ...): one line each, {@code jruntime: warning: ...} on stderr by default.
 */
public final class Warnings {
    private static volatile Consumer<String> sink = line -> System.err.println("jruntime: warning: " + line);

    private Warnings() {}

    public static void warn(String message) {
        sink.accept(message);
    }

    /** Redirects warnings (the CLI sends them to its log; tests collect them). Returns the previous sink. */
    public static Consumer<String> setSink(Consumer<String> newSink) {
        Consumer<String> old = sink;
        sink = newSink;
        return old;
    }
}
