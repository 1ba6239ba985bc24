package io.jruntime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the jruntime JVM in the middle of create, start and delete: no chance to undo. Afterwards
 * {@code state} and {@code list} must still answer, showing the half-made container honestly, and
 * {@code delete --force} (or a plain delete, once it is stopped) must leave no process, cgroup, fifo or
 * state directory. Hooks that sleep hold the window open; kills after N ms cover the rest.
 */
class CrashSafetyIT {
    @TempDir
    Path tmp;
    ItSupport it;
    final List<String> ids = new ArrayList<>();
    final List<Integer> pids = new ArrayList<>();
    final List<Path> hookPidFiles = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        it = new ItSupport(tmp);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String id : ids) {
            it.jr("delete", "--force", id);
        }
        for (Path f : hookPidFiles) {
            if (Files.exists(f)) {
                ItSupport.killQuietly(Integer.parseInt(Files.readString(f).trim()));
            }
        }
        for (int pid : pids) {
            ItSupport.killQuietly(pid);
        }
        assertEquals(List.of(), it.stateDirs(), "state dirs left behind");
        for (String id : ids) {
            assertEquals(List.of(), ItSupport.cgroupDirs(id), "cgroup left behind");
        }
    }

    String newId() {
        String id = ItSupport.newId("crash");
        ids.add(id);
        return id;
    }

    /** Adds a host hook that records its pid, touches {@code mark} and sleeps, the first time only. */
    Path sleepingHook(Path bundle, String kind, String name) throws Exception {
        Path mark = tmp.resolve(name + ".mark"), pidFile = tmp.resolve(name + ".pid");
        hookPidFiles.add(pidFile);
        ObjectNode c = it.config(bundle);
        ArrayNode hooks = c.with("hooks").withArray(kind);
        hooks.addObject().put("path", "/bin/sh").putArray("args").add("sh").add("-c")
                .add("[ -e " + mark + " ] && exit 0; echo $$ > " + pidFile + "; touch " + mark + "; exec sleep 60");
        it.write(bundle, c);
        return mark;
    }

    static void awaitFile(Path f, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (!Files.exists(f)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(f + " never appeared");
            }
            Thread.sleep(10);
        }
    }

    /** state and list still answer; the container, if listed, is in one of {@code allowed}. Returns its status or null. */
    String honestStatus(String id, List<String> allowed) throws Exception {
        ItSupport.Result list = it.jr("list", "--format", "json");
        assertEquals(0, list.code(), "list after a crash: " + list.err());
        JsonNode arr = ItSupport.JSON.readTree(list.out());
        String listed = null;
        for (JsonNode c : arr.isArray() ? arr : ItSupport.JSON.createArrayNode()) {
            if (c.get("id").asText().equals(id)) {
                listed = c.get("status").asText();
            }
        }
        ItSupport.Result table = it.jr("list");
        assertEquals(0, table.code(), "list (table) after a crash: " + table.err());
        ItSupport.Result st = it.jr("state", id);
        if (listed == null) {
            assertEquals(1, st.code(), "state of an unlisted container: " + st.out());
            assertTrue(st.err().contains("does not exist"), st.err());
            return null;
        }
        assertTrue(allowed.contains(listed), id + " listed as " + listed + ", expected one of " + allowed);
        assertEquals(0, st.code(), "state after a crash: " + st.err());
        assertTrue(allowed.contains(ItSupport.JSON.readTree(st.out()).get("status").asText()), st.out());
        return listed;
    }

    /** delete --force succeeds and nothing of {@code id} is left: state dir, cgroup, the processes seen before. */
    void deleteLeavesNothing(String id, List<Integer> seen) throws Exception {
        ItSupport.Result del = it.jr("delete", "--force", id);
        assertEquals(0, del.code(), "delete --force after a crash: " + del.err());
        assertFalse(Files.exists(it.root.resolve(id)), "state dir (and exec fifo) left");
        assertEquals(List.of(), ItSupport.cgroupDirs(id), "cgroup left");
        for (int pid : seen) {
            assertTrue(ItSupport.awaitDead(pid, 5000), "process " + pid + " of " + id + " left running");
        }
        ItSupport.Result again = it.jr("delete", "--force", id);
        assertEquals(0, again.code(), "a second delete --force: " + again.err());
    }

    /** The init pid the state file recorded, if any, plus every pid in the cgroup. */
    List<Integer> processesOf(String id) throws Exception {
        List<Integer> seen = new ArrayList<>(ItSupport.cgroupPids(id));
        Path stateFile = it.root.resolve(id).resolve("state.json");
        if (Files.exists(stateFile)) {
            int pid = ItSupport.JSON.readTree(stateFile.toFile()).path("pid").asInt();
            if (pid > 0 && !seen.contains(pid)) {
                seen.add(pid);
            }
        }
        pids.addAll(seen);
        return seen;
    }

    @Test
    void createKilledDuringCreateRuntimeHook() throws Exception {
        String id = newId();
        Path bundle = it.bundle(id, "exec sleep 1000");
        Path mark = sleepingHook(bundle, "createRuntime", "createRuntime");
        ItSupport.Started create = it.start("create", "--bundle", bundle.toString(), id);
        awaitFile(mark, 30_000);
        List<Integer> seen = processesOf(id);
        assertFalse(seen.isEmpty(), "the init was spawned and recorded before the hook ran");
        ItSupport.crash(create.process());
        // The init loses the sync socket and exits, and the creator is gone: the create can never finish, so
        // the container is stopped (not "creating" forever, which is what it said before the record kept the
        // creator), it does not start, and a plain delete, which wants a stopped container, removes it.
        assertEquals("stopped", honestStatus(id, List.of("stopped")));
        ItSupport.Result start = it.jr("start", id);
        assertEquals(1, start.code(), "a half-made container does not start");
        assertTrue(start.err().contains("cannot start a container that has stopped"), start.err());
        ItSupport.Result plain = it.jr("delete", id);
        assertEquals(0, plain.code(), "plain delete of a stopped half-made container: " + plain.err());
        deleteLeavesNothing(id, seen);
        // The id is free again.
        ItSupport.Result again = it.jr("create", "--bundle", it.bundle(id, "exec sleep 1000").toString(), id);
        assertEquals(0, again.code(), again.err());
    }

    @Test
    void createKilledAtManyPointsAfterItClaimedTheId() throws Exception {
        // JVM start-up varies more than the create itself: the clock starts when the state dir appears.
        List<String> outcomes = new ArrayList<>();
        for (long delay : new long[] {0, 3, 8, 15, 25, 40, 60, 80, 110, 150, 200}) {
            String id = newId();
            Path bundle = it.bundle(id, "exec sleep 1000");
            ItSupport.Started create = it.start("create", "--bundle", bundle.toString(), id);
            Path dir = it.root.resolve(id);
            while (!Files.exists(dir) && create.process().isAlive()) {
                Thread.onSpinWait();
            }
            if (delay > 0) {
                Thread.sleep(delay);
            }
            List<Integer> seen = processesOf(id);
            ItSupport.crash(create.process());
            seen.addAll(processesOf(id));
            // Its creator is dead: "creating" would be a lie that never ends (start refuses it, plain delete too).
            String status = honestStatus(id, List.of("stopped", "created"));
            outcomes.add(delay + "ms:" + status + (ItSupport.cgroupDirs(id).isEmpty() ? "" : "+cgroup")
                    + (seen.stream().anyMatch(ItSupport::alive) ? "+process" : ""));
            deleteLeavesNothing(id, seen);
        }
        System.out.println("create killed after claiming its id: " + outcomes);
    }

    /**
     * The narrowest window, which timing rarely hits: the native stage said READY (the init is alive, in its
     * cgroup, blocked on the exec fifo) and the creator died before it saved "created". Made exactly by
     * rewriting the state of a real created container as that moment leaves it: still creating, the
     * creator a dead process, the init recorded (or, as before this fix, not recorded at all).
     */
    @Test
    void creatorKilledBetweenReadyAndCreatedPlainDeleteKillsTheInit() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long goneStart = 1; // any start time: the pid is dead (or reused by another process, which is not the creator)
        for (boolean initRecorded : new boolean[] {true, false}) {
            String id = newId();
            assertEquals(0, it.jr("create", "--bundle", it.bundle(id, "exec sleep 1000").toString(), id).code());
            List<Integer> seen = processesOf(id);
            assertEquals(1, seen.size());
            Path stateFile = it.root.resolve(id).resolve("state.json");
            ObjectNode st = (ObjectNode) ItSupport.JSON.readTree(stateFile.toFile());
            st.put("creating", true).put("creatorPid", gone.pid()).put("creatorStartTime", goneStart);
            if (!initRecorded) {
                st.put("pid", 0).put("initStartTime", 0);
            }
            Files.writeString(stateFile, ItSupport.JSON.writeValueAsString(st));
            assertEquals("stopped", honestStatus(id, List.of("stopped")), "initRecorded=" + initRecorded);
            assertTrue(ItSupport.alive(seen.get(0)), "the init is still blocked on the fifo");
            ItSupport.Result start = it.jr("start", id);
            assertEquals(1, start.code(), "it does not start: " + start.out());
            assertTrue(ItSupport.alive(seen.get(0)), "start of a stopped container does not release the init");
            ItSupport.Result plain = it.jr("delete", id);
            assertEquals(0, plain.code(), "plain delete of the stopped half-made container: " + plain.err());
            assertTrue(ItSupport.awaitDead(seen.get(0), 5000), "delete killed the init (initRecorded=" + initRecorded + ")");
            deleteLeavesNothing(id, seen);
        }
    }

    @Test
    void startKilledDuringPoststartHook() throws Exception {
        String id = newId();
        Path bundle = it.bundle(id, "exec sleep 1000");
        Path mark = sleepingHook(bundle, "poststart", "poststart");
        assertEquals(0, it.jr("create", "--bundle", bundle.toString(), id).code());
        List<Integer> seen = processesOf(id);
        ItSupport.Started start = it.start("start", id);
        awaitFile(mark, 30_000);
        ItSupport.crash(start.process());
        assertEquals("running", honestStatus(id, List.of("running")), "the user process was released before poststart");
        deleteLeavesNothing(id, seen);
    }

    @Test
    void startKilledAfterNMilliseconds() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (long delay : new long[] {50, 150, 250, 400}) {
            String id = newId();
            assertEquals(0, it.jr("create", "--bundle", it.bundle(id, "exec sleep 1000").toString(), id).code());
            List<Integer> seen = processesOf(id);
            ItSupport.Started start = it.start("start", id);
            Thread.sleep(delay);
            ItSupport.crash(start.process());
            outcomes.add(delay + "ms:" + honestStatus(id, List.of("created", "running")));
            deleteLeavesNothing(id, seen);
        }
        System.out.println("start killed at " + outcomes);
    }

    @Test
    void deleteKilledDuringPoststopHookCanBeFinished() throws Exception {
        String id = newId();
        Path bundle = it.bundle(id, "exec sleep 1000");
        Path mark = sleepingHook(bundle, "poststop", "poststop");
        assertEquals(0, it.jr("create", "--bundle", bundle.toString(), id).code());
        assertEquals(0, it.jr("start", id).code());
        List<Integer> seen = processesOf(id);
        ItSupport.Started del = it.start("delete", "--force", id);
        awaitFile(mark, 30_000);
        ItSupport.crash(del.process());
        // The container was killed and its cgroup removed before poststop: it is stopped, and says so.
        assertEquals("stopped", honestStatus(id, List.of("stopped")));
        for (int pid : seen) {
            assertTrue(ItSupport.awaitDead(pid, 5000), "the init outlived the killed delete");
        }
        ItSupport.Result plain = it.jr("delete", id);
        assertEquals(0, plain.code(), "a plain delete finishes the job: " + plain.err());
        deleteLeavesNothing(id, seen);
    }

    @Test
    void deleteKilledAfterNMilliseconds() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (long delay : new long[] {50, 150, 250, 400}) {
            String id = newId();
            assertEquals(0, it.jr("create", "--bundle", it.bundle(id, "exec sleep 1000").toString(), id).code());
            assertEquals(0, it.jr("start", id).code());
            List<Integer> seen = processesOf(id);
            ItSupport.Started del = it.start("delete", "--force", id);
            Thread.sleep(delay);
            ItSupport.crash(del.process());
            outcomes.add(delay + "ms:" + honestStatus(id, List.of("running", "stopped")));
            deleteLeavesNothing(id, seen);
        }
        System.out.println("delete killed at " + outcomes);
    }
}
