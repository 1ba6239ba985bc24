package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jruntime.JRuntimeException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandHelpersTest {
    @Test
    void psKeepsHeaderAndContainerLines() {
        String ps = "UID          PID    PPID  C STIME TTY          TIME CMD\n"
                + "root           1       0  0 01:23 ?        00:00:01 /sbin/init\n"
                + "root        4242       1  0 01:24 ?        00:00:00 sleep 100\n";
        assertEquals("UID          PID    PPID  C STIME TTY          TIME CMD\n"
                + "root        4242       1  0 01:24 ?        00:00:00 sleep 100\n", PsCommand.filter(ps, Set.of(4242)));
        assertThrows(JRuntimeException.class, () -> PsCommand.filter("USER CMD\nroot x\n", Set.of(1)));
    }

    @Test
    void memorySizesAsRuncTakesThem() {
        assertEquals(512L << 20, UpdateCommand.bytes("memory", "512m"));
        assertEquals(1L << 30, UpdateCommand.bytes("memory", "1G"));
        assertEquals(1536L << 10, UpdateCommand.bytes("memory", "1.5MiB"));
        assertEquals(4096, UpdateCommand.bytes("memory", "4096"));
        assertEquals(-1, UpdateCommand.bytes("memory-swap", "-1"));
        assertThrows(JRuntimeException.class, () -> UpdateCommand.bytes("memory", "lots"));
    }

    @Test
    void goDurations() {
        assertEquals(5000, EventsCommand.duration("5s"));
        assertEquals(250, EventsCommand.duration("250ms"));
        assertEquals(90_000, EventsCommand.duration("1m30s"));
        assertThrows(JRuntimeException.class, () -> EventsCommand.duration("5"));
        assertThrows(JRuntimeException.class, () -> EventsCommand.duration("0s"));
    }
}
