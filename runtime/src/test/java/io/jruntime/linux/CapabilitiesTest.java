package io.jruntime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import io.jruntime.spec.LinuxCapabilities;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    @Test
    void namesMapToKernelNumbers() {
        assertEquals(0, Capabilities.number("CAP_CHOWN"));
        assertEquals(21, Capabilities.number("CAP_SYS_ADMIN"));
        assertEquals(21, Capabilities.number("sys_admin"));
        assertEquals(40, Capabilities.number("CAP_CHECKPOINT_RESTORE"));
        assertEquals(-1, Capabilities.number("CAP_NOPE"));
    }

    @Test
    void setsBecomeMasksAndUnknownNamesWarnings() {
        LinuxCapabilities caps = new LinuxCapabilities(
                List.of("CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE", "CAP_NOPE"),
                List.of("CAP_KILL"), null, List.of("CAP_KILL", "CAP_CHECKPOINT_RESTORE"), List.of());
        Capabilities.Sets s = Capabilities.of(caps, 39); // a kernel that stops at CAP_BPF
        assertEquals((1L << 5) | (1L << 10) | (1L << 29), s.bounding());
        assertEquals(1L << 5, s.effective());
        assertEquals(0, s.inheritable());
        assertEquals(1L << 5, s.permitted());
        assertEquals(0, s.ambient());
        assertEquals(List.of("CAP_NOPE", "CAP_CHECKPOINT_RESTORE"), s.unknown());
    }
}
