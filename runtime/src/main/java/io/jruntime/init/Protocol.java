package io.jruntime.init;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;

/**
 * Framing of {@link Message}s on the sync socket: {@code u32 type | u32 length | payload}, native
 * byte order. The handshake and every message are documented in
 * <a href="../../../../../c/PROTOCOL.md">runtime/src/main/c/PROTOCOL.md</a>.
 */
public final class Protocol {
    private final Syscalls sys;
    private final int fd;

    public Protocol(Syscalls sys, int fd) {
        this.sys = sys;
        this.fd = fd;
    }

    public void send(Message m) throws ErrnoException {
        byte[] payload = switch (m) {
            case Message.PlanMessage p -> p.ops();
            case Message.Continue c -> new byte[0];
            default -> throw new IllegalArgumentException("Java does not send " + m);
        };
        int type = switch (m) {
            case Message.PlanMessage p -> Message.PLAN;
            default -> Message.CONTINUE;
        };
        byte[] frame = new byte[8 + payload.length];
        System.arraycopy(Plan.ints(type, payload.length), 0, frame, 0, 8);
        System.arraycopy(payload, 0, frame, 8, payload.length);
        sys.writeFully(fd, frame, 0, frame.length);
    }

    /** The next message from the stage or the init; {@link Message.Eof} when the socket closed. */
    public Message receive() throws ErrnoException {
        byte[] hdr = new byte[8];
        if (!readFully(hdr)) {
            return new Message.Eof();
        }
        ByteBuffer h = ByteBuffer.wrap(hdr).order(ByteOrder.nativeOrder());
        int type = h.getInt(), len = h.getInt();
        byte[] payload = new byte[len];
        if (!readFully(payload)) {
            return new Message.Eof();
        }
        ByteBuffer p = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
        return switch (type) {
            case Message.PID -> new Message.Pid(p.getInt());
            case Message.SYNC -> new Message.Sync(p.getInt());
            case Message.READY -> new Message.Ready();
            case Message.SECCOMP_FD -> new Message.SeccompFd(p.getInt());
            case Message.ERROR -> new Message.Error(p.getInt(), new String(payload, 4, len - 4, StandardCharsets.UTF_8));
            default -> new Message.Error(0, "protocol: unknown message " + type + " from the native stage");
        };
    }

    private boolean readFully(byte[] buf) throws ErrnoException {
        int off = 0;
        while (off < buf.length) {
            int n = sys.read(fd, buf, off, buf.length - off);
            if (n == 0) {
                return false;
            }
            off += n;
        }
        return true;
    }
}
