package io.jruntime.cli;

import io.jruntime.JRuntimeException;
import io.jruntime.container.ContainerCreation;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecLoader;
import io.jruntime.spec.SpecValidator;
import io.jruntime.sys.Syscalls;
import java.nio.file.Path;
import java.util.List;

/** {@code create [flags] ID}: runs the container up to {@code created}; the init waits for {@code start}. */
final class CreateCommand implements Command {
    /** The flags create and run share, in runc's spelling. */
    static final List<Flag> CREATE_FLAGS = List.of(
            Flag.value("bundle", "b", "DIR", "path to the root of the bundle directory, defaults to the current directory"),
            Flag.value("console-socket", null, "PATH", "path to an AF_UNIX socket which will receive the pseudoterminal master"),
            Flag.value("pid-file", null, "PATH", "specify the file to write the process id to"),
            Flag.bool("no-pivot", null, "do not use pivot root to jail process inside rootfs (for a rootfs on ramfs)"),
            Flag.bool("no-new-keyring", null, "do not create a new session keyring for the container"),
            Flag.value("preserve-fds", null, "N", "pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N)"),
            Flag.value("pidfd-socket", null, "PATH", "path to an AF_UNIX socket which will receive a file descriptor referencing the init process"));

    @Override
    public String name() {
        return "create";
    }

    @Override
    public String usage() {
        return "<container-id>";
    }

    @Override
    public String summary() {
        return "create a container";
    }

    @Override
    public List<Flag> flags() {
        return CREATE_FLAGS;
    }

    @Override
    public int run(Cli cli, Args args) {
        String id = Cli.requireId(this, args);
        Prepared p = prepare(cli, args, id);
        ContainerCreation.create(cli.store(), Syscalls.native_(), id, p.bundle, p.spec, p.options, cli.log::info);
        return 0;
    }

    private static int listenFds() {
        String v = System.getenv("LISTEN_FDS");
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw new JRuntimeException("invalid LISTEN_FDS: " + v);
        }
    }

    record Prepared(Path bundle, Spec spec, ContainerCreation.Options options) {}

    /** Everything create and run check before touching the machine: flags, the id, and the bundle. */
    static Prepared prepare(Cli cli, Args args, String id) {
        io.jruntime.container.ContainerId.check(id);
        int preserveFds = args.intValue("preserve-fds", 0);
        if (preserveFds < 0) {
            throw new JRuntimeException("--preserve-fds: must not be negative");
        }
        Path bundle = Path.of(args.value("bundle", ".")).toAbsolutePath().normalize();
        Spec spec = SpecLoader.load(bundle, new SpecValidator.Options(cli.systemdCgroup), w -> cli.log.warn("config.json: " + w));
        // Socket activation, as runc: the LISTEN_FDS we were given (fds 3..) reach the container too,
        // before the --preserve-fds ones, and the process learns of them as pid 1.
        int listenFds = listenFds();
        if (listenFds > 0 && spec.process() != null) {
            List<String> env = new java.util.ArrayList<>(spec.process().env() == null ? List.of() : spec.process().env());
            env.add("LISTEN_FDS=" + listenFds);
            env.add("LISTEN_PID=1");
            spec = spec.withProcess(spec.process().withEnv(env));
            preserveFds += listenFds;
        }
        String pidFile = args.value("pid-file");
        return new Prepared(bundle, spec, new ContainerCreation.Options(args.value("console-socket"),
                pidFile == null ? null : Path.of(pidFile).toAbsolutePath().toString(), preserveFds, args.bool("no-pivot"),
                args.bool("no-new-keyring"), args.value("pidfd-socket"), cli.rootless, cli.systemdCgroup));
    }
}
