package io.jruntime.cli;

import io.jruntime.JRuntimeException;
import io.jruntime.container.StateStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** What every command gets: the global flags, the streams, the log and the state store. */
public final class Cli {
    public final String root;
    public final boolean debug;
    public final boolean systemdCgroup;
    public final String rootless;
    public final PrintStream out;
    public final PrintStream err;
    public final Log log;
    private StateStore store;

    Cli(String root, String logFile, String logFormat, boolean debug, boolean systemdCgroup, String rootless,
            PrintStream out, PrintStream err) {
        this.root = root;
        this.debug = debug;
        this.systemdCgroup = systemdCgroup;
        this.rootless = rootless;
        this.out = out;
        this.err = err;
        this.log = new Log(logFile, logFormat, debug, err);
    }

    public StateStore store() {
        if (store == null) {
            store = new StateStore(Path.of(root));
        }
        return store;
    }

    /** The one container id a command takes, checked as runc does. */
    public static String requireId(Command c, Args args) {
        List<String> p = args.positionals();
        if (p.size() != 1) {
            throw new UsageException(c, "\"" + c.name() + "\" requires exactly 1 argument(s)");
        }
        return p.get(0);
    }

    /** An argument-count or flag error: printed with the command's usage, exit 1. */
    public static final class UsageException extends JRuntimeException {
        final Command command;

        public UsageException(Command command, String message) {
            super("jruntime: " + message);
            this.command = command;
        }
    }
}
