package io.jruntime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input never crashes the CLI: a seeded random mutator (no jqwik here) breaks a valid config.json in
 * the ways callers and fuzzers do (wrong types, missing fields, huge numbers, unicode, deep nesting, paths
 * with "..", unknown enum values, nulls) and {@code validate --bundle} must exit 0 or 1, and on 1 say
 * what is wrong (the file or a field) without a stack trace. Plus the explicit cases of issue 9: no
 * rootfs, an unreadable config.json, ids with "/" or "..", a --root that cannot hold state.
 */
class BadInputTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final long SEED = 0x9A11_5EEDL;
    static final int CASES = 600;

    @TempDir
    Path tmp;
    Path bundle;
    ObjectNode valid;

    record Result(int code, String out, String err) {}

    static Result run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void validBundle() throws Exception {
        bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("rootfs"));
        valid = (ObjectNode) JSON.readTree(Path.of(System.getProperty("jruntime.samples", "../config-samples"), "minimal",
                "config.json").toFile());
        valid.with("root").put("path", "rootfs");
        Files.writeString(bundle.resolve("config.json"), JSON.writeValueAsString(valid));
        Result r = run("validate", "--bundle", bundle.toString());
        assertEquals(0, r.code(), "the unmutated sample must be valid: " + r.err());
    }

    /** Clean failure: exit 1, a message naming the file or a field, no Java internals. */
    static void assertClean(Result r, String what) {
        String all = r.out() + r.err();
        assertTrue(r.code() == 0 || r.code() == 1, what + ": exit " + r.code() + "\n" + all);
        assertFalse(all.contains("\tat "), what + ": stack trace\n" + all);
        assertFalse(all.contains("Exception"), what + ": exception name leaked\n" + all);
        assertFalse(all.contains("Error:") && all.contains("java."), what + ": JVM error\n" + all);
        if (r.code() == 1) {
            assertFalse(r.err().isBlank(), what + ": exit 1 without a message");
        }
    }

    // ---- random configs (the mutator is ConfigMutator) ----------------------------------------------

    @Test
    void randomlyMutatedConfigsFailCleanly() throws Exception {
        Random random = new Random(SEED);
        int failures = 0;
        for (int i = 0; i < CASES; i++) {
            JsonNode tree = valid.deepCopy();
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                ConfigMutator.mutate(tree, random);
            }
            String text = JSON.writeValueAsString(tree);
            Files.write(bundle.resolve("config.json"), text.getBytes(StandardCharsets.UTF_8)); // a lone surrogate becomes '?'
            Result r = run("validate", "--bundle", bundle.toString());
            assertClean(r, "case " + i + " (seed " + SEED + ")\n" + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text));
            if (r.code() == 1) {
                failures++;
                String msg = r.err();
                assertTrue(msg.contains("config.json") || msg.contains("rootfs") || msg.contains("root.path"),
                        "case " + i + ": the message names neither the file nor a field: " + msg);
            }
        }
        assertTrue(failures > CASES / 4, "the mutator should break most configs, broke " + failures);
    }

    static final String JUNK = "{}[],:\"\\\u00e9\u0000";

    @Test
    void brokenJsonTextFailsCleanly() throws Exception {
        Random random = new Random(SEED + 1);
        String good = JSON.writeValueAsString(valid);
        for (int i = 0; i < 200; i++) {
            StringBuilder b = new StringBuilder(good);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(4)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, JUNK.charAt(random.nextInt(JUNK.length())));
                    case 2 -> b.setLength(at);
                    default -> b.setCharAt(at, (char) (random.nextInt(0x2FF) + 1));
                }
                if (b.isEmpty()) {
                    break;
                }
            }
            Files.write(bundle.resolve("config.json"), b.toString().getBytes(StandardCharsets.UTF_8));
            Result r = run("validate", "--bundle", bundle.toString());
            assertClean(r, "text case " + i + ": " + b);
            if (r.code() == 1) {
                assertTrue(r.err().contains("config.json"), "text case " + i + ": " + r.err());
            }
        }
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() throws Exception {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        valid.set("annotations", F.objectNode().put("a", "b"));
        String text = JSON.writeValueAsString(valid);
        Files.writeString(bundle.resolve("config.json"), text.substring(0, text.length() - 1) + ",\"x\":" + deep + "}");
        Result r = run("validate", "--bundle", bundle.toString());
        assertClean(r, "100000 nested arrays");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("config.json"), r.err());
    }

    @Test
    void invalidUtf8FailsCleanly() throws Exception {
        byte[] good = JSON.writeValueAsBytes(valid);
        int at = new String(good, StandardCharsets.UTF_8).indexOf("jruntime"); // inside the hostname string
        for (byte[] bad : List.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80})) {
            byte[] text = new byte[good.length + bad.length];
            System.arraycopy(good, 0, text, 0, at);
            System.arraycopy(bad, 0, text, at, bad.length);
            System.arraycopy(good, at, text, at + bad.length, good.length - at);
            Files.write(bundle.resolve("config.json"), text);
            Result r = run("validate", "--bundle", bundle.toString());
            assertClean(r, "invalid UTF-8 " + java.util.HexFormat.of().formatHex(bad));
            if (r.code() == 1) {
                assertTrue(r.err().contains("config.json"), r.err());
            }
        }
    }

    @Test
    void bundleWithoutRootfs() throws Exception {
        Files.delete(bundle.resolve("rootfs"));
        Result r = run("validate", "--bundle", bundle.toString());
        assertClean(r, "no rootfs");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("rootfs"), r.err());
    }

    @Test
    void configJsonThatCannotBeReadAsAFile() throws Exception {
        Files.delete(bundle.resolve("config.json"));
        Files.createDirectory(bundle.resolve("config.json")); // chmod 000 does not stop root
        Result r = run("validate", "--bundle", bundle.toString());
        assertClean(r, "config.json is a directory");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("config.json"), r.err());
    }

    @Test
    void missingBundle() {
        Result r = run("validate", "--bundle", tmp.resolve("nowhere").toString());
        assertClean(r, "no bundle");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("config.json"), r.err());
    }

    @Test
    void idsThatAreNotOnePathComponentAreRefusedBeforeTouchingAnything() throws Exception {
        Path root = tmp.resolve("state");
        for (String id : List.of("a/b", "..", ".", "../escape", "jrt-x/../../y", "", "jrt x", "jrt-\u00e9", "/abs")) {
            for (String cmd : List.of("create", "state", "start", "kill", "delete", "run")) {
                List<String> argv = new ArrayList<>(List.of("--root", root.toString(), cmd));
                if (cmd.equals("create") || cmd.equals("run")) {
                    argv.addAll(List.of("--bundle", bundle.toString()));
                }
                argv.add(id);
                Result r = run(argv.toArray(String[]::new));
                assertClean(r, cmd + " '" + id + "'");
                assertEquals(1, r.code(), cmd + " '" + id + "': " + r.out() + r.err());
                assertTrue(r.err().contains("invalid container ID format") || r.err().contains("container id cannot be empty")
                        || r.err().contains("requires exactly 1 argument"), cmd + " '" + id + "': " + r.err());
            }
        }
        assertFalse(Files.exists(root.resolve("a")), "nothing created for a/b");
        assertFalse(Files.exists(tmp.resolve("escape")) || Files.exists(tmp.resolve("y")), "nothing created outside --root");
        if (Files.isDirectory(root)) {
            try (var s = Files.list(root)) {
                assertEquals(List.of(), s.toList(), "nothing left under --root");
            }
        }
    }

    @Test
    void aRootThatCannotHoldStateIsAClearError() {
        // A read-only bind would be a host mount; /proc/sys and /sys refuse new directories just as well.
        for (String root : List.of("/proc/sys/jrt-state", "/sys/jrt-state", "/proc/sys")) {
            Result r = run("--root", root, "create", "--bundle", bundle.toString(), "jrt-badroot");
            assertClean(r, "create with --root " + root);
            assertEquals(1, r.code(), root + ": " + r.out() + r.err());
            assertTrue(r.err().contains(root), "the error names the directory: " + r.err());
            assertFalse(Files.exists(Path.of(root, "jrt-badroot")), "nothing created under " + root);

            Result list = run("--root", root, "list");
            assertClean(list, "list with --root " + root);
            Result state = run("--root", root, "state", "jrt-badroot");
            assertClean(state, "state with --root " + root);
            assertEquals(1, state.code());
            Result del = run("--root", root, "delete", "--force", "jrt-badroot");
            assertClean(del, "delete --force with --root " + root);
        }
    }

    @Test
    void aCorruptStateFileNeverCrashesStateListOrDelete() throws Exception {
        Path root = tmp.resolve("state");
        String good = "{\"id\":\"jrt-corrupt\",\"pid\":0,\"initStartTime\":0,\"bundle\":\"/b\",\"rootfs\":\"/b/r\",\"created\":\"\","
                + "\"owner\":\"root\",\"annotations\":{},\"cgroupPaths\":{},\"creating\":false,\"hasProcess\":true}";
        List<String> corrupt = List.of("", "{", "null", "[]", "\"x\"", good.substring(0, good.length() / 2),
                good.replace("\"pid\":0", "\"pid\":\"abc\""), good.replace("\"pid\":0", "\"pid\":99999999999"),
                good.replace("\"cgroupPaths\":{}", "\"cgroupPaths\":5"), good.replace("\"annotations\":{}", "\"annotations\":[1,2]"),
                good.replace("\"id\":\"jrt-corrupt\",", ""), good.replace("\"creating\":false", "\"creating\":\"yes\""));
        for (String text : corrupt) {
            Path dir = root.resolve("jrt-corrupt");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("state.json"), text);
            for (String[] argv : List.of(new String[] {"state", "jrt-corrupt"}, new String[] {"list"}, new String[] {"list", "--format", "json"},
                    new String[] {"kill", "jrt-corrupt", "KILL"}, new String[] {"start", "jrt-corrupt"}, new String[] {"delete", "jrt-corrupt"})) {
                List<String> full = new ArrayList<>(List.of("--root", root.toString()));
                full.addAll(List.of(argv));
                Result r = run(full.toArray(String[]::new));
                assertClean(r, String.join(" ", argv) + " on state.json " + text);
                if (argv[0].equals("list")) {
                    assertEquals(0, r.code(), "list must not fail for one bad container: " + r.err());
                }
            }
            Result del = run("--root", root.toString(), "delete", "--force", "jrt-corrupt");
            assertClean(del, "delete --force on state.json " + text);
            assertEquals(0, del.code(), "delete --force removes a container whatever its state file says: " + del.err());
            assertFalse(Files.exists(root.resolve("jrt-corrupt")), "state dir left for " + text);
        }
    }
}
