package io.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupHostTest {
    @TempDir
    Path tmp;

    @Test
    void hybridHostHasEveryV1MountAndTheUnifiedOne() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        CgroupHost host = Hosts.hybrid(fs);
        assertEquals(CgroupHost.Mode.HYBRID, host.mode());
        assertEquals(9, host.v1Hierarchies().size());
        assertEquals(tmp.resolve("sys/fs/cgroup/unified"), host.unifiedMount());
        assertEquals(Set.of("hugetlb"), host.unifiedControllers());
        assertEquals(tmp.resolve("sys/fs/cgroup/memory"), host.v1("memory").orElseThrow().mountPoint());
        assertTrue(host.v1("name=systemd").isPresent());
        assertTrue(host.v1("hugetlb").isEmpty());
    }

    @Test
    void pureV2AndLegacy() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        CgroupHost v2 = Hosts.unified(fs);
        assertEquals(CgroupHost.Mode.UNIFIED, v2.mode());
        assertTrue(v2.v1Hierarchies().isEmpty());
        CgroupHost v1 = Hosts.legacy(new FakeCgroupFs(tmp.resolve("l")));
        assertEquals(CgroupHost.Mode.LEGACY, v1.mode());
        assertEquals("cpu,cpuacct", v1.v1("cpuacct").orElseThrow().key());
        assertNull(v1.unifiedMount());
    }

    @Test
    void mountsWithoutTheRightMagicAreIgnored() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        Path real = fs.mount("sys/fs/cgroup", true, Hosts.V2_FILES);
        String mi = "30 23 0:26 / /nonexistent/cgroup rw - cgroup2 cgroup2 rw\n"
                + "31 23 0:27 / " + real + " rw - cgroup2 cgroup2 rw\n"
                + "32 23 0:28 / /also/missing rw - cgroup cgroup rw,memory\n";
        CgroupHost h = CgroupHost.parse(mi, "0::/\n", fs);
        assertEquals(CgroupHost.Mode.UNIFIED, h.mode());
        assertEquals(real, h.unifiedMount());
        CgroupException e = assertThrows(CgroupException.class, () -> CgroupHost.parse("", "", fs));
        assertTrue(e.getMessage().contains("no cgroup filesystem"), e.getMessage());
    }

    @Test
    void cleanPathIsRuncs() {
        assertEquals("", CgroupHost.cleanPath(""));
        assertEquals("/a/b", CgroupHost.cleanPath("/a//b/./"));
        assertEquals("/b", CgroupHost.cleanPath("/a/../../b"));
        assertEquals("b", CgroupHost.cleanPath("a/../../b"));
        assertEquals("x/y", CgroupHost.cleanPath("./x/y"));
        assertEquals("/", CgroupHost.cleanPath("/.."));
        assertEquals("c1", CgroupHost.innerPath("c1", null));
        assertEquals("c1", CgroupHost.innerPath("c1", ""));
        assertEquals("/default/c1", CgroupHost.innerPath("c1", "/default/c1"));
    }

    @Test
    void absolutePathsHangUnderEachMountPoint() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        CgroupHost h = Hosts.hybrid(fs);
        assertEquals(tmp.resolve("sys/fs/cgroup/memory/jr/x"), h.v1Dir(h.v1("memory").orElseThrow(), "/jr/x"));
        assertEquals(tmp.resolve("sys/fs/cgroup/unified/jr/x"), h.unifiedDir("/jr/x"));
    }

    @Test
    void relativePathsHangUnderTheRuntimesOwnCgroup() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        CgroupHost h = Hosts.hybrid(fs);
        // v1: below the own cgroup of that hierarchy (memory is /process_api/abc here)
        assertEquals(tmp.resolve("sys/fs/cgroup/memory/process_api/abc/c1"), h.v1Dir(h.v1("memory").orElseThrow(), "c1"));
        assertEquals(tmp.resolve("sys/fs/cgroup/pids/c1"), h.v1Dir(h.v1("pids").orElseThrow(), "c1"));
        assertEquals(tmp.resolve("sys/fs/cgroup/unified/c1"), h.unifiedDir("c1"));
        // pure v2: below the parent of the own cgroup
        CgroupHost v2 = Hosts.unified(new FakeCgroupFs(tmp.resolve("v2")));
        assertEquals(tmp.resolve("v2/sys/fs/cgroup/user.slice/c1"), v2.unifiedDir("c1"));
    }

    @Test
    void bindMountedHierarchyRootsAreTakenOff() {
        FakeCgroupFs fs = new FakeCgroupFs(tmp);
        CgroupHost h = Hosts.legacy(fs);
        // devices is mounted at "/" but the runtime sits in /docker/x: relative path joins there
        assertEquals(tmp.resolve("sys/fs/cgroup/devices/docker/x/c1"), h.v1Dir(h.v1("devices").orElseThrow(), "c1"));
        CgroupHost.V1Hierarchy bound = new CgroupHost.V1Hierarchy(Path.of("/sys/fs/cgroup/memory"), "/docker/x", Set.of("memory"));
        assertEquals("/c1", CgroupHost.relativeTo("/docker/x", "/docker/x/c1"));
        assertEquals(Path.of("/sys/fs/cgroup/memory/a"), h.v1Dir(bound, "/a"));
    }

    @Test
    void mountinfoEscapesAreDecoded() {
        assertEquals("/a b\\c", CgroupHost.unescape("/a\\040b\\134c"));
        assertEquals("/plain", CgroupHost.unescape("/plain"));
    }
}
