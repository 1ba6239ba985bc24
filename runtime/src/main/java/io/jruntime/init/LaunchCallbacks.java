package io.jruntime.init;

/** The orchestrator's hook points during {@link NativeStage#create}; each receives the init's host pid. */
public interface LaunchCallbacks {
    /** The init exists, blocked; id maps are written. Place it in the cgroup here. */
    void initSpawned(int pid);

    /** prestart and createRuntime hook point (runtime namespace). */
    default void createRuntime(int pid) {}

    /** createContainer hook point: the init waits here after its mounts, before pivot_root. */
    default void createContainer(int pid) {}

    /** Something the spec says to warn about, not fail on (e.g. a capability this kernel lacks): log it. */
    default void warning(String message) {}

    LaunchCallbacks NONE = pid -> {};
}
