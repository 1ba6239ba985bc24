package io.jruntime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.JRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loading pipeline: file, JSON, version, schema, databind, semantics, in that order. */
class SpecLoaderTest {

    @TempDir
    Path bundle;

    private static String parseError(String json) {
        return assertThrows(JRuntimeException.class, () -> Specs.parse(json)).getMessage();
    }

    @Test
    void missingConfigUsesRuncWording() {
        var e = assertThrows(JRuntimeException.class, () -> SpecLoader.load(bundle));
        assertEquals("JSON specification file " + bundle.resolve("config.json") + " not found", e.getMessage());
    }

    @Test
    void unreadableConfig() throws IOException {
        Files.createDirectory(bundle.resolve("config.json"));
        var e = assertThrows(JRuntimeException.class, () -> SpecLoader.load(bundle));
        assertEquals("config.json: read " + bundle.resolve("config.json") + ": is a directory", e.getMessage());
    }

    @Test
    void invalidJsonSaysWhere() {
        String msg = parseError("{\n  \"ociVersion\": \"1.3.0\",\n  \"process\": {,}\n}");
        assertTrue(msg.startsWith("config.json: invalid JSON at line 3, column 15: Unexpected character (','"), msg);
        assertEquals("config.json: invalid JSON: the file is empty", parseError(""));
        assertEquals("config.json: expected a JSON object, got an array", parseError("[]"));
        String trailing = parseError("{\"ociVersion\": \"1.3.0\"} {}");
        assertTrue(trailing.startsWith("config.json: invalid JSON at line 1, column 25: "), trailing);
    }

    @Test
    void ociVersionIsCheckedBeforeEverythingElse() {
        // process is wrong and root is missing, but the version speaks first
        var e = assertThrows(JRuntimeException.class, () -> SpecLoader.parse(
                "{\"process\": 5, \"ociVersion\": \"2.0.0\"}".getBytes(StandardCharsets.UTF_8), "config.json"));
        assertEquals("config.json: ociVersion: \"2.0.0\" is not supported (jruntime supports 1.0.0 to 1.3.x)", e.getMessage());
        assertEquals("config.json: ociVersion: \"1.4.0\" is not supported (jruntime supports 1.0.0 to 1.3.x)",
                parseError(Specs.MINIMAL.replace("1.3.0", "1.4.0")));
        for (String ok : List.of("1.0.0", "1.0.2-dev", "1.1.0", "1.2.0", "1.3.0")) {
            assertEquals(ok, Specs.parse(Specs.MINIMAL.replace("1.3.0", ok)).ociVersion());
        }
    }

    @Test
    void schemaRulesAreReportedOneLineEachInPathOrder() {
        String json = Specs.MINIMAL.replace("\"cwd\": \"/\"", "\"terminal\": 1")
                .replace("{\"type\": \"pid\"}", "{\"type\": \"foo\"}");
        var e = assertThrows(JRuntimeException.class, () -> SpecLoader.parse(json.getBytes(StandardCharsets.UTF_8),
                "config.json"));
        assertEquals("config.json: linux.namespaces[0].type: \"foo\" is not one of pid, network, mount, ipc, uts, user, cgroup, time\n"
                + "config.json: process.cwd: is required\n"
                + "config.json: process.terminal: expected a boolean, got number 1", e.getMessage());
    }

    @Test
    void productionLoadAppliesTheSchemaRules() throws IOException {
        Files.writeString(bundle.resolve("config.json"), Specs.MINIMAL);
        assertEquals("rootfs", SpecLoader.load(bundle).root().path());
        Files.writeString(bundle.resolve("config.json"), Specs.MINIMAL.replace(", \"cwd\": \"/\"", ""));
        assertEquals("config.json: process.cwd: is required",
                assertThrows(JRuntimeException.class, () -> SpecLoader.load(bundle)).getMessage());
    }

    @Test
    void semanticErrorsAreAllReported() {
        String json = Specs.MINIMAL.replace("\"cwd\": \"/\"", "\"cwd\": \"home\"")
                .replace("\"root\"", "\"hostname\": \"h\", \"root\"");
        assertEquals("config.json: process.cwd: \"home\" is not an absolute path\n"
                + "config.json: hostname: unable to set hostname without a private UTS namespace", parseError(json));
    }

    @Test
    void warningsGoToTheSink() {
        String json = Specs.MINIMAL.replace("\"cwd\": \"/\"", "\"cwd\": \"/\", \"capabilities\": {\"bounding\": [\"CAP_NOPE\"]}");
        List<SpecProblem> warnings = Specs.warnings(json);
        assertEquals(1, warnings.size());
        assertEquals("process.capabilities.bounding[0]: unknown capability \"CAP_NOPE\", ignored", warnings.get(0).toString());
    }

    @Test
    void systemdOptionChangesCgroupsPathRules() {
        byte[] json = Specs.MINIMAL.replace("\"namespaces\"", "\"cgroupsPath\": \"/a/b\", \"namespaces\"")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("/a/b", Specs.parse(json).linux().cgroupsPath());
        var e = assertThrows(JRuntimeException.class, () -> SpecLoader.parse(json, "config.json",
                new SpecValidator.Options(true), p -> { }));
        assertEquals("config.json: linux.cgroupsPath: expected \"slice:prefix:name\" for systemd cgroups, got \"/a/b\"",
                e.getMessage());
    }

    @Test
    void processDocumentForExec() throws IOException {
        Path file = bundle.resolve("process.json");
        Files.writeString(file, "{\"terminal\": true, \"user\": {\"uid\": 1000, \"gid\": 1000}, \"args\": [\"ps\"],"
                + " \"cwd\": \"/\", \"env\": [\"A=1\"], \"unknownField\": 1}");
        Process p = SpecLoader.loadProcess(file);
        assertTrue(p.terminalEnabled());
        assertEquals(List.of("ps"), p.args());
        assertEquals(1000L, p.user().uid());

        Files.writeString(file, "{\"args\": [\"ps\"], \"cwd\": \"relative\"}");
        assertEquals("process.json: cwd: \"relative\" is not an absolute path",
                assertThrows(JRuntimeException.class, () -> SpecLoader.loadProcess(file)).getMessage());
        Files.writeString(file, "{\"args\": \"ps\", \"cwd\": \"/\"}");
        assertEquals("process.json: args: expected an array, got string \"ps\"",
                assertThrows(JRuntimeException.class, () -> SpecLoader.loadProcess(file)).getMessage());
        assertEquals("read " + bundle.resolve("nope.json") + ": no such file or directory",
                assertThrows(JRuntimeException.class, () -> SpecLoader.loadProcess(bundle.resolve("nope.json"))).getMessage());
    }

    @Test
    void resourcesDocumentForUpdate() {
        LinuxResources r = SpecLoader.parseResources(
                "{\"memory\": {\"limit\": 1048576}, \"pids\": {\"limit\": 10}}".getBytes(StandardCharsets.UTF_8), "resources.json");
        assertEquals(1048576L, r.memory().limit());
        assertEquals("resources.json: memory.limit: expected an integer, got string \"1m\"",
                assertThrows(JRuntimeException.class, () -> SpecLoader.parseResources(
                        "{\"memory\": {\"limit\": \"1m\"}}".getBytes(StandardCharsets.UTF_8), "resources.json")).getMessage());
    }

    @Test
    void rootfsMustBeADirectory() throws IOException {
        Spec spec = Specs.parse(Specs.MINIMAL);
        assertEquals("invalid rootfs: stat " + bundle.resolve("rootfs") + ": no such file or directory",
                assertThrows(JRuntimeException.class, () -> SpecLoader.rootfs(spec, bundle)).getMessage());
        Files.writeString(bundle.resolve("rootfs"), "");
        assertEquals("invalid rootfs: " + bundle.resolve("rootfs") + ": not a directory",
                assertThrows(JRuntimeException.class, () -> SpecLoader.rootfs(spec, bundle)).getMessage());
        Files.delete(bundle.resolve("rootfs"));
        Files.createDirectory(bundle.resolve("rootfs"));
        assertEquals(bundle.resolve("rootfs"), SpecLoader.rootfs(spec, bundle));
        Path absolute = Files.createDirectory(bundle.resolve("other"));
        assertEquals(absolute, SpecLoader.rootfs(spec.withRoot(new Root(absolute.toString(), null)), Path.of("/nowhere")));
    }

    @Test
    void stderrWarningSinkFormat() {
        var captured = new ArrayList<String>();
        var old = System.err;
        try (var buf = new java.io.ByteArrayOutputStream(); var ps = new java.io.PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setErr(ps);
            SpecLoader.STDERR_WARNINGS.accept(SpecProblem.warning("mounts[0].destination", "relative"));
            captured.add(buf.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RuntimeException(e);
        } finally {
            System.setErr(old);
        }
        assertEquals("warning: config.json: mounts[0].destination: relative" + System.lineSeparator(), captured.get(0));
    }
}
