package io.jruntime.cli;

import io.jruntime.JRuntimeException;
import io.jruntime.container.Container;
import io.jruntime.container.ContainerCreation;
import io.jruntime.container.Signals;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Errno;
import io.jruntime.sys.Syscalls;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code run [flags] ID}: create, start, and (unless --detach) wait in the foreground, forwarding signals
 * to the init and exiting with the container's code (128+n when killed by signal n), then delete the
 * container unless --keep. jruntime makes itself the child subreaper first, so the init, once the native
 * stage has exited, is re-parented to this JVM and can be waited for.
 */
final class RunCommand implements Command {
    private static final String[] FORWARDED = {"HUP", "INT", "QUIT", "TERM", "USR1", "USR2", "WINCH", "CONT"};

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String usage() {
        return "<container-id>";
    }

    @Override
    public String summary() {
        return "create and run a container";
    }

    @Override
    public List<Flag> flags() {
        List<Flag> flags = new ArrayList<>(CreateCommand.CREATE_FLAGS);
        flags.add(Flag.bool("detach", "d", "detach from the container's process"));
        flags.add(Flag.bool("keep", null, "do not delete the container after it exits"));
        flags.add(Flag.bool("no-subreaper", null, "disable the use of the subreaper used to reap reparented processes"));
        return flags;
    }

    @Override
    public int run(Cli cli, Args args) throws Exception {
        String id = Cli.requireId(this, args);
        boolean detach = args.bool("detach");
        CreateCommand.Prepared p = CreateCommand.prepare(cli, args, id);
        Syscalls sys = Syscalls.native_();
        boolean terminal = p.spec().process() != null && Boolean.TRUE.equals(p.spec().process().terminal());
        if (terminal && p.options().consoleSocket() == null) {
            if (detach) {
                throw new JRuntimeException("cannot allocate tty if jruntime will detach without setting console socket");
            }
            throw new JRuntimeException("run with process.terminal=true needs --console-socket (terminal relay not supported yet)");
        }
        Container container = ContainerCreation.create(cli.store(), sys, id, p.bundle(), p.spec(), p.options(), cli.log::info);
        int pid = container.record().pid();
        try {
            container.start(() -> sys, cli.log::info);
        } catch (RuntimeException e) {
            if (cli.store().exists(id)) {
                Container.load(cli.store(), id).delete(sys, true, cli.log::info);
            }
            throw e;
        }
        if (detach) {
            return 0;
        }
        forwardSignals(sys, pid);
        int code = waitForExit(sys, pid, container);
        if (!args.bool("keep")) {
            Container.load(cli.store(), id).delete(sys, true, cli.log::info);
        }
        return code;
    }

    private static void forwardSignals(Syscalls sys, int pid) {
        for (String name : FORWARDED) {
            int number = Signals.parse(name);
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                    try {
                        sys.kill(pid, number);
                    } catch (ErrnoException ignored) {
                        // the init is gone: waitForExit sees it
                    }
                });
            } catch (IllegalArgumentException ignored) {
                // a signal the JVM reserves (e.g. QUIT with some flags): not forwarded
            }
        }
    }

    private static int waitForExit(Syscalls sys, int pid, Container container) throws ErrnoException {
        while (true) {
            try {
                return sys.waitpid(pid, 0).shellCode();
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EINTR) {
                    continue;
                }
                if (e.errno() != Errno.ECHILD) {
                    throw e;
                }
                // Not our child (--no-subreaper): poll until the init is gone; its code is unknown.
                while (container.status() != io.jruntime.container.Status.STOPPED) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return 1;
                    }
                }
                return 0;
            }
        }
    }
}
