package io.jruntime.cgroups.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class V2ControllersTest {
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

    CgroupDir memDir() {
        return fs.dir("c", files("memory.max", "max", "memory.low", "0", "memory.swap.max", "max", "memory.current", "5000"));
    }

    static Resources mem(Long limit, Long reservation, Long swap) {
        return new Resources(null, new Resources.Memory(limit, reservation, swap, null, null, null, null, null, null),
                null, null, null, null, null, null, null);
    }

    @Test
    void swapConversionTable() {
        assertEquals(-1, MemoryV2.convertSwap(0, -1));      // unlimited memory, swap unset: both unlimited
        assertEquals(-1, MemoryV2.convertSwap(-1, 1000));   // max
        assertEquals(0, MemoryV2.convertSwap(0, 1000));     // unset
        assertEquals(500, MemoryV2.convertSwap(1500, 1000)); // memory+swap - memory
        assertEquals(0, MemoryV2.convertSwap(1000, 1000));  // no swap at all
        assertEquals(2000, MemoryV2.convertSwap(2000, -1)); // memory unlimited: as is
        assertThrows(CgroupException.class, () -> MemoryV2.convertSwap(2000, 0));
        assertThrows(CgroupException.class, () -> MemoryV2.convertSwap(500, 1000));
    }

    @Test
    void memoryFiles() {
        CgroupDir d = memDir();
        new MemoryV2().apply(d, mem(1_000_000L, 500_000L, 1_500_000L));
        assertEquals(List.of("c/memory.swap.max=500000", "c/memory.max=1000000", "c/memory.low=500000"), fs.writes);
        fs.writes.clear();
        new MemoryV2().apply(d, mem(-1L, null, null));
        assertEquals(List.of("c/memory.swap.max=max", "c/memory.max=max"), fs.writes);
        fs.writes.clear();
        new MemoryV2().apply(d, mem(1000L, null, 1000L));
        assertEquals(List.of("c/memory.swap.max=0", "c/memory.max=1000"), fs.writes);
    }

    @Test
    void noSwapAccountingIsFineForMaxAndZeroOnly() {
        CgroupDir d = fs.dir("n", files("memory.max", "max", "memory.current", "0"));
        new MemoryV2().apply(d, mem(-1L, null, null));
        new MemoryV2().apply(d, mem(1000L, null, 1000L));
        CgroupException e = assertThrows(CgroupException.class, () -> new MemoryV2().apply(d, mem(1000L, null, 3000L)));
        assertTrue(e.getMessage().startsWith("write 2000 to " + d.file("memory.swap.max") + ": no such file or directory"
                + " (linux.resources.memory.swap)"), e.getMessage());
    }

    @Test
    void checkBeforeUpdateRefusesALimitBelowUsage() {
        CgroupDir d = memDir();
        Resources r = new Resources(null, new Resources.Memory(4000L, null, null, null, null, null, null, null, true),
                null, null, null, null, null, null, null);
        CgroupException e = assertThrows(CgroupException.class, () -> new MemoryV2().apply(d, r));
        assertTrue(e.getMessage().contains("not above the current usage 5000"), e.getMessage());
        assertEquals(List.of(), fs.writes);
    }

    @Test
    void v1OnlyMemorySettingsWarn() {
        CgroupDir d = memDir();
        new MemoryV2().apply(d, new Resources(null, new Resources.Memory(null, null, null, 1L, 2L, 30L, true, false, null),
                null, null, null, null, null, null, null));
        assertEquals(5, warnings.size());
        assertEquals(List.of(), fs.writes);
    }

    @Test
    void memoryStatsAddMemoryToSwapAsV1Does() {
        CgroupDir d = fs.dir("s", files("memory.stat", "anon 10\nfile 20\n", "memory.current", "100", "memory.max", "1000",
                "memory.peak", "150", "memory.events", "max 4\noom_kill 1\n", "memory.swap.current", "5", "memory.swap.max", "max"));
        Stats s = new Stats();
        new MemoryV2().stats(d, s);
        assertEquals(20, s.memory.cache);
        assertEquals(100, s.memory.usage.usage);
        assertEquals(1000, s.memory.usage.limit);
        assertEquals(150, s.memory.usage.max);
        assertEquals(4, s.memory.usage.failcnt);
        assertEquals(105, s.memory.swap.usage);
        assertEquals(-1, s.memory.swap.limit);
    }

    static Resources cpu(Long shares, Long quota, Long burst, Long period, Long rt, Long idle) {
        return new Resources(null, null, new Resources.Cpu(shares, quota, burst, period, rt, null, null, null, idle),
                null, null, null, null, null, null);
    }

    @Test
    void sharesToWeightFitsMinDefaultMax() {
        assertEquals(1, CpuV2.sharesToWeight(2));
        assertEquals(100, CpuV2.sharesToWeight(1024));
        assertEquals(10000, CpuV2.sharesToWeight(262144));
        assertEquals(0, CpuV2.sharesToWeight(0));
        assertEquals(1, CpuV2.sharesToWeight(1));
        assertEquals(10000, CpuV2.sharesToWeight(1_000_000));
        assertTrue(CpuV2.sharesToWeight(512) < 100 && CpuV2.sharesToWeight(2048) > 100);
    }

    @Test
    void cpuFiles() {
        CgroupDir d = fs.dir("cpu", files("cpu.max", "max 100000", "cpu.weight", "100", "cpu.max.burst", "0", "cpu.idle", "0"));
        new CpuV2().apply(d, cpu(1024L, 50000L, 1000L, 200000L, null, 1L));
        assertEquals(List.of("cpu/cpu.idle=1", "cpu/cpu.weight=100", "cpu/cpu.max.burst=1000", "cpu/cpu.max=50000 200000"), fs.writes);
        fs.writes.clear();
        new CpuV2().apply(d, cpu(null, -1L, null, null, null, null));
        assertEquals(List.of("cpu/cpu.max=max 100000"), fs.writes);
        fs.writes.clear();
        fs.set(d.file("cpu.max"), "30000 100000\n");
        new CpuV2().apply(d, cpu(null, null, null, 50000L, null, null)); // period only: keep the quota
        assertEquals(List.of("cpu/cpu.max=30000 50000"), fs.writes);
    }

    @Test
    void burstRefusedBeforeTheQuotaIsRetriedAndRealtimeIsRefused() {
        CgroupDir d = fs.dir("cpu", files("cpu.max", "max 100000", "cpu.max.burst", "0"));
        fs.failOnce("cpu.max.burst", Errno.EINVAL);
        new CpuV2().apply(d, cpu(null, 20000L, 10000L, null, null, null));
        assertEquals(List.of("cpu/cpu.max=20000 100000", "cpu/cpu.max.burst=10000"), fs.writes);
        CgroupException e = assertThrows(CgroupException.class, () -> new CpuV2().apply(d, cpu(null, null, null, null, 950000L, null)));
        assertTrue(e.getMessage().contains("realtimeRuntime"), e.getMessage());
    }

    @Test
    void cpuStatsAndPsi() {
        CgroupDir d = fs.dir("cs", files("cpu.stat", "usage_usec 7\nuser_usec 3\nsystem_usec 4\nnr_periods 2\nnr_throttled 1\nthrottled_usec 9\n",
                "cpu.pressure", "some avg10=1.50 avg60=0.00 avg300=0.00 total=12\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=3\n"));
        Stats s = new Stats();
        new CpuV2().stats(d, s);
        assertEquals(7000, s.cpu.total);
        assertEquals(3000, s.cpu.user);
        assertEquals(9000, s.cpu.throttledTime);
        assertEquals(1.5, s.cpu.psi.some().avg10());
        assertEquals(3, s.cpu.psi.full().total());
    }

    @Test
    void cpusetAndPids() {
        CgroupDir d = fs.dir("cs", files("cpuset.cpus", "", "cpuset.mems", "", "pids.max", "max"));
        Resources r = new Resources(null, null, new Resources.Cpu(null, null, null, null, null, null, "0-1", "0", null),
                new Resources.Pids(10L), null, null, null, null, null);
        new CpusetV2().apply(d, r);
        new PidsV2().apply(d, r);
        assertEquals(List.of("cs/cpuset.cpus=0-1", "cs/cpuset.mems=0", "cs/pids.max=10"), fs.writes);
    }

    static Resources io(Resources.BlockIO b) {
        return new Resources(null, null, null, null, b, null, null, null, null);
    }

    @Test
    void ioWeightConversionAndMax() {
        assertEquals(1, IoV2.blkioToIoWeight(10));
        assertEquals(10000, IoV2.blkioToIoWeight(1000));
        assertEquals(5000, IoV2.blkioToIoWeight(505));
        CgroupDir d = fs.dir("io", files("io.weight", "default 100", "io.max", ""));
        new IoV2().apply(d, io(new Resources.BlockIO(500, 10, List.of(new Resources.WeightDevice(8, 0, 1000, null)),
                List.of(new Resources.ThrottleDevice(8, 0, 2097152)), List.of(new Resources.ThrottleDevice(8, 0, 1048576)),
                List.of(new Resources.ThrottleDevice(253, 0, 100)), List.of(new Resources.ThrottleDevice(253, 0, 120)))));
        assertEquals(List.of("io/io.weight=default 4950", "io/io.weight=8:0 10000", "io/io.max=8:0 rbps=2097152",
                "io/io.max=8:0 wbps=1048576", "io/io.max=253:0 riops=100", "io/io.max=253:0 wiops=120"), fs.writes);
        assertEquals(1, warnings.size());
    }

    @Test
    void ioPrefersBfqWithTheRawWeight() {
        CgroupDir d = fs.dir("bfq", files("io.bfq.weight", "100", "io.weight", "default 100"));
        new IoV2().apply(d, io(new Resources.BlockIO(500, null, List.of(new Resources.WeightDevice(8, 0, 300, null)),
                null, null, null, null)));
        assertEquals(List.of("bfq/io.bfq.weight=500", "bfq/io.bfq.weight=8:0 300"), fs.writes);
        Stats s = new Stats();
        CgroupDir st = fs.dir("st", files("io.stat", "8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n"));
        new IoV2().stats(st, s);
        assertEquals(List.of(new Stats.BlkioEntry(8, 0, "Read", 10), new Stats.BlkioEntry(8, 0, "Write", 20)),
                s.blkio.ioServiceBytesRecursive);
        assertEquals(2, s.blkio.ioServicedRecursive.size());
    }

    @Test
    void hugetlbMaxAndReservation() {
        CgroupDir d = fs.dir("h", files("hugetlb.2MB.max", "max", "hugetlb.2MB.rsvd.max", "max", "hugetlb.1GB.max", "max"));
        new HugetlbV2().apply(d, new Resources(null, null, null, null, null,
                List.of(new Resources.HugepageLimit("2MB", 4194304), new Resources.HugepageLimit("1GB", 0)), null, null, null));
        assertEquals(List.of("h/hugetlb.2MB.rsvd.max=4194304", "h/hugetlb.2MB.max=4194304", "h/hugetlb.1GB.max=0"), fs.writes);
        CgroupException e = assertThrows(CgroupException.class, () -> new HugetlbV2().apply(d, new Resources(null, null, null,
                null, null, List.of(new Resources.HugepageLimit("64KB", 1)), null, null, null)));
        assertTrue(e.getMessage().contains("no such hugepage size"), e.getMessage());
    }

    @Test
    void unifiedWritesExistingFilesLineByLine() {
        CgroupDir d = fs.dir("u", files("cgroup.controllers", "cpu memory io", "memory.high", "max", "io.max", "", "cgroup.freeze", "0"));
        new UnifiedV2().apply(d, new Resources(null, null, null, null, null, null, null, null,
                Map.of("memory.high", "1073741824", "io.max", "259:0 rbps=2097152 wiops=120\n253:0 rbps=2097152 wiops=120")));
        assertEquals(List.of("u/io.max=259:0 rbps=2097152 wiops=120", "u/io.max=253:0 rbps=2097152 wiops=120",
                "u/memory.high=1073741824"), fs.writes);
    }

    @Test
    void unifiedErrorsNameTheKey() {
        CgroupDir d = fs.dir("u", files("cgroup.controllers", "cpu memory", "memory.high", "max"));
        CgroupException e = assertThrows(CgroupException.class, () -> new UnifiedV2().apply(d, new Resources(null, null, null,
                null, null, null, null, null, Map.of("hugetlb.1GB.max", "1073741824"))));
        assertTrue(e.getMessage().contains("linux.resources.unified[\"hugetlb.1GB.max\"]"), e.getMessage());
        assertTrue(e.getMessage().contains("controller \"hugetlb\" is not available"), e.getMessage());
        e = assertThrows(CgroupException.class, () -> new UnifiedV2().apply(d, new Resources(null, null, null,
                null, null, null, null, null, Map.of("memory.typo", "1"))));
        assertTrue(e.getMessage().contains("memory.typo does not exist"), e.getMessage());
        assertFalse(e.getMessage().contains("not available"), e.getMessage());
        assertThrows(CgroupException.class, () -> new UnifiedV2().apply(d, new Resources(null, null, null,
                null, null, null, null, null, Map.of("../x", "1"))));
    }

    @Test
    void devicesLoadAttachAndReplaceTheOldProgram() {
        FakeBpf bpf = new FakeBpf();
        bpf.attached = new int[] {7};
        CgroupDir d = fs.dir("dev", files());
        new DevicesV2(bpf).apply(d, new Resources(List.of(DeviceRule.deny('a', -1, -1, "rwm"), DeviceRule.allow('c', 1, 3, "rw")),
                null, null, null, null, null, null, null, null));
        assertEquals(List.of("open " + d.path(), "query 100", "load type=15 attach=6 license=Apache", "attach 100 200 6 flags=2",
                "close 200", "getfd 7", "detach 100 307 6", "close 307", "close 100"), bpf.calls);
        assertTrue(DeviceFilter.evaluate(bpf.loaded, 'c', 1, 3, "r"));
        assertFalse(DeviceFilter.evaluate(bpf.loaded, 'c', 1, 3, "m"));
        assertFalse(DeviceFilter.evaluate(bpf.loaded, 'c', 1, 5, "r"));
    }

    @Test
    void freezerWaitsForFrozen() {
        CgroupDir d = fs.dir("f", files("cgroup.freeze", "0", "cgroup.events", "populated 1\nfrozen 1\n"));
        FreezerV2 f = new FreezerV2();
        f.freeze(d);
        assertTrue(f.isFrozen(d));
        fs.set(d.file("cgroup.events"), "populated 1\nfrozen 0\n");
        f.thaw(d);
        assertFalse(f.isFrozen(d));
        assertEquals(List.of("f/cgroup.freeze=1", "f/cgroup.freeze=0"), fs.writes);
    }

    @Test
    void freezerThatNeverFreezesIsThawedAndReported() {
        CgroupDir d = fs.dir("g", files("cgroup.freeze", "0", "cgroup.events", "populated 1\nfrozen 0\n"));
        CgroupException e = assertThrows(CgroupException.class, () -> new FreezerV2().freeze(d));
        assertTrue(e.getMessage().contains("unable to freeze"), e.getMessage());
        assertEquals(List.of("g/cgroup.freeze=1", "g/cgroup.freeze=0"), fs.writes);
    }
}
