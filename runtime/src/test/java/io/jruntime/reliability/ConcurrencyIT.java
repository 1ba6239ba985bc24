package io.jruntime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many jruntime processes at once on one --root, as containerd and podman drive it: one id claimed by
 * exactly one of ten concurrent creates; whole lifecycles of many containers in parallel leave nothing
 * behind; state and list never print a torn or failed answer while containers come and go.
 */
class ConcurrencyIT {
    /**
     * The 50. On the 2-core test machine 50 lifecycles (200 JVMs) with 4 drivers took 31.5 s in one run
     * and 88 s in another (other builds sharing the machine); -Djruntime.reliability.containers=20 for a loaded box.
     */
    static final int PARALLEL_CONTAINERS = Integer.getInteger("jruntime.reliability.containers", 50);

    @TempDir
    Path tmp;
    ItSupport it;
    final List<String> ids = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> pids = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws Exception {
        it = new ItSupport(tmp);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String id : List.copyOf(ids)) {
            it.jr("delete", "--force", id);
        }
        for (int pid : List.copyOf(pids)) {
            ItSupport.killQuietly(pid);
        }
        assertEquals(List.of(), it.stateDirs(), "state dirs left behind");
        for (String id : List.copyOf(ids)) {
            assertEquals(List.of(), ItSupport.cgroupDirs(id), "cgroup left behind");
        }
    }

    String newId() {
        String id = ItSupport.newId("cc");
        ids.add(id);
        return id;
    }

    @Test
    void tenCreatesOfOneIdYieldExactlyOneContainer() throws Exception {
        String id = newId();
        Path bundle = it.bundle(id, "exec sleep 1000");
        List<ItSupport.Started> started = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            started.add(it.start("create", "--bundle", bundle.toString(), id));
        }
        int winners = 0;
        for (ItSupport.Started s : started) {
            ItSupport.Result r = s.await();
            if (r.code() == 0) {
                winners++;
            } else {
                assertEquals(1, r.code(), r.err());
                assertTrue(r.err().contains("container with id exists: " + id), "a loser's error: " + r.err());
            }
        }
        assertEquals(1, winners, "exactly one create wins");
        ItSupport.Result st = it.jr("state", id);
        assertEquals(0, st.code(), st.err());
        JsonNode state = ItSupport.JSON.readTree(st.out());
        assertEquals("created", state.get("status").asText(), "the losers did not disturb the winner");
        int pid = state.get("pid").asInt();
        pids.add(pid);
        assertTrue(ItSupport.alive(pid), "the winner's init is alive");
        assertEquals(List.of(pid), ItSupport.cgroupPids(id), "the cgroup holds the winner's init alone");
        assertEquals(0, it.jr("start", id).code());
        assertEquals("running", ItSupport.JSON.readTree(it.jr("state", id).out()).get("status").asText());
        assertEquals(0, it.jr("delete", "--force", id).code());
        assertTrue(ItSupport.awaitDead(pid, 5000), "delete --force killed the init");
    }

    @Test
    void aCreateRefusedForAnotherContainersCgroupLeavesThatContainerAlone() throws Exception {
        String owner = newId(), intruder = newId();
        assertEquals(0, it.jr("create", "--bundle", it.bundle(owner, "exec sleep 1000").toString(), owner).code());
        int pid = ItSupport.JSON.readTree(it.jr("state", owner).out()).get("pid").asInt();
        pids.add(pid);
        // Same cgroupsPath as the owner: create must refuse it (runc's check) and, undoing, not touch it.
        ObjectNode c = it.config(it.bundle(intruder, "exec sleep 1000"));
        c.with("linux").put("cgroupsPath", "/" + owner);
        Path b = it.bundle(intruder, "true");
        it.write(b, c);
        ItSupport.Result r = it.jr("create", "--bundle", b.toString(), intruder);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("container's cgroup is not empty"), r.err());
        assertTrue(ItSupport.alive(pid), "the refused create killed the owner's init");
        assertEquals(List.of(pid), ItSupport.cgroupPids(owner), "the owner's cgroup is intact");
        assertEquals("created", ItSupport.JSON.readTree(it.jr("state", owner).out()).get("status").asText());
        assertEquals(List.of(owner), it.stateDirs(), "the refused create left no state dir");
    }

    @Test
    void concurrentDeletesStartsAndKillsOfOneContainer() throws Exception {
        for (int round = 0; round < 5; round++) {
            String id = newId();
            assertEquals(0, it.jr("create", "--bundle", it.bundle(id, "exec sleep 1000").toString(), id).code());
            int pid = ItSupport.JSON.readTree(it.jr("state", id).out()).get("pid").asInt();
            pids.add(pid);
            List<ItSupport.Started> deletes = new ArrayList<>(), others = new ArrayList<>();
            others.add(it.start("start", id));
            others.add(it.start("kill", id, "KILL"));
            for (int i = 0; i < 6; i++) {
                deletes.add(it.start("delete", "--force", id));
            }
            others.add(it.start("state", id));
            for (ItSupport.Started d : deletes) {
                ItSupport.Result r = d.await();
                assertEquals(0, r.code(), "round " + round + ": every delete --force succeeds: " + r.err());
            }
            for (ItSupport.Started o : others) {
                ItSupport.Result r = o.await();
                assertTrue(r.code() == 0 || r.code() == 1, o.what() + ": " + r.code());
                assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), o.what() + ": " + r.err());
            }
            assertTrue(ItSupport.awaitDead(pid, 5000), "the init is gone");
            assertEquals(List.of(), it.stateDirs());
            assertEquals(List.of(), ItSupport.cgroupDirs(id));
        }
    }

    @Test
    void manyLifecyclesInParallelLeaveNothingBehind() throws Exception {
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        Map<String, Integer> initOf = new ConcurrentHashMap<>();
        for (int i = 0; i < PARALLEL_CONTAINERS; i++) {
            String id = newId();
            futures.add(pool.submit(() -> {
                Path bundle = it.bundle(id, "exec sleep 1000");
                ItSupport.Result r = it.jr("create", "--bundle", bundle.toString(), id);
                assertEquals(0, r.code(), "create " + id + ": " + r.err());
                int pid = ItSupport.JSON.readTree(it.jr("state", id).out()).get("pid").asInt();
                pids.add(pid);
                initOf.put(id, pid);
                r = it.jr("start", id);
                assertEquals(0, r.code(), "start " + id + ": " + r.err());
                r = it.jr("kill", id, "KILL");
                assertEquals(0, r.code(), "kill " + id + ": " + r.err());
                assertTrue(ItSupport.awaitDead(pid, 10_000), id + ": the init outlived SIGKILL");
                r = it.jr("delete", id);
                assertEquals(0, r.code(), "delete " + id + ": " + r.err());
                return null;
            }));
        }
        pool.shutdown();
        List<String> errors = new ArrayList<>();
        for (Future<?> f : futures) {
            try {
                f.get(5, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException e) {
                errors.add(String.valueOf(e.getCause()));
            }
        }
        assertEquals(List.of(), errors);
        System.out.printf("%d lifecycles with 4 drivers: %d ms%n", PARALLEL_CONTAINERS, (System.nanoTime() - t0) / 1_000_000);
        assertEquals(PARALLEL_CONTAINERS, initOf.size());
        assertEquals(List.of(), it.stateDirs(), "no state dir left");
        for (var e : initOf.entrySet()) {
            assertEquals(List.of(), ItSupport.cgroupDirs(e.getKey()), "no cgroup left");
            assertFalse(ItSupport.alive(e.getValue()), e.getKey() + ": no process left");
        }
        ItSupport.Result list = it.jr("list", "--format", "json");
        assertEquals(0, list.code(), list.err());
        assertEquals("null", list.out().trim());
    }

    @Test
    void stateAndListAnswerWholeJsonWhileContainersComeAndGo() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger cycles = new AtomicInteger();
        List<String> churnIds = Collections.synchronizedList(new ArrayList<>());
        ExecutorService churn = Executors.newFixedThreadPool(2);
        List<Future<?>> churners = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            churners.add(churn.submit(() -> {
                while (!stop.get()) {
                    String id = newId();
                    churnIds.add(id);
                    ItSupport.Result r = it.jr("create", "--bundle", it.bundle(id, "exec sleep 1000").toString(), id);
                    assertEquals(0, r.code(), "create " + id + ": " + r.err());
                    r = it.jr("delete", "--force", id);
                    assertEquals(0, r.code(), "delete --force " + id + ": " + r.err());
                    cycles.incrementAndGet();
                }
                return null;
            }));
        }
        churn.shutdown();
        int states = 0, lists = 0, gone = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
        try {
            while (System.nanoTime() < deadline) {
                ItSupport.Result l = it.jr("list", "--format", "json");
                assertEquals(0, l.code(), "list: " + l.err());
                JsonNode arr = parse(l.out(), "list");
                assertTrue(arr.isArray() || arr.isNull(), l.out());
                lists++;
                for (JsonNode c : arr.isArray() ? arr : ItSupport.JSON.createArrayNode()) {
                    assertTrue(List.of("creating", "created", "stopped", "running").contains(c.get("status").asText()), l.out());
                }
                List<String> known = List.copyOf(churnIds);
                if (!known.isEmpty()) {
                    String id = known.get(known.size() - 1);
                    ItSupport.Result s = it.jr("state", id);
                    if (s.code() == 0) {
                        JsonNode st = parse(s.out(), "state " + id);
                        assertEquals(id, st.get("id").asText());
                        assertTrue(List.of("creating", "created", "stopped").contains(st.get("status").asText()), s.out());
                    } else {
                        assertEquals(1, s.code(), s.err());
                        assertTrue(s.err().contains("container \\\"" + id + "\\\" does not exist")
                                || s.err().contains("container \"" + id + "\" does not exist"), "state " + id + ": " + s.err());
                        gone++;
                    }
                    states++;
                }
            }
        } finally {
            stop.set(true);
            for (Future<?> f : churners) {
                try {
                    f.get(2, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    fail("churn: " + e.getCause());
                }
            }
        }
        System.out.printf("%d lists, %d states (%d of deleted ids), %d create+delete cycles%n", lists, states, gone, cycles.get());
        assertTrue(cycles.get() >= 4 && lists >= 10 && states >= 10, "enough overlap to mean something");
    }

    static JsonNode parse(String text, String what) {
        try {
            return ItSupport.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(what + " printed incomplete JSON: " + text, e);
        }
    }
}
