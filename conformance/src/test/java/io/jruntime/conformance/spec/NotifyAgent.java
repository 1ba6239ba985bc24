package io.jruntime.conformance.spec;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A seccomp agent (config-linux.md "Seccomp", listenerPath) for the suite, on any runtime: it listens on
 * a unix stream socket, reads each connection to its end (recvmsg, so SCM_RIGHTS fds are seen), and answers
 * the notifications of the fd it got: a mkdir or mkdirat of {@link #ANSWERED_PATH} fails with
 * {@link #ANSWER_ERRNO}, anything else runs (SECCOMP_USER_NOTIF_FLAG_CONTINUE). x86_64 numbers.
 */
final class NotifyAgent implements AutoCloseable {
    static final String ANSWERED_PATH = "/tmp/notify-agent-answers";
    static final int ANSWER_ERRNO = 123; // ENOMEDIUM: no runtime or filesystem would answer a mkdir with it

    /**
     * One connection: the bytes received, the fds that came with SCM_RIGHTS (and in how many recvmsg
     * calls), the target of the first fd's /proc/self/fd link, and whether the runtime closed it.
     */
    record Connection(String payload, int fds, int messagesWithFds, String fdLink, boolean closedByRuntime) {}

    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 02000000;
    private static final int MKDIR = 83, MKDIRAT = 258;
    private static final long NOTIF_RECV = 0xc0502100L, NOTIF_SEND = 0xc0182101L;
    private static final int POLLIN = 1, POLLHUP = 0x10;
    private static final Linker L = Linker.nativeLinker();
    private static final MethodHandle SOCKET = h("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = h("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = h("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = h("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT = h("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = h("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle RECVMSG = h("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL = h("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle IOCTL = h("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));

    private final String path;
    private final int socket;
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    private final CopyOnWriteArrayList<Throwable> errors = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private static MethodHandle h(String name, FunctionDescriptor fd) {
        return L.downcallHandle(L.defaultLookup().find(name).orElseThrow(), fd);
    }

    /** A socket bound at {@code path}; listening (and answering) only when {@code listen}. */
    NotifyAgent(String path, boolean listen) throws Throwable {
        this.path = path;
        socket = (int) SOCKET.invokeExact(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        try (Arena a = Arena.ofConfined()) {
            if ((int) BIND.invokeExact(socket, address(a, path), 110) != 0 || (listen && (int) LISTEN.invokeExact(socket, 8) != 0)) {
                throw new IllegalStateException("cannot listen on " + path);
            }
        }
        if (listen) {
            Thread.ofPlatform().daemon().name("notify-agent").start(this::acceptLoop);
        }
    }

    private static MemorySegment address(Arena a, String path) {
        MemorySegment addr = a.allocate(110, 2);
        addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
        return addr;
    }

    /** The next connection, waiting at most {@code seconds}; null if none came. */
    Connection next(int seconds) throws InterruptedException {
        return connections.poll(seconds, TimeUnit.SECONDS);
    }

    java.util.List<Throwable> errors() {
        return java.util.List.copyOf(errors);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                int conn = (int) ACCEPT.invokeExact(socket, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
                if (conn < 0 || closed) {
                    if (conn >= 0) {
                        int ignored = (int) CLOSE.invokeExact(conn);
                    }
                    continue;
                }
                int[] fd = {-1};
                Connection c = receive(conn, fd);
                int ignored = (int) CLOSE.invokeExact(conn);
                connections.add(c);
                if (fd[0] >= 0) {
                    int listener = fd[0];
                    Thread.ofPlatform().daemon().name("notify-agent-answers").start(() -> answer(listener));
                }
            } catch (Throwable t) {
                errors.add(t);
            }
        }
    }

    /** Reads until the runtime closes the connection (or 20 s pass: then it did not close it). */
    private static Connection receive(int conn, int[] firstFd) throws Throwable {
        StringBuilder sb = new StringBuilder();
        int fds = 0, withFds = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment data = a.allocate(65536);
            MemorySegment iov = a.allocate(16, 8);
            MemorySegment control = a.allocate(256, 8);
            MemorySegment msg = a.allocate(56, 8);
            MemorySegment pfd = a.allocate(8, 4);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (;;) {
                pfd.set(JAVA_INT, 0, conn);
                pfd.set(JAVA_SHORT, 4, (short) POLLIN);
                int ready = (int) POLL.invokeExact(pfd, 1L, 200);
                if (ready <= 0) {
                    if (System.nanoTime() > deadline) {
                        return new Connection(sb.toString(), fds, withFds, link(firstFd[0]), false);
                    }
                    continue;
                }
                iov.set(ADDRESS, 0, data);
                iov.set(JAVA_LONG, 8, data.byteSize());
                msg.fill((byte) 0);
                msg.set(ADDRESS, 16, iov);
                msg.set(JAVA_LONG, 24, 1L);
                msg.set(ADDRESS, 32, control);
                msg.set(JAVA_LONG, 40, control.byteSize());
                long n = (long) RECVMSG.invokeExact(conn, msg, 0x40000000 /* MSG_CMSG_CLOEXEC */);
                if (n <= 0) {
                    return new Connection(sb.toString(), fds, withFds, link(firstFd[0]), n == 0);
                }
                long controllen = msg.get(JAVA_LONG, 40);
                if (controllen >= 20 && control.get(JAVA_INT, 8) == 1 /* SOL_SOCKET */ && control.get(JAVA_INT, 12) == 1 /* SCM_RIGHTS */) {
                    int count = (int) ((control.get(JAVA_LONG, 0) - 16) / 4);
                    withFds++;
                    for (int i = 0; i < count; i++) {
                        int fd = control.get(JAVA_INT, 16 + 4L * i);
                        if (firstFd[0] < 0) {
                            firstFd[0] = fd;
                        } else {
                            int ignored = (int) CLOSE.invokeExact(fd);
                        }
                        fds++;
                    }
                }
                sb.append(new String(data.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            }
        }
    }

    private static String link(int fd) {
        try {
            return fd < 0 ? null : Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private void answer(int listener) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pfd = a.allocate(8, 4);
            MemorySegment req = a.allocate(80, 8);
            MemorySegment resp = a.allocate(24, 8);
            while (!closed) {
                pfd.set(JAVA_INT, 0, listener);
                pfd.set(JAVA_SHORT, 4, (short) POLLIN);
                pfd.set(JAVA_SHORT, 6, (short) 0);
                if ((int) POLL.invokeExact(pfd, 1L, 200) <= 0) {
                    continue;
                }
                short revents = pfd.get(JAVA_SHORT, 6);
                if ((revents & POLLIN) == 0 && (revents & POLLHUP) != 0) {
                    break; // no process uses the filter any more
                }
                req.fill((byte) 0);
                if ((int) IOCTL.invokeExact(listener, NOTIF_RECV, req) != 0) {
                    continue;
                }
                int nr = req.get(JAVA_INT, 16);
                String target = nr == MKDIR ? read(req.get(JAVA_INT, 8), req.get(JAVA_LONG, 32))
                        : nr == MKDIRAT ? read(req.get(JAVA_INT, 8), req.get(JAVA_LONG, 40)) : "";
                resp.fill((byte) 0);
                resp.set(JAVA_LONG, 0, req.get(JAVA_LONG, 0));
                if (target.equals(ANSWERED_PATH)) {
                    resp.set(JAVA_INT, 16, -ANSWER_ERRNO);
                } else {
                    resp.set(JAVA_INT, 20, 1); // SECCOMP_USER_NOTIF_FLAG_CONTINUE
                }
                int ignored = (int) IOCTL.invokeExact(listener, NOTIF_SEND, resp);
            }
            int ignored = (int) CLOSE.invokeExact(listener);
        } catch (Throwable t) {
            errors.add(t);
        }
    }

    private static String read(int pid, long address) {
        try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "r")) {
            mem.seek(address);
            byte[] b = new byte[256];
            int n = Math.max(0, mem.read(b));
            int end = 0;
            while (end < n && b[end] != 0) {
                end++;
            }
            return new String(b, 0, end, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        closed = true;
        try (Arena a = Arena.ofConfined()) {
            // wake the accept loop with a connection of our own
            int s = (int) SOCKET.invokeExact(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            int ignored = (int) CONNECT.invokeExact(s, address(a, path), 110);
            ignored = (int) CLOSE.invokeExact(s);
            ignored = (int) CLOSE.invokeExact(socket);
        } catch (Throwable t) {
            errors.add(t);
        }
    }
}
