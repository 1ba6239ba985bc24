package io.jruntime.hooks.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@link Commands} by fork/exec, one process per step, no shell. A hook runs with config.json's env
 * only, so PATH may be missing: programs are looked up in PATH and then in the usual system directories.
 */
public final class ExecCommands implements Commands {
    private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");
    private static final Map<String, String> PACKAGES = Map.of("ip", "iproute2", "nft", "nftables", "nsenter", "util-linux");

    @Override
    public Result run(List<String> argv, String stdin) {
        List<String> command = new ArrayList<>(argv);
        command.set(0, resolve(argv.get(0)));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", String.join(":", SYSTEM_DIRS));
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        try {
            Process p = pb.start();
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (stdin != null) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // it exited without reading it all: its status and stderr say why
                }
            }
            String out;
            try (InputStream o = p.getInputStream()) {
                out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Result(p.waitFor(), out, err.join());
        } catch (IOException e) {
            throw new HookException("running " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HookException("interrupted while running " + String.join(" ", argv));
        }
    }

    /** The absolute path of {@code program}. (nsenter finds the ip it runs through the PATH set for it above.) */
    public static String resolve(String program) {
        if (program.startsWith("/")) {
            return program;
        }
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                if (!d.isEmpty()) {
                    dirs.add(d);
                }
            }
        }
        dirs.addAll(SYSTEM_DIRS);
        for (String d : dirs) {
            Path candidate = Path.of(d, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new HookException("program \"" + program + "\" not found (looked in " + String.join(":", dirs) + ")"
                + (PACKAGES.containsKey(program) ? "; install the Debian package " + PACKAGES.get(program) : ""));
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
}
