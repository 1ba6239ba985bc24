package io.jruntime.cli;

import io.jruntime.JRuntimeException;
import io.jruntime.container.Container;
import io.jruntime.container.StateStore;
import io.jruntime.container.Status;
import io.jruntime.init.ExecRequest;
import io.jruntime.init.LaunchCallbacks;
import io.jruntime.init.NativeStage;
import io.jruntime.spec.LinuxCapabilities;
import io.jruntime.spec.Process;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecLoader;
import io.jruntime.spec.SpecProblem;
import io.jruntime.spec.User;
import io.jruntime.sys.Syscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code exec [flags] ID [ARGS...]}: runs a process in a running container, joining every namespace of
 * its init and its cgroup. The process comes from --process (a spec Process JSON, what containerd and
 * conmon pass) or from the container's own process with the arguments and flags applied, as runc does.
 */
final class ExecCommand implements Command {
    @Override
    public String name() {
        return "exec";
    }

    @Override
    public String usage() {
        return "<container-id> <command> [command options]  ||  -p process.json <container-id>";
    }

    @Override
    public String summary() {
        return "execute new process inside the container";
    }

    @Override
    public List<Flag> flags() {
        return List.of(
                Flag.value("process", "p", "FILE", "path to the process.json"),
                Flag.bool("detach", "d", "detach from the container's process"),
                Flag.value("pid-file", null, "PATH", "specify the file to write the process id to"),
                Flag.value("console-socket", null, "PATH", "path to an AF_UNIX socket which will receive the pseudoterminal master"),
                Flag.bool("tty", "t", "allocate a pseudo-TTY"),
                Flag.value("cwd", null, "DIR", "current working directory in the container"),
                Flag.list("env", "e", "K=V", "set environment variables"),
                Flag.value("user", "u", "UID[:GID]", "UID (format: <uid>[:<gid>])"),
                Flag.list("additional-gids", "g", "GID", "additional gids"),
                Flag.list("cap", "c", "CAP", "add a capability to the bounding set for the process"),
                Flag.bool("no-new-privs", null, "set the no new privileges value for the process"),
                Flag.value("apparmor", null, "PROFILE", "set the apparmor profile for the process"),
                Flag.value("process-label", null, "LABEL", "set the asm process label for the process"),
                Flag.value("preserve-fds", null, "N", "pass N additional file descriptors to the container"),
                Flag.value("pidfd-socket", null, "PATH", "path to an AF_UNIX socket which will receive a file descriptor referencing the exec process"),
                Flag.bool("ignore-paused", null, "allow exec in a paused container"),
                Flag.value("cgroup", null, "PATH", "run the process in an (existing) sub-cgroup of the container"));
    }

    @Override
    public int run(Cli cli, Args args) throws Exception {
        List<String> p = args.positionals();
        if (p.isEmpty()) {
            throw new Cli.UsageException(this, "\"exec\" requires a minimum of 1 argument(s)");
        }
        String id = p.get(0);
        StateStore store = cli.store();
        Container container = Container.load(store, id);
        Status status = container.status();
        if (status == Status.STOPPED || status == Status.CREATING) {
            throw new JRuntimeException("cannot exec in a stopped container");
        }
        if (status == Status.PAUSED && !args.bool("ignore-paused")) {
            throw new JRuntimeException("cannot exec in a paused container (use --ignore-paused to override)");
        }
        Path stored = store.dir(id).resolve(SpecLoader.CONFIG_JSON);
        Spec spec = SpecLoader.parse(Files.readAllBytes(stored), SpecLoader.CONFIG_JSON);
        Process process = process(cli, args, spec, p.subList(1, p.size()));
        if (process.terminalEnabled() && args.value("console-socket") == null) {
            throw new JRuntimeException("exec with a terminal needs --console-socket (terminal relay not supported yet)");
        }
        int preserveFds = args.intValue("preserve-fds", 0);
        var cgroup = container.cgroup();
        String sub = args.value("cgroup");
        var seccomp = io.jruntime.container.ContainerCreation.seccomp(spec, cli.log::debug);
        try (var pidfd = io.jruntime.container.PidfdSocket.connect(Syscalls.native_(), args.value("pidfd-socket"))) {
            return exec(cli, args, id, container, spec, process, preserveFds, cgroup, sub, seccomp, pidfd);
        }
    }

    private static int exec(Cli cli, Args args, String id, Container container, Spec spec, Process process, int preserveFds,
            io.jruntime.cgroups.CgroupManager cgroup, String sub, io.jruntime.seccomp.SeccompProgram seccomp,
            io.jruntime.container.PidfdSocket pidfd) throws Exception {
        int pid = NativeStage.exec(new ExecRequest(container.record().pid(), spec, process, args.value("console-socket"),
                preserveFds, id, container.record().noNewKeyring()), new LaunchCallbacks() {
                    @Override
                    public void initSpawned(int child) {
                        if (cgroup != null) {
                            cgroup.addProcess(child, sub);
                        }
                        if (pidfd != null) {
                            pidfd.send(child, io.jruntime.container.PidfdSocket.SETNS);
                        }
                    }

                    @Override
                    public void seccompListener(int child, int listenerFd) {
                        // As runc: one state per exec'd process, its own pid, the container's state.
                        io.jruntime.container.SeccompAgent.send(Syscalls.native_(), spec.linux().seccomp(), child,
                                container.state(), listenerFd);
                    }

                    @Override
                    public void warning(String message) {
                        cli.log.warn(message);
                    }
                }, seccomp == null ? null : seccomp.bpf(), seccomp == null ? 0 : seccomp.flags());
        String pidFile = args.value("pid-file");
        if (pidFile != null) {
            StateStore.writeAtomically(Path.of(pidFile).toAbsolutePath(), Integer.toString(pid).getBytes(StandardCharsets.US_ASCII));
        }
        if (args.bool("detach")) {
            return 0;
        }
        Syscalls sys = Syscalls.native_();
        Foreground.forwardSignals(sys, pid);
        return Foreground.waitFor(sys, pid);
    }

    /** --process as given, or the container's process with runc's exec flags applied. */
    static Process process(Cli cli, Args args, Spec spec, List<String> command) {
        String file = args.value("process");
        if (file != null) {
            return SpecLoader.parseProcess(read(file), Path.of(file).getFileName().toString(), w -> warn(cli, w));
        }
        if (command.isEmpty()) {
            throw new JRuntimeException("exec: a command is required when --process is not given");
        }
        if (spec.process() == null) {
            throw new JRuntimeException("exec: the container has no process to start from: use --process");
        }
        // Built on the records, not through databind: loading databind cost exec ~130 ms of start-up.
        Process p = spec.process().withArgs(List.copyOf(command)).withTerminal(args.bool("tty"));
        p = new Process(p.terminal(), p.consoleSize(), p.user(), p.args(), null, p.env(), p.cwd(), p.capabilities(),
                p.rlimits(), p.noNewPrivileges(), p.apparmorProfile(), p.oomScoreAdj(), p.scheduler(), p.selinuxLabel(),
                p.ioPriority(), p.execCPUAffinity()); // commandLine is Windows'
        List<String> env = new ArrayList<>(p.envList());
        env.addAll(args.values("env"));
        p = p.withEnv(env);
        if (args.value("cwd") != null) {
            p = p.withCwd(args.value("cwd"));
        }
        User user = p.user() == null ? new User(null, null, null, null, null) : p.user();
        String u = args.value("user");
        if (u != null) {
            String[] ids = u.split(":", 2);
            user = new User(parseId("user", ids[0]), ids.length > 1 ? Long.valueOf(parseId("user", ids[1])) : user.gid(),
                    user.umask(), user.additionalGids(), user.username());
        }
        if (!args.values("additional-gids").isEmpty()) {
            List<Long> gids = new ArrayList<>();
            for (String g : args.values("additional-gids")) {
                gids.add(parseId("additional-gids", g));
            }
            user = new User(user.uid(), user.gid(), user.umask(), gids, user.username());
        }
        p = p.withUser(user);
        List<String> added = args.values("cap");
        if (!added.isEmpty()) {
            // runc adds --cap to every set except ambient only when the set exists; all five keeps it simple and complete
            LinuxCapabilities c = p.capabilities() == null ? new LinuxCapabilities(null, null, null, null, null) : p.capabilities();
            p = p.withCapabilities(new LinuxCapabilities(plus(c.bounding(), added), plus(c.effective(), added),
                    plus(c.inheritable(), added), plus(c.permitted(), added), plus(c.ambient(), added)));
        }
        if (args.bool("no-new-privs")) {
            p = p.withNoNewPrivileges(true);
        }
        if (args.value("apparmor") != null) {
            p = p.withApparmorProfile(args.value("apparmor"));
        }
        if (args.value("process-label") != null) {
            p = p.withSelinuxLabel(args.value("process-label"));
        }
        SpecLoader.checkProcess(p, "process", w -> warn(cli, w));
        return p;
    }

    private static List<String> plus(List<String> set, List<String> more) {
        List<String> out = new ArrayList<>(set == null ? List.of() : set);
        out.addAll(more);
        return out;
    }

    private static void warn(Cli cli, SpecProblem w) {
        cli.log.warn("process: " + w);
    }

    private static long parseId(String flag, String v) {
        try {
            long n = Long.parseLong(v);
            if (n < 0 || n > 0xFFFF_FFFFL) { // a uid or gid is a uint32
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new JRuntimeException("exec: --" + flag + ": invalid id \"" + v + "\"");
        }
    }

    private static byte[] read(String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (java.io.IOException e) {
            throw new JRuntimeException("exec: read " + file + ": " + e.getMessage(), e);
        }
    }
}
