package io.jruntime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.JRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path tmp;

    static ContainerRecord record(String id) {
        return new ContainerRecord(id, 0, 0, "/bundle", "/bundle/rootfs", "2026-01-01T00:00:00Z", "root",
                Map.of("k", "v"), Map.of("memory", "/sys/fs/cgroup/memory/jruntime/" + id), false, true);
    }

    @Test
    void idsFollowRuncRules() {
        for (String bad : List.of("", ".", "..", "a/b", "../x", "a b", "x\n")) {
            assertThrows(JRuntimeException.class, () -> ContainerId.check(bad), bad);
        }
        for (String good : List.of("a", "A-b_c.d+e", "0123456789abcdef")) {
            assertEquals(good, ContainerId.check(good));
        }
    }

    @Test
    void recordRoundTripsThroughStateJson() {
        StateStore store = new StateStore(tmp.resolve("root"));
        store.claim("c1");
        store.save(record("c1").withInit(123, 456));
        ContainerRecord r = store.load("c1");
        assertEquals(123, r.pid());
        assertEquals(456L, r.initStartTime());
        assertEquals(Map.of("k", "v"), r.annotations());
        assertEquals(Map.of("memory", "/sys/fs/cgroup/memory/jruntime/c1"), r.cgroupPaths());
        assertFalse(Files.exists(store.dir("c1").resolve(".state.json.tmp")), "no temp file left behind");
        assertFalse(r.noNewKeyring());

        store.claim("c2");
        store.save(record("c2").withNoNewKeyring(true).withCreator(7, 8).withInit(123, 456));
        assertTrue(store.load("c2").noNewKeyring(), "create's --no-new-keyring survives, for exec");
        assertEquals(null, r.systemdUnit());

        store.claim("c3");
        store.save(record("c3").withSystemdUnit("jrt-c3.scope").withCreator(7, 8).withInit(123, 456));
        assertEquals("jrt-c3.scope", store.load("c3").systemdUnit(), "the systemd unit survives, for delete and update");
    }

    @Test
    void duplicateClaimFailsWithRuncWordingAndKeepsTheFirst() {
        StateStore store = new StateStore(tmp.resolve("root"));
        store.claim("dup");
        store.save(record("dup"));
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> store.claim("dup"));
        assertEquals("container with id exists: dup", e.getMessage());
        assertEquals("/bundle", store.load("dup").bundle());
    }

    @Test
    void concurrentClaimsOfOneIdYieldExactlyOneWinner() throws Exception {
        StateStore store = new StateStore(tmp.resolve("root"));
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    store.claim("same");
                    outcomes.add("ok");
                } catch (JRuntimeException e) {
                    outcomes.add(e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, outcomes.stream().filter("ok"::equals).count());
        assertEquals(9, outcomes.stream().filter("container with id exists: same"::equals).count());
    }

    @Test
    void missingContainerIsRuncsDoesNotExist() {
        StateStore store = new StateStore(tmp.resolve("root"));
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> store.load("nope"));
        assertEquals("container \"nope\" does not exist", e.getMessage());
        assertTrue(store.ids().isEmpty());
    }

    @Test
    void removeDeletesEverythingAndIsIdempotent() throws Exception {
        StateStore store = new StateStore(tmp.resolve("root"));
        store.claim("gone");
        store.save(record("gone"));
        Files.writeString(store.dir("gone").resolve("extra"), "x");
        try (StateStore.Lock lock = store.lock("gone")) {
            store.remove("gone");
        }
        assertFalse(Files.exists(store.dir("gone")));
        store.remove("gone");
        assertEquals(List.of(), store.ids());
    }
}
