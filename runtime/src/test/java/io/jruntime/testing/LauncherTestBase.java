package io.jruntime.testing;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What integration tests that drive the real `jruntime` launcher share: one JVM per command as
 * containerd and podman call it, a --root of the test's own, container ids that the leak check knows
 * ("jrt-it-..."), bundles on the sample busybox rootfs, and cleanup that deletes every container the
 * test made and fails when a state dir is left.
 */
public abstract class LauncherTestBase {
    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static Path launcher;
    protected static Path samples;
    protected static Path sampleRootfs;

    @TempDir
    protected Path tmp;
    protected Path root;
    protected final List<String> ids = new ArrayList<>();

    public record Result(int code, String out, String err) {}

    @BeforeAll
    static void locate() throws Exception {
        launcher = Path.of(System.getProperty("jruntime.launcher", "../jruntime")).toAbsolutePath().normalize();
        samples = Path.of(System.getProperty("jruntime.samples", "../config-samples")).toAbsolutePath().normalize();
        Process build = new ProcessBuilder(samples.resolve("build-rootfs.sh").toString()).inheritIO().start();
        assertEquals(0, build.waitFor());
        sampleRootfs = samples.resolve("rootfs");
    }

    @BeforeEach
    void useOwnRoot() {
        root = tmp.resolve("state");
    }

    @AfterEach
    void deleteContainers() throws Exception {
        StringBuilder failures = new StringBuilder();
        for (String id : ids) {
            Result r = jr("delete", "--force", id);
            if (r.code() != 0) {
                failures.append("\ndelete --force ").append(id).append(": ").append(r.err().strip());
            }
        }
        if (Files.isDirectory(root)) {
            try (var s = Files.list(root)) {
                assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList(),
                        "state dirs left behind" + failures);
            }
        }
    }

    /** Runs `jruntime --root ROOT ARGS...`. */
    protected Result jr(String... args) throws IOException, InterruptedException {
        return jrUnder(List.of(), args);
    }

    /** Runs `PREFIX... jruntime --root ROOT ARGS...` (e.g. nsenter into a test's network namespace). */
    protected Result jrUnder(List<String> prefix, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(launcher.toString(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        // Files, not pipes: a created container's init inherits create's stdio (as with runc), so a pipe
        // would not see EOF until the container exits.
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("jruntime " + String.join(" ", args) + " hung");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A fresh container id, deleted after the test. */
    protected String newId() {
        String id = "jrt-it-" + UUID.randomUUID().toString().substring(0, 8);
        ids.add(id);
        return id;
    }

    /** A bundle like the minimal sample (runc spec's default) on the sample rootfs, running {@code script} with sh. */
    protected Path bundle(String script) throws IOException {
        return bundle(sampleRootfs, script);
    }

    /** The same on {@code rootfs}. */
    protected Path bundle(Path rootfs, String script) throws IOException {
        Path b = Files.createTempDirectory(tmp, "bundle");
        ObjectNode c = (ObjectNode) JSON.readTree(Files.readString(samples.resolve("minimal").resolve("config.json")));
        ((ObjectNode) c.get("root")).put("path", rootfs.toString());
        ArrayNode args = ((ObjectNode) c.get("process")).putArray("args");
        args.add("sh").add("-c").add(script);
        write(b, c);
        return b;
    }

    protected ObjectNode config(Path bundle) throws IOException {
        return (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
    }

    protected void write(Path bundle, JsonNode config) throws IOException {
        Files.writeString(bundle.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
    }

    /** `jruntime state ID`, which must succeed. */
    protected JsonNode state(String id) throws Exception {
        Result r = jr("state", id);
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(r.out());
    }
}
