package io.jruntime.cli;

import io.jruntime.JRuntimeException;
import io.jruntime.container.Container;
import io.jruntime.container.ContainerCreation;
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
        flags.add(Flag.bool("no-subreaper", null, "accepted for compatibility: jruntime always reaps the container process it waits for"));
        return flags;
    }

    @Override
    public int run(Cli cli, Args args) throws Exception {
        String id = Cli.requireId(this, args);
        boolean detach = args.bool("detach");
        CreateCommand.Prepared p = CreateCommand.prepare(cli, args, id);
        Syscalls sys = Syscalls.native_();
        boolean terminal = p.spec().process() != null && p.spec().process().terminalEnabled();
        TerminalRelay relay = null;
        if (terminal && p.options().consoleSocket() == null) {
            if (detach) {
                throw new JRuntimeException("cannot allocate tty if jruntime will detach without setting console socket");
            }
            relay = TerminalRelay.listen(sys, cli.store().root(), id);
            p = new CreateCommand.Prepared(p.bundle(), p.spec(), new ContainerCreation.Options(relay.socketPath(),
                    p.options().pidFile(), p.options().preserveFds(), p.options().noPivot(), p.options().noNewKeyring(),
                    p.options().pidfdSocket(), p.options().rootless(), p.options().systemdCgroup()));
        }
        try {
            return runContainer(cli, args, id, p, sys, relay);
        } finally {
            if (relay != null) {
                relay.close();
            }
        }
    }

    private static int runContainer(Cli cli, Args args, String id, CreateCommand.Prepared p, Syscalls sys, TerminalRelay relay)
            throws Exception {
        boolean detach = args.bool("detach");
        Container container = ContainerCreation.create(cli.store(), sys, id, p.bundle(), p.spec(), p.options(), cli.log::info);
        int pid = container.record().pid();
        try {
            if (relay != null) {
                relay.start();
            }
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
        Foreground.forwardSignals(sys, pid);
        int code = Foreground.waitFor(sys, pid);
        if (relay != null) {
            relay.finish();
        }
        if (!args.bool("keep")) {
            Container.load(cli.store(), id).delete(sys, true, cli.log::info);
        }
        return code;
    }
}
