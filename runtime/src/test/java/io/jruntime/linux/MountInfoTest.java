package io.jruntime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class MountInfoTest {
    static final String TEXT = """
            27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
            90 27 0:50 / /var/lib/with\\040space rw master:3 - tmpfs tmpfs rw
            """;

    @Test
    void parsesFieldsAroundTheSeparator() {
        List<MountInfo> m = MountInfo.parse(TEXT);
        assertEquals(4, m.size());
        assertTrue(m.get(0).shared());
        assertFalse(m.get(3).shared());
        assertEquals("/var/lib/with space", m.get(3).mountPoint());
        assertEquals("cgroup", m.get(2).fsType());
        assertEquals("rw,cpu,cpuacct", m.get(2).superOptions());
    }

    @Test
    void containingPicksTheLongestMountPoint() {
        List<MountInfo> m = MountInfo.parse(TEXT);
        assertEquals("/", MountInfo.containing(m, "/tmp/x").mountPoint());
        assertEquals("/var/lib/with space", MountInfo.containing(m, "/var/lib/with space/rootfs").mountPoint());
        assertEquals("/sys/fs/cgroup", MountInfo.containing(m, "/sys/fs/cgroup").mountPoint());
    }
}
