package io.jruntime.linux;

import static io.jruntime.linux.MountOptions.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class MountOptionsTest {
    @Test
    void flagsSetAndClearInOrder() {
        MountOptions o = MountOptions.parse(List.of("nosuid", "noexec", "nodev", "ro"));
        assertEquals(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY, o.flags());
        assertNull(o.data());
        assertEquals(0, MountOptions.parse(List.of("ro", "rw")).flags());
        assertEquals(MS_RDONLY, MountOptions.parse(List.of("rw", "ro")).flags());
        assertEquals(MS_NOSUID, MountOptions.parse(List.of("nosuid", "suid", "nosuid")).flags());
        assertEquals(0, MountOptions.parse(List.of("defaults")).flags());
        assertEquals(MS_STRICTATIME | MS_NOSYMFOLLOW, MountOptions.parse(List.of("strictatime", "nosymfollow")).flags());
    }

    @Test
    void unknownOptionsBecomeTheDataString() {
        MountOptions o = MountOptions.parse(List.of("nosuid", "mode=755", "size=65536k", "newinstance"));
        assertEquals(MS_NOSUID, o.flags());
        assertEquals("mode=755,size=65536k,newinstance", o.data());
    }

    @Test
    void bindAndPropagation() {
        MountOptions o = MountOptions.parse(List.of("rbind", "ro", "rprivate", "nosuid"));
        assertTrue(o.bind());
        assertEquals(MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID, o.flags());
        assertEquals(MS_PRIVATE | MS_REC, o.propagation());
        assertEquals(MS_RDONLY | MS_NOSUID, o.bindRemountFlags(), "a bind needs a remount for ro and nosuid");
        assertEquals(0, MountOptions.parse(List.of("bind")).bindRemountFlags());
        assertEquals(0, MountOptions.parse(List.of("ro")).bindRemountFlags(), "not a bind: ro goes in the mount itself");
        assertEquals(MS_SHARED, MountOptions.parse(List.of("shared")).propagation());
        assertEquals(MS_SLAVE | MS_REC, MountOptions.parse(List.of("rslave")).propagation());
        assertEquals(MS_UNBINDABLE | MS_REC, MountOptions.parse(List.of("runbindable")).propagation());
    }

    @Test
    void recursiveOptionsAreMountSetattrAttributes() {
        MountOptions o = MountOptions.parse(List.of("rbind", "rro", "rnosuid", "rnoexec"));
        assertEquals(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, o.attrSet());
        assertEquals(0, o.attrClear());
        MountOptions rw = MountOptions.parse(List.of("rro", "rrw"));
        assertEquals(0, rw.attrSet());
        assertEquals(MOUNT_ATTR_RDONLY, rw.attrClear());
        MountOptions atime = MountOptions.parse(List.of("rnoatime"));
        assertEquals(MOUNT_ATTR_NOATIME, atime.attrSet());
        assertEquals(MOUNT_ATTR__ATIME, atime.attrClear(), "the atime field is cleared before it is set");
        assertNull(o.data());
    }

    @Test
    void idmapAndTmpcopyupAreRecognisedNotPassedToTheKernel() {
        MountOptions o = MountOptions.parse(List.of("ridmap", "tmpcopyup"));
        assertTrue(o.idmap());
        assertTrue(o.recursiveIdmap());
        assertTrue(o.tmpcopyup());
        assertNull(o.data());
        assertFalse(MountOptions.parse(null).idmap());
    }
}
