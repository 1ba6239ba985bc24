package io.jruntime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WaitStatusTest {
    @Test
    void exitAndSignalAreDecodedLikeTheWMacros() {
        WaitStatus exited = WaitStatus.decode(10, 7 << 8);
        assertTrue(exited.exited());
        assertEquals(7, exited.code());
        assertEquals(7, exited.shellCode());
        WaitStatus killed = WaitStatus.decode(10, 9);
        assertTrue(killed.signaled());
        assertFalse(killed.exited());
        assertEquals(9, killed.code());
        assertEquals(137, killed.shellCode());
        WaitStatus core = WaitStatus.decode(10, 0x80 | 11);
        assertTrue(core.signaled());
        assertEquals(11, core.code());
    }

    @Test
    void fileStatSplitsDeviceNumbers() {
        FileStat st = new FileStat(FileStat.S_IFCHR | 0666, (1L << 8) | 3, 0, 0, 0);
        assertTrue(st.isCharDevice());
        assertEquals(1, st.major());
        assertEquals(3, st.minor());
    }
}
