package io.jruntime.spec;

/**
 * One {@code linux.namespaces} entry: {@code type} (pid, network, mount, ipc, uts, user, cgroup, time)
 * and, to join an existing namespace instead of creating one, an absolute {@code path}.
 */
public record LinuxNamespace(String type, String path) {

    public static final String PID = "pid";
    public static final String NETWORK = "network";
    public static final String MOUNT = "mount";
    public static final String IPC = "ipc";
    public static final String UTS = "uts";
    public static final String USER = "user";
    public static final String CGROUP = "cgroup";
    public static final String TIME = "time";

    public static LinuxNamespace of(String type) {
        return new LinuxNamespace(type, null);
    }

    /** True when this entry joins an existing namespace ({@code path} set and not empty). */
    public boolean joins() {
        return path != null && !path.isEmpty();
    }
}
