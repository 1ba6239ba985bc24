package io.jruntime.cgroups;

import io.jruntime.cgroups.v1.BlkioV1;
import io.jruntime.cgroups.v1.CpuV1;
import io.jruntime.cgroups.v1.CpuacctV1;
import io.jruntime.cgroups.v1.CpusetV1;
import io.jruntime.cgroups.v1.DevicesV1;
import io.jruntime.cgroups.v1.FreezerV1;
import io.jruntime.cgroups.v1.HugetlbV1;
import io.jruntime.cgroups.v1.MemoryV1;
import io.jruntime.cgroups.v1.NetClsV1;
import io.jruntime.cgroups.v1.NetPrioV1;
import io.jruntime.cgroups.v1.PidsV1;
import io.jruntime.cgroups.v1.RdmaV1;
import io.jruntime.cgroups.v2.CpuV2;
import io.jruntime.cgroups.v2.CpusetV2;
import io.jruntime.cgroups.v2.DevicesV2;
import io.jruntime.cgroups.v2.FreezerV2;
import io.jruntime.cgroups.v2.HugetlbV2;
import io.jruntime.cgroups.v2.IoV2;
import io.jruntime.cgroups.v2.MemoryV2;
import io.jruntime.cgroups.v2.PidsV2;
import io.jruntime.cgroups.v2.RdmaV2;
import io.jruntime.cgroups.v2.UnifiedV2;
import io.jruntime.sys.CgroupSyscalls;
import io.jruntime.sys.Errno;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cgroupfs implementation of {@link CgroupManager} for all three host layouts. Each resource controller
 * is bound to the hierarchy that holds it: a v1 mount when there is one, else the cgroup2 hierarchy (pure v2,
 * or a hybrid host's cgroup2 mount for what v1 did not take, such as hugetlb here). The container owns one
 * directory per v1 hierarchy (named ones included, as runc joins name=systemd) plus the cgroup2 one.
 */
final class FsManager implements CgroupManager {

    static final int SIGKILL = 9;

    /** kill(2), behind a seam for tests. */
    interface Killer {
        void kill(int pid, int signal) throws ErrnoException;
    }

    /** One directory of the container: in a v1 hierarchy (key = its controllers) or the cgroup2 one (key ""). */
    record Place(String key, CgroupDir dir, Path mountPoint, boolean v2, Set<String> controllers) {}

    record Bound(Controller controller, Place place) {}

    /** The order resources are applied in (cpuset first: v1 needs cpus/mems before anything joins). */
    static final List<String> ORDER = List.of("cpuset", "devices", "memory", "cpu", "cpuacct", "pids", "blkio",
            "hugetlb", "net_cls", "net_prio", "rdma", "unified");

    /** The controllers that have a v2 implementation, under their v1 (spec) names; blkio is "io" in v2. */
    static final Set<String> V2_CAPABLE = Set.of("memory", "cpu", "cpuset", "pids", "blkio", "hugetlb", "rdma");

    private final CgroupHost host;
    private final String inner;
    private final CgroupFs fs;
    private final CgroupSyscalls sys;
    private final Killer killer;
    private final List<Place> places = new ArrayList<>();
    private final Map<String, Bound> bound = new LinkedHashMap<>();
    private Place unified;
    private Freezer freezer;
    private Place freezerPlace;
    /**
     * How long destroy() keeps retrying a busy cgroup (processes still exiting). A killed process that was
     * re-parented to a slow-reaping pid 1 (a detached exec on a host without a subreaper) can take
     * seconds to go; 10 s leaves room for that on a loaded machine.
     */
    long busyTimeoutNanos = 10_000_000_000L;

    FsManager(CgroupHost host, String inner) {
        this(host, inner, null, CgroupSyscalls.native_(), (pid, sig) -> Syscalls.native_().kill(pid, sig));
    }

    FsManager(CgroupHost host, String inner, CgroupSyscalls sys, Killer killer) {
        this(host, inner, null, sys, killer);
    }

    /**
     * @param saved when not null, the directories recorded by an earlier {@link #paths()} (then {@code inner}
     *              is not used): hierarchies missing from it are not the container's
     */
    FsManager(CgroupHost host, String inner, Map<String, String> saved, CgroupSyscalls sys, Killer killer) {
        this.host = host;
        this.inner = inner;
        this.fs = host.fs();
        this.sys = sys;
        this.killer = killer;
        Map<CgroupHost.V1Hierarchy, Place> v1Places = new LinkedHashMap<>();
        for (CgroupHost.V1Hierarchy h : host.v1Hierarchies()) {
            Path dir;
            if (saved == null) {
                dir = host.v1Dir(h, inner);
            } else {
                dir = h.controllers().stream().map(saved::get).filter(d -> d != null).findFirst().map(Path::of).orElse(null);
                if (dir == null) {
                    continue;
                }
            }
            Place p = new Place(h.key(), new CgroupDir(dir, fs), h.mountPoint(), false, h.controllers());
            v1Places.put(h, p);
            places.add(p);
        }
        if (host.unifiedMount() != null && (saved == null || saved.containsKey(""))) {
            Path dir = saved == null ? host.unifiedDir(inner) : Path.of(saved.get(""));
            unified = new Place("", new CgroupDir(dir, fs), host.unifiedMount(), true, Set.of());
            places.add(unified);
        }
        if (places.isEmpty()) {
            throw new CgroupException("no cgroup directory for this container on this host (saved paths: " + saved + ")");
        }
        Set<String> v2Controllers = unified == null ? Set.of() : host.unifiedControllers();
        for (String name : ORDER) {
            if (name.equals("unified")) {
                if (unified != null) {
                    bound.put(name, new Bound(new UnifiedV2(), unified));
                }
                continue;
            }
            Optional<CgroupHost.V1Hierarchy> h = host.v1(name).filter(v1Places::containsKey);
            if (h.isPresent()) {
                bound.put(name, new Bound(v1(name), v1Places.get(h.get())));
            } else if (unified != null && name.equals("devices")) {
                bound.put(name, new Bound(new DevicesV2(sys), unified)); // a pseudo-controller, always there in v2
            } else if (unified != null && V2_CAPABLE.contains(name)
                    && v2Controllers.contains(name.equals("blkio") ? "io" : name)) {
                bound.put(name, new Bound(v2(name), unified));
            }
        }
        Optional<CgroupHost.V1Hierarchy> fh = host.v1("freezer").filter(v1Places::containsKey);
        if (fh.isPresent()) {
            freezer = new FreezerV1();
            freezerPlace = v1Places.get(fh.get());
        } else if (unified != null) {
            freezer = new FreezerV2();
            freezerPlace = unified;
        }
    }

    static Controller v1(String name) {
        return switch (name) {
            case "cpuset" -> new CpusetV1();
            case "devices" -> new DevicesV1();
            case "memory" -> new MemoryV1();
            case "cpu" -> new CpuV1();
            case "cpuacct" -> new CpuacctV1();
            case "pids" -> new PidsV1();
            case "blkio" -> new BlkioV1();
            case "hugetlb" -> new HugetlbV1();
            case "net_cls" -> new NetClsV1();
            case "net_prio" -> new NetPrioV1();
            case "rdma" -> new RdmaV1();
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Controller v2(String name) {
        return switch (name) {
            case "cpuset" -> new CpusetV2();
            case "memory" -> new MemoryV2();
            case "cpu" -> new CpuV2();
            case "pids" -> new PidsV2();
            case "blkio" -> new IoV2();
            case "hugetlb" -> new HugetlbV2();
            case "rdma" -> new RdmaV2();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Override
    public CgroupHost host() {
        return host;
    }

    /** Which implementation handles a resource controller here ("memory" -> MemoryV1 ...); empty if none. */
    Optional<Controller> controller(String name) {
        return Optional.ofNullable(bound.get(name)).map(Bound::controller);
    }

    // ---- create ----

    @Override
    public void create() {
        // As runc: an existing cgroup must be empty and not frozen, or the container would share it (spec:
        // "a runtime MAY check if the container cgroup is fit for purpose").
        if (exists()) {
            int n = pids().size();
            if (n != 0) {
                throw new CgroupException("container's cgroup is not empty: " + n + " process(es) found");
            }
        }
        if (freezerPlace != null && freezerPlace.dir().exists() && isFrozen()) {
            throw new CgroupException("container's cgroup unexpectedly frozen");
        }
        makeDirs();
    }

    /**
     * The directories (enabling v2 controllers on the way down) and the v1 preparations, without create()'s
     * checks: for a cgroup that is already the container's (a systemd unit made with the init in it).
     */
    void makeDirs() {
        List<Path> created = new ArrayList<>();
        try {
            for (Place p : places) {
                mkdirs(p, created);
            }
            for (Bound b : bound.values()) {
                if (!b.place().v2()) {
                    b.controller().prepare(b.place().dir(), b.place().mountPoint());
                }
            }
        } catch (RuntimeException e) {
            Collections.reverse(created);
            for (Path p : created) {
                try {
                    fs.rmdir(p);
                } catch (ErrnoException ignored) {
                    // best effort: the original error is what matters
                }
            }
            throw e;
        }
    }

    private void mkdirs(Place p, List<Path> created) {
        Path leaf = p.dir().path();
        if (!leaf.startsWith(p.mountPoint())) {
            throw new CgroupException("cgroup path " + leaf + " is not below its mount point " + p.mountPoint());
        }
        Path current = p.mountPoint();
        for (Path part : p.mountPoint().relativize(leaf)) {
            if (p.v2()) {
                enableControllers(new CgroupDir(current, fs));
            }
            current = current.resolve(part);
            if (!fs.exists(current)) {
                try {
                    fs.mkdir(current);
                    created.add(current);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EEXIST) {
                        throw new CgroupException("mkdir " + current + ": " + e.reason(), e.errno());
                    }
                }
            }
        }
    }

    /** Enables in {@code dir}'s cgroup.subtree_control every controller it has (runc: all at once, else one by one). */
    static void enableControllers(CgroupDir dir) {
        String available = dir.readOrNull("cgroup.controllers");
        if (available == null || available.isBlank()) {
            return;
        }
        Set<String> enabled = new LinkedHashSet<>(List.of(
                Optional.ofNullable(dir.readOrNull("cgroup.subtree_control")).orElse("").split("\\s+")));
        List<String> missing = new ArrayList<>();
        for (String c : available.split("\\s+")) {
            if (!enabled.contains(c)) {
                missing.add("+" + c);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (dir.tryWrite("cgroup.subtree_control", String.join(" ", missing)) != 0) {
            // Some controllers cannot be enabled here (processes in a non-root cgroup, delegation limits): take
            // what can be; a resource that needs a missing one fails later with its file named.
            for (String c : missing) {
                dir.tryWrite("cgroup.subtree_control", c);
            }
        }
    }

    // ---- apply ----

    @Override
    public void apply(Resources r) {
        if (r == null) {
            return;
        }
        for (String name : ORDER) {
            Bound b = bound.get(name);
            if (b != null) {
                b.controller().apply(b.place().dir(), r);
                continue;
            }
            String field = prototype(name).requestedField(r);
            if (field != null) {
                if (name.equals("unified")) {
                    throw new CgroupException("cannot set " + field + ": this host has no cgroup v2 hierarchy (cgroup v1 only)");
                }
                throw new CgroupException("cannot set " + field + ": the " + name + " cgroup controller is not available on this host"
                        + (host.mode() == CgroupHost.Mode.UNIFIED && !V2_CAPABLE.contains(name) ? " (cgroup v2 has no " + name + ")" : ""));
            }
        }
    }

    private static Controller prototype(String name) {
        return name.equals("unified") ? new UnifiedV2() : v1(name);
    }

    // ---- processes ----

    @Override
    public void addProcess(int pid) {
        for (Place p : places) {
            writeProcs(p.dir(), pid);
        }
    }

    @Override
    public void addProcess(int pid, String subCgroup) {
        if (subCgroup == null || subCgroup.isEmpty()) {
            addProcess(pid);
            return;
        }
        String sub = CgroupHost.cleanPath("/" + subCgroup);
        if (sub.equals("/")) {
            addProcess(pid);
            return;
        }
        for (Place p : places) {
            Path dir = CgroupHost.join(p.dir().path(), sub);
            if (!dir.startsWith(p.dir().path())) {
                throw new CgroupException("bad sub cgroup path: " + subCgroup);
            }
            writeProcs(new CgroupDir(dir, fs), pid);
        }
    }

    private static void writeProcs(CgroupDir dir, int pid) {
        String v = Integer.toString(pid);
        int errno = 0;
        for (int attempt = 0; attempt < 5; attempt++) {
            errno = dir.tryWrite("cgroup.procs", v);
            if (errno != Errno.EINVAL) {
                break;
            }
            sleep(30); // EINVAL: the task may still be in TASK_NEW (runc retries likewise)
        }
        if (errno != 0) {
            throw dir.writeError("cgroup.procs", v, errno, null);
        }
    }

    private Place primary() {
        if (host.mode() == CgroupHost.Mode.UNIFIED) {
            return unified;
        }
        Bound devices = bound.get("devices");
        if (devices != null && !devices.place().v2()) {
            return devices.place();
        }
        return places.get(0);
    }

    @Override
    public List<Integer> pids() {
        List<Integer> out = new ArrayList<>();
        collectPids(primary().dir().path(), out);
        return out;
    }

    private void collectPids(Path dir, List<Integer> out) {
        CgroupDir d = new CgroupDir(dir, fs);
        String procs = d.readOrNull("cgroup.procs");
        if (procs == null) {
            return; // vanished (or never created)
        }
        for (String line : procs.split("\n")) {
            if (!line.isBlank()) {
                out.add(Integer.parseInt(line.trim()));
            }
        }
        for (String sub : fs.subdirectories(dir)) {
            collectPids(dir.resolve(sub), out);
        }
    }

    // ---- freezer ----

    private Freezer requireFreezer() {
        if (freezer == null) {
            throw new CgroupException("cannot toggle freezer: this host has no freezer cgroup");
        }
        return freezer;
    }

    @Override
    public void freeze() {
        requireFreezer().freeze(freezerPlace.dir());
    }

    @Override
    public void thaw() {
        requireFreezer().thaw(freezerPlace.dir());
    }

    @Override
    public boolean isFrozen() {
        return freezer != null && freezer.isFrozen(freezerPlace.dir());
    }

    @Override
    public void killAll(int signal) {
        if (pids().isEmpty()) {
            return; // nothing to signal (a stopped container's cgroup): no write, no freeze
        }
        if (signal == SIGKILL && unified != null && unified.dir().has("cgroup.kill")) {
            unified.dir().write("cgroup.kill", "1");
            return;
        }
        boolean frozenBefore = isFrozen();
        boolean froze = false;
        if (freezer != null && !frozenBefore) {
            try {
                freeze();
                froze = true;
            } catch (CgroupException e) {
                Warnings.warn("signalling without freezing first: " + e.getMessage());
            }
        }
        List<String> failures = new ArrayList<>();
        try {
            for (int pid : pids()) {
                try {
                    killer.kill(pid, signal);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.ESRCH) {
                        failures.add("kill " + pid + ": " + e.reason());
                    }
                }
            }
        } finally {
            if (froze || (frozenBefore && signal == SIGKILL)) {
                thaw();
            }
        }
        if (!failures.isEmpty()) {
            throw new CgroupException(String.join("; ", failures));
        }
    }

    // ---- destroy ----

    @Override
    public void destroy() {
        List<String> failures = new ArrayList<>();
        for (int i = places.size() - 1; i >= 0; i--) {
            Path dir = places.get(i).dir().path();
            try {
                removeTree(dir);
            } catch (CgroupException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new CgroupException("failed to remove cgroup: " + String.join("; ", failures),
                    Errno.EBUSY);
        }
    }

    /** rmdir of a cgroup and its sub-cgroups, deepest first, retrying EBUSY for up to busyTimeoutNanos. */
    private void removeTree(Path dir) {
        if (!fs.exists(dir)) {
            return;
        }
        for (String sub : fs.subdirectories(dir)) {
            removeTree(dir.resolve(sub));
        }
        long deadline = System.nanoTime() + busyTimeoutNanos;
        long delay = 1;
        while (true) {
            try {
                fs.rmdir(dir);
                return;
            } catch (ErrnoException e) {
                if (e.errno() == Errno.ENOENT) {
                    return;
                }
                if (e.errno() == Errno.EINTR) {
                    continue;
                }
                if ((e.errno() != Errno.EBUSY && e.errno() != Errno.ENOTEMPTY) || System.nanoTime() > deadline) {
                    String procs = new CgroupDir(dir, fs).readOrNull("cgroup.procs");
                    String who = procs == null || procs.isBlank() ? "" : " (processes still inside: " + procs.replace('\n', ' ') + ")";
                    throw new CgroupException("rmdir " + dir + ": " + e.reason() + who, e.errno());
                }
            }
            sleep(delay);
            delay = Math.min(delay * 2, 100);
        }
    }

    // ---- information ----

    @Override
    public Stats stats() {
        Stats s = new Stats();
        for (Bound b : bound.values()) {
            b.controller().stats(b.place().dir(), s);
        }
        return s;
    }

    @Override
    public long oomKillCount() {
        Bound m = bound.get("memory");
        if (m == null) {
            return 0;
        }
        CgroupDir d = m.place().dir();
        return d.readKeyValues(m.place().v2() ? "memory.events" : "memory.oom_control").getOrDefault("oom_kill", 0L);
    }

    @Override
    public Map<String, String> paths() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Place p : places) {
            if (p.v2()) {
                out.put("", p.dir().path().toString());
            } else {
                for (String c : p.controllers()) {
                    out.put(c, p.dir().path().toString());
                }
            }
        }
        return out;
    }

    @Override
    public boolean exists() {
        return primary().dir().exists();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CgroupException("interrupted");
        }
    }
}
