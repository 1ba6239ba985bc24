package io.jruntime.conformance.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.conformance.Bundle;
import io.jruntime.conformance.CommandResult;
import io.jruntime.conformance.Container;
import io.jruntime.conformance.Exec;
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
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The process attributes of config.md (scheduler, ioPriority, execCPUAffinity) and config-linux.md's
 * memoryPolicy and netDevices, read back by the probe with sched_getattr, ioprio_get, sched_getaffinity,
 * get_mempolicy and getifaddrs. netDevices never touch the host's interfaces: each row makes a network
 * namespace (jrt-nd-cf-...) with virtual devices and runs the runtime's create inside it (nsenter --net),
 * so that namespace is the "host" the devices move from.
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

    // ---------------------------------------------------------------- netDevices

    private CommandResult host(String... cmd) {
        return Exec.run(List.of(cmd), work.resolve("scratch"), Duration.ofSeconds(30));
    }

    /**
     * Runs {@code test} with a fresh network namespace holding virtual devices named {@code devices}
     * (dummy, or ifb where the kernel has no dummy driver); the namespace is removed afterwards.
     */
    private void withTestNetns(List<String> devices, Consumer<String> test) {
        String ns = "jrt-nd-cf-" + UUID.randomUUID().toString().substring(0, 8);
        expectOk(host("ip", "netns", "add", ns), "ip netns add");
        try {
            for (String d : devices) {
                if (!host("ip", "-n", ns, "link", "add", d, "type", "dummy").ok()) {
                    assumeTrue(host("ip", "-n", ns, "link", "add", d, "type", "ifb").ok(), "needs the dummy or ifb driver");
                }
            }
            test.accept(ns);
        } finally {
            host("ip", "netns", "del", ns);
        }
    }

    /** create (inside the test namespace), start, wait; the probe's report. */
    private Probe runIn(String ns, Bundle b) {
        Container c = container(b);
        expectOk(c.createWrapped(List.of("nsenter", "--net=/run/netns/" + ns), null), "create");
        expectOk(c.start(), "start");
        if (!c.awaitStopped()) {
            fail("the container did not stop");
        }
        return c.probe();
    }

    private static JsonNode iface(Probe p, String name) {
        for (JsonNode i : p.json().path("netInterfaces")) {
            if (i.path("name").asText().equals(name)) {
                return i;
            }
        }
        return null;
    }

    private static List<String> names(Probe p) {
        List<String> out = new ArrayList<>();
        p.json().path("netInterfaces").forEach(i -> out.add(i.path("name").asText()));
        return out;
    }

    @Test
    @Requirement(id = "config-linux.md#net-devices/move", text = "netDevices: the network devices MUST be made available in the container (named as on the host when name is absent)")
    void netDeviceMoved() {
        withTestNetns(List.of("nd0"), ns -> {
            Bundle b = bundle();
            b.linux().putObject("netDevices").putObject("nd0");
            Probe p = runIn(ns, b);
            assertNotNull(iface(p, "nd0"), "nd0 in the container: " + names(p));
        });
    }

    @Test
    @Requirement(id = "config-linux.md#net-devices/name", text = "netDevices.name is the name of the network device inside the container namespace")
    void netDeviceRenamed() {
        withTestNetns(List.of("nd0"), ns -> {
            Bundle b = bundle();
            b.linux().putObject("netDevices").putObject("nd0").put("name", "ctr0");
            Probe p = runIn(ns, b);
            assertNotNull(iface(p, "ctr0"), "ctr0 in the container: " + names(p));
            assertTrue(iface(p, "nd0") == null, "no nd0 in the container: " + names(p));
        });
    }

    @Test
    @Requirement(id = "config-linux.md#net-devices/up", text = "the runtime MUST set the network device state to up after moving it")
    void netDeviceUp() {
        withTestNetns(List.of("nd0"), ns -> {
            Bundle b = bundle();
            b.linux().putObject("netDevices").putObject("nd0");
            JsonNode i = iface(runIn(ns, b), "nd0");
            assertNotNull(i, "nd0 in the container");
            assertTrue(i.path("up").asBoolean(), "nd0 is up: " + i);
        });
    }

    @Test
    @Requirement(id = "config-linux.md#net-devices/addresses", text = "the runtime MUST preserve the permanent IP addresses (IFA_F_PERMANENT) with global scope of the device")
    void netDeviceAddresses() {
        withTestNetns(List.of("nd0"), ns -> {
            expectOk(host("ip", "-n", ns, "addr", "add", "10.98.0.2/24", "dev", "nd0"), "ip addr add");
            expectOk(host("ip", "-n", ns, "-6", "addr", "add", "2001:db8:98::2/64", "dev", "nd0", "nodad"), "ip -6 addr add");
            Bundle b = bundle();
            b.linux().putObject("netDevices").putObject("nd0").put("name", "ctr0");
            JsonNode i = iface(runIn(ns, b), "ctr0");
            assertNotNull(i, "ctr0 in the container");
            List<String> addrs = new ArrayList<>();
            i.path("addresses").forEach(a -> addrs.add(a.asText()));
            assertTrue(addrs.contains("10.98.0.2/24"), "IPv4 address kept: " + addrs);
            assertTrue(addrs.contains("2001:db8:98::2/64"), "IPv6 address kept: " + addrs);
        });
    }

    @Test
    @Requirement(id = "config-linux.md#net-devices/name-exists", text = "if a network device with the specified name already exists in the container namespace, the runtime MUST generate an error")
    void netDeviceNameTakenFails() {
        withTestNetns(List.of("nd0"), ns -> {
            Bundle b = bundle();
            b.linux().putObject("netDevices").putObject("nd0").put("name", "lo"); // every network namespace has lo
            Container c = container(b);
            CommandResult r = c.createWrapped(List.of("nsenter", "--net=/run/netns/" + ns), null);
            if (r.ok()) {
                r = c.start();
            }
            expectError(r, "create with netDevices nd0 named \"lo\"");
        });
    }

    @Test
    @Requirement(id = "config-linux.md#net-devices/name-template", text = "a name ending in %d is a template: the runtime MUST allow the move and the kernel picks a unique name")
    void netDeviceNameTemplate() {
        withTestNetns(List.of("nd0", "nd1"), ns -> {
            Bundle b = bundle();
            ObjectNode d = b.linux().putObject("netDevices");
            d.putObject("nd0").put("name", "ctr%d");
            d.putObject("nd1").put("name", "ctr%d");
            Probe p = runIn(ns, b);
            assertTrue(names(p).contains("ctr0") && names(p).contains("ctr1"), "ctr0 and ctr1: " + names(p));
            assertFalse(names(p).contains("ctr%d"));
        });
    }
}
