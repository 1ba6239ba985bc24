package io.jruntime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the reliability ITs share with CliLifecycleIT's pattern: the real launcher (one JVM per command),
 * stdio to files (a created init inherits create's stdio), a per-test --root, busybox bundles, and checks
 * that nothing is left: state dir, cgroup directory (every hierarchy), process.
 */
final class ItSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    final Path launcher;
    final Path rootfs;
    final Path tmp;
    final Path root;

    record Result(int code, String out, String err) {}

    ItSupport(Path tmp) throws Exception {
        this.tmp = tmp;
        this.root = tmp.resolve("state");
        launcher = Path.of(System.getProperty("jruntime.launcher", "../jruntime")).toAbsolutePath().normalize();
        Path samples = samples();
        rootfs = samples.resolve("rootfs");
        if (!Files.isDirectory(rootfs.resolve("bin"))) {
            Process build = new ProcessBuilder(samples.resolve("build-rootfs.sh").toString()).inheritIO().start();
            assertEquals(0, build.waitFor());
        }
    }

    static Path samples() {
        return Path.of(System.getProperty("jruntime.samples", "../config-samples")).toAbsolutePath().normalize();
    }

    static String newId(String kind) {
        return "jrt-" + kind + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts one jruntime command with stdio to fresh files; the caller waits (or kills). */
    Started start(String... args) throws IOException {
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(command(args)).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Started(p, out, err, String.join(" ", args));
    }

    record Started(Process process, Path out, Path err, String what) {
        Result await() throws IOException, InterruptedException {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("jruntime " + what + " hung");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        }
    }

    Result jr(String... args) throws IOException, InterruptedException {
        return start(args).await();
    }

    /** A bundle on the busybox rootfs running {@code script} with sh, with an absolute cgroupsPath named as the id. */
    Path bundle(String id, String script) throws IOException {
        Path b = Files.createTempDirectory(tmp, "bundle");
        ObjectNode c = (ObjectNode) JSON.readTree(samples().resolve("minimal").resolve("config.json").toFile());
        ((ObjectNode) c.get("root")).put("path", rootfs.toString());
        ArrayNode args = ((ObjectNode) c.get("process")).putArray("args");
        args.add("sh").add("-c").add(script);
        ((ObjectNode) c.get("linux")).put("cgroupsPath", "/" + id);
        Files.writeString(b.resolve("config.json"), JSON.writeValueAsString(c));
        return b;
    }

    ObjectNode config(Path bundle) throws IOException {
        return (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
    }

    void write(Path bundle, JsonNode config) throws IOException {
        Files.writeString(bundle.resolve("config.json"), JSON.writeValueAsString(config));
    }

    /** Every cgroup directory named {@code id} directly below a hierarchy (where an absolute cgroupsPath "/id" puts it). */
    static List<Path> cgroupDirs(String id) throws IOException {
        List<Path> found = new ArrayList<>();
        try (var s = Files.list(CGROUP_ROOT)) {
            for (Path h : s.toList()) {
                if (Files.isDirectory(h.resolve(id))) {
                    found.add(h.resolve(id));
                }
            }
        }
        if (Files.isDirectory(CGROUP_ROOT.resolve(id))) { // a pure cgroup2 host
            found.add(CGROUP_ROOT.resolve(id));
        }
        return found;
    }

    /** Every pid in any of the container's cgroup directories (the init, when its pid is not recorded yet). */
    static List<Integer> cgroupPids(String id) throws IOException {
        List<Integer> pids = new ArrayList<>();
        for (Path d : cgroupDirs(id)) {
            try (var walk = Files.walk(d)) {
                for (Path procs : walk.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
                    try {
                        for (String line : Files.readAllLines(procs)) {
                            if (!line.isBlank() && !pids.contains(Integer.parseInt(line.trim()))) {
                                pids.add(Integer.parseInt(line.trim()));
                            }
                        }
                    } catch (IOException gone) {
                        // removed meanwhile
                    }
                }
            }
        }
        return pids;
    }

    /** Alive and not a zombie. */
    static boolean alive(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    static void killQuietly(int pid) {
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Waits up to {@code ms} for {@code pid} to be gone (an orphan is reaped by its new parent). */
    static boolean awaitDead(int pid, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (!alive(pid)) {
                return true;
            }
            Thread.sleep(10);
        }
        return !alive(pid);
    }

    /** Ids with a directory under --root. */
    List<String> stateDirs() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (var s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    /** kill -9, as a crash: no shutdown hooks, no finally blocks. */
    static void crash(Process p) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start().waitFor();
        p.waitFor(30, TimeUnit.SECONDS);
    }
}
