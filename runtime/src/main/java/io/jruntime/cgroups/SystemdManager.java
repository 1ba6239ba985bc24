package io.jruntime.cgroups;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The systemd cgroup driver ({@code --systemd-cgroup}), as runc's: the container's cgroup is a transient unit,
 * a scope with {@code Delegate=yes} in the slice cgroupsPath names ({@link SystemdUnit}), which systemd makes
 * when the init exists (a scope cannot be empty), with the init in it. Everything after that is the cgroupfs
 * driver's work on the unit's directories: the hierarchies systemd does not realise the unit in are made and
 * joined, every resource is written to its files, and kill, pause, stats and exec work on the directories.
 * The resources systemd has properties for are also given to systemd ({@link SystemdProperties}), so that
 * it keeps them. Delete stops the unit.
 */
final class SystemdManager implements CgroupManager {

    /** systemd's "am I PID 1" marker (sd_booted(3)), as runc checks it. */
    static final Path BOOTED = Path.of("/run/systemd/system");

    private final FsManager fs;
    private final SystemdUnit unit;       // null once started: only the name is kept then
    private final String unitName;
    private final Supplier<Systemd> connect;
    private final List<Systemd.Property> extra;  // from org.systemd.property.* annotations
    private Systemd systemd;
    private boolean started;
    private Resources pending;

    SystemdManager(FsManager fs, SystemdUnit unit, String unitName, boolean started, Supplier<Systemd> connect) {
        this(fs, unit, unitName, started, connect, List.of());
    }

    SystemdManager(FsManager fs, SystemdUnit unit, String unitName, boolean started, Supplier<Systemd> connect,
            List<Systemd.Property> extra) {
        this.extra = extra;
        this.fs = fs;
        this.unit = unit;
        this.unitName = unitName;
        this.started = started;
        this.connect = connect;
    }

    /**
     * The manager of a new container's unit; nothing is made until {@link #addProcess(int)}. The annotations'
     * {@code org.systemd.property.*} become properties of the unit ({@link SystemdAnnotations}).
     */
    static CgroupManager forContainer(CgroupHost host, String id, String cgroupsPath, Map<String, String> annotations) {
        requireSystemd();
        SystemdUnit unit = SystemdUnit.parse(id, cgroupsPath);
        List<Systemd.Property> extra = SystemdAnnotations.properties(annotations);
        // The unit's cgroup is at the same path below every hierarchy's root (the scope's slices are systemd's).
        FsManager fs = new FsManager(host, unit.cgroupPath());
        return new SystemdManager(fs, unit, unit.name(), false, SystemdManager::connectToSystemd, extra);
    }

    /** The manager of an existing container's unit (from its state). */
    static CgroupManager started(FsManager fs, String unitName) {
        return new SystemdManager(fs, null, unitName, true, SystemdManager::connectToSystemd);
    }

    static void requireSystemd() {
        if (!Files.isDirectory(BOOTED, LinkOption.NOFOLLOW_LINKS)) {
            throw new CgroupException("systemd not running on this host, cannot use systemd cgroups manager");
        }
    }

    private static Systemd connectToSystemd() {
        return io.jruntime.cgroups.systemd.DBusSystemd.connect();
    }

    private Systemd systemd() {
        if (systemd == null) {
            systemd = connect.get();
        }
        return systemd;
    }

    @Override
    public String systemdUnit() {
        return unitName;
    }

    @Override
    public void create() {
        // The unit is made with the init in it (addProcess). As cgroupfs: a cgroup in use is not shared.
        if (fs.exists()) {
            int n = fs.pids().size();
            if (n != 0) {
                throw new CgroupException("container's cgroup is not empty: " + n + " process(es) found");
            }
        }
        systemd(); // fails now, before anything is made, when systemd cannot be reached
    }

    @Override
    public void apply(Resources resources) {
        if (!started) {
            pending = resources; // given to systemd and written once the unit exists
            return;
        }
        boolean v2 = fs.host().mode() == CgroupHost.Mode.UNIFIED;
        List<Systemd.Property> props = SystemdProperties.forResources(resources, v2, systemd().version());
        if (!props.isEmpty()) {
            systemd().setUnitProperties(unitName, props);
        }
        fs.apply(resources);
    }

    @Override
    public void addProcess(int pid) {
        if (!started) {
            start(pid);
        }
        fs.addProcess(pid);
    }

    private void start(int pid) {
        boolean v2 = fs.host().mode() == CgroupHost.Mode.UNIFIED;
        Systemd s = systemd();
        List<Systemd.Property> props = new java.util.ArrayList<>(
                SystemdProperties.forNewUnit(unit, pid, "jruntime container " + unitName, v2, pending, s.version()));
        props.addAll(extra); // last, as runc: an annotation may override what the driver chose
        try {
            s.startTransientUnit(unitName, props);
        } finally {
            // Not kept open while the container runs: systemd sends every private client all its signals.
            close();
        }
        started = true;
        // The hierarchies systemd does not realise the unit in (v1 devices, freezer, cpuset ...), and v2
        // controllers it did not enable, as runc does after starting the unit.
        fs.makeDirs();
        if (pending != null) {
            fs.apply(pending);
        }
    }

    @Override
    public void addProcess(int pid, String subCgroup) {
        fs.addProcess(pid, subCgroup);
    }

    @Override
    public List<Integer> pids() {
        return fs.pids();
    }

    @Override
    public void freeze() {
        fs.freeze();
    }

    @Override
    public void thaw() {
        fs.thaw();
    }

    @Override
    public boolean isFrozen() {
        return fs.isFrozen();
    }

    @Override
    public void killAll(int signal) {
        fs.killAll(signal);
    }

    /** Stops the unit (systemd removes the cgroups it made), then removes what is left (the ones made here). */
    @Override
    public void destroy() {
        RuntimeException failure = null;
        try {
            Systemd s = systemd();
            try {
                s.stopUnit(unitName);
            } catch (RuntimeException e) {
                failure = e;
            }
            s.resetFailedUnit(unitName); // a unit whose processes were killed may be "failed": free its name
        } catch (RuntimeException e) {
            failure = e; // systemd unreachable: what is left on disk still goes
        } finally {
            close();
        }
        fs.destroy();
        if (failure != null) {
            throw failure;
        }
    }

    private void close() {
        if (systemd != null) {
            systemd.close();
            systemd = null;
        }
    }

    @Override
    public Stats stats() {
        return fs.stats();
    }

    @Override
    public long oomKillCount() {
        return fs.oomKillCount();
    }

    @Override
    public Map<String, String> paths() {
        return fs.paths();
    }

    @Override
    public boolean exists() {
        return fs.exists();
    }

    @Override
    public CgroupHost host() {
        return fs.host();
    }
}
