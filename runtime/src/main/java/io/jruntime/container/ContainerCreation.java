package io.jruntime.container;

import io.jruntime.JRuntimeException;
import io.jruntime.cgroups.CgroupManager;
import io.jruntime.hooks.HookRunner;
import io.jruntime.init.LaunchCallbacks;
import io.jruntime.init.LaunchRequest;
import io.jruntime.init.NativeStage;
import io.jruntime.seccomp.SeccompCompiler;
import io.jruntime.seccomp.SeccompProgram;
import io.jruntime.spec.Hooks;
import io.jruntime.spec.LinuxSeccomp;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecLoader;
import io.jruntime.spec.State;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * runtime.md "Create", orchestrated: claim the id, record {@code creating}, create the cgroup, run the
 * native stage up to {@code created} (placing the init in the cgroup and running the prestart and
 * createRuntime hooks at its hook points), record the init. Any failure undoes every step taken, so a
 * failed create leaves no process, no cgroup and no state directory (and runs poststop hooks, as the
 * lifecycle's step 12-13 say).
 */
public final class ContainerCreation {
    /** What the create command was asked, besides the bundle. */
    public record Options(String consoleSocket, String pidFile, int preserveFds, boolean noPivot, boolean noNewKeyring,
            String pidfdSocket, String rootless, boolean systemdCgroup) {}

    /** Where the hooks that run after create are kept (only when there are any). */
    public static final String HOOKS_FILE = "hooks.json";

    private ContainerCreation() {}

    public static Container create(StateStore store, Syscalls sys, String id, Path bundle, Spec spec, Options options,
            Consumer<String> log) {
        Unimplemented.check(spec);
        Rootless.checkUserNamespace(sys, spec);
        io.jruntime.linux.NamespacePaths.check(spec);
        Path rootfs = SpecLoader.rootfs(spec, bundle);
        try (PidfdSocket pidfd = PidfdSocket.connect(sys, options.pidfdSocket())) {
            return create(store, sys, id, bundle, spec, options, log, rootfs, pidfd);
        }
    }

    private static Container create(StateStore store, Syscalls sys, String id, Path bundle, Spec spec, Options options,
            Consumer<String> log, Path rootfs, PidfdSocket pidfd) {
        Path dir = store.claim(id);
        Map<String, String> annotations = spec.annotations() == null ? Map.of() : new LinkedHashMap<>(spec.annotations());
        ContainerRecord record = new ContainerRecord(id, 0, 0, bundle.toString(), rootfs.toString(),
                State.rfc3339(Instant.now()), System.getProperty("user.name", "root"), annotations, Map.of(), true,
                spec.process() != null).withNoNewKeyring(options.noNewKeyring());
        ProcStat self = ProcStat.read((int) ProcessHandle.current().pid());
        if (self != null) {
            record = record.withCreator((int) ProcessHandle.current().pid(), self.startTime());
        }
        CgroupManager cgroup = null;
        int[] pid = {0};
        try {
            store.save(record);
            // runtime.md: updates to config.json after create must not affect the container.
            Files.copy(bundle.resolve(SpecLoader.CONFIG_JSON), dir.resolve(SpecLoader.CONFIG_JSON));
            Hooks hooks = spec.hooks();
            if (hooks != null && (notEmpty(hooks.startContainer()) || notEmpty(hooks.poststart()) || notEmpty(hooks.poststop()))) {
                Files.write(dir.resolve(HOOKS_FILE), new Hooks(null, null, null, hooks.startContainer(),
                        hooks.poststart(), hooks.poststop()).toJson());
            }
            Path fifo = dir.resolve(StateStore.EXEC_FIFO);
            sys.mkfifo(fifo.toString(), 0622);
            Files.setPosixFilePermissions(fifo, PosixFilePermissions.fromString("rw--w--w-")); // mkfifo applies the umask

            CgroupManager planned = CgroupManager.forContainer(id, spec.linux() == null ? null : spec.linux().cgroupsPath(),
                    options.systemdCgroup(), spec.annotations());
            // The paths are recorded before the directories exist: a create killed right after making them
            // leaves delete --force able to find and remove them (they used to be saved after, and leaked).
            record = record.withCgroupPaths(planned.paths()).withSystemdUnit(planned.systemdUnit());
            store.save(record);
            try {
                planned.create();
                // Only now is the cgroup ours to kill and remove on failure: create() refuses an existing cgroup
                // that has processes, and those belong to another container (undo used to SIGKILL them all).
                cgroup = planned;
            } catch (JRuntimeException e) {
                if (!Rootless.withoutCgroup(options.rootless(), sys, spec, e)) {
                    throw e;
                }
                try {
                    if (planned.exists()) {
                        planned.destroy(); // the part a user may make (a delegated hierarchy), empty yet
                    }
                } catch (RuntimeException ignored) {
                    // nothing of it to keep either way
                }
                record = record.withCgroupPaths(Map.of()).withSystemdUnit(null); // the user may not make this container's cgroups
                store.save(record);
            }
            if (cgroup != null) {
                cgroup.apply(spec.linux() == null ? null : spec.linux().resources(),
                        spec.linux() == null || spec.linux().devices() == null ? java.util.List.of() : spec.linux().devices());
            }

            CgroupManager placed = cgroup;
            ContainerRecord creating = record;
            // What the compiler skipped (unknown syscall names) is debug output, as in runc (and as exec logs it).
            SeccompProgram seccomp = seccomp(spec, w -> log.accept("debug: " + w)); // cli.Log.DEBUG_PREFIX
            int initPid = NativeStage.create(new LaunchRequest(id, bundle, spec, dir, fifo, options.consoleSocket(),
                    options.preserveFds(), options.noPivot(), options.noNewKeyring()), new LaunchCallbacks() {
                        @Override
                        public void initSpawned(int p) {
                            pid[0] = p;
                            // Recorded at once, still creating: if this JVM is killed from here on, state and
                            // list see the init (stopped when it is gone) and delete --force kills it.
                            ProcStat st = ProcStat.read(p);
                            if (st != null) {
                                store.save(creating.withSpawnedInit(p, st.startTime()));
                            }
                            if (placed != null) {
                                placed.addProcess(p);
                            }
                            if (pidfd != null) {
                                pidfd.send(p, PidfdSocket.STANDARD);
                            }
                            // linux.netDevices: into the init's network namespace before any hook runs.
                            if (spec.linux() != null && spec.linux().netDevices() != null && !spec.linux().netDevices().isEmpty()) {
                                new io.jruntime.linux.NetDevices(io.jruntime.sys.NetlinkSyscalls.native_())
                                        .move(spec.linux().netDevices(), p);
                            }
                        }

                        @Override
                        public void createRuntime(int p) {
                            if (hooks == null) {
                                return;
                            }
                            byte[] state = stateOf(creating, p, State.CREATING);
                            HookRunner.run("prestart", hooks.prestart(), state, log);
                            HookRunner.run("createRuntime", hooks.createRuntime(), state, log);
                        }

                        @Override
                        public void createContainer(int p) {
                            if (hooks != null && hooks.createContainer() != null) {
                                HookRunner.runInContainer("createContainer", hooks.createContainer(),
                                        stateOf(creating, ProcStat.pidInOwnNamespace(p), State.CREATING), log,
                                        NativeStage.binary(), p, true);
                            }
                        }

                        @Override
                        public void seccompListener(int p, int listenerFd) {
                            SeccompAgent.send(sys, spec.linux().seccomp(), p, state(creating, p, State.CREATING), listenerFd);
                        }

                        @Override
                        public void warning(String message) {
                            log.accept("warning: " + message);
                        }
                    }, seccomp == null ? null : seccomp.bpf(), seccomp == null ? 0 : seccomp.flags(),
                    cgroup == null ? java.util.List.of() : cgroup.paths().values());
            pid[0] = initPid;
            ProcStat stat = ProcStat.read(initPid);
            if (stat == null || stat.isDead()) {
                throw new JRuntimeException("container init " + initPid + " exited during create");
            }
            record = record.withInit(initPid, stat.startTime());
            store.save(record);
            if (options.pidFile() != null) {
                StateStore.writeAtomically(Path.of(options.pidFile()),
                        Integer.toString(initPid).getBytes(StandardCharsets.US_ASCII));
            }
            return new Container(store, record);
        } catch (RuntimeException e) {
            undo(store, sys, record, pid[0], cgroup, log);
            throw e;
        } catch (IOException e) {
            undo(store, sys, record, pid[0], cgroup, log);
            throw new JRuntimeException("prepare state directory " + dir + ": " + e.getMessage(), e);
        } catch (ErrnoException e) {
            undo(store, sys, record, pid[0], cgroup, log);
            throw new JRuntimeException("mkfifo " + dir.resolve(StateStore.EXEC_FIFO) + ": " + e.reason(), e);
        }
    }

    /**
     * linux.seccomp compiled for this machine, or null. The native stage loads it as late as it can; a
     * program with SCMP_ACT_NOTIFY rules before READY, so its listener reaches the agent (SeccompAgent).
     */
    public static SeccompProgram seccomp(Spec spec, Consumer<String> log) {
        if (spec.linux() == null || spec.linux().seccomp() == null) {
            return null;
        }
        SeccompProgram program = SeccompCompiler.compile(spec.linux().seccomp(), System.getProperty("os.arch"),
                w -> log.accept("seccomp: " + w));
        LinuxSeccomp s = spec.linux().seccomp();
        if (program.needsListener() && (s.listenerPath() == null || s.listenerPath().isEmpty())) {
            throw new JRuntimeException("config.json: linux.seccomp.listenerPath: is required when SCMP_ACT_NOTIFY is used");
        }
        return program;
    }

    static boolean notEmpty(java.util.List<?> list) {
        return list != null && !list.isEmpty();
    }

    /** The state hooks receive on stdin: the container as it is at that point of the lifecycle. */
    static byte[] stateOf(ContainerRecord r, int pid, String status) {
        return state(r, pid, status).toJson();
    }

    static State state(ContainerRecord r, int pid, String status) {
        return new State(Container.OCI_VERSION, r.id(), pid, status, r.bundle(), r.rootfs(), r.created(), r.annotations(),
                r.owner());
    }

    private static void undo(StateStore store, Syscalls sys, ContainerRecord record, int pid, CgroupManager cgroup,
            Consumer<String> log) {
        if (pid > 0) {
            try {
                sys.kill(pid, Signals.SIGKILL);
            } catch (ErrnoException ignored) {
                // already gone
            }
        }
        if (cgroup != null) {
            try {
                if (cgroup.exists()) {
                    cgroup.killAll(Signals.SIGKILL);
                    cgroup.destroy();
                }
            } catch (RuntimeException e) {
                log.accept("warning: cleaning up after a failed create: " + e.getMessage());
            }
        }
        new Container(store, record).runPoststop(log);
        store.remove(record.id());
    }
}
