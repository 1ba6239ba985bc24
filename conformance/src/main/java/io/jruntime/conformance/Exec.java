package io.jruntime.conformance;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command with its output in files, never pipes: a runtime may leave a child (the
 * container init) holding its stdout, and a pipe would then never reach end of file.
 */
public final class Exec {
    private Exec() {}

    public static CommandResult run(List<String> command, Path dir, Path stdout, Path stderr, Duration timeout,
            Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        if (env != null) {
            pb.environment().putAll(env);
        }
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new CommandResult(command, 127, "", "cannot run: " + e.getMessage(), 0, false);
        }
        boolean done;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                // Only our own child, by its pid; whatever it started is cleaned up by delete --force.
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            done = false;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int exit = done ? p.exitValue() : -1;
        return new CommandResult(command, exit, read(stdout), read(stderr), ms, !done);
    }

    /** Runs a command with its output in temporary files in {@code scratch}, removed afterwards. */
    public static CommandResult run(List<String> command, Path scratch, Duration timeout) {
        try {
            Files.createDirectories(scratch);
            Path out = Files.createTempFile(scratch, "out", ".txt");
            Path err = Files.createTempFile(scratch, "err", ".txt");
            try {
                return run(command, null, out, err, timeout, null);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            try {
                return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            } catch (IOException e2) {
                return "";
            }
        }
    }
}
