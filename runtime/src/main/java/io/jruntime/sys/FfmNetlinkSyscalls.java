package io.jruntime.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** {@link NetlinkSyscalls} on the JDK's FFM API, as {@link FfmCgroupSyscalls}: linked on first use, errno captured. */
final class FfmNetlinkSyscalls implements NetlinkSyscalls {
    static final FfmNetlinkSyscalls INSTANCE = new FfmNetlinkSyscalls();

    private static final int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 02000000, NETLINK_ROUTE = 0;

    private FfmNetlinkSyscalls() {}

    private static final class H {
        static final Linker LINKER = Linker.nativeLinker();
        static final SymbolLookup LIBC = LINKER.defaultLookup();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

        static final MethodHandle SOCKET = call("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle SEND = call("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        static final MethodHandle RECV = call("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        static final MethodHandle SETNS = call("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle OPEN = LINKER.downcallHandle(LIBC.find("open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));

        static MethodHandle call(String name, FunctionDescriptor fd) {
            return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, CAPTURE_ERRNO);
        }

        static int errno(MemorySegment state) {
            return (int) ERRNO.get(state, 0L);
        }
    }

    private static RuntimeException unexpected(String call, Throwable t) {
        return new IllegalStateException(call, t);
    }

    @Override
    public int routeSocket() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            int fd = (int) H.SOCKET.invokeExact(state, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
            if (fd < 0) {
                throw new ErrnoException("socket AF_NETLINK", H.errno(state));
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("socket", t);
        }
    }

    @Override
    public void send(int fd, byte[] message) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            MemorySegment buf = arena.allocate(message.length);
            MemorySegment.copy(message, 0, buf, JAVA_BYTE, 0, message.length);
            long n;
            do {
                n = (long) H.SEND.invokeExact(state, fd, buf, (long) message.length, 0);
            } while (n < 0 && H.errno(state) == Errno.EINTR);
            if (n < 0) {
                throw new ErrnoException("send netlink", H.errno(state));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("send", t);
        }
    }

    @Override
    public byte[] recv(int fd, int max) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            MemorySegment buf = arena.allocate(max);
            long n;
            do {
                n = (long) H.RECV.invokeExact(state, fd, buf, (long) max, 0);
            } while (n < 0 && H.errno(state) == Errno.EINTR);
            if (n < 0) {
                throw new ErrnoException("recv netlink", H.errno(state));
            }
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("recv", t);
        }
    }

    @Override
    public void setns(int fd, int nstype) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            if ((int) H.SETNS.invokeExact(state, fd, nstype) != 0) {
                throw new ErrnoException("setns", H.errno(state));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("setns", t);
        }
    }

    @Override
    public int open(String path, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            int fd = (int) H.OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0);
            if (fd < 0) {
                throw new ErrnoException("open " + path, H.errno(state));
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("open", t);
        }
    }

    @Override
    public void close(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            if ((int) H.CLOSE.invokeExact(state, fd) != 0) {
                throw new ErrnoException("close", H.errno(state));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("close", t);
        }
    }
}
