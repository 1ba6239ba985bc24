package io.jruntime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatTest {
    @Test
    void commandNamesWithSpacesAndParensDoNotShiftFields() {
        String line = "4242 (we ird) (name) Z 1 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 0 0";
        ProcStat s = ProcStat.parse(line);
        assertEquals('Z', s.state());
        assertEquals(987654L, s.startTime());
        assertTrue(s.isDead());
    }

    @Test
    void ownProcessIsAliveOnlyWithItsOwnStartTime() {
        int pid = (int) ProcessHandle.current().pid();
        ProcStat self = ProcStat.read(pid);
        assertNotNull(self);
        assertTrue(ProcStat.isAlive(pid, self.startTime()));
        assertFalse(ProcStat.isAlive(pid, self.startTime() + 1), "a reused pid must not pass for the init");
    }

    @Test
    void missingProcessIsNull() {
        assertNull(ProcStat.read(0));
        assertNull(ProcStat.read(Integer.MAX_VALUE));
    }
}
