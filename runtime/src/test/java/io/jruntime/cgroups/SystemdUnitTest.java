package io.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SystemdUnitTest {

    @Test
    void sliceColonPrefixColonNameIsAScopeInThatSlice() {
        SystemdUnit u = SystemdUnit.parse("abc", "system.slice:docker:1234");
        assertEquals(new SystemdUnit("system.slice", "docker-1234.scope"), u);
        assertFalse(u.isSlice());
        assertEquals("/system.slice/docker-1234.scope", u.cgroupPath());
    }

    @Test
    void noCgroupsPathIsTheDefaultScopeNamedAfterTheContainer() {
        assertEquals(new SystemdUnit("system.slice", "jruntime-c1.scope"), SystemdUnit.parse("c1", null));
        assertEquals(new SystemdUnit("system.slice", "jruntime-c1.scope"), SystemdUnit.parse("c1", ""));
    }

    @Test
    void anEmptySliceIsSystemSliceAndAnEmptyPrefixIsKeptAsRuncNamesIt() {
        assertEquals(new SystemdUnit("system.slice", "crio-x.scope"), SystemdUnit.parse("c", ":crio:x"));
        assertEquals(new SystemdUnit("system.slice", "-x.scope"), SystemdUnit.parse("c", "::x"));
    }

    @Test
    void nestedSlicesExpandByTheirDashes() {
        assertEquals("/test.slice/test-a.slice/test-a-b.slice", SystemdUnit.expandSlice("test-a-b.slice"));
        assertEquals("/", SystemdUnit.expandSlice("-.slice"));
        assertEquals("/machine.slice/machine-jrt.slice/jrt-n.scope", SystemdUnit.parse("c", "machine-jrt.slice:jrt:n").cgroupPath());
        assertEquals("/p-n.scope", SystemdUnit.parse("c", "-.slice:p:n").cgroupPath());
    }

    @Test
    void aNameEndingInSliceMakesTheUnitThatSlice() {
        SystemdUnit u = SystemdUnit.parse("c", "system.slice:ignored:kubepods-burstable.slice");
        assertTrue(u.isSlice());
        assertEquals("kubepods-burstable.slice", u.name());
        assertEquals("/kubepods.slice/kubepods-burstable.slice", u.cgroupPath());
    }

    @Test
    void badPathsAreRefusedInRuncsWords() {
        assertEquals("expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got \"a:b\" instead",
                assertThrows(CgroupException.class, () -> SystemdUnit.parse("c", "a:b")).getMessage());
        assertThrows(CgroupException.class, () -> SystemdUnit.parse("c", "/a/b"));
        assertThrows(CgroupException.class, () -> SystemdUnit.parse("c", "a:b:c:d"));
        assertEquals("invalid slice name: bad", assertThrows(CgroupException.class, () -> SystemdUnit.parse("c", "bad:p:n")).getMessage());
        for (String slice : new String[] {".slice", "a--b.slice", "-a.slice", "a-.slice", "a/b.slice"}) {
            assertThrows(CgroupException.class, () -> SystemdUnit.expandSlice(slice), slice);
        }
        assertThrows(CgroupException.class, () -> SystemdUnit.parse("c", "system.slice:p:"));
        assertThrows(CgroupException.class, () -> SystemdUnit.parse("c", "system.slice:p:a/b"));
    }
}
