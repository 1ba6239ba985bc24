package io.jruntime.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import io.jruntime.sys.Syscalls;
import org.junit.jupiter.api.Test;

class PlanTest {
    @Test
    void encodesOpsAsLengthPrefixedArguments() {
        byte[] b = new Plan().add(Op.SETHOSTNAME, "ab").add(Op.UNSHARE, 0x80L).add(Op.SETGROUPS, List.of(1, 2)).encode();
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        assertEquals(Op.SETHOSTNAME.code, in.getInt());
        assertEquals(1, in.getInt());
        assertEquals(3, in.getInt());
        byte[] s = new byte[3];
        in.get(s);
        assertArrayEquals(new byte[] {'a', 'b', 0}, s, "strings carry their NUL");
        assertEquals(Op.UNSHARE.code, in.getInt());
        assertEquals(1, in.getInt());
        assertEquals(8, in.getInt());
        assertEquals(0x80L, in.getLong());
        assertEquals(Op.SETGROUPS.code, in.getInt());
        assertEquals(2, in.getInt(), "a list is flattened into arguments");
        assertEquals(8, in.getInt());
        assertEquals(1L, in.getLong());
        assertEquals(8, in.getInt());
        assertEquals(2L, in.getLong());
        assertEquals(0, in.remaining());
    }

    @Test
    void nullIsTheEmptyStringWhichCReadsAsNull() {
        byte[] b = new Plan().add(Op.MOUNT_HOST, null, "/", null, 1L, null).encode();
        assertEquals(8 + 4 + 1 + 4 + 2 + 4 + 1 + 4 + 8 + 4 + 1, b.length);
    }

    @Test
    void opCodesMatchProtocolH() throws Exception {
        String h = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("src/main/c/protocol.h")));
        for (Op op : Op.values()) {
            assertEquals(true, h.contains("OP_" + op.name() + " = " + op.code + ","), "protocol.h defines OP_" + op.name() + " = " + op.code);
        }
        for (String m : List.of("PLAN = 1", "CONTINUE = 2", "PID = 3", "SYNC = 4", "READY = 5", "ERROR = 6", "SECCOMP_FD = 40")) {
            assertEquals(true, h.contains("MSG_" + m + ","), m);
        }
        assertEquals(Message.ERROR, 6);
    }

    @Test
    void protocolFramesMessagesOverASocket() throws Exception {
        Syscalls sys = Syscalls.native_();
        int[] pair = sys.socketpair();
        try {
            Protocol a = new Protocol(sys, pair[0]);
            a.send(new Message.Continue());
            byte[] frame = new byte[8];
            assertEquals(8, sys.read(pair[1], frame, 0, 8));
            ByteBuffer h = ByteBuffer.wrap(frame).order(ByteOrder.nativeOrder());
            assertEquals(Message.CONTINUE, h.getInt());
            assertEquals(0, h.getInt());
            // an ERROR the way the C stage writes it
            byte[] text = "mount proc to /proc".getBytes();
            ByteBuffer err = ByteBuffer.allocate(12 + text.length).order(ByteOrder.nativeOrder());
            err.putInt(Message.ERROR).putInt(4 + text.length).putInt(13).put(text);
            sys.writeFully(pair[1], err.array(), 0, err.capacity());
            Message m = a.receive();
            assertEquals(new Message.Error(13, "mount proc to /proc"), m);
            // the listener's fd number, as OP_SECCOMP_LISTENER writes it
            ByteBuffer fd = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putInt(Message.SECCOMP_FD).putInt(4).putInt(5);
            sys.writeFully(pair[1], fd.array(), 0, 12);
            assertEquals(new Message.SeccompFd(5), a.receive());
            assertEquals("mount proc to /proc: permission denied", ((Message.Error) m).describe());
            sys.close(pair[1]);
            pair[1] = -1;
            assertEquals(new Message.Eof(), a.receive());
        } finally {
            Arrays.stream(pair).filter(fd -> fd >= 0).forEach(fd -> {
                try {
                    sys.close(fd);
                } catch (Exception ignored) {
                    // test cleanup
                }
            });
        }
    }
}
