package io.jruntime.hooks;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.Hook;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.nio.file.Path;

/**
 * Runs the runtime-namespace hooks (prestart, createRuntime, poststart, poststop) per config.md "POSIX
 * platform hooks": in order, each with exactly its {@code env}, the container state JSON on stdin, and
 * killed when it runs past {@code timeout} seconds. The first failure stops the list and is an error in
 * runc's wording ({@code error running prestart hook #0: exit status 1, stdout: ..., stderr: ...});
 * what a hook prints goes to the runtime's log.
 *
 * args[0] is the hook's argv[0] in the spec; a JDK-started process gets {@code path} as argv[0] instead,
 * which is the one liberty taken here (no hook jruntime knows of reads its argv[0]).
 */
public final class HookRunner {
    private HookRunner() {}

    /** Runs {@code hooks} of {@code phase}; throws on the first failure. Hook output lines go to {@code log}. */
    public static void run(String phase, List<Hook> hooks, byte[] state, Consumer<String> log) {
        run(phase, hooks, state, log, null);
    }

    /**
     * createContainer and startContainer hooks: run in the namespaces of the container whose init is
     * {@code pid}, through the native stage's hook mode ({@code jruntime-init hook}), which joins them
     * and execs the hook. {@code pathInRuntime}: the path resolves in the runtime's mount namespace
     * (createContainer) rather than the container's (startContainer), as config.md says.
     */
    public static void runInContainer(String phase, List<Hook> hooks, byte[] state, Consumer<String> log, Path stage,
            int pid, boolean pathInRuntime) {
        run(phase, hooks, state, log, List.of(stage.toString(), "hook", Integer.toString(pid), pathInRuntime ? "runtime" : "container"));
    }

    private static void run(String phase, List<Hook> hooks, byte[] state, Consumer<String> log, List<String> wrapper) {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            String failure = runOne(hooks.get(i), state, log, phase + " hook #" + i, wrapper);
            if (failure != null) {
                throw new JRuntimeException("error running " + phase + " hook #" + i + ": " + failure);
            }
        }
    }

    /** poststop semantics: a failing hook is a warning and the rest still run. */
    public static void runAll(String phase, List<Hook> hooks, byte[] state, Consumer<String> log, Consumer<String> warn) {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            String failure = runOne(hooks.get(i), state, log, phase + " hook #" + i, null);
            if (failure != null) {
                warn.accept("error running " + phase + " hook #" + i + ": " + failure);
            }
        }
    }

    /** null on success, else why it failed. {@code wrapper}: the hook mode command line, which also sets argv[0]. */
    static String runOne(Hook hook, byte[] state, Consumer<String> log, String name, List<String> wrapper) {
        List<String> command = new ArrayList<>();
        if (wrapper != null) {
            command.addAll(wrapper);
            command.add(hook.path());
            command.add(hook.args() == null || hook.args().isEmpty() ? hook.path() : hook.args().get(0));
        } else {
            command.add(hook.path());
        }
        if (hook.args() != null && hook.args().size() > 1) {
            command.addAll(hook.args().subList(1, hook.args().size()));
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        if (hook.env() != null) {
            for (String kv : hook.env()) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return "fork/exec " + hook.path() + ": " + reason(e);
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(state);
        } catch (IOException ignored) {
            // a hook may exit without reading its stdin; its exit status tells whether it failed
        }
        try {
            boolean done = hook.timeout() == null ? waitFor(p) : p.waitFor(hook.timeout(), TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor();
                return "timeout after " + hook.timeout() + "s";
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        String stdout = out.join(), stderr = err.join();
        logLines(log, name, stdout);
        logLines(log, name, stderr);
        int code = p.exitValue();
        if (code == 0) {
            return null;
        }
        return (code > 128 ? "signal: " + (code - 128) : "exit status " + code) + ", stdout: " + stdout.strip()
                + ", stderr: " + stderr.strip();
    }

    private static boolean waitFor(Process p) throws InterruptedException {
        p.waitFor();
        return true;
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("");
            }
        });
        return f;
    }

    private static void logLines(Consumer<String> log, String name, String text) {
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                log.accept(name + ": " + line);
            }
        }
    }

    private static String reason(IOException e) {
        String m = String.valueOf(e.getMessage());
        int i = m.indexOf("error=");
        return i >= 0 ? m.substring(i) : m;
    }
}
