package io.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.sys.CgroupSyscalls;
import io.jruntime.sys.ErrnoException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd driver's order of work, with systemd recorded and cgroupfs faked (the real one: the systemd VM). */
class SystemdManagerTest {
    @TempDir
    Path tmp;

    /** Records the calls; the unit's cgroup appears with the pid in it, as systemd makes it. */
    static final class RecordingSystemd implements Systemd {
        final List<String> calls = new ArrayList<>();
        final List<Property> started = new ArrayList<>();
        final FakeCgroupFs fs;
        final Path unitDir;
        RuntimeException stopFailure;

        RecordingSystemd(FakeCgroupFs fs, Path unitDir) {
            this.fs = fs;
            this.unitDir = unitDir;
        }

        @Override
        public void startTransientUnit(String unit, List<Property> properties) {
            calls.add("start " + unit);
            started.addAll(properties);
            try {
                fs.mkdir(unitDir.getParent());
            } catch (ErrnoException ignored) {
                // the slice exists already
            }
            try {
                fs.mkdir(unitDir);
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void stopUnit(String unit) {
            calls.add("stop " + unit);
            if (stopFailure != null) {
                throw stopFailure;
            }
        }

        @Override
        public void resetFailedUnit(String unit) {
            calls.add("reset-failed " + unit);
        }

        @Override
        public void setUnitProperties(String unit, List<Property> properties) {
            calls.add("set " + unit + " " + properties.stream().map(Property::name).toList());
        }

        @Override
        public int version() {
            return 252;
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    final List<String> kills = new ArrayList<>();

    SystemdManager manager(FakeCgroupFs fs, CgroupHost host, SystemdUnit unit, boolean started, Systemd systemd) {
        FsManager m = new FsManager(host, unit.cgroupPath(), CgroupSyscalls.native_(), (pid, sig) -> kills.add(pid + ":" + sig));
        return new SystemdManager(m, unit, unit.name(), started, () -> systemd);
    }

    @Test
    void theUnitIsMadeWithTheInitAndItsResourcesThenTheFilesAreWritten() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        CgroupHost host = Hosts.unified(fs);
        SystemdUnit unit = SystemdUnit.parse("c1", "system.slice:jrt:c1");
        Path dir = tmp.resolve("sys/fs/cgroup/system.slice/jrt-c1.scope");
        RecordingSystemd systemd = new RecordingSystemd(fs, dir);
        SystemdManager m = manager(fs, host, unit, false, systemd);
        assertEquals("jrt-c1.scope", m.systemdUnit());
        assertEquals(dir.toString(), m.paths().get(""));

        m.create();
        m.apply(new Resources(null, Resources.Memory.limit(1 << 20), null, new Resources.Pids(20L), null, null, null, null, null));
        assertTrue(systemd.calls.isEmpty(), "nothing is made before the init exists");
        assertFalse(fs.exists(dir));

        m.addProcess(4242);
        assertEquals(List.of("start jrt-c1.scope", "close"), systemd.calls);
        assertTrue(systemd.started.contains(new Systemd.Property("PIDs", "au", List.of(4242))));
        assertTrue(systemd.started.contains(new Systemd.Property("MemoryMax", "t", 1L << 20)));
        assertEquals(List.of("1048576"), fs.writesTo("system.slice/jrt-c1.scope/memory.max"));
        assertEquals(List.of("20"), fs.writesTo("system.slice/jrt-c1.scope/pids.max"));
        assertEquals(List.of("4242"), fs.writesTo("system.slice/jrt-c1.scope/cgroup.procs"));

        // An exec'd process joins the directories; systemd is not asked again.
        m.addProcess(4343);
        assertEquals(2, systemd.calls.size());
    }

    @Test
    void anUpdateGoesToSystemdAndToTheFiles() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        CgroupHost host = Hosts.unified(fs);
        SystemdUnit unit = SystemdUnit.parse("c1", "system.slice:jrt:c1");
        Path dir = tmp.resolve("sys/fs/cgroup/system.slice/jrt-c1.scope");
        RecordingSystemd systemd = new RecordingSystemd(fs, dir);
        systemd.startTransientUnit("jrt-c1.scope", List.of());
        systemd.calls.clear();
        SystemdManager m = manager(fs, host, unit, true, systemd);
        m.update(new io.jruntime.spec.LinuxResources(null, new io.jruntime.spec.LinuxMemory(2L << 20, null, null, null, null, null,
                null, null, null), null, null, null, null, null, null, null));
        assertEquals(List.of("set jrt-c1.scope [MemoryMax]"), systemd.calls);
        assertEquals(List.of("2097152"), fs.writesTo("system.slice/jrt-c1.scope/memory.max"));
    }

    @Test
    void destroyStopsTheUnitAndRemovesWhatIsLeftEvenWhenStoppingFails() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        CgroupHost host = Hosts.hybrid(fs);
        SystemdUnit unit = SystemdUnit.parse("c1", "system.slice:jrt:c1");
        Path dir = tmp.resolve("sys/fs/cgroup/systemd/system.slice/jrt-c1.scope");
        RecordingSystemd systemd = new RecordingSystemd(fs, dir);
        SystemdManager m = manager(fs, host, unit, false, systemd);
        m.create();
        m.apply(Resources.EMPTY);
        m.addProcess(4242);
        // Made here: the v1 hierarchies systemd does not realise the unit in.
        assertTrue(fs.exists(tmp.resolve("sys/fs/cgroup/devices/system.slice/jrt-c1.scope")));
        assertTrue(fs.exists(tmp.resolve("sys/fs/cgroup/unified/system.slice/jrt-c1.scope")));

        for (String d : m.paths().values()) {
            fs.set(Path.of(d, "cgroup.procs"), ""); // the processes were killed before (Container.destroy)
        }
        systemd.stopFailure = new CgroupException("Timed out while waiting for systemd to remove jrt-c1.scope");
        CgroupException e = assertThrows(CgroupException.class, m::destroy);
        assertEquals("Timed out while waiting for systemd to remove jrt-c1.scope", e.getMessage());
        assertEquals(List.of("start jrt-c1.scope", "close", "stop jrt-c1.scope", "reset-failed jrt-c1.scope", "close"), systemd.calls,
                "no connection is kept open between starting and stopping");
        assertFalse(fs.exists(tmp.resolve("sys/fs/cgroup/devices/system.slice/jrt-c1.scope")));
        assertFalse(fs.exists(dir));
        assertTrue(fs.exists(tmp.resolve("sys/fs/cgroup/devices/system.slice")), "the slice is systemd's");
    }

    @Test
    void aCgroupInUseIsNotShared() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        CgroupHost host = Hosts.unified(fs);
        SystemdUnit unit = SystemdUnit.parse("c1", "system.slice:jrt:c1");
        Path dir = tmp.resolve("sys/fs/cgroup/system.slice/jrt-c1.scope");
        RecordingSystemd systemd = new RecordingSystemd(fs, dir);
        systemd.startTransientUnit("jrt-c1.scope", List.of());
        fs.set(dir.resolve("cgroup.procs"), "77\n");
        systemd.calls.clear();
        SystemdManager m = manager(fs, host, unit, false, systemd);
        assertEquals("container's cgroup is not empty: 1 process(es) found",
                assertThrows(CgroupException.class, m::create).getMessage());
        assertTrue(systemd.calls.isEmpty());
    }
}
