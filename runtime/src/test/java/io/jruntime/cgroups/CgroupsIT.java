package io.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jruntime.sys.CgroupSyscalls;
import io.jruntime.sys.Syscalls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real cgroups on this machine (root only): plain child processes ({@code sh}, {@code sleep}) are moved into a
 * cgroup under /jruntime-test/&lt;random&gt;; the test JVM never is. Every test kills its processes by pid and
 * removes its cgroups, also on failure. The "v2" tests run the manager on the host's cgroup2 mount alone
 * (on a hybrid host: /sys/fs/cgroup/unified), to exercise cgroup.freeze, cgroup.kill and the eBPF device filter.
 */
class CgroupsIT {
    static final String PARENT = "/jruntime-test";

    final List<Process> processes = new ArrayList<>();
    final List<CgroupManager> managers = new ArrayList<>();
    String path;

    @BeforeEach
    void setUp() {
        assumeTrue(Syscalls.native_().getuid() == 0, "needs root");
        path = PARENT + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (CgroupManager m : managers) {
            try {
                if (m.isFrozen()) {
                    m.thaw();
                }
            } catch (RuntimeException ignored) {
                // keep cleaning
            }
            try {
                m.killAll(9);
            } catch (RuntimeException ignored) {
                // keep cleaning
            }
        }
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        List<String> leaks = new ArrayList<>();
        for (CgroupManager m : managers) {
            try {
                m.destroy();
            } catch (RuntimeException e) {
                leaks.add(e.getMessage());
            }
            for (String dir : m.paths().values()) {
                Path parent = Path.of(dir).getParent();
                if (parent.getFileName().toString().equals("jruntime-test")) {
                    try {
                        CgroupSyscalls.native_().rmdir(parent.toString());
                    } catch (Exception ignored) {
                        // another test's directory may still be there; or already gone
                    }
                }
            }
        }
        assertTrue(leaks.isEmpty(), "cgroups left behind: " + leaks);
    }

    CgroupManager manager() {
        CgroupManager m = CgroupManager.forContainer("it", path);
        managers.add(m);
        return m;
    }

    /** A manager on the host's cgroup2 hierarchy only (pure v2 as far as the manager knows). */
    CgroupManager v2Manager() throws IOException {
        String mountinfo = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(" - cgroup2 ")).collect(Collectors.joining("\n"));
        assumeTrue(!mountinfo.isEmpty(), "no cgroup2 mount");
        CgroupHost host = CgroupHost.parse(mountinfo, Files.readString(Path.of("/proc/self/cgroup")), CgroupFs.native_());
        CgroupManager m = CgroupManager.forContainer(host, "it", path);
        managers.add(m);
        return m;
    }

    Process start(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).start();
        processes.add(p);
        return p;
    }

    static void go(Process p) throws IOException {
        OutputStream in = p.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    static String read(String file) throws IOException {
        return Files.readString(Path.of(file)).strip();
    }

    static void waitFor(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A counter advanced by a reader thread for every line the process prints. */
    static AtomicLong countLines(Process p) {
        AtomicLong lines = new AtomicLong();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                while (r.readLine() != null) {
                    lines.incrementAndGet();
                }
            } catch (IOException ignored) {
                // process gone
            }
        });
        t.setDaemon(true);
        t.start();
        return lines;
    }

    // ---- the host as it is ----

    @Test
    void probeMatchesTheMounts() throws Exception {
        CgroupHost host = CgroupHost.probe();
        long magic = CgroupSyscalls.native_().statfsType("/sys/fs/cgroup");
        if (magic == CgroupSyscalls.CGROUP2_SUPER_MAGIC) {
            assertEquals(CgroupHost.Mode.UNIFIED, host.mode());
        } else {
            assertTrue(host.mode() == CgroupHost.Mode.HYBRID || host.mode() == CgroupHost.Mode.LEGACY);
            assertEquals(host.unifiedMount() != null, host.mode() == CgroupHost.Mode.HYBRID);
        }
        System.out.println("cgroup host: " + host.mode() + ", v1: " + host.v1Hierarchies().size() + " hierarchies, cgroup2: "
                + host.unifiedMount() + " " + host.unifiedControllers());
    }

    @Test
    void createApplyMemoryAndDestroyEveryDirectory() throws Exception {
        CgroupManager m = manager();
        m.create();
        assertTrue(m.exists());
        for (String dir : m.paths().values()) {
            assertTrue(Files.isDirectory(Path.of(dir)), dir);
        }
        m.apply(new Resources(null, Resources.Memory.limit(64L << 20), null, null, null, null, null, null, null));
        Bindings b = Bindings.of(m);
        if (b.memoryV2) {
            assertEquals(Long.toString(64L << 20), read(b.memory + "/memory.max"));
        } else {
            assertEquals(Long.toString(64L << 20), read(b.memory + "/memory.limit_in_bytes"));
        }
        m.destroy();
        assertFalse(m.exists());
        for (String dir : m.paths().values()) {
            assertFalse(Files.exists(Path.of(dir)), dir);
        }
        m.destroy(); // idempotent
    }

    @Test
    void memoryLimitBelowUsageIsRefusedWithTheFileNamed() throws Exception {
        CgroupManager m = manager();
        m.create();
        Bindings b = Bindings.of(m);
        assumeTrue(!b.memoryV2, "v1 memory only (v2 would OOM-kill instead)");
        Process p = start("sh", "-c", "read go; exec sleep 100");
        m.addProcess((int) p.pid());
        go(p);
        waitFor("sleep to run", () -> m.pids().size() == 1 && !readQuiet("/proc/" + p.pid() + "/comm").equals("sh"));
        CgroupException e = assertThrows(CgroupException.class,
                () -> m.apply(new Resources(null, Resources.Memory.limit(4096), null, null, null, null, null, null, null)));
        assertTrue(e.getMessage().startsWith("write 4096 to " + b.memory + "/memory.limit_in_bytes: device or resource busy"),
                e.getMessage());
    }

    static String readQuiet(String f) {
        try {
            return read(f);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void pidsLimitStopsForks() throws Exception {
        CgroupManager m = manager();
        m.create();
        m.apply(new Resources(null, null, null, new Resources.Pids(3L), null, null, null, null, null));
        Path err = Files.createTempFile("jruntime-pids", ".err");
        try {
            // dash gives up at the first failed fork: the shell plus two sleeps fit in 3 pids, the third fork fails
            Process p = new ProcessBuilder("sh", "-c", "read go; for i in 1 2 3 4 5 6; do sleep 100 & done; echo all forked")
                    .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(p);
            m.addProcess((int) p.pid());
            go(p);
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertTrue(Files.readString(err).toLowerCase().contains("fork"), "stderr: " + Files.readString(err));
            assertEquals(2, m.pids().size(), "pids in the cgroup: " + m.pids());
            Stats s = m.stats();
            assertEquals(2, s.pids.current);
            assertEquals(3, s.pids.limit);
            assertTrue(s.toJson().contains("\"pids\":{\"current\":2,\"limit\":3}"), s.toJson());
        } finally {
            Files.deleteIfExists(err);
        }
    }

    @Test
    void freezeStopsTheProcessAndThawResumesIt() throws Exception {
        CgroupManager m = manager();
        m.create();
        Process p = start("sh", "-c", "read go; while :; do echo tick; sleep 0.02; done");
        m.addProcess((int) p.pid());
        AtomicLong ticks = countLines(p);
        go(p);
        waitFor("ticks", () -> ticks.get() > 3);
        m.freeze();
        assertTrue(m.isFrozen());
        long frozenAt = ticks.get();
        Thread.sleep(300);
        assertTrue(ticks.get() <= frozenAt + 1, "still ticking while frozen: " + frozenAt + " -> " + ticks.get());
        System.out.println("frozen process state: " + readQuiet("/proc/" + p.pid() + "/stat").replaceAll("^\\S+ \\(\\S+\\) (\\S).*", "$1"));
        m.thaw();
        assertFalse(m.isFrozen());
        long thawedAt = ticks.get();
        waitFor("ticks after thaw", () -> ticks.get() > thawedAt + 3);
    }

    @Test
    void killAllReachesEveryProcessAndDestroyThenSucceeds() throws Exception {
        CgroupManager m = manager();
        m.create();
        Process p = start("sh", "-c", "read go; sleep 100 & sleep 100 & wait");
        m.addProcess((int) p.pid());
        go(p);
        waitFor("3 processes", () -> m.pids().size() == 3);
        m.killAll(15); // not SIGKILL: freeze, signal each, thaw
        waitFor("all gone", () -> m.pids().isEmpty());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertFalse(m.isFrozen());
        m.destroy();
        assertFalse(m.exists());
    }

    @Test
    void killAllWithSigkill() throws Exception {
        CgroupManager m = manager();
        m.create();
        Process p = start("sh", "-c", "read go; sleep 100 & sleep 100 & wait");
        m.addProcess((int) p.pid());
        go(p);
        waitFor("3 processes", () -> m.pids().size() == 3);
        m.killAll(9);
        waitFor("all gone", () -> m.pids().isEmpty());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue());
    }

    @Test
    void destroyWaitsForExitingProcesses() throws Exception {
        CgroupManager m = manager();
        m.create();
        Process p = start("sh", "-c", "read go; exec sleep 0.3");
        m.addProcess((int) p.pid());
        go(p);
        m.destroy(); // retries while the process is still in there
        assertFalse(m.exists());
    }

    @Test
    void statsOfALiveCgroup() throws Exception {
        CgroupManager m = manager();
        m.create();
        Process p = start("sh", "-c", "read go; exec sleep 100");
        m.addProcess((int) p.pid());
        go(p);
        waitFor("sleep", () -> !readQuiet("/proc/" + p.pid() + "/comm").equals("sh"));
        Stats s = m.stats();
        assertTrue(s.memory.usage.usage > 0, s.toJson());
        String json = s.toJson();
        assertTrue(json.contains("\"pids\":{\"current\":1"), json);
        assertTrue(json.startsWith("{\"cpu\":{\"usage\":{"), json);
        System.out.println("stats: " + json);
    }

    @Test
    void hugetlbLimitOnThisHost() throws Exception {
        CgroupManager m = manager();
        m.create();
        Bindings b = Bindings.of(m);
        assumeTrue(b.hugetlb != null, "no hugetlb controller");
        m.apply(new Resources(null, null, null, null, null, List.of(new Resources.HugepageLimit("2MB", 4L << 20)), null, null, null));
        String file = b.hugetlb + (b.hugetlbV2 ? "/hugetlb.2MB.max" : "/hugetlb.2MB.limit_in_bytes");
        assertEquals(Long.toString(4L << 20), read(file));
    }

    @Test
    void deviceRulesOnThisHost() throws Exception {
        CgroupManager m = manager();
        m.create();
        m.apply(new Resources(List.of(DeviceRule.deny('a', -1, -1, "rwm"), DeviceRule.allow('c', 1, 3, "rwm")),
                null, null, null, null, null, null, null, null));
        Process p = start("sh", "-c", "read go; head -c1 /dev/zero > /dev/null; echo zero=$?; echo x > /dev/null; echo null=$?");
        m.addProcess((int) p.pid());
        go(p);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("zero=1") && out.contains("null=0"), out + err);
        assertTrue(err.contains("Operation not permitted"), err);
    }

    @Test
    void specJsonCreateThenUpdateThroughSavedPaths() throws Exception {
        CgroupManager m = manager();
        m.create();
        io.jruntime.spec.LinuxResources r = io.jruntime.spec.SpecLoader.parseResources(("""
                {"devices": [{"allow": false, "access": "rwm"}],
                 "memory": {"limit": 67108864, "swap": 134217728, "kernel": -1},
                 "cpu": {"shares": 512, "quota": 50000, "period": 100000},
                 "pids": {"limit": 100}}
                """).getBytes(StandardCharsets.UTF_8), "resources.json");
        List<String> warned = new ArrayList<>();
        var old = Warnings.setSink(warned::add);
        try {
            m.apply(r);
        } finally {
            Warnings.setSink(old);
        }
        assertEquals(1, warned.size(), warned.toString()); // memory.kernel
        Bindings b = Bindings.of(m);
        if (!b.memoryV2) {
            assertEquals("67108864", read(b.memory + "/memory.limit_in_bytes"));
            assertEquals("134217728", read(b.memory + "/memory.memsw.limit_in_bytes"));
        }
        // a later command rebuilds the manager from the saved paths and updates the limits
        CgroupManager later = CgroupManager.forPaths(m.paths());
        assertEquals(m.paths(), later.paths());
        later.update(io.jruntime.spec.SpecLoader.parseResources("""
                {"memory": {"limit": 33554432, "swap": 33554432}, "pids": {"limit": 10}}
                """.getBytes(StandardCharsets.UTF_8), "update.json"));
        if (!b.memoryV2) {
            assertEquals("33554432", read(b.memory + "/memory.limit_in_bytes"));
            assertEquals("33554432", read(b.memory + "/memory.memsw.limit_in_bytes"));
        }
        String pidsDir = m.paths().getOrDefault("pids", m.paths().get(""));
        assertEquals("10", read(pidsDir + "/pids.max"));
        String devices = m.paths().get("devices");
        if (devices != null) {
            List<String> list = Files.readAllLines(Path.of(devices, "devices.list"));
            assertTrue(list.contains("c 1:3 rwm") && list.contains("c 136:* rwm") && !list.contains("a *:* rwm"), list.toString());
        }
        later.destroy();
        assertFalse(m.exists());
    }

    // ---- the cgroup2 hierarchy on its own ----

    @Test
    void v2FreezeWithCgroupFreeze() throws Exception {
        CgroupManager m = v2Manager();
        m.create();
        Process p = start("sh", "-c", "read go; while :; do echo tick; sleep 0.02; done");
        m.addProcess((int) p.pid());
        AtomicLong ticks = countLines(p);
        go(p);
        waitFor("ticks", () -> ticks.get() > 3);
        m.freeze();
        String dir = m.paths().get("");
        assertEquals("1", read(dir + "/cgroup.freeze"));
        assertTrue(read(dir + "/cgroup.events").contains("frozen 1"));
        long frozenAt = ticks.get();
        Thread.sleep(300);
        assertTrue(ticks.get() <= frozenAt + 1, "still ticking while frozen");
        m.thaw();
        long thawedAt = ticks.get();
        waitFor("ticks after thaw", () -> ticks.get() > thawedAt + 3);
    }

    @Test
    void v2KillWithCgroupKill() throws Exception {
        CgroupManager m = v2Manager();
        m.create();
        assumeTrue(Files.exists(Path.of(m.paths().get(""), "cgroup.kill")), "no cgroup.kill (kernel < 5.14)");
        Process p = start("sh", "-c", "read go; sleep 100 & sleep 100 & wait");
        m.addProcess((int) p.pid());
        go(p);
        waitFor("3 processes", () -> m.pids().size() == 3);
        m.killAll(9);
        waitFor("all gone", () -> m.pids().isEmpty());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue());
    }

    @Test
    void v2EbpfDeviceFilterDeniesAndAllows() throws Exception {
        CgroupManager m = v2Manager();
        m.create();
        // runc's defaults on a deny-all base, minus nothing: /dev/zero and /dev/null allowed, /dev/full read denied below
        m.apply(new Resources(DefaultDevices.withDefaults(List.of(DeviceRule.deny('a', -1, -1, "rwm"),
                DeviceRule.allow('c', 1, 3, "rwm")), List.of("/dev/zero")), null, null, null, null, null, null, null, null));
        Process p = start("sh", "-c", "read go; head -c1 /dev/zero > /dev/null; echo zero=$?; head -c1 /dev/urandom > /dev/null;"
                + " echo urandom=$?");
        m.addProcess((int) p.pid());
        go(p);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("zero=1"), out + err);
        assertTrue(out.contains("urandom=0"), out + err);
        assertTrue(err.contains("/dev/zero") && err.contains("Operation not permitted"), err);
    }

    @Test
    void v2EbpfFilterIsReplacedOnUpdate() throws Exception {
        CgroupManager m = v2Manager();
        m.create();
        List<DeviceRule> denyZero = DefaultDevices.withDefaults(List.of(DeviceRule.deny('a', -1, -1, "rwm")), List.of("/dev/zero"));
        m.apply(new Resources(denyZero, null, null, null, null, null, null, null, null));
        m.apply(new Resources(DefaultDevices.withDefaults(List.of(DeviceRule.deny('a', -1, -1, "rwm")), List.of()),
                null, null, null, null, null, null, null, null));
        Process p = start("sh", "-c", "read go; head -c1 /dev/zero > /dev/null; echo zero=$?");
        m.addProcess((int) p.pid());
        go(p);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("zero=0"), out + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        int[] progs = bpfProgs(m.paths().get(""));
        assertEquals(1, progs.length, "exactly one device program attached");
    }

    static int[] bpfProgs(String dir) throws Exception {
        CgroupSyscalls sys = CgroupSyscalls.native_();
        int fd = sys.open(dir, CgroupSyscalls.O_RDONLY | CgroupSyscalls.O_DIRECTORY | CgroupSyscalls.O_CLOEXEC, 0);
        try {
            return sys.bpfProgQuery(fd, CgroupSyscalls.BPF_CGROUP_DEVICE);
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void v2UnifiedKeysAreValidated() throws Exception {
        CgroupManager m = v2Manager();
        m.create();
        CgroupException e = assertThrows(CgroupException.class, () -> m.apply(new Resources(null, null, null, null, null,
                null, null, null, java.util.Map.of("memory.high", "1000000"))));
        assertTrue(e.getMessage().contains("linux.resources.unified[\"memory.high\"]"), e.getMessage());
        m.apply(new Resources(null, null, null, null, null, null, null, null, java.util.Map.of("cgroup.max.descendants", "5")));
        assertEquals("5", read(m.paths().get("") + "/cgroup.max.descendants"));
    }

    /** Where memory and hugetlb live for a manager on this host. */
    record Bindings(String memory, boolean memoryV2, String hugetlb, boolean hugetlbV2) {
        static Bindings of(CgroupManager m) {
            String mem = m.paths().get("memory");
            boolean memV2 = mem == null;
            if (memV2) {
                mem = m.paths().get("");
            }
            String h = m.paths().get("hugetlb");
            boolean hV2 = false;
            if (h == null && m.host().unifiedControllers().contains("hugetlb")) {
                h = m.paths().get("");
                hV2 = true;
            }
            assertNotNull(mem);
            return new Bindings(mem, memV2, h, hV2);
        }
    }
}
