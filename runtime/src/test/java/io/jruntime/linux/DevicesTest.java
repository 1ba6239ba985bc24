package io.jruntime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.LinuxDevice;
import org.junit.jupiter.api.Test;

class DevicesTest {
    @Test
    void defaultsAreTheSpecsSix() {
        List<Devices.Device> d = Devices.of(null);
        assertEquals(List.of("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"),
                d.stream().map(Devices.Device::path).toList());
        assertEquals(new Devices.Device("/dev/null", Devices.S_IFCHR | 0666, 1, 3, 0, 0), d.get(0));
        assertEquals(new Devices.Device("/dev/tty", Devices.S_IFCHR | 0666, 5, 0, 0, 0), d.get(5));
    }

    @Test
    void configuredDevicesAddAndOverride() {
        List<Devices.Device> d = Devices.of(List.of(
                new LinuxDevice("/dev/fuse", "c", 10L, 229L, 438L, 0L, 0L),
                new LinuxDevice("/dev/sda", "b", 8L, 0L, 432L, 5L, 6L),
                new LinuxDevice("/dev/null", "c", 1L, 3L, 384L, null, null),
                new LinuxDevice("/run/pipe", "p", null, null, null, null, null)));
        assertEquals(9, d.size());
        assertEquals(Devices.S_IFCHR | 0600, d.get(0).mode(), "fileMode 384 is 0600 and wins over the default");
        assertEquals(new Devices.Device("/dev/fuse", Devices.S_IFCHR | 0666, 10, 229, 0, 0), d.get(6));
        assertEquals(new Devices.Device("/dev/sda", Devices.S_IFBLK | 0660, 8, 0, 5, 6), d.get(7));
        assertEquals(new Devices.Device("/run/pipe", Devices.S_IFIFO | 0666, 0, 0, 0, 0), d.get(8));
    }

    @Test
    void badDevicesAreConfigErrors() {
        assertThrows(JRuntimeException.class, () -> Devices.of(List.of(new LinuxDevice("/dev/x", "q", 1L, 1L, null, null, null))));
        assertThrows(JRuntimeException.class, () -> Devices.of(List.of(new LinuxDevice("/dev/x", "c", null, 1L, null, null, null))));
    }
}
