package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jruntime.cgroups.CgroupManager;
import io.jruntime.container.ContainerRecord;
import io.jruntime.container.ProcStat;
import io.jruntime.container.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pause, resume, ps, update, events, kill --all and delete on a real cgroup of this host, with a plain
 * process standing in for the init (the full container path is covered by the lifecycle tests).
 */
class CgroupCommandsIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    String root;
    CgroupManager cgroup;
    Process init;


    static CliHarness.Result run(String... argv) {
        return CliHarness.run(argv);
    }

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("root").toString();
        cgroup = CgroupManager.forContainer("c", "/jruntime-test/cli-" + UUID.randomUUID());
        cgroup.create();
        // The shell forks its child only once it is in the cgroup: it waits for a line on stdin first.
        init = new ProcessBuilder("sh", "-c", "read go; sleep 300 & wait").start();
        cgroup.addProcess((int) init.pid());
        init.getOutputStream().write('\n');
        init.getOutputStream().flush();
        StateStore store = new StateStore(Path.of(root));
        store.claim("c");
        store.save(new ContainerRecord("c", (int) init.pid(), ProcStat.read((int) init.pid()).startTime(), "/b", "/b/rootfs",
                "2026-01-01T00:00:00Z", "root", Map.of(), cgroup.paths(), false, true));
    }

    @AfterEach
    void tearDown() throws Exception {
        init.destroyForcibly();
        init.waitFor(5, TimeUnit.SECONDS);
        if (cgroup.exists()) {
            cgroup.thaw();
            cgroup.killAll(9);
            cgroup.destroy();
        }
        for (String dir : cgroup.paths().values()) {
            try {
                Files.deleteIfExists(Path.of(dir).getParent()); // the empty /jruntime-test parent
            } catch (java.io.IOException ignored) {
                // another test still uses it
            }
        }
    }

    String status() throws Exception {
        return JSON.readTree(run("--root", root, "state", "c").out()).get("status").asText();
    }

    @Test
    void pauseAndResumeFreezeTheCgroupAndShowInTheState() throws Exception {
        assertEquals(0, run("--root", root, "pause", "c").code());
        assertEquals("paused", status());
        assertEquals(1, run("--root", root, "pause", "c").code(), "a paused container is not running");
        assertEquals(0, run("--root", root, "resume", "c").code());
        assertEquals("running", status());
        CliHarness.Result r = run("--root", root, "resume", "c");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("container not paused"), r.err());
    }

    @Test
    void psListsEveryProcessOfTheCgroup() throws Exception {
        Thread.sleep(100);
        JsonNode pids = JSON.readTree(run("--root", root, "ps", "--format", "json", "c").out());
        assertEquals(2, pids.size(), pids.toString());
        assertTrue(pids.toString().contains(Long.toString(init.pid())));
        CliHarness.Result table = run("--root", root, "ps", "c");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("sleep 300"), table.out());
    }

    @Test
    void updateWritesTheNewLimitsAndEventsReportStats() throws Exception {
        CliHarness.Result r = run("--root", root, "update", "--memory", "64m", "--pids-limit", "50", "c");
        assertEquals(0, r.code(), r.err());
        Path memory = Path.of(cgroup.paths().get("memory"), "memory.limit_in_bytes");
        assertEquals(Long.toString(64L << 20), Files.readString(memory).trim());
        assertEquals("50", Files.readString(Path.of(cgroup.paths().get("pids"), "pids.max")).trim());

        Path res = tmp.resolve("res.json");
        Files.writeString(res, "{\"pids\":{\"limit\":40}}");
        assertEquals(0, run("--root", root, "update", "--resources", res.toString(), "c").code());
        assertEquals("40", Files.readString(Path.of(cgroup.paths().get("pids"), "pids.max")).trim());

        JsonNode ev = JSON.readTree(run("--root", root, "events", "--stats", "c").out());
        assertEquals("stats", ev.get("type").asText());
        assertEquals("c", ev.get("id").asText());
        assertTrue(ev.get("data").get("pids").get("current").asInt() >= 2, ev.toString());
    }

    @Test
    void killAllSignalsEveryProcessAndDeleteRemovesTheCgroup() throws Exception {
        Thread.sleep(100);
        assertEquals(0, run("--root", root, "kill", "--all", "c", "KILL").code());
        assertTrue(init.waitFor(5, TimeUnit.SECONDS));
        long deadline = System.currentTimeMillis() + 5000;
        while (!cgroup.pids().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(java.util.List.of(), cgroup.pids());
        assertEquals("stopped", status());
        assertEquals(0, run("--root", root, "delete", "c").code());
        assertFalse(cgroup.exists(), "delete removes the cgroup");
    }
}
