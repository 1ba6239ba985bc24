package io.jruntime.seccomp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A seccomp agent for tests, as a real one works: it listens on a unix socket, takes each connection's
 * container process state (JSON) and listener fd (SCM_RIGHTS), and answers the notifications of that fd.
 * It reads the path argument of a notified mkdir/mkdirat from the caller's memory (/proc/PID/mem) and
 * answers {@code /notify-enomedium} with ENOMEDIUM and {@code /notify-fake} with a success that created
 * nothing; any other call is let through (SECCOMP_USER_NOTIF_FLAG_CONTINUE). So a container's output shows
 * whether its syscalls really went through this agent.
 */
final class SeccompTestAgent implements AutoCloseable {
    /** One connection: the JSON as received, and how many fds came with it. */
    record Received(String json, int fds) {}

    static final int ENOMEDIUM = 123;
    private static final int MKDIR_X86_64 = 83, MKDIRAT_X86_64 = 258;
    // _IOWR('!', 0, struct seccomp_notif) and _IOWR('!', 1, struct seccomp_notif_resp) on x86_64 / aarch64.
    private static final long NOTIF_RECV = 0xc0502100L, NOTIF_SEND = 0xc0182101L;
    private static final int POLLIN = 1, POLLHUP = 0x10;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle IOCTL = handle("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    private final Syscalls sys = Syscalls.native_();
    private final int socket;
    private final String path;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<String> answered = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    SeccompTestAgent(String path) throws ErrnoException {
        this.path = path;
        socket = sys.listenUnix(path);
        Thread.ofPlatform().daemon().name("seccomp-agent-accept").start(this::acceptLoop);
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
    }

    /** The next connection's state, waiting at most {@code seconds} (a hang bound, not a timing assertion). */
    Received next(int seconds) throws InterruptedException {
        return received.poll(seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The paths of the mkdir calls this agent answered itself. */
    List<String> answered() {
        return List.copyOf(answered);
    }

    List<Throwable> errors() {
        return List.copyOf(errors);
    }

    private void acceptLoop() {
        while (!closed) {
            int conn;
            try {
                conn = sys.accept(socket);
            } catch (ErrnoException e) {
                if (!closed) {
                    errors.add(e);
                }
                return;
            }
            if (closed) { // close()'s own connection, made to wake this accept
                closeQuietly(conn);
                return;
            }
            try {
                int[] fd = {-1};
                String json = receive(conn, fd);
                received.add(new Received(json, fd[0] >= 0 ? 1 : 0));
                if (fd[0] >= 0) {
                    int listener = fd[0];
                    Thread.ofPlatform().daemon().name("seccomp-agent-" + listener).start(() -> answer(listener));
                }
            } catch (Throwable t) {
                errors.add(t);
            } finally {
                closeQuietly(conn);
            }
        }
    }

    private void closeQuietly(int fd) {
        try {
            sys.close(fd);
        } catch (ErrnoException ignored) {
            // closed by the peer
        }
    }

    private static String receive(int conn, int[] fd) throws Throwable {
        return io.jruntime.testing.UnixMessages.receive(conn, fd);
    }

    private void answer(int listener) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(8, 4);
            MemorySegment req = arena.allocate(80, 8);
            MemorySegment resp = arena.allocate(24, 8);
            while (!closed) {
                pfd.set(JAVA_INT, 0, listener);
                pfd.set(JAVA_SHORT, 4, (short) POLLIN);
                pfd.set(JAVA_SHORT, 6, (short) 0);
                int n = (int) POLL.invokeExact(pfd, 1L, 200);
                short revents = pfd.get(JAVA_SHORT, 6);
                if (n <= 0) {
                    continue;
                }
                if ((revents & POLLIN) == 0 && (revents & POLLHUP) != 0) {
                    return; // every process under the filter is gone
                }
                req.fill((byte) 0);
                if ((int) IOCTL.invokeExact(listener, NOTIF_RECV, req) != 0) {
                    continue; // the caller died meanwhile (ENOENT)
                }
                long id = req.get(JAVA_LONG, 0);
                int pid = req.get(JAVA_INT, 8);
                int nr = req.get(JAVA_INT, 16);
                long pathArg = nr == MKDIRAT_X86_64 ? req.get(JAVA_LONG, 32 + 8) : req.get(JAVA_LONG, 32);
                String path = nr == MKDIR_X86_64 || nr == MKDIRAT_X86_64 ? readString(pid, pathArg) : "";
                resp.fill((byte) 0);
                resp.set(JAVA_LONG, 0, id);
                switch (path) {
                    case "/notify-enomedium" -> resp.set(JAVA_INT, 16, -ENOMEDIUM);
                    case "/notify-fake" -> resp.set(JAVA_LONG, 8, 0L); // success, nothing created
                    default -> resp.set(JAVA_INT, 20, 1); // SECCOMP_USER_NOTIF_FLAG_CONTINUE
                }
                if (path.equals("/notify-enomedium") || path.equals("/notify-fake")) {
                    answered.add(path);
                }
                int rc = (int) IOCTL.invokeExact(listener, NOTIF_SEND, resp);
                if (rc != 0) {
                    continue; // the caller was killed while we decided
                }
            }
        } catch (Throwable t) {
            errors.add(t);
        } finally {
            try {
                sys.close(listener);
            } catch (ErrnoException ignored) {
                // already closed
            }
        }
    }

    /** A NUL-terminated string at {@code address} in process {@code pid}. */
    private static String readString(int pid, long address) {
        try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "r")) {
            mem.seek(address);
            byte[] b = new byte[256];
            int n = mem.read(b);
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
        try {
            sys.close(sys.connectUnix(path)); // wakes the accept loop, which sees closed and ends
        } catch (ErrnoException ignored) {
            // the loop already ended
        }
        closeQuietly(socket);
    }
}
