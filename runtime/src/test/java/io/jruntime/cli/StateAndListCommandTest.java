package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jruntime.container.ContainerRecord;
import io.jruntime.container.ProcStat;
import io.jruntime.container.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** state and list against hand-written state directories, with this JVM standing in for a live init. */
class StateAndListCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    String root;
    int pid;
    long start;


    static CliHarness.Result run(String... argv) {
        return CliHarness.run(argv);
    }

    @BeforeEach
    void setUp() {
        root = tmp.resolve("root").toString();
        pid = (int) ProcessHandle.current().pid();
        start = ProcStat.read(pid).startTime();
    }

    void write(String id, int p, long s, Map<String, String> annotations) {
        StateStore store = new StateStore(Path.of(root));
        store.claim(id);
        store.save(new ContainerRecord(id, p, s, "/bundles/" + id, "/bundles/" + id + "/rootfs",
                "2026-11-23T01:02:03.456Z", "root", annotations, Map.of(), false, true));
    }

    @Test
    void liveInitIsRunningAndStateJsonHasRuncsFields() throws Exception {
        write("web", pid, start, Map.of("org.example/key", "value"));
        CliHarness.Result r = run("--root", root, "state", "web");
        assertEquals(0, r.code(), r.err());
        JsonNode s = JSON.readTree(r.out());
        assertEquals("1.3.0", s.get("ociVersion").asText());
        assertEquals("web", s.get("id").asText());
        assertEquals("running", s.get("status").asText());
        assertEquals(pid, s.get("pid").asInt());
        assertEquals("/bundles/web", s.get("bundle").asText());
        assertEquals("/bundles/web/rootfs", s.get("rootfs").asText());
        assertEquals("2026-11-23T01:02:03.456Z", s.get("created").asText());
        assertEquals("root", s.get("owner").asText());
        assertEquals("value", s.get("annotations").get("org.example/key").asText());
        assertTrue(r.out().startsWith("{\n  \"ociVersion\": \"1.3.0\",\n"), "indented as runc: " + r.out());
    }

    @Test
    void initBlockedOnTheExecFifoIsCreated() throws Exception {
        write("c", pid, start, Map.of());
        Files.createFile(Path.of(root, "c", StateStore.EXEC_FIFO));
        assertEquals("created", JSON.readTree(run("--root", root, "state", "c").out()).get("status").asText());
    }

    @Test
    void reusedPidOrDeadInitIsStoppedWithPidZero() throws Exception {
        write("reused", pid, start + 1, Map.of());
        write("dead", Integer.MAX_VALUE - 1, 1, Map.of());
        for (String id : new String[] {"reused", "dead"}) {
            JsonNode s = JSON.readTree(run("--root", root, "state", id).out());
            assertEquals("stopped", s.get("status").asText(), id);
            assertEquals(0, s.get("pid").asInt(), id);
        }
    }

    @Test
    void missingContainerFailsWithRuncWordingOnStderrAndInTheJsonLog() throws Exception {
        CliHarness.Result r = run("--root", root, "state", "nope");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("level=error msg=\"container \\\"nope\\\" does not exist\""), r.err());
        Path log = tmp.resolve("log.json");
        r = run("--root", root, "--log", log.toString(), "--log-format", "json", "state", "nope");
        assertEquals(1, r.code());
        assertEquals("container \"nope\" does not exist\n", r.err());
        JsonNode line = JSON.readTree(Files.readAllLines(log).get(0));
        assertEquals("error", line.get("level").asText());
        assertEquals("container \"nope\" does not exist", line.get("msg").asText());
    }

    @Test
    void stateNeedsExactlyOneIdAndRejectsBadIds() {
        assertEquals(1, run("--root", root, "state").code());
        CliHarness.Result r = run("--root", root, "state", "../etc");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("invalid container ID format"), r.err());
    }

    @Test
    void listShowsEveryContainerInAllThreeFormats() throws Exception {
        write("b", pid, start, Map.of());
        write("a", Integer.MAX_VALUE - 1, 1, Map.of());
        CliHarness.Result table = run("--root", root, "list");
        assertEquals(0, table.code());
        String[] lines = table.out().split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("ID          PID         STATUS      BUNDLE"), lines[0]);
        assertTrue(lines[1].matches("a\\s+0\\s+stopped\\s+/bundles/a\\s+2026-11-23T01:02:03.456Z\\s+root"), lines[1]);
        assertTrue(lines[2].matches("b\\s+" + pid + "\\s+running\\s+/bundles/b\\s+.*"), lines[2]);

        JsonNode arr = JSON.readTree(run("--root", root, "list", "--format", "json").out());
        assertEquals(2, arr.size());
        assertEquals("a", arr.get(0).get("id").asText());
        assertEquals("running", arr.get(1).get("status").asText());
        assertEquals("a\nb\n", run("--root", root, "list", "-q").out());
    }

    @Test
    void listOfEmptyOrMissingRoot() {
        CliHarness.Result r = run("--root", root, "list", "-f", "json");
        assertEquals(0, r.code());
        assertEquals("null\n", r.out());
        assertEquals("ID          PID         STATUS      BUNDLE      CREATED     OWNER\n", run("--root", root, "list").out());
        assertEquals(1, run("--root", root, "list", "--format", "yaml").code());
    }

    @Test
    void versionIsThreeLines() {
        String[] lines = run("--version").out().split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("jruntime version "));
        assertTrue(lines[1].startsWith("commit: "));
        assertEquals("spec: 1.3.0", lines[2]);
    }

    @Test
    void unknownCommandAndFlagAreErrors() {
        assertEquals(1, run("bogus").code());
        assertEquals(1, run("--bogus", "list").code());
        assertEquals(0, run("--help").code());
        assertEquals(0, run("state", "--help").code());
    }
}
