package io.jruntime.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * {@link NetlinkSyscalls} on the JDK's FFM API, as {@link FfmCgroupSyscalls}: errno captured, through
 * {@link Libc}'s one downcall handle.
 */
final class FfmNetlinkSyscalls implements NetlinkSyscalls {
    static final FfmNetlinkSyscalls INSTANCE = new FfmNetlinkSyscalls();

    private static final int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 02000000, NETLINK_ROUTE = 0;

    private FfmNetlinkSyscalls() {}

    @Override
    public int routeSocket() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            return (int) Libc.check("socket AF_NETLINK",
                    (int) Libc.call("socket", state, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), state);
        }
    }

    @Override
    public void send(int fd, byte[] message) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            MemorySegment buf = arena.allocate(message.length);
            MemorySegment.copy(message, 0, buf, JAVA_BYTE, 0, message.length);
            long n;
            do {
                n = Libc.call("send", state, fd, buf.address(), message.length, 0);
            } while (n < 0 && Libc.errno(state) == Errno.EINTR);
            Libc.check("send netlink", n, state);
        }
    }

    @Override
    public byte[] recv(int fd, int max) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            MemorySegment buf = arena.allocate(max);
            long n;
            do {
                n = Libc.call("recv", state, fd, buf.address(), max, 0);
            } while (n < 0 && Libc.errno(state) == Errno.EINTR);
            Libc.check("recv netlink", n, state);
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        }
    }

    @Override
    public void setns(int fd, int nstype) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            Libc.check("setns", (int) Libc.call("setns", state, fd, nstype), state);
        }
    }

    @Override
    public int open(String path, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            int fd = (int) Libc.call("open", state, arena.allocateFrom(path).address(), flags, 0);
            if (fd < 0) {
                throw new ErrnoException("open " + path, Libc.errno(state));
            }
            return fd;
        }
    }

    @Override
    public void close(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            Libc.check("close", (int) Libc.call("close", state, fd), state);
        }
    }
}
