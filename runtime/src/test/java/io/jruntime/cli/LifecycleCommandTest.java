package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.container.ContainerRecord;
import io.jruntime.container.ProcStat;
import io.jruntime.container.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * start, kill and delete on state dirs whose "init" is a plain child process of this test: the real
 * container lifecycle is covered by the integration tests; this pins the state machine and the wording.
 */
class LifecycleCommandTest {
    @TempDir
    Path tmp;
    String root;
    StateStore store;
    final List<Process> started = new ArrayList<>();


    static CliHarness.Result run(String... argv) {
        return CliHarness.run(argv);
    }

    @BeforeEach
    void setUp() {
        root = tmp.resolve("root").toString();
        store = new StateStore(Path.of(root));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    Process spawn(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        started.add(p);
        return p;
    }

    /** A state dir whose init is {@code pid}; the dir may already exist (claimed to hold the fifo). */
    void write(String id, long pid, boolean hasProcess) {
        long startTime = ProcStat.read((int) pid).startTime();
        if (!store.exists(id)) {
            store.claim(id);
        }
        store.save(new ContainerRecord(id, (int) pid, startTime, "/b", "/b/rootfs", "2026-01-01T00:00:00Z", "root",
                Map.of(), Map.of(), false, hasProcess));
    }

    @Test
    void killSignalsTheInitByNameOrNumberAndFailsOnceStopped() throws Exception {
        Process p = spawn("sleep", "60");
        write("k", p.pid(), true);
        assertEquals(0, run("--root", root, "kill", "k", "SIGKILL").code());
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue());
        CliHarness.Result r = run("--root", root, "kill", "k", "9");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("container not running"), r.err());
        assertEquals(1, run("--root", root, "kill", "k", "NOPE").code());
        assertTrue(run("--root", root, "kill", "missing").err().contains("container \\\"missing\\\" does not exist"));
    }

    @Test
    void deleteRefusesALiveContainerUnlessForced() throws Exception {
        Process p = spawn("sleep", "60");
        write("d", p.pid(), true);
        CliHarness.Result r = run("--root", root, "delete", "d");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("cannot delete container d that is not stopped: running"), r.err());
        assertTrue(p.isAlive());
        assertEquals(0, run("--root", root, "delete", "--force", "d").code());
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertFalse(Files.exists(store.dir("d")));
        // the shim's second delete --force of a deleted id succeeds; a plain delete does not
        assertEquals(0, run("--root", root, "delete", "--force", "d").code());
        assertEquals(1, run("--root", root, "delete", "d").code());
    }

    @Test
    void deleteOfStoppedContainerRemovesItsState() throws Exception {
        Process p = spawn("true");
        p.waitFor();
        store.claim("s");
        store.save(new ContainerRecord("s", (int) p.pid(), 1, "/b", "/b/rootfs", "", "root", Map.of(), Map.of(), false, true));
        assertEquals(0, run("--root", root, "delete", "s").code());
        assertFalse(Files.exists(store.dir("s")));
    }

    @Test
    void startReleasesTheExecFifoOnceAndOnlyInCreatedState() throws Exception {
        store.claim("f");
        Path fifo = store.dir("f").resolve(StateStore.EXEC_FIFO);
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        // stands in for the init: blocks opening the fifo for writing, writes one byte, then keeps running
        Process init = spawn("sh", "-c", "printf 0 > " + fifo + "; exec sleep 60");
        write("f", init.pid(), true);

        assertTrue(run("--root", root, "state", "f").out().contains("\"status\": \"created\""));
        CliHarness.Result res = run("--root", root, "start", "f");
        assertEquals(0, res.code(), res.err());
        assertFalse(Files.exists(fifo), "the fifo is gone once started");
        assertTrue(run("--root", root, "state", "f").out().contains("\"status\": \"running\""));
        res = run("--root", root, "start", "f");
        assertEquals(1, res.code());
        assertTrue(res.err().contains("cannot start an already running container"), res.err());
    }

    @Test
    void startWithoutProcessIsAnError() throws Exception {
        Process p = spawn("sleep", "60");
        write("np", p.pid(), false);
        Files.createFile(store.dir("np").resolve(StateStore.EXEC_FIFO));
        CliHarness.Result r = run("--root", root, "start", "np");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("has no process"), r.err());
    }

    @Test
    void startOfADeadInitFailsInsteadOfHanging() throws Exception {
        store.claim("dead");
        Path fifo = store.dir("dead").resolve(StateStore.EXEC_FIFO);
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Process p = spawn("sleep", "60");
        write("dead", p.pid(), true);
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                // the test fails by timing out instead
            }
            p.destroyForcibly();
        });
        killer.start();
        CliHarness.Result res = run("--root", root, "start", "dead");
        killer.join();
        assertEquals(1, res.code());
        assertTrue(res.err().contains("cannot start a container that has stopped"), res.err());
    }
}
