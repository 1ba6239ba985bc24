package io.jruntime.init;

/** The orchestrator's hook points during {@link NativeStage#create}; each receives the init's host pid. */
public interface LaunchCallbacks {
    /** The init exists, blocked; id maps are written. Place it in the cgroup here. */
    void initSpawned(int pid);

    /** prestart and createRuntime hook point (runtime namespace). */
    default void createRuntime(int pid) {}

    /** createContainer hook point: the init waits here after its mounts, before pivot_root. */
    default void createContainer(int pid) {}

    /**
     * The process loaded a seccomp filter with SCMP_ACT_NOTIFY rules: {@code listenerFd} is this JVM's copy of
     * its listener, to hand to the agent at linux.seccomp.listenerPath (it is closed after this returns).
     * {@code pid} is the host pid of the process that loaded it (the init, or the exec'd process).
     */
    default void seccompListener(int pid, int listenerFd) {
        throw new io.jruntime.JRuntimeException("seccomp listenerPath is not set");
    }

    /** Something the spec says to warn about, not fail on (e.g. a capability this kernel lacks): log it. */
    default void warning(String message) {}

    LaunchCallbacks NONE = pid -> {};
}
