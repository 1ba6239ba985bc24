package io.jruntime.conformance.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.conformance.Bundle;
import io.jruntime.conformance.CommandResult;
import io.jruntime.conformance.Container;
import io.jruntime.conformance.Json;
import io.jruntime.conformance.Probe;
import io.jruntime.conformance.Requirement;
import io.jruntime.conformance.SpecFile;
import io.jruntime.conformance.SpecTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The process attributes of config.md (scheduler, ioPriority, execCPUAffinity) and config-linux.md's
 * memoryPolicy, read back by the probe with sched_getattr, ioprio_get, sched_getaffinity and get_mempolicy.
 */
@SpecFile("config.md")
class ConfigProcessExtrasTest extends SpecTest {

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    /** CPUs 0..n-1 online on this host (the probe's own affinity outside any container is not the host's). */
    private static List<Integer> onlineCpus() {
        try {
            String s = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
            List<Integer> cpus = new ArrayList<>();
            for (String part : s.split(",")) {
                String[] e = part.split("-");
                for (int c = Integer.parseInt(e[0]); c <= Integer.parseInt(e[e.length - 1]); c++) {
                    cpus.add(c);
                }
            }
            return cpus;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- scheduler

    @Test
    @Requirement(id = "config.md#process/scheduler", text = "scheduler: the process runs with the given policy and nice value (sched_setattr)")
    void scheduler() {
        Bundle b = bundle();
        b.process().putObject("scheduler").put("policy", "SCHED_BATCH").put("nice", 5);
        JsonNode s = run(b).json().path("scheduler");
        assertEquals(3, s.path("policy").asInt(-1), "policy (SCHED_BATCH is 3): " + s);
        assertEquals(5, s.path("nice").asInt(-99), "nice: " + s);
    }

    @Test
    @Requirement(id = "config.md#process/scheduler-idle", text = "scheduler: policy SCHED_IDLE is applied to the process")
    void schedulerIdle() {
        Bundle b = bundle();
        b.process().putObject("scheduler").put("policy", "SCHED_IDLE");
        JsonNode s = run(b).json().path("scheduler");
        assertEquals(5, s.path("policy").asInt(-1), "policy (SCHED_IDLE is 5): " + s);
    }

    @Test
    @Requirement(id = "config.md#process/scheduler-nice-default", text = "scheduler.nice: if not set, the runtime must use the value 0")
    void schedulerNiceDefaultsToZero() {
        Bundle b = bundle();
        b.process().putObject("scheduler").put("policy", "SCHED_OTHER");
        Container c = container(b);
        // The runtime itself runs with nice 7: a runtime that leaves nice alone passes it on.
        expectOk(c.createWrapped(List.of("nice", "-n", "7"), null), "create (called with nice 7)");
        expectOk(c.start(), "start");
        if (!c.awaitStopped()) {
            fail("the container did not stop");
        }
        JsonNode s = c.probe().json().path("scheduler");
        assertEquals(0, s.path("policy").asInt(-1), "policy: " + s);
        assertEquals(0, s.path("nice").asInt(-99), "nice (the caller's was 7): " + s);
    }

    // ---------------------------------------------------------------- ioPriority

    @Test
    @Requirement(id = "config.md#process/ioPriority", text = "ioPriority: the process has the given I/O scheduling class and priority")
    void ioPriority() {
        Bundle b = bundle();
        b.process().putObject("ioPriority").put("class", "IOPRIO_CLASS_BE").put("priority", 3);
        JsonNode io = run(b).json().path("ioPriority");
        assertEquals(2, io.path("class").asInt(-1), "class (IOPRIO_CLASS_BE is 2): " + io);
        assertEquals(3, io.path("priority").asInt(-1), "priority: " + io);
    }

    @Test
    @Requirement(id = "config.md#process/ioPriority-idle", text = "ioPriority: class IOPRIO_CLASS_IDLE is applied to the process")
    void ioPriorityIdle() {
        Bundle b = bundle();
        b.process().putObject("ioPriority").put("class", "IOPRIO_CLASS_IDLE").put("priority", 7);
        JsonNode io = run(b).json().path("ioPriority");
        assertEquals(3, io.path("class").asInt(-1), "class (IOPRIO_CLASS_IDLE is 3): " + io);
    }

    // ---------------------------------------------------------------- execCPUAffinity

    /** A running container (the probe sleeping) and a process.json for exec with {@code execCPUAffinity}. */
    private Probe execWithAffinity(ObjectNode affinity) {
        Bundle b = bundle("--sleep", "60");
        Container c = container(b);
        expectOk(c.create(), "create");
        expectOk(c.start(), "start");
        ObjectNode p = b.process().deepCopy();
        p.set("args", Json.array("/bin/probe"));
        p.set("execCPUAffinity", affinity);
        Path file = work.resolve("process-" + c.id() + ".json");
        try {
            Files.writeString(file, Json.MAPPER.writeValueAsString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CommandResult r = expectOk(cli.run("exec", "--process", file.toString(), c.id()), "exec --process");
        JsonNode j = Json.parseOrNull(r.stdout());
        assertNotNull(j, "the exec'd probe printed no report: " + r.describe());
        c.kill("KILL");
        return new Probe(j);
    }

    @Test
    @Requirement(id = "config.md#process/execCPUAffinity-final", text = "execCPUAffinity.final: the exec'd process runs on these CPUs after the transition to the container's cgroup")
    void execCpuAffinityFinal() {
        List<Integer> cpus = onlineCpus();
        assumeTrue(cpus.size() > 1, "needs two CPUs");
        int last = cpus.get(cpus.size() - 1);
        Probe p = execWithAffinity(Json.object().put("initial", "0").put("final", Integer.toString(last)));
        assertEquals(List.of(last), ints(p.json().path("cpuAffinity")), "affinity of the exec'd process");
    }

    @Test
    @Requirement(id = "config.md#process/execCPUAffinity-init", text = "execCPUAffinity is not applicable to the container's init process")
    void execCpuAffinityNotForTheInit() {
        List<Integer> cpus = onlineCpus();
        assumeTrue(cpus.size() > 1, "needs two CPUs");
        Bundle b = bundle();
        b.process().set("execCPUAffinity", Json.object().put("initial", "0").put("final", "0"));
        assertEquals(cpus, ints(run(b).json().path("cpuAffinity")), "affinity of the init (all online CPUs)");
    }

    // ---------------------------------------------------------------- memoryPolicy

    @Test
    @Requirement(id = "config-linux.md#memory-policy", text = "memoryPolicy sets the NUMA memory policy (set_mempolicy mode and nodes) for the container")
    void memoryPolicy() {
        Bundle b = bundle();
        b.linux().putObject("memoryPolicy").put("mode", "MPOL_INTERLEAVE").put("nodes", "0");
        JsonNode mp = run(b).json().path("memoryPolicy");
        assertEquals(3, mp.path("mode").asInt(-1), "mode (MPOL_INTERLEAVE is 3): " + mp);
        assertEquals(List.of(0), ints(mp.path("nodes")), "nodes: " + mp);
    }

    @Test
    @Requirement(id = "config-linux.md#memory-policy/flags", text = "memoryPolicy.flags are passed to set_mempolicy (MPOL_BIND with MPOL_F_STATIC_NODES)")
    void memoryPolicyFlags() {
        Bundle b = bundle();
        b.linux().putObject("memoryPolicy").put("mode", "MPOL_BIND").put("nodes", "0")
                .set("flags", Json.array("MPOL_F_STATIC_NODES"));
        JsonNode mp = run(b).json().path("memoryPolicy");
        assertEquals(2, mp.path("mode").asInt(-1), "mode (MPOL_BIND is 2): " + mp);
        assertEquals(1 << 15, mp.path("flags").asInt(-1), "flags (MPOL_F_STATIC_NODES): " + mp);
    }

    @Test
    @Requirement(id = "config-linux.md#memory-policy/local", text = "memoryPolicy mode MPOL_LOCAL (no nodes) is applied")
    void memoryPolicyLocal() {
        Bundle b = bundle();
        b.linux().putObject("memoryPolicy").put("mode", "MPOL_LOCAL");
        JsonNode mp = run(b).json().path("memoryPolicy");
        assertEquals(4, mp.path("mode").asInt(-1), "mode (MPOL_LOCAL is 4): " + mp);
    }
}
