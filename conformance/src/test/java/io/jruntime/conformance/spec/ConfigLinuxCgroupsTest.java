package io.jruntime.conformance.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.conformance.Bundle;
import io.jruntime.conformance.Container;
import io.jruntime.conformance.Exec;
import io.jruntime.conformance.Host;
import io.jruntime.conformance.Probe;
import io.jruntime.conformance.Requirement;
import io.jruntime.conformance.SpecFile;
import io.jruntime.conformance.SpecTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * config-linux.md, control groups: cgroupsPath and resource limits, read back from the
 * container's cgroup on the host (cgroup v1 controller hierarchies or the v2 unified one), and
 * the device allowlist, checked from inside.
 */
@SpecFile("config-linux.md")
class ConfigLinuxCgroupsTest extends SpecTest {

    /** A running container (the probe sleeps) with the given cgroupsPath and resources. */
    private Container running(String cgroupsPath, ObjectNode resources) {
        Bundle b = bundle("--marker", "/marker", "--sleep", "60");
        b.linux().put("cgroupsPath", cgroupsPath);
        if (resources != null) {
            ObjectNode r = b.linux().withObject("/resources");
            resources.properties().forEach(e -> r.set(e.getKey(), e.getValue()));
        }
        Container c = container(b);
        expectOk(c.create(), "create");
        expectOk(c.start(), "start");
        waitFor(() -> Files.exists(b.rootfs().resolve("marker")), "the program to run");
        return c;
    }

    private static Path dir(String controller, String cgroupsPath) {
        Optional<Path> d = Host.cgroupDir(controller, cgroupsPath);
        assumeTrue(d.isPresent(), "no " + controller + " cgroup controller on this host");
        return d.get();
    }

    private static String file(Path dir, String name) {
        Path f = dir.resolve(name);
        if (!Files.exists(f)) {
            fail(f + " does not exist (cgroup not created at cgroupsPath?)");
        }
        return Exec.read(f).strip();
    }

    @Test
    @Requirement(id = "config-linux.md#cgroups-path/absolute", text = "an absolute cgroupsPath MUST be taken relative to the cgroups mount point (the container process is in that cgroup)")
    void absoluteCgroupsPath() {
        String cg = cgroupPath(newId());
        Container run = running(cg, null);
        long pid = run.pid();
        List<String> controllers = Host.cgroupV2() ? List.of("") : List.of("memory", "pids", "cpu");
        for (String ctl : controllers) {
            Path d = dir(ctl.isEmpty() ? "memory" : ctl, cg);
            String procs = file(d, "cgroup.procs");
            assertTrue(List.of(procs.split("\n")).contains(Long.toString(pid)),
                    "the container process " + pid + " is not in " + d + "/cgroup.procs: " + procs);
        }
    }

    @Test
    @Requirement(id = "config-linux.md#cgroups-path/consistent", text = "given the same cgroupsPath, the runtime MUST consistently attach to the same place in the cgroups hierarchy")
    void sameCgroupsPathSamePlace() {
        String cg = cgroupPath(newId());
        Container first = running(cg, null);
        String a = Exec.read(Path.of("/proc/" + first.pid() + "/cgroup"));
        expectOk(first.kill("KILL"), "kill");
        assertTrue(first.awaitStopped(), "did not stop");
        expectOk(first.delete(), "delete");
        Container second = running(cg, null);
        String b = Exec.read(Path.of("/proc/" + second.pid() + "/cgroup"));
        assertEquals(a, b, "cgroups of two containers with the same cgroupsPath");
    }

    @TestFactory
    @Requirement(id = "config-linux.md#resources", text = "resources configure the container's cgroup")
    List<DynamicTest> resourceLimits() {
        String[] path = {null};
        Map<String, Executable> checks = new LinkedHashMap<>();
        boolean v2 = Host.cgroupV2();
        checks.put("memory-limit: memory.limit sets the limit of memory usage", () -> {
            Path d = dir("memory", path[0]);
            assertEquals("268435456", file(d, v2 ? "memory.max" : "memory.limit_in_bytes"), "memory limit in " + d);
        });
        checks.put("memory-reservation: memory.reservation sets the soft limit of memory usage", () -> {
            Path d = dir("memory", path[0]);
            assertEquals("134217728", file(d, v2 ? "memory.low" : "memory.soft_limit_in_bytes"), "memory reservation in " + d);
        });
        checks.put("pids-limit: pids.limit sets the maximum number of tasks", () -> {
            Path d = dir("pids", path[0]);
            assertEquals("77", file(d, "pids.max"), "pids limit in " + d);
        });
        checks.put("cpu-quota-period: cpu.quota and cpu.period set the CFS bandwidth", () -> {
            Path d = dir("cpu", path[0]);
            if (v2) {
                assertEquals("50000 100000", file(d, "cpu.max"), "cpu.max in " + d);
            } else {
                assertEquals("50000", file(d, "cpu.cfs_quota_us"), "cpu quota in " + d);
                assertEquals("100000", file(d, "cpu.cfs_period_us"), "cpu period in " + d);
            }
        });
        checks.put("cpu-shares: cpu.shares sets the relative share of CPU time", () -> {
            assumeTrue(!v2, "cgroup v2 has cpu.weight, converted from shares by each runtime's own formula");
            assertEquals("512", file(dir("cpu", path[0]), "cpu.shares"), "cpu shares");
        });
        checks.put("cpuset: cpu.cpus and cpu.mems list the CPUs and memory nodes the container runs on", () -> {
            Path d = dir("cpuset", path[0]);
            assertEquals("0", file(d, v2 ? "cpuset.cpus" : "cpuset.cpus"), "cpuset.cpus in " + d);
            assertEquals("0", file(d, v2 ? "cpuset.mems" : "cpuset.mems"), "cpuset.mems in " + d);
        });
        return checks(() -> {
            String id = newId();
            path[0] = cgroupPath(id);
            ObjectNode r = io.jruntime.conformance.Json.object();
            r.putObject("memory").put("limit", 268435456L).put("reservation", 134217728L);
            r.putObject("pids").put("limit", 77);
            r.putObject("cpu").put("quota", 50000).put("period", 100000).put("shares", 512).put("cpus", "0").put("mems", "0");
            running(path[0], r);
        }, checks);
    }

    @TestFactory
    @Requirement(id = "config-linux.md#device-allowlist", text = "resources.devices configures the allowed device list; the runtime MUST apply entries in the listed order")
    List<DynamicTest> deviceAllowlist() {
        Map<String, Executable> checks = new LinkedHashMap<>();
        checks.put("deny: a device denied by the list cannot be opened", () -> {
            Probe p = tty63(new Object[][] {{false, null, null, null, "rwm"}});
            JsonNode c = p.check("--open", "/dev/conformance-tty63");
            assertFalse(c.path("ok").asBoolean(), "opening a denied device (c 4:63) succeeded");
            assertEquals("EPERM", c.path("error").asText(), "errno opening a denied device");
        });
        checks.put("allow: a device allowed after deny-all can be opened", () -> {
            Probe p = tty63(new Object[][] {{false, null, null, null, "rwm"}, {true, "c", 4, 63, "r"}});
            JsonNode c = p.check("--open", "/dev/conformance-tty63");
            assertTrue(c.path("ok").asBoolean(), "opening an allowed device (c 4:63 r) failed: " + c.path("error").asText());
        });
        checks.put("order: entries are applied in the listed order (an allow followed by a deny of the same device denies it)", () -> {
            Probe p = tty63(new Object[][] {{false, null, null, null, "rwm"}, {true, "c", 4, 63, "r"}, {false, "c", 4, 63, "rwm"}});
            JsonNode c = p.check("--open", "/dev/conformance-tty63");
            assertFalse(c.path("ok").asBoolean(), "the later deny of c 4:63 was not applied after the allow");
        });
        return checks(() -> {}, checks);
    }

    /** Runs the probe with /dev/conformance-tty63 (c 4:63) and the given allowlist, opening it read-only. */
    private Probe tty63(Object[][] rules) {
        Bundle b = bundle("--open", "/dev/conformance-tty63");
        b.linux().putArray("devices").addObject().put("path", "/dev/conformance-tty63").put("type", "c").put("major", 4)
                .put("minor", 63).put("fileMode", 0444);
        ArrayNode list = b.linux().withObject("/resources").putArray("devices");
        for (Object[] r : rules) {
            ObjectNode e = list.addObject().put("allow", (Boolean) r[0]);
            if (r[1] != null) {
                e.put("type", (String) r[1]).put("major", (Integer) r[2]).put("minor", (Integer) r[3]);
            }
            e.put("access", (String) r[4]);
        }
        return run(b);
    }
}
