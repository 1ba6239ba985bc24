package io.jruntime.conformance.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.conformance.Bundle;
import io.jruntime.conformance.CommandResult;
import io.jruntime.conformance.Container;
import io.jruntime.conformance.Exec;
import io.jruntime.conformance.Host;
import io.jruntime.conformance.Level;
import io.jruntime.conformance.Requirement;
import io.jruntime.conformance.SpecFile;
import io.jruntime.conformance.SpecTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * config-linux.md, control groups: the resources {@link ConfigLinuxCgroupsTest} leaves out (block IO,
 * huge pages, network, RDMA, unified, cpu burst/idle/realtime, more memory and pids values) and the
 * cgroup ownership rules that apply where cgroup v1 is in use. Each value is read
 * back from the container's own cgroup, found on the host through {@code /proc/PID/cgroup} of the
 * container process (a v1 controller's hierarchy, or the cgroup2 one where the controller lives
 * there, e.g. hugetlb on this hybrid host). A row whose controller or kernel file this host lacks
 * is not applicable, with why.
 */
@SpecFile("config-linux.md")
class ConfigLinuxResourcesMoreTest extends SpecTest {

    /** A running container (the probe sleeps) in a cgroup of its own, with these resources. */
    private Container running(Consumer<ObjectNode> resources) {
        return running(cgroupPath(newId()), resources);
    }

    private Container running(String cgroupsPath, Consumer<ObjectNode> resources) {
        Bundle b = bundle("--marker", "/marker", "--sleep", "60");
        b.linux().put("cgroupsPath", cgroupsPath);
        resources.accept(b.linux().withObject("/resources"));
        Container c = container(b);
        expectOk(c.create(), "create");
        expectOk(c.start(), "start");
        waitFor(() -> Files.exists(b.rootfs().resolve("marker")), "the program to run");
        return c;
    }

    /** The container's cgroup directory for {@code controller}; not applicable when the host lacks it. */
    private static Path dirOf(Container c, String controller) {
        Optional<Path> d = Host.cgroupDirOf(c.pid(), controller);
        assumeTrue(d.isPresent(), "no " + controller + " cgroup controller on this host (neither a v1 hierarchy nor in cgroup2's cgroup.controllers)");
        return d.get();
    }

    private static String file(Path dir, String name) {
        Path f = dir.resolve(name);
        if (!Files.exists(f)) {
            fail(f + " does not exist");
        }
        return Exec.read(f).strip();
    }

    /** Whether a (v1 or v2) controller is usable here: mounted as v1, or offered by cgroup2. */
    private static boolean controller(String name) {
        return Host.cgroupV1Mount(name).isPresent() || Host.cgroup2Controllers().contains(name);
    }

    /** A block device of this host (the first of /proc/partitions that is a whole disk), as "major:minor". */
    private static String blockDevice() {
        for (String line : Host.readTrim(Path.of("/proc/partitions")).split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 4 && f[0].matches("\\d+") && Files.isDirectory(Path.of("/sys/block", f[3]))) {
                return f[0] + ":" + f[1];
            }
        }
        assumeTrue(false, "no block device in /proc/partitions");
        return null;
    }

    // ---- block IO ----

    @TestFactory
    @Requirement(id = "config-linux.md#block-io", text = "blockIO configures the blkio (v1) / io (v2) controller: weight, leafWeight, weightDevice, throttle*Device")
    List<DynamicTest> blockIO() {
        Container[] c = {null};
        String[] dev = {null};
        boolean v2 = Host.cgroupV1Mount("blkio").isEmpty();
        Map<String, Executable> checks = new LinkedHashMap<>();
        checks.put("weight: the per-cgroup default weight", () -> {
            Path d = dirOf(c[0], v2 ? "io" : "blkio");
            if (v2) {
                if (Files.exists(d.resolve("io.bfq.weight"))) {
                    assertTrue(file(d, "io.bfq.weight").startsWith("default 300"), "io.bfq.weight in " + d + ": " + file(d, "io.bfq.weight"));
                } else {
                    // runtimes convert the v1 range [10, 1000] to io.weight's [1, 10000]; only "changed from 100" is common to all
                    assertTrue(!file(d, "io.weight").startsWith("default 100"), "io.weight in " + d + " left at the default");
                }
            } else {
                String name = Files.exists(d.resolve("blkio.weight")) ? "blkio.weight" : "blkio.bfq.weight";
                assumeTrue(Files.exists(d.resolve(name)), "no blkio.weight or blkio.bfq.weight in " + d + " (no cfq/bfq I/O scheduler policy in this kernel)");
                String w = file(d, name);
                assertTrue(w.equals("300") || w.startsWith("default 300"), name + " in " + d + " is '" + w + "', not 300");
            }
        });
        checks.put("leaf-weight: the weight of the cgroup's own tasks against its children", () -> {
            Path d = dirOf(c[0], v2 ? "io" : "blkio");
            assumeTrue(!v2 && Files.exists(d.resolve("blkio.leaf_weight")),
                    "no blkio.leaf_weight file: it existed only for the cfq scheduler (removed in Linux 5.0) and has no cgroup v2 equivalent");
            assertEquals("200", file(d, "blkio.leaf_weight"), "blkio.leaf_weight in " + d);
        });
        String[][] throttles = {
            {"throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps", "1048576", "read-bps"},
            {"throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps", "2097152", "write-bps"},
            {"throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops", "300", "read-iops"},
            {"throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "wiops", "400", "write-iops"},
        };
        for (String[] t : throttles) {
            checks.put("throttle-" + t[4] + ": " + t[0] + " is the device's " + t[2] + " limit", () -> {
                Path d = dirOf(c[0], v2 ? "io" : "blkio");
                if (v2) {
                    String max = file(d, "io.max");
                    assertTrue(max.lines().anyMatch(l -> l.startsWith(dev[0] + " ") && l.contains(t[2] + "=" + t[3])),
                            "io.max in " + d + " has no " + dev[0] + " " + t[2] + "=" + t[3] + ": '" + max + "'");
                } else {
                    assertEquals(dev[0] + " " + t[3], file(d, t[1]), t[1] + " in " + d);
                }
            });
        }
        return checks(() -> {
            assumeTrue(controller("blkio") || controller("io"), "no blkio or io cgroup controller on this host");
            dev[0] = blockDevice();
            int major = Integer.parseInt(dev[0].split(":")[0]);
            int minor = Integer.parseInt(dev[0].split(":")[1]);
            c[0] = running(r -> {
                ObjectNode io = r.putObject("blockIO").put("weight", 300);
                if (Host.cgroupV1Mount("blkio").map(m -> Files.exists(m.resolve("blkio.leaf_weight"))).orElse(false)) {
                    io.put("leafWeight", 200); // only where the kernel has it: elsewhere the runtime cannot apply it
                }
                for (String[] t : throttles) {
                    io.putArray(t[0]).addObject().put("major", major).put("minor", minor).put("rate", Long.parseLong(t[3]));
                }
            });
        }, checks);
    }

    @Test
    @Requirement(id = "config-linux.md#block-io/weight-device", text = "blockIO.weightDevice sets a per-device weight")
    void blockIOWeightDevice() throws IOException {
        assumeTrue(controller("blkio") || controller("io"), "no blkio or io cgroup controller on this host");
        // The kernel takes a per-device weight only for a device whose queue runs bfq (cfq before 5.0) and
        // refuses it (EOPNOTSUPP) elsewhere. The suite never changes the host's disks: it makes a loop
        // device of its own over a file in the work dir, switches that one to bfq, and detaches it after.
        assumeTrue(Files.exists(Path.of("/dev/loop-control")), "no loop devices on this host (/dev/loop-control)");
        Path img = work.resolve("weight-device.img");
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(8 << 20);
        }
        CommandResult attach = Exec.run(List.of("losetup", "--find", "--show", img.toString()), work.resolve("scratch"), Duration.ofSeconds(20));
        assumeTrue(attach.ok(), "cannot make a loop device here: " + attach.describe());
        String loop = attach.stdout().strip();
        Path queue = Path.of("/sys/block", Path.of(loop).getFileName().toString(), "queue/scheduler");
        String before = Host.readTrim(queue).replaceAll(".*\\[(.*)\\].*", "$1"); // e.g. "none" of "[none] mq-deadline kyber bfq"
        try {
            assumeTrue(Host.readTrim(queue).contains("bfq"), "the bfq I/O scheduler is not available (" + queue + ": " + Host.readTrim(queue) + ")");
            Files.writeString(queue, "bfq");
            String dev = Host.readTrim(Path.of("/sys/block", Path.of(loop).getFileName().toString(), "dev"));
            int major = Integer.parseInt(dev.split(":")[0]);
            int minor = Integer.parseInt(dev.split(":")[1]);
            Container c = running(r -> r.putObject("blockIO").putArray("weightDevice").addObject()
                    .put("major", major).put("minor", minor).put("weight", 250));
            boolean v2 = Host.cgroupV1Mount("blkio").isEmpty();
            Path d = dirOf(c, v2 ? "io" : "blkio");
            String name = v2 ? "io.bfq.weight"
                    : (Files.exists(d.resolve("blkio.weight_device")) ? "blkio.weight_device" : "blkio.bfq.weight_device");
            String text = file(d, name);
            assertTrue(text.lines().anyMatch(l -> l.equals(dev + " 250")), name + " in " + d + " has no '" + dev + " 250' (" + loop + " on bfq): '" + text + "'");
        } finally {
            CommandResult detach = Exec.run(List.of("losetup", "--detach", loop), work.resolve("scratch"), Duration.ofSeconds(20));
            // the loop device keeps its queue after detach: give it back the scheduler it had
            String restored = null;
            try {
                Files.writeString(queue, before);
            } catch (IOException e) {
                restored = e.getMessage();
            }
            if (!detach.ok() || restored != null) {
                fail("cleanup: " + (detach.ok() ? "" : "could not detach " + loop + ": " + detach.describe() + "; ")
                        + (restored == null ? "" : "could not restore the I/O scheduler '" + before + "' of " + loop + ": " + restored));
            }
        }
    }

    // ---- huge pages ----

    @Test
    @Requirement(id = "config-linux.md#hugepage-limits", text = "hugepageLimits limit the HugeTLB reservations (if the kernel supports reservation accounting) or else usage of each page size")
    void hugepageLimits() {
        assumeTrue(controller("hugetlb"), "no hugetlb cgroup controller on this host");
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB")), "no 2 MB huge pages on this host");
        Container c = running(r -> r.putArray("hugepageLimits").addObject().put("pageSize", "2MB").put("limit", 4194304L));
        Path d = dirOf(c, "hugetlb");
        boolean v1 = Host.cgroupV1Mount("hugetlb").isPresent();
        String usage = v1 ? "hugetlb.2MB.limit_in_bytes" : "hugetlb.2MB.max";
        String rsvd = v1 ? "hugetlb.2MB.rsvd.limit_in_bytes" : "hugetlb.2MB.rsvd.max";
        // "by default if supported by the kernel ... reservation accounting; otherwise ... page fault accounting"
        String name = Files.exists(d.resolve(rsvd)) ? rsvd : usage;
        assertEquals("4194304", file(d, name), name + " in " + d);
    }

    // ---- network ----

    @TestFactory
    @Requirement(id = "config-linux.md#network", text = "network configures net_cls (classID tags the packets) and net_prio (priorities per interface)")
    List<DynamicTest> network() {
        Container[] c = {null};
        Map<String, Executable> checks = new LinkedHashMap<>();
        checks.put("class-id: net_cls.classid is classID", () -> {
            assumeTrue(Host.cgroupV1Mount("net_cls").isPresent(), "the net_cls controller is not mounted on this host (cgroup v1 only)");
            assertEquals("1048577", file(dirOf(c[0], "net_cls"), "net_cls.classid"), "net_cls.classid");
        });
        checks.put("priorities: net_prio.ifpriomap has the priority of each named interface", () -> {
            assumeTrue(Host.cgroupV1Mount("net_prio").isPresent(), "the net_prio controller is not mounted on this host (cgroup v1 only)");
            String map = file(dirOf(c[0], "net_prio"), "net_prio.ifpriomap");
            assertTrue(map.lines().anyMatch(l -> l.equals("lo 5")), "net_prio.ifpriomap has no 'lo 5': '" + map + "'");
        });
        return checks(() -> {
            assumeTrue(Host.cgroupV1Mount("net_cls").isPresent() || Host.cgroupV1Mount("net_prio").isPresent(),
                    "neither net_cls nor net_prio is mounted on this host (both are cgroup v1 only; see config-linux.md#network/unavailable)");
            c[0] = running(r -> {
                ObjectNode n = r.putObject("network");
                if (Host.cgroupV1Mount("net_cls").isPresent()) {
                    n.put("classID", 1048577);
                }
                if (Host.cgroupV1Mount("net_prio").isPresent()) {
                    n.putArray("priorities").addObject().put("name", "lo").put("priority", 5);
                }
            });
        }, checks);
    }

    @Test
    @Requirement(id = "config-linux.md#network/unavailable", text = "a network classID this host cannot apply (no net_cls controller) is an unsupported value: the runtime MUST generate an error (config.md, Valid values)")
    void networkUnavailable() {
        assumeTrue(Host.cgroupV1Mount("net_cls").isEmpty(), "net_cls is mounted on this host: classID can be applied (see config-linux.md#network)");
        Bundle b = bundle();
        b.linux().put("cgroupsPath", cgroupPath(newId()));
        b.linux().withObject("/resources").putObject("network").put("classID", 1048577);
        expectError(container(b).create(), "create with network.classID and no net_cls controller");
    }

    // ---- RDMA ----

    @Test
    @Requirement(id = "config-linux.md#rdma", text = "rdma limits hca_handle and hca_object per device (rdma.max)")
    void rdma() {
        assumeTrue(controller("rdma"), "no rdma cgroup controller on this host (not in /proc/cgroups' mounted hierarchies nor cgroup2's cgroup.controllers)");
        Path ib = Path.of("/sys/class/infiniband");
        String[] devs = ib.toFile().list();
        assumeTrue(devs != null && devs.length > 0, "no RDMA device on this host (/sys/class/infiniband is empty)");
        String dev = devs[0];
        Container c = running(r -> r.putObject("rdma").putObject(dev).put("hcaHandles", 3).put("hcaObjects", 30));
        String max = file(dirOf(c, "rdma"), "rdma.max");
        assertTrue(max.lines().anyMatch(l -> l.startsWith(dev + " ") && l.contains("hca_handle=3") && l.contains("hca_object=30")),
                "rdma.max has no '" + dev + " hca_handle=3 hca_object=30': '" + max + "'");
    }

    @Test
    @Requirement(id = "config-linux.md#rdma/unavailable", text = "an rdma limit this host cannot apply (no rdma controller) is an unsupported value: the runtime MUST generate an error (config.md, Valid values)")
    void rdmaUnavailable() {
        assumeTrue(!controller("rdma"), "the rdma controller exists on this host: limits can be applied (see config-linux.md#rdma)");
        Bundle b = bundle();
        b.linux().put("cgroupsPath", cgroupPath(newId()));
        b.linux().withObject("/resources").putObject("rdma").putObject("mlx5_0").put("hcaHandles", 3);
        expectError(container(b).create(), "create with an rdma limit and no rdma controller");
    }

    // ---- cpu, memory, pids values the base rows leave out ----

    @TestFactory
    @Requirement(id = "config-linux.md#cpu", text = "cpu.burst and cpu.idle configure the cpu controller (CFS burst; 1 = SCHED_IDLE group)")
    List<DynamicTest> cpu() {
        Container[] c = {null};
        Map<String, Executable> checks = new LinkedHashMap<>();
        checks.put("burst: the accumulated time a cgroup may run beyond its quota", () -> {
            Path d = dirOf(c[0], "cpu");
            boolean v1 = Host.cgroupV1Mount("cpu").isPresent();
            String name = v1 ? "cpu.cfs_burst_us" : "cpu.max.burst";
            assumeTrue(Files.exists(d.resolve(name)), "no " + name + " (CFS burst needs Linux 5.14)");
            assertEquals("20000", file(d, name), name + " in " + d);
        });
        checks.put("idle: 1 makes the cgroup SCHED_IDLE", () -> {
            Path d = dirOf(c[0], "cpu");
            assumeTrue(Files.exists(d.resolve("cpu.idle")), "no cpu.idle (needs Linux 5.15)");
            assertEquals("1", file(d, "cpu.idle"), "cpu.idle in " + d);
        });
        return checks(() -> {
            assumeTrue(controller("cpu"), "no cpu cgroup controller on this host");
            c[0] = running(r -> r.putObject("cpu").put("quota", 50000).put("period", 100000).put("burst", 20000).put("idle", 1));
        }, checks);
    }

    @TestFactory
    @Requirement(id = "config-linux.md#cpu-realtime", text = "cpu.realtimeRuntime and realtimePeriod set the real-time scheduler's budget and period of the cgroup")
    List<DynamicTest> cpuRealtime() {
        Container[] c = {null};
        Map<String, Executable> checks = new LinkedHashMap<>();
        checks.put("period: realtimePeriod is the cgroup's real-time period", () ->
                assertEquals("500000", file(dirOf(c[0], "cpu"), "cpu.rt_period_us"), "cpu.rt_period_us"));
        checks.put("runtime: realtimeRuntime is the cgroup's real-time budget in each period", () ->
                assertEquals("10000", file(dirOf(c[0], "cpu"), "cpu.rt_runtime_us"), "cpu.rt_runtime_us"));
        return checks(() -> {
            Optional<Path> cpu = Host.cgroupV1Mount("cpu");
            assumeTrue(cpu.isPresent(), "no cgroup v1 cpu controller: cgroup v2 has no real-time group scheduling");
            assumeTrue(Files.exists(cpu.get().resolve("cpu.rt_runtime_us")), "no cpu.rt_runtime_us (kernel without CONFIG_RT_GROUP_SCHED)");
            // A child's real-time budget must fit in its parent's: the cgroup sits right below the root,
            // which has one (a new intermediate cgroup would have none).
            c[0] = running(topCgroupPath(newId()), r -> r.putObject("cpu").put("realtimePeriod", 500000).put("realtimeRuntime", 10000));
        }, checks);
    }

    @TestFactory
    @Requirement(id = "config-linux.md#memory", text = "memory: swap limits memory+swap, swappiness, disableOOMKiller, and -1 means unlimited")
    List<DynamicTest> memory() {
        Container[] c = {null};
        boolean v1 = Host.cgroupV1Mount("memory").isPresent();
        Map<String, Executable> checks = new LinkedHashMap<>();
        checks.put("swap: the limit of memory+swap usage", () -> {
            Path d = dirOf(c[0], "memory");
            if (v1) {
                assumeTrue(Files.exists(d.resolve("memory.memsw.limit_in_bytes")), "no memory.memsw.limit_in_bytes (swap accounting is off in this kernel)");
                assertEquals("536870912", file(d, "memory.memsw.limit_in_bytes"), "memory+swap limit in " + d);
            } else {
                assumeTrue(Files.exists(d.resolve("memory.swap.max")), "no memory.swap.max (swap accounting is off in this kernel)");
                assertEquals("268435456", file(d, "memory.swap.max"), "memory.swap.max (memory+swap - memory) in " + d);
            }
        });
        checks.put("swappiness: the vmscan swappiness of the cgroup", () -> {
            assumeTrue(v1, "cgroup v2 has no per-cgroup swappiness");
            assertEquals("17", file(dirOf(c[0], "memory"), "memory.swappiness"), "memory.swappiness");
        });
        checks.put("disable-oom-killer: disableOOMKiller true turns the cgroup's OOM killer off", () -> {
            assumeTrue(v1, "cgroup v2 has no switch to disable the OOM killer");
            String oom = file(dirOf(c[0], "memory"), "memory.oom_control");
            assertTrue(oom.lines().anyMatch(l -> l.equals("oom_kill_disable 1")), "memory.oom_control: '" + oom + "'");
        });
        return checks(() -> {
            assumeTrue(controller("memory"), "no memory cgroup controller on this host");
            c[0] = running(r -> r.putObject("memory").put("limit", 268435456L).put("swap", 536870912L)
                    .put("swappiness", 17).put("disableOOMKiller", true));
        }, checks);
    }

    @Test
    @Requirement(id = "config-linux.md#memory/unlimited", text = "memory values are in bytes, or -1 for unlimited memory")
    void memoryUnlimited() {
        assumeTrue(controller("memory"), "no memory cgroup controller on this host");
        String cg = cgroupPath(newId());
        boolean v1 = Host.cgroupV1Mount("memory").isPresent();
        String name = v1 ? "memory.limit_in_bytes" : "memory.max";
        // The cgroup exists with a limit before create ("created if they don't exist"): -1 must lift it.
        Path pre = precreate("memory", cg, name, "67108864");
        Container c = running(cg, r -> r.putObject("memory").put("limit", -1L));
        Path d = dirOf(c, "memory");
        assertEquals(pre, d, "the container is not in the cgroup at cgroupsPath");
        String limit = file(d, name);
        assertTrue(limit.equals("max") || Long.parseLong(limit) >= (1L << 62), name + " is " + limit + " after limit -1 (was 67108864)");
    }

    @Test
    @Requirement(id = "config-linux.md#pids/unlimited", text = "pids.limit -1 indicates no limit (max)")
    void pidsUnlimited() {
        assumeTrue(controller("pids"), "no pids cgroup controller on this host");
        String cg = cgroupPath(newId());
        Path pre = precreate("pids", cg, "pids.max", "5");
        Container c = running(cg, r -> r.putObject("pids").put("limit", -1));
        Path d = dirOf(c, "pids");
        assertEquals(pre, d, "the container is not in the cgroup at cgroupsPath");
        assertEquals("max", file(d, "pids.max"), "pids.max after limit -1 (was 5)");
    }

    @Test
    @Requirement(id = "config-linux.md#pids/zero", level = Level.SHOULD, text = "0 is a valid pids limit for the kernel and SHOULD be treated as such by runtimes")
    void pidsZero() {
        assumeTrue(controller("pids"), "no pids cgroup controller on this host");
        Container c = running(r -> r.putObject("pids").put("limit", 0));
        assertEquals("0", file(dirOf(c, "pids"), "pids.max"), "pids.max for limit 0");
    }

    /** Makes the cgroup at {@code cg} for one controller before create, with {@code value} in {@code name}. */
    private static Path precreate(String controller, String cg, String name, String value) {
        String rel = cg.substring(1);
        Path d = Host.cgroupV1Mount(controller).map(m -> m.resolve(rel))
                .or(() -> Host.cgroup2Mount().map(m -> m.resolve(rel))).orElseThrow();
        try {
            if (Host.cgroupV1Mount(controller).isEmpty()) {
                // cgroup2: the controller must be enabled in every ancestor for the file to exist
                Path mount = Host.cgroup2Mount().orElseThrow();
                for (Path a = mount; !a.equals(d); a = a.resolve(d.getName(a.getNameCount()).toString())) {
                    Files.createDirectories(a);
                    Files.writeString(a.resolve("cgroup.subtree_control"), "+" + controller);
                }
            }
            Files.createDirectories(d);
            Files.writeString(d.resolve(name), value);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + d.resolve(name), e);
        }
        return d;
    }

    // ---- cgroup ownership ----

    /**
     * A container whose process runs as uid/gid 1000, with a cgroup namespace or not and the
     * /sys/fs/cgroup mount read-write or not; returns the owners of its cgroup directories and their
     * cgroup.procs files as "path uid" lines, one per cgroup of /proc/PID/cgroup.
     */
    private List<String> cgroupOwners(boolean cgroupns, boolean rwMount) {
        Bundle b = bundle("--marker", "/tmp/marker", "--sleep", "60"); // uid 1000 can write /tmp only
        b.linux().put("cgroupsPath", cgroupPath(newId()));
        b.process().putObject("user").put("uid", 1000).put("gid", 1000);
        if (cgroupns) {
            b.namespaces().addObject().put("type", "cgroup");
        }
        if (rwMount) {
            for (var m : b.mounts()) {
                if (m.path("destination").asText().equals("/sys/fs/cgroup")) {
                    ((ObjectNode) m).set("options", io.jruntime.conformance.Json.array("nosuid", "noexec", "nodev", "relatime", "rw"));
                }
            }
        }
        Container c = container(b);
        expectOk(c.create(), "create");
        expectOk(c.start(), "start");
        waitFor(() -> Files.exists(b.rootfs().resolve("tmp/marker")), "the program to run");
        List<String> owners = new java.util.ArrayList<>();
        for (String line : Host.readTrim(Path.of("/proc/" + c.pid() + "/cgroup")).split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length != 3) {
                continue;
            }
            String rel = f[2].startsWith("/") ? f[2].substring(1) : f[2];
            Optional<Path> mount = f[1].isEmpty() ? Host.cgroup2Mount()
                    : Host.cgroupV1Mount(f[1].startsWith("name=") ? f[1] : f[1].split(",")[0]);
            if (mount.isEmpty()) {
                continue;
            }
            Path d = mount.get().resolve(rel);
            for (Path p : List.of(d, d.resolve("cgroup.procs"))) {
                try {
                    owners.add(p + " " + Files.getAttribute(p, "unix:uid"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        assertTrue(!owners.isEmpty(), "no cgroup of the container process found in /proc/" + c.pid() + "/cgroup");
        return owners;
    }

    private static void assertUnchanged(List<String> owners) {
        List<String> changed = owners.stream().filter(o -> !o.endsWith(" 0")).toList();
        assertTrue(changed.isEmpty(), "cgroup files given to another owner (path uid): " + changed);
    }

    @Test
    @Requirement(id = "config-linux.md#cgroup-ownership/v1", level = Level.SHOULD, text = "runtimes SHOULD NOT change the ownership of container cgroups when cgroups v1 is in use")
    void cgroupOwnershipV1() {
        assumeTrue(!Host.cgroupV2(), "cgroup v1 is not in use on this host (pure cgroup v2)");
        // every condition under which a v2 host would delegate: cgroup namespace, rw cgroup mount, non-root user
        assertUnchanged(cgroupOwners(true, true));
    }

    @Test
    @Requirement(id = "config-linux.md#cgroup-ownership/no-cgroupns", level = Level.SHOULD, text = "a runtime SHOULD NOT change the ownership of a container cgroup unless it also creates a new cgroup namespace")
    void cgroupOwnershipWithoutCgroupns() {
        assertUnchanged(cgroupOwners(false, true));
    }

    @Test
    @Requirement(id = "config-linux.md#cgroup-ownership/no-rw-mount", level = Level.SHOULD, text = "without a read-write cgroup mount at /sys/fs/cgroup the runtime SHOULD NOT change the cgroup ownership")
    void cgroupOwnershipWithoutRwMount() {
        assertUnchanged(cgroupOwners(true, false));
    }

    // ---- unified ----

    @TestFactory
    @Requirement(id = "config-linux.md#unified", text = "each unified key is a file in the cgroup unified hierarchy; the runtime MUST enable the needed controllers and MUST write configuration unknown to it")
    List<DynamicTest> unified() {
        Container[] c = {null};
        Map<String, Executable> checks = new LinkedHashMap<>();
        checks.put("controller: a controller's key is written, the controller enabled for the cgroup", () -> {
            assumeTrue(Host.cgroup2Controllers().contains("pids") || Host.cgroup2Controllers().contains("hugetlb"),
                    "cgroup2 here offers neither pids nor hugetlb");
            Path d = Host.cgroup2DirOf(c[0].pid()).orElseThrow();
            if (Host.cgroup2Controllers().contains("pids")) {
                assertEquals("33", file(d, "pids.max"), "pids.max in " + d);
            } else {
                assertEquals("6291456", file(d, "hugetlb.2MB.max"), "hugetlb.2MB.max in " + d);
            }
        });
        checks.put("unknown: a core file's key is written as given", () -> {
            Path d = Host.cgroup2DirOf(c[0].pid()).orElseThrow();
            assertEquals("7", file(d, "cgroup.max.descendants"), "cgroup.max.descendants in " + d);
        });
        return checks(() -> {
            assumeTrue(Host.cgroup2Mount().isPresent(), "no cgroup2 hierarchy on this host");
            c[0] = running(r -> {
                ObjectNode u = r.putObject("unified").put("cgroup.max.descendants", "7");
                if (Host.cgroup2Controllers().contains("pids")) {
                    u.put("pids.max", "33");
                } else if (Host.cgroup2Controllers().contains("hugetlb")) {
                    u.put("hugetlb.2MB.max", "6291456");
                }
            });
        }, checks);
    }

    @Test
    @Requirement(id = "config-linux.md#unified/absent-controller", text = "the runtime MUST generate an error when unified refers to a cgroup controller that is not present or cannot be enabled")
    void unifiedAbsentController() {
        Optional<Path> mount = Host.cgroup2Mount();
        assumeTrue(mount.isPresent(), "no cgroup2 hierarchy on this host");
        List<String> offered = Host.cgroup2Controllers();
        Map<String, String> keys = Map.of("memory", "memory.max", "pids", "pids.max", "cpu", "cpu.max", "io", "io.weight");
        String ctl = List.of("memory", "pids", "cpu", "io").stream().filter(x -> !offered.contains(x)).findFirst().orElse(null);
        assumeTrue(ctl != null, "cgroup2 here offers memory, pids, cpu and io: no absent controller to refer to");
        Bundle b = bundle();
        b.linux().put("cgroupsPath", cgroupPath(newId()));
        b.linux().withObject("/resources").putObject("unified").put(keys.get(ctl), "max");
        expectError(container(b).create(), "create with unified " + keys.get(ctl) + " while cgroup2 (" + mount.get()
                + ") has no " + ctl + " controller");
    }
}
