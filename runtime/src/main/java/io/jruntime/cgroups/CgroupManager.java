package io.jruntime.cgroups;

import io.jruntime.spec.LinuxDevice;
import io.jruntime.spec.LinuxResources;
import java.util.List;
import java.util.Map;

/**
 * A container's cgroup, on whatever this host has (cgroup v1, v2 or hybrid). Obtained with
 * {@link #forContainer(String, String)}, which only probes and resolves paths: nothing is created until
 * {@link #create()}. The JVM itself never joins the cgroup; only processes given to {@link #addProcess(int)}.
 *
 * <p>Paths follow runc's cgroupfs driver: an absolute {@code cgroupsPath} is taken below each hierarchy's
 * mount point; a relative one below the runtime's own cgroup (v2: its parent); an absent one is the
 * container id as a relative path. See README.md in this package.
 */
public interface CgroupManager {

    /** Probes the host and resolves the container's cgroup; creates nothing. */
    static CgroupManager forContainer(String id, String cgroupsPath) {
        return new FsManager(CgroupHost.probe(), CgroupHost.innerPath(id, cgroupsPath));
    }

    /**
     * As {@link #forContainer(String, String)}; with {@code systemd} (--systemd-cgroup), the cgroup is a systemd
     * unit named by cgroupsPath's "slice:prefix:name" (see {@link SystemdUnit}), made when the init is added,
     * with the {@code org.systemd.property.*} annotations as extra unit properties.
     */
    static CgroupManager forContainer(String id, String cgroupsPath, boolean systemd, Map<String, String> annotations) {
        return systemd ? SystemdManager.forContainer(CgroupHost.probe(), id, cgroupsPath, annotations)
                : forContainer(id, cgroupsPath);
    }

    /** As {@link #forContainer(String, String)} on an already probed (or, in tests, a fake) host. */
    static CgroupManager forContainer(CgroupHost host, String id, String cgroupsPath) {
        return new FsManager(host, CgroupHost.innerPath(id, cgroupsPath));
    }

    /**
     * The manager of an existing container from the directories its {@link #paths()} returned at create time
     * (keep them in the container state: a relative cgroupsPath depends on the cgroup of the runtime process
     * that created the container, which later commands may not share).
     */
    static CgroupManager forPaths(Map<String, String> paths) {
        return new FsManager(CgroupHost.probe(), null, paths, io.jruntime.sys.CgroupSyscalls.native_(),
                (pid, sig) -> io.jruntime.sys.Syscalls.native_().kill(pid, sig));
    }

    /** As {@link #forPaths(Map)}, for a cgroup held by the systemd unit {@code systemdUnit} when it is not null. */
    static CgroupManager forPaths(Map<String, String> paths, String systemdUnit) {
        CgroupManager fs = forPaths(paths);
        return systemdUnit == null ? fs : SystemdManager.started((FsManager) fs, systemdUnit);
    }

    /**
     * Creates the cgroup in every hierarchy used (each v1 hierarchy including name=systemd, and the cgroup2
     * one on hybrid and pure v2 hosts), enabling the v2 controllers on the way down. Existing directories
     * are reused, but must be empty and not frozen (runc's checks and wording: "container's cgroup is not
     * empty: N process(es) found", "container's cgroup unexpectedly frozen"). On failure, what this call
     * created is removed again.
     */
    void create();

    /**
     * {@code create}: writes every resource of {@code linux.resources} (null: only the default device rules),
     * with runc's default device rules after the configured ones. Fails on the first resource that cannot be
     * applied, naming the spec field and the file.
     */
    default void apply(LinuxResources resources) {
        apply(SpecResources.forCreate(resources, List.of()));
    }

    /** As {@link #apply(LinuxResources)}, leaving out the default device rules whose path {@code linux.devices} redefines. */
    default void apply(LinuxResources resources, List<LinuxDevice> linuxDevices) {
        apply(SpecResources.forCreate(resources, linuxDevices));
    }

    /** {@code update}: writes only what {@code resources} sets; device rules stay as they are (as runc update). */
    default void update(LinuxResources resources) {
        apply(SpecResources.forUpdate(resources));
    }

    /** Writes every resource of the cgroup view {@code resources}; fails on the first one that cannot be applied. */
    void apply(Resources resources);

    /** Moves {@code pid} (the container init; never the JVM) into the cgroup of every hierarchy. */
    void addProcess(int pid);

    /**
     * Moves {@code pid} into {@code subCgroup}, a path below the container's cgroup in every hierarchy
     * ({@code exec --cgroup}); it must exist and cannot climb out. Empty or null: {@link #addProcess(int)}.
     */
    void addProcess(int pid, String subCgroup);

    /** Every process in the cgroup and its sub-cgroups (host pids). */
    List<Integer> pids();

    void freeze();

    void thaw();

    boolean isFrozen();

    /**
     * Sends {@code signal} to every process of the cgroup. SIGKILL on cgroup v2 uses cgroup.kill (no race
     * with forks). Otherwise the cgroup is frozen while the pids are read and signalled, so no process can
     * fork past the signal, and thawed afterwards unless it was frozen before (a paused container stays
     * paused; with SIGKILL it is always thawed, so the processes can die).
     */
    void killAll(int signal);

    /**
     * Removes the cgroup directories, sub-cgroups first, retrying while the kernel still reports them busy
     * (processes exiting). Idempotent. Never leaks silently: if a directory cannot be removed, the error lists it.
     */
    void destroy();

    /** Statistics for {@code events --stats}; see {@link Stats#toJson()}. */
    Stats stats();

    /** The number of OOM kills in the cgroup so far (for {@code events}' "oom" notifications); 0 if unknown. */
    long oomKillCount();

    /** Controller name (v1; "name=systemd"; "" for the cgroup2 directory) to absolute directory. */
    Map<String, String> paths();

    /** Whether the cgroup directory exists (the cgroup2 one on v2 hosts, else devices or the first v1 one). */
    boolean exists();

    /** The host this manager works on. */
    CgroupHost host();

    /** The systemd unit that holds the cgroup (--systemd-cgroup); null for cgroupfs. */
    default String systemdUnit() {
        return null;
    }
}
