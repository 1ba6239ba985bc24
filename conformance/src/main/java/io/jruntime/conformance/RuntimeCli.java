package io.jruntime.conformance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runtime under test, driven only through runc's command line:
 * {@code RUNTIME [global flags] --root STATE SUBCOMMAND ...}. Each test gets its own state dir.
 */
public final class RuntimeCli {
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path binary;
    private final List<String> globalArgs;
    private final Path root;
    private final Path scratch;

    public RuntimeCli(Path binary, List<String> globalArgs, Path root, Path scratch) {
        this.binary = binary;
        this.globalArgs = List.copyOf(globalArgs);
        this.root = root;
        this.scratch = scratch;
    }

    public Path binary() {
        return binary;
    }

    public Path root() {
        return root;
    }

    public List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(globalArgs);
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a subcommand, its output captured. */
    public CommandResult run(String... args) {
        return Exec.run(command(args), scratch, TIMEOUT);
    }

    /**
     * Runs a subcommand whose stdout/stderr go to the given files: for {@code create}, the
     * container process inherits them. {@code wrapper} (may be empty) is put before the runtime,
     * e.g. {@code sh -c 'umask 077; exec "$@"' sh} to change what the runtime inherits.
     */
    public CommandResult runTo(Path stdout, Path stderr, Path cwd, List<String> wrapper, Map<String, String> env,
            String... args) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(command(args));
        return Exec.run(cmd, cwd, stdout, stderr, TIMEOUT, env);
    }
}
