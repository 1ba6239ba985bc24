package io.jruntime.cli;

import io.jruntime.JRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * jruntime's entry point: runc's global flags, then one subcommand. Exit 0 on success, 1 on any error;
 * an error is logged once (stderr, or --log plus a plain line on stderr, as runc does).
 */
public final class Main {
    /** Subcommands in help order; each maps to one class in this package, loaded only when chosen. */
    static final List<String> COMMANDS = List.of("create", "start", "run", "exec", "state", "list", "kill",
            "delete", "ps", "pause", "resume", "update", "events", "features", "spec", "validate");

    static final List<Flag> GLOBAL_FLAGS = List.of(
            Flag.value("root", null, "DIR", "root directory for storage of container state (default \"/run/jruntime\")"),
            Flag.value("log", null, "FILE", "set the log file to write jruntime logs to (default is stderr)"),
            Flag.value("log-format", null, "text|json", "set the log format (default \"text\")"),
            Flag.bool("debug", null, "enable debug logging"),
            Flag.bool("systemd-cgroup", null, "enable systemd cgroup support, expects cgroupsPath to be of form \"slice:prefix:name\" for e.g. \"system.slice:runc:434234\""),
            Flag.value("rootless", null, "auto|true|false", "ignore cgroup permission errors (default \"auto\")"),
            Flag.value("criu", null, "PATH", "path to the criu binary (accepted for compatibility)"),
            Flag.bool("version", "v", "print the version"),
            Flag.bool("help", "h", "show help"));

    private Main() {}

    public static void main(String[] argv) {
        int code = run(argv, System.out, System.err);
        System.out.flush();
        System.err.flush();
        // halt, not System.exit: since JDK 21 exit() first asks System.LoggerFinder for a logger to log the
        // exit, which loads the logging backend and scans the class path for providers (~10 ms on every
        // command). jruntime registers no shutdown hooks and its log writes are unbuffered.
        Runtime.getRuntime().halt(code);
    }

    /** runc's default: /run/runc, or $XDG_RUNTIME_DIR/runc for a user other than root (who cannot write /run). */
    static String defaultRoot() {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        return xdg != null && !xdg.isEmpty() && !"root".equals(System.getProperty("user.name")) ? xdg + "/jruntime" : "/run/jruntime";
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        Args globals;
        try {
            globals = Args.parse(GLOBAL_FLAGS, Arrays.asList(argv));
        } catch (JRuntimeException e) {
            err.println(e.getMessage());
            return 1;
        }
        String logFormat = globals.value("log-format", "text");
        Cli cli = new Cli(globals.value("root", defaultRoot()), globals.value("log"), logFormat, globals.bool("debug"),
                globals.bool("systemd-cgroup"), globals.value("rootless", "auto"), out, err);
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            return fail(cli, new JRuntimeException("invalid log-format: " + logFormat));
        }
        if (globals.bool("version")) {
            out.print(version());
            return 0;
        }
        List<String> rest = globals.positionals();
        if (rest.isEmpty() || globals.bool("help") || rest.get(0).equals("help")) {
            if (rest.size() > 1 && rest.get(0).equals("help")) {
                Command c = command(rest.get(1));
                if (c != null) {
                    out.print(Help.command(c));
                    return 0;
                }
            }
            out.print(Help.main());
            return 0;
        }
        Command command = command(rest.get(0));
        if (command == null) {
            return fail(cli, new JRuntimeException("No help topic for '" + rest.get(0) + "'"));
        }
        List<String> cmdArgs = rest.subList(1, rest.size());
        if (cmdArgs.contains("--help") || cmdArgs.contains("-h")) {
            if (!cmdArgs.isEmpty() && (cmdArgs.get(0).equals("--help") || cmdArgs.get(0).equals("-h"))) {
                out.print(Help.command(command));
                return 0;
            }
        }
        try {
            Args args = Args.parse(command.flags(), cmdArgs);
            return command.run(cli, args);
        } catch (Cli.UsageException e) {
            err.print(Help.command(e.command));
            return fail(cli, e);
        } catch (JRuntimeException e) {
            return fail(cli, e);
        } catch (Exception e) {
            if (cli.debug) {
                e.printStackTrace(err);
            }
            return fail(cli, new JRuntimeException(e.getClass().getSimpleName() + ": " + e.getMessage(), e));
        }
    }

    static int fail(Cli cli, JRuntimeException e) {
        cli.log.error(e.getMessage());
        if (cli.log.toFile()) {
            cli.err.println(e.getMessage());
        }
        if (cli.debug && e.getCause() != null) {
            e.getCause().printStackTrace(cli.err);
        }
        return 1;
    }

    static Command command(String name) {
        return switch (name) {
            case "state" -> new StateCommand();
            case "list" -> new ListCommand();
            case "start" -> new StartCommand();
            case "create" -> new CreateCommand();
            case "run" -> new RunCommand();
            case "exec" -> new ExecCommand();
            case "kill" -> new KillCommand();
            case "delete" -> new DeleteCommand();
            case "spec" -> new SpecCommand();
            case "validate" -> new ValidateCommand();
            case "features" -> new FeaturesCommand();
            case "pause" -> new PauseCommand(true);
            case "resume" -> new PauseCommand(false);
            case "ps" -> new PsCommand();
            case "update" -> new UpdateCommand();
            case "events" -> new EventsCommand();
            default -> null;
        };
    }

    /** Three lines, as the runc contract has them. */
    static String version() {
        String version = "unknown", commit = "unknown";
        try (InputStream in = Main.class.getResourceAsStream("/io/jruntime/version.txt")) {
            if (in != null) {
                String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
                version = lines.length > 0 ? lines[0].trim() : version;
                commit = lines.length > 1 ? lines[1].trim() : commit;
            }
        } catch (IOException ignored) {
            // "unknown" is the honest answer
        }
        return "jruntime version " + version + "\ncommit: " + commit + "\nspec: " + io.jruntime.container.Container.OCI_VERSION + "\n";
    }
}
