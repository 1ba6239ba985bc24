package io.jruntime.linux;

import static io.jruntime.linux.MountOptions.MS_BIND;
import static io.jruntime.linux.MountOptions.MS_NODEV;
import static io.jruntime.linux.MountOptions.MS_NOEXEC;
import static io.jruntime.linux.MountOptions.MS_NOSUID;
import static io.jruntime.linux.MountOptions.MS_PRIVATE;
import static io.jruntime.linux.MountOptions.MS_RDONLY;
import static io.jruntime.linux.MountOptions.MS_REC;
import static io.jruntime.linux.MountOptions.MS_SHARED;
import static io.jruntime.linux.MountOptions.MS_SLAVE;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jruntime.JRuntimeException;
import io.jruntime.init.Launch;
import io.jruntime.init.LaunchRequest;
import io.jruntime.init.Op;
import io.jruntime.init.Plan;
import io.jruntime.spec.Linux;
import io.jruntime.spec.LinuxIdMapping;
import io.jruntime.spec.LinuxNamespace;
import io.jruntime.spec.LinuxTimeOffset;
import io.jruntime.spec.Mount;
import io.jruntime.spec.PosixRlimit;
import io.jruntime.spec.Process;
import io.jruntime.spec.Spec;
import io.jruntime.spec.User;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.FileStat;
import io.jruntime.sys.Syscalls;

/**
 * Turns a validated {@link Spec} into the native stage's {@link Plan}: every decision (order, defaults,
 * flags, which syscall) is made here, the C stage only performs. The order of the ops is the order of
 * {@code runtime/src/main/c/PROTOCOL.md}'s handshake:
 *
 * <pre>
 * stage:  OPEN_FIFO, [IDMAP_TREE...], JOIN_NAMESPACES, [UNSHARE time, WRITE_PROC timens_offsets], CLONE
 * init:   WAIT_CONTINUE (maps, cgroup, createRuntime), [SETRESID 0 in a new userns], [UNSHARE cgroup], SETSID,
 *         [oom_score_adj], [hostname, domainname], / propagation, [parent private], ROOTFS, mounts, devices,
 *         /dev symlinks, sysctls, SYNC createContainer, masked paths, readonly paths, PIVOT_ROOT,
 *         [root propagation], [CONSOLE], [root readonly], CHDIR, RESOLVE_EXEC, [HOME], rlimits, SCHED_SETAFFINITY all, [SCHED_SETATTR],
 *         [IOPRIO_SET], [SET_MEMPOLICY], [APPARMOR_EXEC], [SELINUX_KEY_LABEL, SELINUX_EXEC_LABEL], READY,
 *         FIFO_WAIT, [PERSONALITY], [seccomp without no_new_privs], bounding set, setgroups, uid/gid, [umask],
 *         caps, CLOSE_FDS, [NO_NEW_PRIVS, seccomp], EXEC
 * </pre>
 *
 * <p>A filter with SCMP_ACT_NOTIFY rules is loaded earlier, right before READY ([NO_NEW_PRIVS],
 * SECCOMP_LISTENER), while the sync socket still reaches Java: its listener fd must get to the agent at
 * linux.seccomp.listenerPath during create (or exec), as runc does. The ops after it then run under the
 * user's filter (PROTOCOL.md lists them).
 */
public final class PlanBuilder {
    private final Syscalls sys;
    private final List<String> warnings = new ArrayList<>();
    private byte[] seccomp;
    private Path rootfs; // of the create being planned; null for exec
    private long seccompFlags;
    private List<MountInfo> hostMounts;
    private java.util.Collection<String> cgroupDirs = List.of();
    private String mountLabel; // linux.mountLabel where SELinux is enabled, else null
    private Map<Integer, IdmappedMounts.Tree> idmapped = Map.of(); // by index in mounts

    public PlanBuilder(Syscalls sys) {
        this.sys = sys;
    }

    /** The BPF program (struct sock_filter[]) the seccomp compiler made, loaded as late as possible. */
    public PlanBuilder seccomp(byte[] program, long flags) {
        this.seccomp = program;
        this.seccompFlags = flags;
        return this;
    }

    /**
     * The container's cgroup directories on the host (one per hierarchy, as {@code CgroupManager.paths()}).
     * Without a cgroup namespace, a v1 {@code cgroup} mount binds these rather than mounting each hierarchy
     * at its root, so the container sees its own cgroup (its limits) at /sys/fs/cgroup/memory and not the
     * host's whole tree: runc's mountCgroupV1 does the same, and podman on a v1 host runs without a cgroup
     * namespace (found by conformance/engines/podman-e2e.sh: --memory was invisible inside).
     */
    public PlanBuilder cgroupDirs(java.util.Collection<String> dirs) {
        this.cgroupDirs = dirs == null ? List.of() : List.copyOf(dirs);
        return this;
    }

    /** What the spec says to warn about rather than fail on (e.g. capabilities this kernel lacks). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    private static JRuntimeException config(String message) {
        return new JRuntimeException(message);
    }

    public Launch build(LaunchRequest r) {
        Spec spec = r.spec();
        Linux linux = spec.linux() != null ? spec.linux()
                : new Linux(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        Process proc = spec.process();
        Plan p = new Plan();

        // ---- namespaces (stage) --------------------------------------------------------------
        Set<String> types = new HashSet<>();
        List<Object> joins = new ArrayList<>();
        long cloneFlags = 0;
        boolean newUser = false, joinUser = false, newCgroup = false, newTime = false, newNet = false;
        for (LinuxNamespace ns : linux.namespaceList()) {
            long flag = Namespaces.flag(ns.type());
            if (flag == 0) {
                throw config("config: linux.namespaces: unknown namespace type \"" + ns.type() + "\"");
            }
            if (!types.add(ns.type())) {
                throw config("config: linux.namespaces: duplicate namespace type \"" + ns.type() + "\"");
            }
            if (ns.joins()) {
                joins.add(flag);
                joins.add(ns.path());
                joinUser |= flag == Namespaces.CLONE_NEWUSER;
            } else if (flag == Namespaces.CLONE_NEWCGROUP) {
                newCgroup = true;
            } else if (flag == Namespaces.CLONE_NEWTIME) {
                newTime = true;
            } else {
                cloneFlags |= flag;
                newUser |= flag == Namespaces.CLONE_NEWUSER;
                newNet |= flag == Namespaces.CLONE_NEWNET;
            }
        }
        if (!types.contains("mount")) {
            throw config("config: linux.namespaces: jruntime needs a mount namespace to set up the rootfs");
        }
        // The stage opens the fifo (O_PATH) while it is still host root in the host's namespaces: a
        // container root mapped to another host uid could not search the 0700 state root, and a joined
        // mount namespace would not show the path. The init inherits the fd through clone.
        p.add(Op.OPEN_FIFO, r.execFifo().toAbsolutePath().toString());
        // Idmapped trees, made while the stage still has the host's user and mount namespaces (and so
        // CAP_SYS_ADMIN over the source's filesystem, and the host's paths); attached by addMount.
        idmapped = new java.util.HashMap<>();
        Path bundleDir = r.bundle().toAbsolutePath().normalize();
        for (IdmappedMounts.Tree t : IdmappedMounts.of(spec.mountList(), linux, newUser, bundleDir)) {
            p.add(Op.IDMAP_TREE, t.slot(), t.source(), t.uidMap(), t.gidMap(), t.recursiveTree(), t.recursiveIdmap(), t.what());
            idmapped.put(t.index(), t);
        }
        if (!joins.isEmpty()) {
            p.add(Op.JOIN_NAMESPACES, joins);
        }
        Map<String, LinuxTimeOffset> offsets = linux.timeOffsets() == null ? Map.of() : linux.timeOffsets();
        if (newTime) {
            p.add(Op.UNSHARE, Namespaces.CLONE_NEWTIME);
            if (!offsets.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                offsets.forEach((clock, o) -> sb.append(clock).append(' ').append(o.secs() == null ? 0 : o.secs())
                        .append(' ').append(o.nanosecs() == null ? 0 : o.nanosecs()).append('\n'));
                p.add(Op.WRITE_PROC, "self/timens_offsets", sb.toString());
            }
        } else if (!offsets.isEmpty()) {
            throw config("config: linux.timeOffsets: time offsets need a new time namespace");
        }
        // A writer without CAP_SETUID over the parent namespace (rootless) may write the maps only into a
        // process it owns, and a non-dumpable process's /proc files belong to root: the init is dumpable
        // from its birth until the maps are written (runc's nsexec does the same), and no longer after.
        boolean unprivilegedMaps = newUser && sys.getuid() != 0;
        if (unprivilegedMaps) {
            p.add(Op.DUMPABLE, 1);
        }
        p.add(Op.CLONE, cloneFlags);

        // ---- init, before the mounts -----------------------------------------------------------
        String uidMap = null, gidMap = null, newuidmap = null, newgidmap = null;
        boolean denySetgroups = false;
        if (newUser) {
            if (linux.uidMappings() == null || linux.uidMappings().isEmpty() || linux.gidMappings() == null
                    || linux.gidMappings().isEmpty()) {
                throw config("config: a new user namespace needs linux.uidMappings and linux.gidMappings");
            }
            uidMap = idMap(linux.uidMappings());
            gidMap = idMap(linux.gidMappings());
            if (sys.getuid() != 0) {
                // A user may write one line mapping its own id; more (ranges from /etc/subuid) goes through the
                // setuid shadow tools, as runc. Without them the write is refused, with runc's words.
                if (!ownIdOnly(linux.uidMappings(), sys.getuid())) {
                    newuidmap = findTool("newuidmap");
                }
                if (!ownIdOnly(linux.gidMappings(), sys.getgid())) {
                    newgidmap = findTool("newgidmap");
                }
                denySetgroups = newgidmap == null; // the writer lacks CAP_SETGID over the parent namespace
            }
        } else if (linux.uidMappings() != null && !linux.uidMappings().isEmpty() && !joinUser) {
            throw config("config: linux.uidMappings given without a new user namespace");
        }
        p.add(Op.WAIT_CONTINUE);
        if (unprivilegedMaps) {
            p.add(Op.DUMPABLE, 0);
        }
        if (newUser && mapsRoot(linux.uidMappings()) && mapsRoot(linux.gidMappings())) {
            p.add(Op.SETRESID, 0, 0);
        }
        if (newCgroup) {
            p.add(Op.UNSHARE, Namespaces.CLONE_NEWCGROUP); // after initSpawned put us in the cgroup
        }
        p.add(Op.SETSID);
        if (proc != null && proc.oomScoreAdj() != null) {
            p.add(Op.WRITE_PROC, "self/oom_score_adj", Integer.toString(proc.oomScoreAdj()));
        }
        if (spec.hostname() != null && !spec.hostname().isEmpty()) {
            if (!types.contains("uts")) {
                throw config("unable to set hostname without a private UTS namespace");
            }
            p.add(Op.SETHOSTNAME, spec.hostname());
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty()) {
            if (!types.contains("uts")) {
                throw config("unable to set domainname without a private UTS namespace");
            }
            p.add(Op.SETDOMAINNAME, spec.domainname());
        }

        // ---- mount namespace -----------------------------------------------------------------
        if (spec.root() == null || spec.root().path() == null) {
            throw config("config: root.path is required");
        }
        Path bundle = r.bundle().toAbsolutePath().normalize();
        String rootfs = bundle.resolve(spec.root().path()).normalize().toString();
        this.rootfs = Path.of(rootfs);
        long rootProp = MS_SLAVE | MS_REC; // runc's default
        if (linux.rootfsPropagation() != null && !linux.rootfsPropagation().isEmpty()) {
            Long f = MountOptions.PROPAGATION.get(linux.rootfsPropagation());
            if (f == null) {
                throw config("config: linux.rootfsPropagation: unknown value \"" + linux.rootfsPropagation() + "\"");
            }
            rootProp = f;
        }
        // An unbindable / could not be bound as the rootfs: start rslave, apply unbindable after the pivot.
        long firstProp = (rootProp & MountOptions.MS_UNBINDABLE) != 0 ? MS_SLAVE | MS_REC : rootProp;
        p.add(Op.MOUNT_HOST, null, "/", null, firstProp, null);
        // pivot_root refuses a shared parent mount: make it private (in our own mount namespace only).
        boolean recursiveNotShared = (rootProp & MS_REC) != 0 && (rootProp & MS_SHARED) == 0;
        if (!recursiveNotShared) {
            MountInfo parent = MountInfo.containing(hostMounts(), Path.of(rootfs).getParent().toString());
            if (parent != null && (parent.shared() || (rootProp & MS_SHARED) != 0)) {
                p.add(Op.MOUNT_HOST, null, parent.mountPoint(), null, MS_PRIVATE, null);
            }
        }
        if (linux.mountLabel() != null && !linux.mountLabel().isEmpty() && Lsm.selinuxEnabled(sys)) {
            mountLabel = linux.mountLabel(); // ignored where SELinux is off, as crun
        }
        p.add(Op.ROOTFS, rootfs);
        boolean devBound = false;
        List<Mount> mounts = spec.mountList();
        for (int i = 0; i < mounts.size(); i++) {
            devBound |= addMount(p, i, mounts.get(i), bundle, newUser || joinUser, newNet, newCgroup);
        }
        if (!devBound) {
            for (Devices.Device d : Devices.of(linux.devices())) {
                if ((newUser || joinUser) && (d.mode() & Devices.S_IFIFO) != Devices.S_IFIFO) {
                    p.add(Op.BIND_DEVICE, d.path(), d.path()); // mknod is refused in a user namespace
                } else {
                    p.add(Op.MKNOD, d.path(), d.mode(), d.major(), d.minor(), d.uid(), d.gid());
                }
            }
            for (String[] link : Devices.SYMLINKS) {
                p.add(Op.SYMLINK, link[0], link[1]);
            }
        }
        if (linux.sysctl() != null) {
            linux.sysctl().forEach((k, v) -> p.add(Op.WRITE_PROC, "sys/" + k.replace('.', '/'), v));
        }
        p.add(Op.SYNC, Op.SYNC_CREATE_CONTAINER);
        for (String path : linux.maskedPaths() == null ? List.<String>of() : linux.maskedPaths()) {
            if (mountLabel != null) {
                p.add(Op.MASK, path, Lsm.withContext(null, mountLabel)); // a masked directory's tmpfs, as runc
            } else {
                p.add(Op.MASK, path);
            }
        }
        for (String path : linux.readonlyPaths() == null ? List.<String>of() : linux.readonlyPaths()) {
            p.add(Op.READONLY, path);
        }
        p.add(r.noPivot() ? Op.MOVE_ROOT : Op.PIVOT_ROOT);
        if (linux.rootfsPropagation() != null && !linux.rootfsPropagation().isEmpty()) {
            p.add(Op.MOUNT_HOST, null, "/", null, rootProp, null);
        }
        String consoleSocket = null;
        if (proc != null && proc.terminalEnabled()) {
            if (r.consoleSocket() == null || r.consoleSocket().isEmpty()) {
                throw config("cannot allocate tty if jruntime will detach without setting console socket");
            }
            consoleSocket = r.consoleSocket();
            long rows = 0, cols = 0;
            if (proc.consoleSize() != null) {
                rows = proc.consoleSize().height() == null ? 0 : proc.consoleSize().height();
                cols = proc.consoleSize().width() == null ? 0 : proc.consoleSize().width();
            }
            p.add(Op.CONSOLE, Launch.consoleFd(r.preserveFds()), rows, cols);
        } else if (r.consoleSocket() != null && !r.consoleSocket().isEmpty()) {
            throw config("cannot use console socket if jruntime will not detach or allocate tty");
        }
        if (spec.root().readonly() != null && spec.root().readonly()) {
            p.add(Op.REMOUNT, "/", MS_RDONLY);
        }

        // ---- the process -----------------------------------------------------------------------
        if (proc != null) {
            if (proc.argList().isEmpty()) {
                throw config("args must not be empty");
            }
            if (proc.cwd() == null || !proc.cwd().startsWith("/")) {
                throw config("cwd property must not be empty and must be an absolute path");
            }
            p.add(Op.CHDIR, proc.cwd(), 1);
            p.add(Op.RESOLVE_EXEC, proc.argList().get(0), pathOf(proc.envList()));
            addHome(p, proc);
            addRlimits(p, proc);
            // Before READY, like the rlimits: a value the kernel refuses fails `create`, not `start`.
            // execCPUAffinity is not applied here: config.md says it is not for the init process. But the
            // init (in its cgroup by now) does not keep the runtime's own affinity either, as with runc 1.2+.
            ProcessAttributes.resetAffinity(p);
            ProcessAttributes.scheduler(p, proc.scheduler(), "process.scheduler");
            ProcessAttributes.ioPriority(p, proc.ioPriority(), "process.ioPriority");
        }
        ProcessAttributes.memoryPolicy(p, linux.memoryPolicy(), sys);
        if (proc != null) {
            if (!r.noNewKeyring()) {
                SessionKeyring.add(p, sys, r.id(), proc.selinuxLabel(), true, newUser || joinUser);
            }
            Lsm.addProcessLabels(p, sys, proc.apparmorProfile(), proc.selinuxLabel());
            addListenerFilter(p, proc); // last before READY: every op after it runs under the user's filter
        }
        p.add(Op.READY);
        p.add(Op.FIFO_WAIT);
        if (linux.personality() != null) {
            p.add(Op.PERSONALITY, personality(linux.personality()));
        }
        if (proc != null) {
            addProcess(p, proc, r.preserveFds(), (newUser || joinUser) && denySetgroups);
        }
        return new Launch(p, uidMap, gidMap, denySetgroups, consoleSocket, r.preserveFds(), newuidmap, newgidmap);
    }

    /** /proc/PID/ns/ file names of the spec's namespace types. */
    private static final Map<String, String> NS_FILES = Map.of("pid", "pid", "network", "net", "mount", "mnt",
            "ipc", "ipc", "uts", "uts", "user", "user", "cgroup", "cgroup", "time", "time");

    /**
     * `exec`: join every namespace the container has (through /proc/initPid/ns), clone the process (so it is
     * in the container's pid namespace), wait while Java places it in the cgroup, set it up and exec it
     * right after READY: there is no exec fifo.
     */
    public Launch buildExec(io.jruntime.init.ExecRequest r) {
        Linux linux = r.spec().linux();
        Process proc = r.process();
        if (proc == null || proc.argList().isEmpty()) {
            throw config("args must not be empty");
        }
        Plan p = new Plan();
        List<Object> joins = new ArrayList<>();
        boolean userns = false;
        for (LinuxNamespace ns : linux == null ? List.<LinuxNamespace>of() : linux.namespaceList()) {
            String file = NS_FILES.get(ns.type());
            if (file == null) {
                throw config("config: linux.namespaces: unknown namespace type \"" + ns.type() + "\"");
            }
            joins.add(Namespaces.flag(ns.type()));
            joins.add("/proc/" + r.initPid() + "/ns/" + file);
            userns |= ns.type().equals("user");
        }
        if (!joins.isEmpty()) {
            p.add(Op.JOIN_NAMESPACES, joins);
        }
        ProcessAttributes.initialAffinity(p, proc.execCPUAffinity(), "process.execCPUAffinity");
        p.add(Op.CLONE, 0);
        p.add(Op.WAIT_CONTINUE);
        ProcessAttributes.affinityInCgroup(p, proc.execCPUAffinity(), "process.execCPUAffinity");
        String consoleSocket = null;
        if (proc.terminalEnabled()) {
            if (r.consoleSocket() == null || r.consoleSocket().isEmpty()) {
                throw config("cannot allocate tty if jruntime will detach without setting console socket");
            }
            consoleSocket = r.consoleSocket();
            p.add(Op.SETSID);
            long rows = proc.consoleSize() == null || proc.consoleSize().height() == null ? 0 : proc.consoleSize().height();
            long cols = proc.consoleSize() == null || proc.consoleSize().width() == null ? 0 : proc.consoleSize().width();
            p.add(Op.CONSOLE, Launch.consoleFd(r.preserveFds()), rows, cols);
        }
        if (proc.oomScoreAdj() != null) {
            p.add(Op.WRITE_PROC, "self/oom_score_adj", Integer.toString(proc.oomScoreAdj()));
        }
        String cwd = proc.cwd() == null || proc.cwd().isEmpty() ? "/" : proc.cwd();
        p.add(Op.CHDIR, cwd, 0);
        p.add(Op.RESOLVE_EXEC, proc.argList().get(0), pathOf(proc.envList()));
        addHome(p, proc);
        addRlimits(p, proc);
        ProcessAttributes.scheduler(p, proc.scheduler(), "process.scheduler");
        ProcessAttributes.ioPriority(p, proc.ioPriority(), "process.ioPriority");
        // The memory policy is the container's (its init has it); an exec'd process is cloned from the
        // runtime, not from the init, so it gets the policy here.
        ProcessAttributes.memoryPolicy(p, linux == null ? null : linux.memoryPolicy(), sys);
        // As runc: a process (--process file) that names no profile or label gets the container's, so an
        // exec'd process is confined as the init is.
        Process init = r.spec().process();
        String selinuxLabel = orElse(proc.selinuxLabel(), init == null ? null : init.selinuxLabel());
        if (!r.noNewKeyring()) {
            SessionKeyring.add(p, sys, r.containerId(), selinuxLabel, false, userns);
        }
        Lsm.addProcessLabels(p, sys, orElse(proc.apparmorProfile(), init == null ? null : init.apparmorProfile()), selinuxLabel);
        addListenerFilter(p, proc);
        p.add(Op.READY);
        addProcess(p, proc, r.preserveFds(), userns && sys.getuid() != 0);
        return new Launch(p, null, null, false, consoleSocket, r.preserveFds());
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** linux.personality's domain as personality(2) takes it: PER_LINUX 0, PER_LINUX32 8. No flags are defined. */
    static long personality(io.jruntime.spec.LinuxPersonality personality) {
        return switch (personality.domain()) {
            case "LINUX" -> 0x0000;
            case "LINUX32" -> 0x0008;
            default -> throw config("config: linux.personality.domain: unknown domain \"" + personality.domain() + "\"");
        };
    }

    /**
     * process.rlimits, set before READY: runc sets them while the container is being created
     * ("error setting rlimits for ready process"), so a limit the runtime may not set (a hard
     * limit above its own without CAP_SYS_RESOURCE) fails `create`/`exec` with the errno, which
     * podman turns into exit 126. Set after READY, the same failure came at `start`, on the
     * container's stderr, and podman reported a plain exit 1.
     */
    private void addRlimits(Plan p, Process proc) {
        Set<Integer> seen = new HashSet<>();
        for (PosixRlimit rl : proc.rlimitList()) {
            int n = Rlimits.number(rl.type());
            if (n < 0) {
                throw config("config: process.rlimits: unknown rlimit type \"" + rl.type() + "\"");
            }
            if (!seen.add(n)) {
                throw config("config: process.rlimits: duplicate rlimit type \"" + rl.type() + "\"");
            }
            p.add(Op.SETRLIMIT, n, rl.soft() == null ? 0 : rl.soft(), rl.hard() == null ? 0 : rl.hard());
        }
    }

    /** True when the filter has SCMP_ACT_NOTIFY rules: seccomp(2) will return a listener fd. */
    private boolean listener() {
        return seccomp != null && (seccompFlags & io.jruntime.seccomp.SeccompAbi.FILTER_FLAG_NEW_LISTENER) != 0;
    }

    /**
     * A filter with a listener, before READY: the stage sends the listener's fd number, Java copies the fd
     * and gives it to the agent. Without no_new_privs, loading needs CAP_SYS_ADMIN, which the process still has
     * here (the uid and capability changes come after READY).
     */
    private void addListenerFilter(Plan p, Process proc) {
        if (!listener()) {
            return;
        }
        if (proc.noNewPrivilegesEnabled()) {
            p.add(Op.NO_NEW_PRIVS);
        }
        p.add(Op.SECCOMP_LISTENER, seccomp, seccompFlags);
    }

    private void addProcess(Plan p, Process proc, int preserveFds, boolean setgroupsDenied) {
        boolean nnp = proc.noNewPrivilegesEnabled();
        if (listener()) {
            nnp = false; // NO_NEW_PRIVS and the filter are already in place (addListenerFilter)
        } else if (seccomp != null && !nnp) {
            p.add(Op.SECCOMP, seccomp, seccompFlags); // needs CAP_SYS_ADMIN: before the uid and capability changes
        }
        Capabilities.Sets caps = null;
        int last = 0;
        if (proc.capabilities() != null) {
            last = capLastCap();
            caps = Capabilities.of(proc.capabilities(), last);
            caps.unknown().forEach(c -> warnings.add("capability " + c + " is not known to the kernel: skipped"));
            p.add(Op.CAPS_BOUNDING, caps.bounding(), last);
        }
        User user = proc.user();
        long uid = user == null || user.uid() == null ? 0 : user.uid();
        long gid = user == null || user.gid() == null ? 0 : user.gid();
        if (!setgroupsDenied) {
            p.add(Op.SETGROUPS, user == null || user.additionalGids() == null ? List.of() : user.additionalGids());
        }
        p.add(Op.SETRESID, uid, gid);
        if (user != null && user.umask() != null) {
            p.add(Op.UMASK, user.umask()); // config.md: when unspecified, the caller's umask is kept
        }
        if (caps != null) {
            p.add(Op.CAPS, caps.effective(), caps.permitted(), caps.inheritable(), caps.ambient(), last);
        }
        p.add(Op.CLOSE_FDS, 3 + preserveFds);
        if (nnp) {
            p.add(Op.NO_NEW_PRIVS);
            if (seccomp != null) {
                p.add(Op.SECCOMP, seccomp, seccompFlags); // right before execve
            }
        }
        List<Object> exec = new ArrayList<>();
        exec.add(proc.argList().size());
        exec.addAll(proc.argList());
        exec.addAll(proc.envList());
        p.add(Op.EXEC, exec);
    }

    /**
     * One entry of {@code mounts}. Returns true when it bind-mounts /dev (then, as runc, no device nodes
     * are created: the host's /dev is what the config asked for).
     */
    private boolean addMount(Plan p, int index, Mount m, Path bundle, boolean userns, boolean newNet, boolean newCgroup) {
        if (m.destination() == null || m.destination().isEmpty()) {
            throw config("config: mounts: a mount without destination");
        }
        String dest = m.destination().startsWith("/") ? m.destination() : "/" + m.destination();
        MountOptions o = MountOptions.parse(m.optionList());
        String type = m.type() == null || m.type().isEmpty() ? null : m.type();
        if (o.tmpcopyup() && !"tmpfs".equals(type)) {
            warnings.add("mount " + dest + ": tmpcopyup applies to tmpfs mounts only: ignored");
        }
        boolean bind = o.bind() || "bind".equals(type);
        if (bind) {
            long bindFlags = MS_BIND | (o.flags() & MS_REC);
            String src = m.source() == null ? "" : m.source();
            src = bundle.resolve(src).normalize().toString();
            boolean directory;
            try {
                directory = sys.stat(src).isDirectory();
            } catch (ErrnoException e) {
                // A source inside the rootfs may be made by an earlier mount of this config (a tmpfs at its
                // path): it exists only in the container's mount namespace, at mount time. Take it as a
                // directory; if it is not there then either, the stage reports the mount's own error.
                if (e.errno() != io.jruntime.sys.Errno.ENOENT || rootfs == null || !Path.of(src).startsWith(rootfs)) {
                    throw JRuntimeException.of("mount", src + " to " + dest, e.reason());
                }
                directory = true;
            }
            IdmappedMounts.Tree tree = idmapped.get(index);
            if (tree != null) { // made before CLONE (IDMAP_TREE): moved onto dest, then as a bind
                p.add(Op.IDMAP_ATTACH, tree.slot(), dest, directory ? Op.CREATE_DIR : Op.CREATE_FILE,
                        o.bindRemountFlags(), o.propagation(), tree.what());
            } else {
                p.add(Op.MOUNT, src, dest, null, bindFlags, null, directory ? Op.CREATE_DIR : Op.CREATE_FILE,
                        o.bindRemountFlags(), o.propagation());
            }
            addSetattr(p, dest, o);
            return dest.equals("/dev");
        }
        if ("cgroup".equals(type)) {
            addCgroupMounts(p, dest, o, userns && !newCgroup, newCgroup);
            return false;
        }
        if ("sysfs".equals(type) && userns && !newNet) {
            // A user namespace may not mount sysfs for a network namespace it does not own: bind the host's.
            long remount = o.flags() & ~(MS_BIND | MS_REC);
            p.add(Op.MOUNT, "/sys", dest, null, MS_BIND | MS_REC, null, Op.CREATE_ORDINARY_DIR, remount | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                    o.propagation());
            return false;
        }
        String src = m.source() == null || m.source().isEmpty() ? (type == null ? "none" : type) : m.source();
        // proc and sysfs only on a real directory, never through an image's symlink (runc's rule since
        // CVE-2019-16884 and CVE-2019-19921): see open_dest in fs.c.
        long create = "proc".equals(type) || "sysfs".equals(type) ? Op.CREATE_ORDINARY_DIR : Op.CREATE_DIR;
        if ("tmpfs".equals(type)) {
            // As runc: a tmpfs over an existing directory keeps its mode (unless the options give one), and
            // with tmpcopyup (runc's extension, podman's default for --tmpfs) gets a copy of its files.
            create |= Op.MOUNT_DEST_MODE | (o.tmpcopyup() ? Op.MOUNT_COPYUP : 0);
        }
        String data = mountLabel != null && Lsm.labels(type) ? Lsm.withContext(o.data(), mountLabel) : o.data();
        p.add(Op.MOUNT, src, dest, type, o.flags(), data, create, 0, o.propagation());
        if (mountLabel != null && "mqueue".equals(type)) {
            p.add(Op.SELINUX_FILE_LABEL, dest, mountLabel); // mqueue takes no context=: runc labels its root
        }
        addSetattr(p, dest, o);
        return false;
    }

    private static void addSetattr(Plan p, String dest, MountOptions o) {
        if (o.attrSet() != 0 || o.attrClear() != 0) {
            p.add(Op.MOUNT_SETATTR, dest, o.attrSet(), o.attrClear());
        }
    }

    /**
     * A {@code cgroup} mount: cgroup2 on a unified host; on a v1 or hybrid host a tmpfs with one mount per
     * hierarchy the host has (in the container's cgroup namespace when it has one), read-only when asked.
     * A user namespace may mount cgroupfs only in a cgroup namespace it owns; without one ({@code bind})
     * each hierarchy is bind-mounted from the host instead, which the kernel allows.
     */
    private void addCgroupMounts(Plan p, String dest, MountOptions o, boolean bind, boolean newCgroup) {
        List<MountInfo> hierarchies = hostMounts().stream()
                .filter(mi -> mi.mountPoint().startsWith("/sys/fs/cgroup"))
                .filter(mi -> mi.fsType().equals("cgroup") || mi.fsType().equals("cgroup2"))
                .toList();
        long flags = o.flags() | MS_NOSUID | MS_NODEV | MS_NOEXEC;
        boolean unified = hierarchies.stream().anyMatch(mi -> mi.mountPoint().equals("/sys/fs/cgroup") && mi.fsType().equals("cgroup2"));
        if (unified || hierarchies.isEmpty()) {
            p.add(Op.MOUNT, "cgroup2", dest, "cgroup2", flags, null, Op.CREATE_DIR, 0, o.propagation());
            return;
        }
        String tmpfsData = mountLabel != null ? Lsm.withContext("mode=755", mountLabel) : "mode=755"; // runc labels it
        p.add(Op.MOUNT, "tmpfs", dest, "tmpfs", (flags & ~MS_RDONLY), tmpfsData, Op.CREATE_DIR, 0, 0);
        for (MountInfo mi : hierarchies) {
            String name = mi.mountPoint().substring(mi.mountPoint().lastIndexOf('/') + 1);
            String target = dest + "/" + name;
            String own = newCgroup ? null : cgroupDirs.stream()
                    .filter(d -> d.startsWith(mi.mountPoint() + "/"))
                    .findFirst().orElse(null);
            if (own != null) {
                p.add(Op.MOUNT, own, target, null, MS_BIND | MS_REC, null, Op.CREATE_DIR,
                        flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC), 0);
            } else if (bind) {
                p.add(Op.MOUNT, mi.mountPoint(), target, null, MS_BIND | MS_REC, null, Op.CREATE_DIR,
                        flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC), 0);
            } else if (mi.fsType().equals("cgroup2")) {
                p.add(Op.MOUNT, "cgroup2", target, "cgroup2", flags, null, Op.CREATE_DIR, 0, 0);
            } else {
                String data = String.join(",", List.of(mi.superOptions().split(",")).stream()
                        .filter(s -> !s.equals("rw") && !s.equals("ro")).toList());
                p.add(Op.MOUNT, "cgroup", target, "cgroup", flags, data, Op.CREATE_DIR, 0, 0);
            }
        }
        if ((flags & MS_RDONLY) != 0) {
            p.add(Op.MOUNT, null, dest, null, 0, null, Op.CREATE_NONE, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 0);
        }
        if (o.propagation() != 0) {
            p.add(Op.MOUNT, null, dest, null, 0, null, Op.CREATE_NONE, 0, o.propagation());
        }
    }

    private List<MountInfo> hostMounts() {
        if (hostMounts == null) {
            try {
                hostMounts = MountInfo.parse(new String(sys.readFile("/proc/self/mountinfo"), StandardCharsets.UTF_8));
            } catch (ErrnoException e) {
                throw new JRuntimeException("read /proc/self/mountinfo: " + e.reason(), e);
            }
        }
        return hostMounts;
    }

    private int capLastCap() {
        try {
            return Integer.parseInt(new String(sys.readFile("/proc/sys/kernel/cap_last_cap"), StandardCharsets.US_ASCII).trim());
        } catch (ErrnoException | NumberFormatException e) {
            return Capabilities.NAMES.size() - 1;
        }
    }

    private static boolean ownIdOnly(List<LinuxIdMapping> maps, int id) {
        return maps.size() == 1 && maps.get(0).size() != null && maps.get(0).size() == 1 && maps.get(0).hostID() != null
                && maps.get(0).hostID() == Integer.toUnsignedLong(id);
    }

    /** The shadow tool on $PATH (runc looks it up the same way), or null. */
    private String findTool(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null || path.isEmpty() ? "/usr/sbin:/usr/bin:/sbin:/bin" : path).split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            try {
                if (!sys.stat(dir + "/" + name).isDirectory()) {
                    return dir + "/" + name;
                }
            } catch (ErrnoException e) {
                // not there
            }
        }
        return null;
    }

    static String idMap(List<LinuxIdMapping> maps) {
        StringBuilder sb = new StringBuilder();
        for (LinuxIdMapping m : maps) {
            sb.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        return sb.toString();
    }

    static boolean mapsRoot(List<LinuxIdMapping> maps) {
        return maps.stream().anyMatch(m -> m.containerID() != null && m.size() != null && m.containerID() == 0 && m.size() > 0);
    }

    /**
     * No HOME in process.env: runc sets it to the user's home directory from the container's /etc/passwd
     * ("/" when not found), and processes started by callers that give no HOME of their own (ctr, for one)
     * count on it. The stage reads the file inside the container; the spec says nothing about HOME.
     */
    static void addHome(Plan p, Process proc) {
        for (String e : proc.envList()) {
            if (e.startsWith("HOME=")) {
                return;
            }
        }
        p.add(Op.HOME, proc.user() == null ? 0 : proc.user().uidOrZero());
    }

    /** The PATH of the process's environment (the last one wins, as in getenv), "" when absent. */
    static String pathOf(List<String> env) {
        String path = "";
        for (String e : env) {
            if (e.startsWith("PATH=")) {
                path = e.substring(5);
            }
        }
        return path;
    }
}
