package io.jruntime.init;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jruntime.JRuntimeException;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Errno;
import io.jruntime.sys.Syscalls;

/**
 * Runs the native stage {@code jruntime-init} and drives it through the handshake of
 * <a href="../../../../../c/PROTOCOL.md">PROTOCOL.md</a>: spawn (posix_spawn, so fds 3..3+N-1 of
 * {@code --preserve-fds} pass through), send the plan, get the init's pid, write the id maps, call
 * the orchestrator back, continue, answer hook syncs, and return at READY with the init blocked on
 * the exec fifo.
 *
 * <p>This JVM makes itself a child subreaper on first use, so an init orphaned by the stage's exit
 * becomes its child: a failed create can kill and reap it. On success the init stays behind and is
 * re-parented to the caller's subreaper when this JVM exits.
 */
public final class NativeStage {
    private static final int SIGKILL = 9;
    private static volatile boolean subreaper;

    private NativeStage() {}

    /** The native stage binary: system property {@code jruntime.native}, else target/native next to the jar. */
    public static Path binary() {
        String prop = System.getProperty("jruntime.native");
        if (prop != null && !prop.isEmpty()) {
            return Path.of(prop);
        }
        try {
            Path jar = Path.of(NativeStage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(jar) ? jar.getParent() : jar.getParent(); // target/classes or target/jruntime.jar
            return dir.resolve("native").resolve("jruntime-init");
        } catch (Exception e) {
            return Path.of("/usr/libexec/jruntime/jruntime-init");
        }
    }

    /**
     * Runs the container up to {@code created}: the init is left blocked on execFifo. On any failure it kills
     * the init, reaps what it can and throws {@link JRuntimeException} with the precise message.
     */
    public static int create(LaunchRequest request, LaunchCallbacks callbacks) {
        Syscalls sys = Syscalls.native_();
        io.jruntime.linux.PlanBuilder builder = new io.jruntime.linux.PlanBuilder(sys);
        Launch launch = builder.build(request);
        builder.warnings().forEach(callbacks::warning);
        chownFifo(request, launch);
        return run(sys, launch, callbacks);
    }

    /**
     * Like {@link #create(LaunchRequest, LaunchCallbacks)}, with the seccomp BPF program (struct sock_filter[])
     * the seccomp compiler made from linux.seccomp, and its SECCOMP_FILTER_FLAG_* flags.
     */
    public static int create(LaunchRequest request, LaunchCallbacks callbacks, byte[] seccompProgram, long seccompFlags) {
        return create(request, callbacks, seccompProgram, seccompFlags, java.util.List.of());
    }

    /** As above, with the container's cgroup directories, which v1 cgroup mounts bind without a cgroup namespace. */
    public static int create(LaunchRequest request, LaunchCallbacks callbacks, byte[] seccompProgram, long seccompFlags,
            java.util.Collection<String> cgroupDirs) {
        Syscalls sys = Syscalls.native_();
        io.jruntime.linux.PlanBuilder builder = new io.jruntime.linux.PlanBuilder(sys).seccomp(seccompProgram, seccompFlags)
                .cgroupDirs(cgroupDirs);
        Launch launch = builder.build(request);
        builder.warnings().forEach(callbacks::warning);
        chownFifo(request, launch);
        return run(sys, launch, callbacks);
    }

    /**
     * `exec`: runs {@code request.process()} in the running container and returns its host pid once it is
     * about to execve (its executable found). {@code callbacks.initSpawned(pid)} is where the lead puts it in
     * the container's cgroup. The process is this JVM's child (subreaper): `exec` without --detach waits for
     * it with waitpid and exits with its code.
     */
    public static int exec(ExecRequest request, LaunchCallbacks callbacks) {
        return exec(request, callbacks, null, 0);
    }

    /** {@link #exec(ExecRequest, LaunchCallbacks)} under the container's seccomp program, as runc applies it to exec'd processes. */
    public static int exec(ExecRequest request, LaunchCallbacks callbacks, byte[] seccompProgram, long seccompFlags) {
        Syscalls sys = Syscalls.native_();
        io.jruntime.linux.PlanBuilder builder = new io.jruntime.linux.PlanBuilder(sys).seccomp(seccompProgram, seccompFlags);
        Launch launch = builder.buildExec(request);
        builder.warnings().forEach(callbacks::warning);
        return run(sys, launch, callbacks);
    }

    /** In a new user namespace the init writes the fifo as the host uid of container root: give it the fifo (as runc). */
    private static void chownFifo(LaunchRequest request, Launch launch) {
        if (launch.uidMap() == null) {
            return;
        }
        try {
            Files.setAttribute(request.execFifo(), "unix:uid", hostIdOfRoot(launch.uidMap()));
            Files.setAttribute(request.execFifo(), "unix:gid", hostIdOfRoot(launch.gidMap()));
        } catch (java.io.IOException | UnsupportedOperationException e) {
            throw new JRuntimeException("chown exec fifo " + request.execFifo() + ": " + e.getMessage(), e);
        }
    }

    /** The host id mapped to container id 0 by an id map text, else the first range's host id. */
    static int hostIdOfRoot(String map) {
        String[] lines = map.split("\n");
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            long container = Long.parseLong(f[0]), host = Long.parseLong(f[1]), size = Long.parseLong(f[2]);
            if (container == 0 && size > 0) {
                return (int) host;
            }
        }
        return (int) Long.parseLong(lines[0].trim().split("\\s+")[1]);
    }

    /** Runs a ready-made plan (the seam that tests with hand-built plans use). Returns the init's host pid. */
    public static int run(Syscalls sys, Launch launch, LaunchCallbacks callbacks) {
        int parent = -1, child = -1, console = -1, stagePid = -1, initPid = -1;
        boolean ok = false;
        try {
            ensureSubreaper(sys);
            int[] pair = sys.socketpair();
            parent = pair[0];
            int syncFd = launch.syncFd();
            // Copies above every target number, so no dup2 of the spawn clobbers another's source.
            child = sys.dupCloexec(pair[1], syncFd + 2);
            sys.close(pair[1]);
            List<int[]> dup2 = new ArrayList<>();
            dup2.add(new int[] {child, syncFd});
            int keepBelow = syncFd + 1;
            if (launch.consoleSocket() != null) {
                int c = sys.connectUnix(launch.consoleSocket());
                console = sys.dupCloexec(c, syncFd + 2);
                sys.close(c);
                dup2.add(new int[] {console, launch.consoleFd()});
                keepBelow = launch.consoleFd() + 1;
            }
            String bin = binary().toString();
            stagePid = sys.posixSpawn(bin, List.of(bin, Integer.toString(syncFd), Integer.toString(keepBelow)), List.of(), dup2);
            sys.close(child);
            child = -1;
            if (console >= 0) {
                sys.close(console); // the init has it now; we do not keep it
                console = -1;
            }
            Protocol proto = new Protocol(sys, parent);
            proto.send(new Message.PlanMessage(launch.plan().encode()));

            Message m = proto.receive();
            reapStage(sys, stagePid);
            stagePid = -1;
            if (!(m instanceof Message.Pid(int pid))) {
                throw failure(m);
            }
            initPid = pid;
            if (launch.uidMap() != null || launch.gidMap() != null) {
                writeIdMaps(sys, initPid, launch);
            }
            callbacks.initSpawned(initPid);
            callbacks.createRuntime(initPid);
            proto.send(new Message.Continue());
            for (;;) {
                m = proto.receive();
                switch (m) {
                    case Message.Sync(int tag) when tag == Op.SYNC_CREATE_CONTAINER -> {
                        callbacks.createContainer(initPid);
                        proto.send(new Message.Continue());
                    }
                    case Message.SeccompFd(int fd) -> {
                        int listener = copyFd(sys, initPid, fd);
                        try {
                            // The init only waits for our copy (as runc's procSeccompDone): a notified
                            // syscall after this just waits for the agent, which gets the fd next.
                            proto.send(new Message.Continue());
                            callbacks.seccompListener(initPid, listener);
                        } finally {
                            closeQuietly(sys, listener);
                        }
                    }
                    case Message.Ready r -> {
                        ok = true;
                        return initPid;
                    }
                    default -> throw failure(m);
                }
            }
        } catch (ErrnoException e) {
            throw new JRuntimeException("unable to start container process: " + e.getMessage(), e);
        } finally {
            closeQuietly(sys, parent);
            closeQuietly(sys, child);
            closeQuietly(sys, console);
            if (!ok) {
                if (stagePid > 0) {
                    killQuietly(sys, stagePid);
                    reapQuietly(sys, stagePid);
                }
                if (initPid > 0) {
                    killQuietly(sys, initPid);
                    reapQuietly(sys, initPid);
                }
            }
        }
    }

    private static synchronized void ensureSubreaper(Syscalls sys) throws ErrnoException {
        if (!subreaper) {
            sys.setChildSubreaper(true);
            subreaper = true;
        }
    }

    private static JRuntimeException failure(Message m) {
        return switch (m) {
            case Message.Error e -> new JRuntimeException("unable to start container process: " + e.describe());
            case Message.Eof e -> new JRuntimeException("unable to start container process: the native stage exited without a word");
            default -> new JRuntimeException("unable to start container process: protocol: unexpected " + m);
        };
    }

    /** uid_map, then setgroups ("deny" only when asked), then gid_map, as the kernel requires. */
    private static void writeIdMaps(Syscalls sys, int pid, Launch launch) throws ErrnoException {
        if (launch.uidMap() != null) {
            if (launch.newuidmap() != null) {
                runMapTool(launch.newuidmap(), pid, launch.uidMap());
            } else {
                writeProc(sys, "/proc/" + pid + "/uid_map", launch.uidMap());
            }
        }
        if (launch.denySetgroups()) {
            writeProc(sys, "/proc/" + pid + "/setgroups", "deny");
        }
        if (launch.gidMap() != null) {
            if (launch.newgidmap() != null) {
                runMapTool(launch.newgidmap(), pid, launch.gidMap());
            } else {
                writeProc(sys, "/proc/" + pid + "/gid_map", launch.gidMap());
            }
        }
    }

    /** newuidmap/newgidmap PID ID HOSTID SIZE...: they check the ranges against /etc/subuid, /etc/subgid. */
    private static void runMapTool(String tool, int pid, String map) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(tool, Integer.toString(pid)));
        for (String line : map.split("\n")) {
            if (!line.isBlank()) {
                cmd.addAll(java.util.List.of(line.trim().split("\\s+")));
            }
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new JRuntimeException("unable to start container process: " + String.join(" ", cmd) + ": exit status "
                        + p.exitValue() + (out.isEmpty() ? "" : ": " + out));
            }
        } catch (java.io.IOException e) {
            throw new JRuntimeException("unable to start container process: " + tool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JRuntimeException("unable to start container process: " + tool + ": interrupted", e);
        }
    }

    private static void writeProc(Syscalls sys, String path, String content) {
        try {
            int fd = sys.open(path, Syscalls.O_WRONLY, 0);
            try {
                byte[] b = content.getBytes(StandardCharsets.UTF_8);
                sys.writeFully(fd, b, 0, b.length);
            } finally {
                sys.close(fd);
            }
        } catch (ErrnoException e) {
            throw new JRuntimeException("unable to start container process: write " + path + ": " + e.reason(), e);
        }
    }

    /**
     * This JVM's copy of fd {@code fd} of process {@code pid}. pidfd_getfd rather than SCM_RIGHTS: the init
     * already runs under its filter, and sendmsg may be a notified syscall (runc does the same).
     */
    private static int copyFd(Syscalls sys, int pid, int fd) throws ErrnoException {
        int pidfd = sys.pidfdOpen(pid);
        try {
            return sys.pidfdGetfd(pidfd, fd);
        } finally {
            closeQuietly(sys, pidfd);
        }
    }

    private static void reapStage(Syscalls sys, int pid) throws ErrnoException {
        sys.waitpid(pid, 0);
    }

    private static void closeQuietly(Syscalls sys, int fd) {
        if (fd >= 0) {
            try {
                sys.close(fd);
            } catch (ErrnoException ignored) {
                // already gone
            }
        }
    }

    private static void killQuietly(Syscalls sys, int pid) {
        try {
            sys.kill(pid, SIGKILL);
        } catch (ErrnoException ignored) {
            // already dead
        }
    }

    private static void reapQuietly(Syscalls sys, int pid) {
        try {
            sys.waitpid(pid, 0);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ECHILD) {
                // not ours to reap (this JVM is not its subreaper): the kill is all we can do
            }
        }
    }
}
