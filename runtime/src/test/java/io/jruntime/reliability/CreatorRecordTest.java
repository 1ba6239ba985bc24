package io.jruntime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jruntime.container.Container;
import io.jruntime.container.ContainerRecord;
import io.jruntime.container.ProcStat;
import io.jruntime.container.StateStore;
import io.jruntime.container.Status;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A create killed outright is told apart from one in progress by the creator recorded in state.json. */
class CreatorRecordTest {
    @TempDir
    Path tmp;

    static ContainerRecord creating(String id) {
        return new ContainerRecord(id, 0, 0, "/b", "/b/rootfs", "2026-01-01T00:00:00Z", "root", Map.of(), Map.of(), true, true);
    }

    static long startTime(long pid) {
        return ProcStat.read((int) pid).startTime();
    }

    @Test
    void creatorAndSpawnedInitSurviveTheRoundTrip() throws Exception {
        ContainerRecord r = creating("c").withCreator(1234, 5678).withCgroupPaths(Map.of("", "/sys/fs/cgroup/c"))
                .withSpawnedInit(42, 99);
        ContainerRecord back = ContainerRecord.fromJson(r.toJson());
        assertEquals(r, back);
        assertEquals(1234, back.creatorPid());
        assertEquals(42, back.pid());
        assertEquals(true, back.creating());
        ContainerRecord done = back.withInit(42, 99);
        assertEquals(0, ContainerRecord.fromJson(done.toJson()).creatorPid(), "a finished create forgets its creator");
        assertEquals(false, done.creating());
    }

    @Test
    void aRecordWithoutCreatorStillReads() throws Exception {
        ContainerRecord old = ContainerRecord.fromJson(("{\"id\":\"o\",\"pid\":0,\"initStartTime\":0,\"bundle\":\"/b\",\"rootfs\":\"/b/r\","
                + "\"created\":\"\",\"owner\":\"root\",\"annotations\":{},\"cgroupPaths\":{},\"creating\":true,\"hasProcess\":true}").getBytes());
        assertEquals(0, old.creatorPid());
        assertEquals(Status.CREATING, new Container(new StateStore(tmp), old).status(), "no creator known: still creating");
    }

    @Test
    void aLiveCreatorMeansCreatingADeadOneStopped() throws Exception {
        StateStore store = new StateStore(tmp);
        long self = ProcessHandle.current().pid();
        assertEquals(Status.CREATING, new Container(store, creating("live").withCreator((int) self, startTime(self))).status());

        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            long start = startTime(p.pid());
            ContainerRecord r = creating("dead").withCreator((int) p.pid(), start);
            assertEquals(Status.CREATING, new Container(store, r).status());
            p.destroyForcibly().waitFor();
            assertEquals(Status.STOPPED, new Container(store, r).status(), "a create killed outright is stopped");
            // A reused pid (same pid, other start time) is not the creator either.
            assertEquals(Status.STOPPED, new Container(store, creating("reused").withCreator((int) self, startTime(self) + 1)).status());
        } finally {
            p.destroyForcibly();
        }
    }
}
