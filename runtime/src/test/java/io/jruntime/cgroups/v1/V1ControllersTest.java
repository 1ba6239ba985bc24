package io.jruntime.cgroups.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.CgroupException;
import io.jruntime.cgroups.DeviceRule;
import io.jruntime.cgroups.FakeCgroupFs;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;
import io.jruntime.cgroups.Warnings;
import io.jruntime.sys.Errno;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class V1ControllersTest {
    @TempDir
    Path tmp;
    FakeCgroupFs fs;
    final List<String> warnings = new ArrayList<>();
    Consumer<String> oldSink;

    @BeforeEach
    void setUp() {
        fs = new FakeCgroupFs(tmp);
        oldSink = Warnings.setSink(warnings::add);
    }

    @AfterEach
    void tearDown() {
        Warnings.setSink(oldSink);
    }

    static Map<String, String> files(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Resources memory(Resources.Memory m) {
        return new Resources(null, m, null, null, null, null, null, null, null);
    }

    static Resources cpu(Resources.Cpu c) {
        return new Resources(null, null, c, null, null, null, null, null, null);
    }

    CgroupDir memDir() {
        return fs.dir("memory/x", files("memory.limit_in_bytes", "9223372036854771712", "memory.memsw.limit_in_bytes",
                "9223372036854771712", "memory.soft_limit_in_bytes", "0", "memory.oom_control", "", "memory.swappiness", "60",
                "memory.use_hierarchy", "1", "memory.usage_in_bytes", "5000", "memory.max_usage_in_bytes", "6000"));
    }

    @Test
    void memoryLimitReservationSwappinessOom() {
        CgroupDir d = memDir();
        new MemoryV1().apply(d, memory(new Resources.Memory(1000000L, 500000L, null, null, null, 10L, true, null, null)));
        assertEquals(List.of("1000000"), fs.writesTo("memory.limit_in_bytes"));
        assertEquals(List.of("500000"), fs.writesTo("memory.soft_limit_in_bytes"));
        assertEquals(List.of("1"), fs.writesTo("memory.oom_control"));
        assertEquals(List.of("10"), fs.writesTo("memory.swappiness"));
        assertTrue(fs.writesTo("memory.memsw.limit_in_bytes").isEmpty());
    }

    @Test
    void memoryAndSwapAreWrittenInTheOrderTheKernelAccepts() {
        CgroupDir d = memDir();
        // growing from "unlimited" limit? current limit is huge: memory first, then memsw
        new MemoryV1().apply(d, memory(new Resources.Memory(1000L, null, 2000L, null, null, null, null, null, null)));
        assertEquals(List.of("memory/x/memory.limit_in_bytes=1000", "memory/x/memory.memsw.limit_in_bytes=2000"), fs.writes);
        // now growing above the current limit: memsw first
        fs.writes.clear();
        new MemoryV1().apply(d, memory(new Resources.Memory(3000L, null, 4000L, null, null, null, null, null, null)));
        assertEquals(List.of("memory/x/memory.memsw.limit_in_bytes=4000", "memory/x/memory.limit_in_bytes=3000"), fs.writes);
    }

    @Test
    void unlimitedMemoryAlsoLiftsSwap() {
        CgroupDir d = memDir();
        new MemoryV1().apply(d, memory(Resources.Memory.limit(-1)));
        assertEquals(List.of("memory/x/memory.memsw.limit_in_bytes=-1", "memory/x/memory.limit_in_bytes=-1"), fs.writes);
    }

    @Test
    void zeroMeansUnsetAsInRunc() {
        CgroupDir d = memDir();
        new MemoryV1().apply(d, memory(new Resources.Memory(0L, 0L, 0L, null, null, null, false, null, null)));
        assertEquals(List.of(), fs.writes);
        assertNull(new MemoryV1().requestedField(memory(new Resources.Memory(0L, null, null, null, null, -1L, false, null, null))));
    }

    @Test
    void memoryLimitBelowUsageNamesFileValueAndUsage() {
        CgroupDir d = memDir();
        fs.fail("memory.limit_in_bytes", Errno.EBUSY);
        CgroupException e = assertThrows(CgroupException.class,
                () -> new MemoryV1().apply(d, memory(Resources.Memory.limit(1000))));
        assertTrue(e.getMessage().startsWith("write 1000 to " + d.file("memory.limit_in_bytes") + ": device or resource busy"
                + " (linux.resources.memory.limit)"), e.getMessage());
        assertTrue(e.getMessage().contains("5000 bytes, peak 6000"), e.getMessage());
        assertEquals(Errno.EBUSY, e.errno());
    }

    @Test
    void kernelMemoryIsAWarningNotAnError() {
        CgroupDir d = memDir();
        new MemoryV1().apply(d, memory(new Resources.Memory(null, null, null, 1000L, 2000L, null, null, null, null)));
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(0).contains("linux.resources.memory.kernel"));
        assertEquals(List.of(), fs.writes);
    }

    @Test
    void swappinessOutOfRangeAndMissingSwapAccounting() {
        CgroupDir d = memDir();
        assertThrows(CgroupException.class, () -> new MemoryV1().apply(d,
                memory(new Resources.Memory(null, null, null, null, null, 101L, null, null, null))));
        CgroupDir noSwap = fs.dir("memory/y", files("memory.limit_in_bytes", "100"));
        CgroupException e = assertThrows(CgroupException.class, () -> new MemoryV1().apply(noSwap,
                memory(new Resources.Memory(1000L, null, 2000L, null, null, null, null, null, null))));
        assertTrue(e.getMessage().contains("swap accounting"), e.getMessage());
        new MemoryV1().apply(noSwap, memory(Resources.Memory.limit(-1))); // -1 needs no memsw file
    }

    @Test
    void useHierarchyFalseOnAModernKernelWarns() {
        CgroupDir d = memDir();
        fs.fail("memory.use_hierarchy", Errno.EINVAL);
        new MemoryV1().apply(d, memory(new Resources.Memory(null, null, null, null, null, null, null, false, null)));
        assertEquals(1, warnings.size());
        new MemoryV1().apply(d, memory(new Resources.Memory(null, null, null, null, null, null, null, true, null)));
        assertEquals(List.of(), fs.writes); // already 1
    }

    @Test
    void memoryStats() {
        CgroupDir d = fs.dir("memory/s", files("memory.stat", "cache 100\nrss 200\n", "memory.usage_in_bytes", "4096",
                "memory.max_usage_in_bytes", "8192", "memory.failcnt", "1", "memory.limit_in_bytes", "9223372036854771712"));
        Stats s = new Stats();
        new MemoryV1().stats(d, s);
        assertEquals(100, s.memory.cache);
        assertEquals(4096, s.memory.usage.usage);
        assertEquals(8192, s.memory.usage.max);
        assertEquals(1, s.memory.usage.failcnt);
        assertEquals(Map.of("cache", 100L, "rss", 200L), s.memory.raw);
    }

    CgroupDir cpuDir() {
        return fs.dir("cpu/x", files("cpu.shares", "1024", "cpu.cfs_period_us", "100000", "cpu.cfs_quota_us", "-1",
                "cpu.cfs_burst_us", "0", "cpu.rt_period_us", "1000000", "cpu.rt_runtime_us", "0", "cpu.idle", "0"));
    }

    @Test
    void cpuEveryFile() {
        CgroupDir d = cpuDir();
        new CpuV1().apply(d, cpu(new Resources.Cpu(512L, 50000L, 1000L, 200000L, 95000L, 1000000L, null, null, 1L)));
        assertEquals(List.of("cpu/x/cpu.shares=512", "cpu/x/cpu.cfs_period_us=200000", "cpu/x/cpu.cfs_burst_us=1000",
                "cpu/x/cpu.cfs_quota_us=50000", "cpu/x/cpu.rt_period_us=1000000", "cpu/x/cpu.rt_runtime_us=95000",
                "cpu/x/cpu.idle=1"), fs.writes);
    }

    @Test
    void cpuSharesAreReadBack() {
        CgroupDir d = fs.dir("cpu/y", files("cpu.shares", "1024"));
        Resources big = cpu(new Resources.Cpu(1_000_000L, null, null, null, null, null, null, null, null));
        CgroupException e = assertThrows(CgroupException.class, () -> new CpuV1().apply(new ClampingDir(d, fs, "262144").dir, big));
        assertTrue(e.getMessage().contains("the maximum allowed cpu-shares is 262144"), e.getMessage());
        Resources small = cpu(new Resources.Cpu(1L, null, null, null, null, null, null, null, null));
        e = assertThrows(CgroupException.class, () -> new CpuV1().apply(new ClampingDir(d, fs, "2").dir, small));
        assertTrue(e.getMessage().contains("the minimum allowed cpu-shares is 2"), e.getMessage());
    }

    /** A cgroup dir whose cpu.shares always reads back a fixed value, as a clamping kernel would. */
    static final class ClampingDir {
        final CgroupDir dir;

        ClampingDir(CgroupDir d, FakeCgroupFs fs, String value) {
            FakeCgroupFs clamping = new FakeCgroupFs(fs.root) {
                @Override
                public String read(Path file) throws io.jruntime.sys.ErrnoException {
                    return file.getFileName().toString().equals("cpu.shares") ? value : super.read(file);
                }
            };
            dir = new CgroupDir(d.path(), clamping);
        }
    }

    @Test
    void cpuPeriodRefusedBeforeTheQuotaIsRetriedAfterIt() {
        CgroupDir d = cpuDir();
        fs.failOnce("cpu.cfs_period_us", Errno.EINVAL);
        new CpuV1().apply(d, cpu(new Resources.Cpu(null, 20000L, null, 50000L, null, null, null, null, null)));
        assertEquals(List.of("cpu/x/cpu.cfs_quota_us=20000", "cpu/x/cpu.cfs_period_us=50000"), fs.writes);
        fs.failOnce("cpu.cfs_period_us", Errno.EINVAL);
        CgroupException e = assertThrows(CgroupException.class,
                () -> new CpuV1().apply(d, cpu(new Resources.Cpu(null, null, null, 50000L, null, null, null, null, null))));
        assertTrue(e.getMessage().contains("(linux.resources.cpu.period)"), e.getMessage());
    }

    @Test
    void cpuacctStats() {
        CgroupDir d = fs.dir("cpuacct/x", files("cpuacct.usage", "1000", "cpuacct.stat", "user 3\nsystem 4\n",
                "cpuacct.usage_percpu", "600 400 \n"));
        CgroupDir c = fs.dir("cpu/z", files("cpu.stat", "nr_periods 5\nnr_throttled 2\nthrottled_time 300\n"));
        Stats s = new Stats();
        new CpuacctV1().stats(d, s);
        new CpuV1().stats(c, s);
        assertEquals(1000, s.cpu.total);
        assertEquals(30_000_000L, s.cpu.user);
        assertEquals(40_000_000L, s.cpu.kernel);
        assertEquals(List.of(600L, 400L), s.cpu.percpu);
        assertEquals(5, s.cpu.periods);
        assertEquals(300, s.cpu.throttledTime);
    }

    @Test
    void cpusetCopiesCpusAndMemsDownFromTheMountPoint() {
        Path mount = tmp.resolve("cpuset");
        fs.dir("cpuset", files("cpuset.cpus", "0-3\n", "cpuset.mems", "0\n"));
        fs.dir("cpuset/a", files("cpuset.cpus", "\n", "cpuset.mems", "\n"));
        CgroupDir leaf = fs.dir("cpuset/a/b", files("cpuset.cpus", "", "cpuset.mems", ""));
        CpusetV1 c = new CpusetV1();
        c.prepare(leaf, mount);
        c.apply(leaf, cpu(new Resources.Cpu(null, null, null, null, null, null, "1-2", "0", null)));
        assertEquals(List.of("cpuset/a/cpuset.cpus=0-3", "cpuset/a/cpuset.mems=0", "cpuset/a/b/cpuset.cpus=0-3",
                "cpuset/a/b/cpuset.mems=0", "cpuset/a/b/cpuset.cpus=1-2", "cpuset/a/b/cpuset.mems=0"), fs.writes);
        assertEquals(List.of(0, 1, 2, 3, 7), CpusetV1.parseList("0-3,7"));
    }

    @Test
    void pidsMaxZeroAndUnlimited() {
        CgroupDir d = fs.dir("pids/x", files("pids.max", "max", "pids.current", "3"));
        PidsV1 p = new PidsV1();
        p.apply(d, new Resources(null, null, null, new Resources.Pids(-1L), null, null, null, null, null));
        p.apply(d, new Resources(null, null, null, new Resources.Pids(0L), null, null, null, null, null));
        p.apply(d, new Resources(null, null, null, new Resources.Pids(32771L), null, null, null, null, null));
        assertEquals(List.of("max", "0", "32771"), fs.writesTo("pids.max"));
        Stats s = new Stats();
        p.stats(d, s);
        assertEquals(3, s.pids.current);
        assertEquals(32771, s.pids.limit);
    }

    static Resources blkio(Resources.BlockIO b) {
        return new Resources(null, null, null, null, b, null, null, null, null);
    }

    @Test
    void blkioWeightsAndThrottles() {
        CgroupDir d = fs.dir("blkio/x", files("blkio.bfq.weight", "100", "blkio.bfq.weight_device", "",
                "blkio.throttle.read_bps_device", "", "blkio.throttle.write_bps_device", "",
                "blkio.throttle.read_iops_device", "", "blkio.throttle.write_iops_device", ""));
        new BlkioV1().apply(d, blkio(new Resources.BlockIO(300, 10,
                List.of(new Resources.WeightDevice(8, 0, 500, 300)),
                List.of(new Resources.ThrottleDevice(8, 0, 600)), List.of(new Resources.ThrottleDevice(8, 16, 700)),
                List.of(new Resources.ThrottleDevice(8, 0, 60)), List.of(new Resources.ThrottleDevice(8, 16, 300)))));
        assertEquals(List.of("blkio/x/blkio.bfq.weight=300", "blkio/x/blkio.bfq.weight_device=8:0 500",
                "blkio/x/blkio.throttle.read_bps_device=8:0 600", "blkio/x/blkio.throttle.write_bps_device=8:16 700",
                "blkio/x/blkio.throttle.read_iops_device=8:0 60", "blkio/x/blkio.throttle.write_iops_device=8:16 300"), fs.writes);
        assertEquals(2, warnings.size()); // leafWeight and weightDevice[0] leaf weight
    }

    @Test
    void blkioWeightWithoutSchedulerIsAnErrorNamingTheField() {
        CgroupDir d = fs.dir("blkio/y", files("blkio.throttle.read_bps_device", ""));
        CgroupException e = assertThrows(CgroupException.class,
                () -> new BlkioV1().apply(d, blkio(new Resources.BlockIO(300, null, null, null, null, null, null))));
        assertTrue(e.getMessage().startsWith("cannot set linux.resources.blockIO.weight"), e.getMessage());
        Stats s = new Stats();
        CgroupDir st = fs.dir("blkio/z", files("blkio.throttle.io_service_bytes_recursive", "8:0 Read 10\n8:0 Write 20\nTotal 30\n",
                "blkio.throttle.io_serviced_recursive", "8:0 Read 1\n"));
        new BlkioV1().stats(st, s);
        assertEquals(List.of(new Stats.BlkioEntry(8, 0, "Read", 10), new Stats.BlkioEntry(8, 0, "Write", 20)),
                s.blkio.ioServiceBytesRecursive);
    }

    @Test
    void hugetlbWritesLimitAndReservation() {
        CgroupDir d = fs.dir("hugetlb/x", files("hugetlb.2MB.limit_in_bytes", "0", "hugetlb.2MB.rsvd.limit_in_bytes", "0",
                "hugetlb.1GB.limit_in_bytes", "0"));
        new HugetlbV1().apply(d, new Resources(null, null, null, null, null,
                List.of(new Resources.HugepageLimit("2MB", 209715200), new Resources.HugepageLimit("1GB", 1073741824)),
                null, null, null));
        assertEquals(List.of("hugetlb/x/hugetlb.2MB.limit_in_bytes=209715200", "hugetlb/x/hugetlb.2MB.rsvd.limit_in_bytes=209715200",
                "hugetlb/x/hugetlb.1GB.limit_in_bytes=1073741824"), fs.writes);
        CgroupException e = assertThrows(CgroupException.class, () -> new HugetlbV1().apply(d, new Resources(null, null, null,
                null, null, List.of(new Resources.HugepageLimit("3MB", 1)), null, null, null)));
        assertTrue(e.getMessage().contains("hugepageLimits[0].pageSize \"3MB\""), e.getMessage());
        assertEquals("2MB", HugePageSizes.fromDirName("hugepages-2048kB"));
        assertEquals("1GB", HugePageSizes.fromDirName("hugepages-1048576kB"));
        assertEquals("64KB", HugePageSizes.fromDirName("hugepages-64kB"));
    }

    @Test
    void netClsNetPrioRdma() {
        CgroupDir d = fs.dir("net/x", files("net_cls.classid", "0", "net_prio.ifpriomap", "", "rdma.max", ""));
        Resources r = new Resources(null, null, null, null, null, null,
                new Resources.Network(1048577L, List.of(new Resources.InterfacePriority("eth0", 500),
                        new Resources.InterfacePriority("eth1", 1000))),
                Map.of("mlx5_1", new Resources.Rdma(3L, 10000L), "mlx4_0", new Resources.Rdma(null, 1000L)), null);
        new NetClsV1().apply(d, r);
        new NetPrioV1().apply(d, r);
        new RdmaV1().apply(d, r);
        assertEquals(List.of("net/x/net_cls.classid=1048577", "net/x/net_prio.ifpriomap=eth0 500",
                "net/x/net_prio.ifpriomap=eth1 1000", "net/x/rdma.max=mlx4_0 hca_object=1000",
                "net/x/rdma.max=mlx5_1 hca_handle=3 hca_object=10000"), fs.writes);
        assertThrows(CgroupException.class, () -> RdmaV1.line("x", new Resources.Rdma(null, null)));
    }

    @Test
    void devicesWritesTheTransition() {
        CgroupDir d = fs.dir("devices/x", files("devices.allow", "", "devices.deny", "", "devices.list", "a *:* rwm\n"));
        new DevicesV1().apply(d, new Resources(List.of(DeviceRule.deny('a', -1, -1, "rwm"), DeviceRule.allow('c', 1, 3, "rwm"),
                DeviceRule.allow('c', 136, -1, "rw")), null, null, null, null, null, null, null, null));
        assertEquals(List.of("devices/x/devices.deny=a *:* rwm", "devices/x/devices.allow=c 1:3 rwm",
                "devices/x/devices.allow=c 136:* rw"), fs.writes);
        // null devices: untouched
        fs.writes.clear();
        new DevicesV1().apply(d, Resources.EMPTY);
        assertEquals(List.of(), fs.writes);
    }

    @Test
    void freezerFreezesAndThaws() {
        CgroupDir d = fs.dir("freezer/x", files("freezer.state", "THAWED"));
        FreezerV1 f = new FreezerV1();
        assertFalse(f.isFrozen(d));
        f.freeze(d);
        assertTrue(f.isFrozen(d));
        f.thaw(d);
        assertFalse(f.isFrozen(d));
        assertEquals(List.of("FROZEN", "THAWED"), fs.writesTo("freezer.state"));
    }
}
