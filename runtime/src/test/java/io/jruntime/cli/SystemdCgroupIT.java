package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * --systemd-cgroup where systemd is not PID 1 (this machine): refused as runc refuses it, before anything is
 * made. The driver itself runs where systemd does: conformance/lsm's systemd VM (lsm-vm.sh systemd).
 */
class SystemdCgroupIT extends io.jruntime.testing.LauncherTestBase {

    @Test
    void withoutSystemdTheDriverIsRefusedInRuncsWordsAndNothingIsLeft() throws Exception {
        Assumptions.assumeFalse(Files.isDirectory(Path.of("/run/systemd/system")),
                "systemd is PID 1 here: the driver is checked in the systemd VM instead");
        for (String cgroupsPath : new String[] {null, "system.slice:jrt:x"}) {
            Path b = bundle("true");
            if (cgroupsPath != null) {
                var c = config(b);
                ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("linux")).put("cgroupsPath", cgroupsPath);
                write(b, c);
            }
            String id = newId();
            Result r = jr("--systemd-cgroup", "create", "--bundle", b.toString(), id);
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("systemd not running on this host, cannot use systemd cgroups manager"), r.err());
            assertEquals(1, jr("state", id).code(), "no state is left");
            try (Stream<Path> dirs = Files.walk(Path.of("/sys/fs/cgroup"), 3)) {
                assertEquals(0, dirs.filter(p -> p.getFileName().toString().contains(id)).count(), "no cgroup is left");
            }
        }
    }
}
