package io.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.cgroups.v1.CpuV1;
import io.jruntime.cgroups.v1.DevicesV1;
import io.jruntime.cgroups.v1.MemoryV1;
import io.jruntime.cgroups.v2.DevicesV2;
import io.jruntime.cgroups.v2.HugetlbV2;
import io.jruntime.cgroups.v2.IoV2;
import io.jruntime.cgroups.v2.MemoryV2;
import io.jruntime.spec.LinuxCpu;
import io.jruntime.spec.LinuxDevice;
import io.jruntime.spec.LinuxDeviceCgroup;
import io.jruntime.spec.LinuxMemory;
import io.jruntime.spec.LinuxPids;
import io.jruntime.spec.LinuxResources;
import io.jruntime.sys.CgroupSyscalls;
import io.jruntime.sys.Errno;
import io.jruntime.sys.ErrnoException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsManagerTest {
    @TempDir
    Path tmp;

    final List<String> kills = new ArrayList<>();

    FsManager manager(CgroupHost host, String id, String path) {
        return new FsManager(host, CgroupHost.innerPath(id, path), CgroupSyscalls.native_(), (pid, sig) -> kills.add(pid + ":" + sig));
    }

    @Test
    void hybridBindsEachControllerToTheHierarchyHoldingIt() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.hybrid(fs), "c1", "/jr/c1");
        assertTrue(m.controller("memory").orElseThrow() instanceof MemoryV1);
        assertTrue(m.controller("cpu").orElseThrow() instanceof CpuV1);
        assertTrue(m.controller("devices").orElseThrow() instanceof DevicesV1);
        assertTrue(m.controller("hugetlb").orElseThrow() instanceof HugetlbV2); // v2 here: not mounted as v1
        assertTrue(m.controller("net_cls").isEmpty());
        Map<String, String> paths = m.paths();
        assertEquals(tmp.resolve("sys/fs/cgroup/memory/jr/c1").toString(), paths.get("memory"));
        assertEquals(tmp.resolve("sys/fs/cgroup/systemd/jr/c1").toString(), paths.get("name=systemd"));
        assertEquals(tmp.resolve("sys/fs/cgroup/unified/jr/c1").toString(), paths.get(""));
    }

    @Test
    void pureV2BindsEverythingToTheUnifiedDirectory() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.unified(fs), "c1", null);
        assertTrue(m.controller("memory").orElseThrow() instanceof MemoryV2);
        assertTrue(m.controller("blkio").orElseThrow() instanceof IoV2);
        assertTrue(m.controller("devices").orElseThrow() instanceof DevicesV2);
        assertEquals(Map.of("", tmp.resolve("sys/fs/cgroup/user.slice/c1").toString()), m.paths());
    }

    @Test
    void createMakesEveryDirectoryEnablesV2ControllersAndCopiesCpusets() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.hybrid(fs), "c1", "/jr/c1");
        assertFalse(m.exists());
        m.create();
        assertTrue(m.exists());
        for (String dir : m.paths().values()) {
            assertTrue(Files.isDirectory(Path.of(dir)), dir);
        }
        // hugetlb enabled from the unified root down to the parent of the leaf
        assertEquals(List.of("+hugetlb", "+hugetlb"), fs.writesTo("cgroup.subtree_control"));
        assertEquals("0-1", fs.content(tmp.resolve("sys/fs/cgroup/cpuset/jr/c1/cpuset.cpus")));
        m.create(); // existing directories are fine
    }

    @Test
    void applyRoutesEachResourceAndAddProcessWritesEveryHierarchy() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.hybrid(fs), "c1", "/jr/c1");
        m.create();
        m.apply(new LinuxResources(List.of(new LinuxDeviceCgroup(false, null, null, null, "rwm")),
                new LinuxMemory(104857600L, null, null, null, null, null, null, null, null),
                new LinuxCpu(512L, null, null, null, null, null, null, null, null), new LinuxPids(64L), null,
                List.of(new io.jruntime.spec.LinuxHugepageLimit("2MB", 4194304L)), null, null, null));
        assertEquals(List.of("104857600"), fs.writesTo("jr/c1/memory.limit_in_bytes"));
        assertEquals(List.of("512"), fs.writesTo("jr/c1/cpu.shares"));
        assertEquals(List.of("64"), fs.writesTo("jr/c1/pids.max"));
        assertEquals(List.of("4194304"), fs.writesTo("unified/jr/c1/hugetlb.2MB.max"));
        assertEquals("a *:* rwm", fs.writesTo("jr/c1/devices.deny").get(0));
        assertEquals(11, fs.writesTo("jr/c1/devices.allow").size()); // runc's defaults
        m.addProcess(4242);
        assertEquals(10, fs.writesTo("cgroup.procs").size()); // 9 v1 hierarchies + unified
    }

    @Test
    void aResourceWithoutItsControllerIsAnError() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.hybrid(fs), "c1", "/jr/c1");
        m.create();
        CgroupException e = assertThrows(CgroupException.class, () -> m.apply(new Resources(null, null, null, null, null, null,
                new Resources.Network(1L, null), null, null)));
        assertEquals("cannot set linux.resources.network.classID: the net_cls cgroup controller is not available on this host",
                e.getMessage());
        FsManager legacy = manager(Hosts.legacy(new FakeCgroupFs(tmp.resolve("l"))), "c1", "/jr/c1");
        e = assertThrows(CgroupException.class, () -> legacy.apply(new Resources(null, null, null, null, null, null, null, null,
                Map.of("memory.high", "1"))));
        assertTrue(e.getMessage().contains("no cgroup v2 hierarchy"), e.getMessage());
    }

    @Test
    void unifiedOnAHybridHostGoesToTheUnifiedDirectory() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.hybrid(fs), "c1", "/jr/c1");
        m.create();
        m.apply(new Resources(null, null, null, null, null, null, null, null, Map.of("hugetlb.1GB.max", "1073741824")));
        assertEquals(List.of("1073741824"), fs.writesTo("unified/jr/c1/hugetlb.1GB.max"));
        CgroupException e = assertThrows(CgroupException.class, () -> m.apply(new Resources(null, null, null, null, null, null,
                null, null, Map.of("memory.high", "1"))));
        assertTrue(e.getMessage().contains("memory.high"), e.getMessage());
    }

    @Test
    void createFailureRemovesWhatItCreated() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp) {
            @Override
            public void mkdir(Path dir) throws ErrnoException {
                if (dir.toString().contains("/pids/")) {
                    throw new ErrnoException("mkdir", Errno.EACCES);
                }
                super.mkdir(dir);
            }
        };
        FsManager m = manager(Hosts.hybrid(fs), "c1", "/jr/c1");
        CgroupException e = assertThrows(CgroupException.class, m::create);
        assertTrue(e.getMessage().startsWith("mkdir " + tmp.resolve("sys/fs/cgroup/pids/jr") + ": permission denied"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("sys/fs/cgroup/memory/jr")));
        assertFalse(Files.exists(tmp.resolve("sys/fs/cgroup/cpu/jr")));
    }

    @Test
    void destroyRemovesSubCgroupsFirstAndIsIdempotent() throws Exception {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.hybrid(fs), "c1", "/jr/c1");
        m.create();
        fs.mkdir(tmp.resolve("sys/fs/cgroup/memory/jr/c1/nested"));
        m.destroy();
        for (String dir : m.paths().values()) {
            assertFalse(Files.exists(Path.of(dir)), dir);
        }
        assertTrue(Files.isDirectory(tmp.resolve("sys/fs/cgroup/memory/jr"))); // parents stay
        m.destroy();
        assertFalse(m.exists());
    }

    @Test
    void destroyOfABusyCgroupReportsItsProcesses() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.hybrid(fs), "c1", "/jr/c1");
        m.create();
        fs.set(tmp.resolve("sys/fs/cgroup/pids/jr/c1/cgroup.procs"), "77\n");
        m.busyTimeoutNanos = 100_000_000L;
        CgroupException e = assertThrows(CgroupException.class, m::destroy);
        assertTrue(e.getMessage().contains("rmdir " + tmp.resolve("sys/fs/cgroup/pids/jr/c1") + ": device or resource busy"
                + " (processes still inside: 77)"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("sys/fs/cgroup/memory/jr/c1"))); // the others went away
    }

    @Test
    void killAllWithoutCgroupKillFreezesSignalsAndThaws() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.legacy(fs), "c1", "/jr/c1");
        m.create();
        fs.set(tmp.resolve("sys/fs/cgroup/devices/jr/c1/cgroup.procs"), "10\n11\n");
        m.killAll(15);
        assertEquals(List.of("10:15", "11:15"), kills);
        assertEquals(List.of(10, 11), m.pids());
    }

    @Test
    void killAllWithSigkillOnV2UsesCgroupKill() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.hybrid(fs), "c1", "/jr/c1");
        m.create();
        m.killAll(9);
        assertEquals(List.of(), fs.writesTo("unified/jr/c1/cgroup.kill"), "an empty cgroup: nothing to signal");
        fs.set(tmp.resolve("sys/fs/cgroup/devices/jr/c1/cgroup.procs"), "7\n");
        m.killAll(9);
        assertEquals(List.of("1"), fs.writesTo("unified/jr/c1/cgroup.kill"));
        assertEquals(List.of(), kills);
        // another signal: freeze, signal each pid, thaw
        fs.set(tmp.resolve("sys/fs/cgroup/devices/jr/c1/cgroup.procs"), "5\n");
        m.killAll(1);
        assertEquals(List.of("5:1"), kills);
        assertEquals(List.of("FROZEN", "THAWED"), fs.writesTo("freezer/jr/c1/freezer.state"));
    }

    @Test
    void aPausedContainerStaysPausedAfterASignal() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.hybrid(fs), "c1", "/jr/c1");
        m.create();
        m.freeze();
        assertTrue(m.isFrozen());
        m.killAll(15);
        assertTrue(m.isFrozen());
        m.thaw();
        assertFalse(m.isFrozen());
    }

    @Test
    void specAdapterAppendsRuncsDefaultsAndDropsShadowedOnes() {
        Resources r = SpecResources.forCreate(new LinuxResources(List.of(new LinuxDeviceCgroup(false, null, null, null, "rwm"),
                new LinuxDeviceCgroup(true, "c", 10L, 229L, "rw")), null, null, null, null, null, null, null, null),
                List.of(new LinuxDevice("/dev/zero", "c", 1L, 5L, 438L, 0L, 0L)));
        assertEquals(DeviceRule.deny('a', -1, -1, "rwm"), r.devices().get(0));
        assertEquals(DeviceRule.allow('c', 10, 229, "rw"), r.devices().get(1));
        assertEquals(12, r.devices().size()); // 2 + 11 defaults - /dev/zero
        assertFalse(r.devices().contains(DeviceRule.allow('c', 1, 5, "rwm")));
        assertEquals(11, SpecResources.forCreate(null, null).devices().size());
        assertEquals(null, SpecResources.forUpdate(r == null ? null : new LinuxResources(List.of(), null, null,
                new LinuxPids(5L), null, null, null, null, null)).devices());
        CgroupException e = assertThrows(CgroupException.class, () -> SpecResources.forCreate(new LinuxResources(
                List.of(new LinuxDeviceCgroup(true, "x", null, null, "rwm")), null, null, null, null, null, null, null, null), null));
        assertTrue(e.getMessage().contains("devices[0].type"), e.getMessage());
    }

    @Test
    void statsJsonHasRuncsShape() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.unified(fs), "c1", "/c1");
        m.create();
        String json = m.stats().toJson();
        assertTrue(json.startsWith("{\"cpu\":{\"usage\":{\"total\":7000,\"kernel\":4000,\"user\":3000},\"throttling\":{}},"
                + "\"cpuset\":{\"cpu_exclusive\":0,"), json);
        assertTrue(json.contains("\"memory\":{\"cache\":20,\"usage\":{\"limit\":18446744073709551615,\"usage\":4096,\"failcnt\":1},"
                + "\"swap\":{\"limit\":18446744073709551615,\"usage\":4096,\"failcnt\":0},\"kernel\":{\"limit\":0,\"failcnt\":0},"
                + "\"kernelTCP\":{\"limit\":0,\"failcnt\":0},\"raw\":{\"anon\":10,\"file\":20}},"), json);
        assertTrue(json.contains("\"pids\":{\"current\":1},"), json);
        assertTrue(json.contains("\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":10},"
                + "{\"major\":8,\"op\":\"Write\",\"value\":20}],"), json);
        assertTrue(json.endsWith("\"intel_rdt\":{},\"network_interfaces\":null}"), json);
        assertEquals(2, m.oomKillCount());
    }

    @Test
    void aManagerFromSavedPathsUsesExactlyThoseDirectories() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        CgroupHost host = Hosts.hybrid(fs);
        FsManager created = manager(host, "c1", "c1"); // relative: memory lands below /process_api/abc
        created.create();
        Map<String, String> saved = created.paths();
        assertTrue(saved.get("memory").endsWith("memory/process_api/abc/c1"), saved.get("memory"));
        FsManager later = new FsManager(host, null, saved, CgroupSyscalls.native_(), (p, s) -> kills.add(p + ":" + s));
        assertEquals(saved, later.paths());
        later.apply(new Resources(null, Resources.Memory.limit(1000), null, null, null, null, null, null, null));
        assertEquals(List.of("1000"), fs.writesTo("process_api/abc/c1/memory.limit_in_bytes"));
        later.destroy();
        assertFalse(created.exists());
        // only some hierarchies saved: the others are not the container's
        FsManager partial = new FsManager(host, null, Map.of("memory", saved.get("memory")), CgroupSyscalls.native_(), null);
        assertEquals(Map.of("memory", saved.get("memory")), partial.paths());
        assertTrue(partial.controller("pids").isEmpty());
    }

    @Test
    void addProcessToASubCgroupStaysInside() throws Exception {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.hybrid(fs), "c1", "/jr/c1");
        m.create();
        for (String dir : m.paths().values()) {
            if (!Files.exists(Path.of(dir, "sub"))) {
                fs.mkdir(Path.of(dir, "sub"));
            }
        }
        m.addProcess(42, "sub");
        assertEquals(10, fs.writesTo("c1/sub/cgroup.procs").size());
        // cleaned as if rooted: stays below the container's cgroup (and fails there, no such sub-cgroup)
        CgroupException e = assertThrows(CgroupException.class, () -> m.addProcess(43, "../../../etc"));
        assertTrue(e.getMessage().contains("/jr/c1/etc/cgroup.procs: no such file or directory"), e.getMessage());
    }

    @Test
    void createRefusesAPopulatedOrFrozenCgroup() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        FsManager m = manager(Hosts.hybrid(fs), "c1", "/jr/c1");
        m.create();
        fs.set(tmp.resolve("sys/fs/cgroup/devices/jr/c1/cgroup.procs"), "5\n6\n");
        CgroupException e = assertThrows(CgroupException.class, m::create);
        assertEquals("container's cgroup is not empty: 2 process(es) found", e.getMessage());
        fs.set(tmp.resolve("sys/fs/cgroup/devices/jr/c1/cgroup.procs"), "");
        fs.set(tmp.resolve("sys/fs/cgroup/freezer/jr/c1/freezer.state"), "FROZEN");
        e = assertThrows(CgroupException.class, m::create);
        assertEquals("container's cgroup unexpectedly frozen", e.getMessage());
        assertTrue(m.exists()); // a refused create does not remove what was there
    }
}
