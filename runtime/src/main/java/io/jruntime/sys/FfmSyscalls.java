package io.jruntime.sys;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@link Syscalls} on the JDK's FFM API (java.lang.foreign): libc calls with errno captured, all through
 * {@link Libc}'s one downcall handle (why one: see there). Struct offsets are those of x86_64 / aarch64
 * glibc (the LP64 Linux ABI).
 */
final class FfmSyscalls implements Syscalls {
    private static final StructLayout CAPTURE = Libc.STATE;

    private static final int EINTR = Errno.EINTR;
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 02000000, O_CLOEXEC = 02000000;
    private static final int F_DUPFD_CLOEXEC = 1030, PR_SET_CHILD_SUBREAPER = 36;
    private static final int SOL_SOCKET = 1, SCM_RIGHTS = 1;
    private static final int POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;

    // Last of the static fields: static initializers run in order.
    static final FfmSyscalls INSTANCE = new FfmSyscalls();

    private FfmSyscalls() {}

    private static int errno(MemorySegment state) {
        return Libc.errno(state);
    }

    private static ErrnoException fail(String call, MemorySegment state) {
        return new ErrnoException(call, errno(state));
    }

    @Override
    public void kill(int pid, int signal) throws ErrnoException {
        if (pid > 0 && (signal == SIGKILL || signal == SIGTERM) && destroy(pid, signal == SIGKILL)) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            Libc.check("kill", (int) Libc.call("kill", state, pid, signal), state);
        }
    }

    private static final int SIGKILL = 9, SIGTERM = 15;

    /**
     * SIGKILL and SIGTERM, the signals engines send most, through the JDK's own kill(2) (ProcessHandle, JNI):
     * the first FFM call of a JVM spins its stub, some 20 ms that `kill` and `delete --force` would otherwise
     * pay for one syscall. False when the JDK could not (no such process, EPERM): the FFM path then gives
     * the errno.
     */
    private static boolean destroy(int pid, boolean force) {
        var process = ProcessHandle.of(pid);
        return process.isPresent() && (force ? process.get().destroyForcibly() : process.get().destroy());
    }

    @Override
    public int getuid() {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Libc.call("getuid", arena.allocate(CAPTURE)); // errno ignored: these cannot fail
        }
    }

    @Override
    public int getgid() {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Libc.call("getgid", arena.allocate(CAPTURE));
        }
    }

    @Override
    public int getpid() {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Libc.call("getpid", arena.allocate(CAPTURE)); // errno ignored: these cannot fail
        }
    }

    @Override
    public int[] socketpair() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            Libc.check("socketpair", (int) Libc.call("socketpair", state, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
                    fds.address()), state);
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    private static MemorySegment cStrings(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    @Override
    public int posixSpawn(String path, List<String> argv, List<String> env, List<int[]> dup2) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment actions = arena.allocate(256, 16); // posix_spawn_file_actions_t is 80 bytes
            MemorySegment attr = arena.allocate(1024, 16); // posix_spawnattr_t is 336 bytes
            MemorySegment empty = arena.allocate(128, 16); // sigset_t
            MemorySegment full = arena.allocate(128, 16);
            // These return their error (not errno), so state is only the call shape's errno slot here.
            int rc = (int) Libc.call("posix_spawn_file_actions_init", state, actions.address());
            rc |= (int) Libc.call("posix_spawnattr_init", state, attr.address());
            try {
                for (int[] pair : dup2) {
                    rc |= (int) Libc.call("posix_spawn_file_actions_adddup2", state, actions.address(), pair[0], pair[1]);
                }
                rc |= (int) Libc.call("sigemptyset", state, empty.address());
                rc |= (int) Libc.call("sigfillset", state, full.address());
                rc |= (int) Libc.call("posix_spawnattr_setsigmask", state, attr.address(), empty.address());
                rc |= (int) Libc.call("posix_spawnattr_setsigdefault", state, attr.address(), full.address());
                // A short in C: widened like the ints (the callee reads the low 16 bits).
                rc |= (int) Libc.call("posix_spawnattr_setflags", state, attr.address(),
                        POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
                if (rc != 0) {
                    throw new ErrnoException("posix_spawn: set up", Errno.EINVAL);
                }
                MemorySegment pid = arena.allocate(JAVA_INT);
                int err = (int) Libc.call("posix_spawn", state, pid.address(), arena.allocateFrom(path).address(),
                        actions.address(), attr.address(), cStrings(arena, argv).address(), cStrings(arena, env).address());
                if (err != 0) {
                    throw new ErrnoException("posix_spawn " + path, err); // returns the error, errno untouched
                }
                return pid.get(JAVA_INT, 0);
            } finally {
                Libc.call("posix_spawn_file_actions_destroy", state, actions.address());
                Libc.call("posix_spawnattr_destroy", state, attr.address());
            }
        }
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment mem = arena.allocate(Math.max(1, len));
            for (;;) {
                long n = Libc.call("read", state, fd, mem.address(), len);
                if (n >= 0) {
                    MemorySegment.copy(mem, ValueLayout.JAVA_BYTE, 0, buf, off, (int) n);
                    return (int) n;
                }
                if (errno(state) != EINTR) {
                    throw fail("read", state);
                }
            }
        }
    }

    @Override
    public void writeFully(int fd, byte[] buf, int off, int len) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment mem = arena.allocate(Math.max(1, len));
            MemorySegment.copy(buf, off, mem, ValueLayout.JAVA_BYTE, 0, len);
            long done = 0;
            while (done < len) {
                long n = Libc.call("write", state, fd, mem.address() + done, len - done);
                if (n < 0 && errno(state) == EINTR) {
                    continue;
                }
                if (n < 0) {
                    throw fail("write", state);
                }
                done += n;
            }
        }
    }

    @Override
    public void close(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            if ((int) Libc.call("close", state, fd) != 0 && errno(state) != EINTR) {
                throw fail("close", state);
            }
        }
    }

    @Override
    public int open(String path, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment p = arena.allocateFrom(path);
            for (;;) {
                int fd = (int) Libc.call("open", state, p.address(), flags | O_CLOEXEC, mode);
                if (fd >= 0) {
                    return fd;
                }
                if (errno(state) != EINTR) {
                    throw new ErrnoException("open " + path, errno(state));
                }
            }
        }
    }

    @Override
    public int dupCloexec(int fd, int min) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) Libc.call("fcntl", state, fd, F_DUPFD_CLOEXEC, min);
            return (int) Libc.check("fcntl F_DUPFD_CLOEXEC", rc, state);
        }
    }

    @Override
    public void dup2(int from, int to) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            Libc.check("dup2", (int) Libc.call("dup2", state, from, to), state);
        }
    }

    @Override
    public void mkfifo(String path, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) Libc.call("mkfifo", state, arena.allocateFrom(path).address(), mode);
            if (rc != 0) {
                throw new ErrnoException("mkfifo " + path, errno(state));
            }
        }
    }

    @Override
    public void setChildSubreaper(boolean on) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) Libc.call("prctl", state, PR_SET_CHILD_SUBREAPER, on ? 1L : 0L);
            Libc.check("prctl PR_SET_CHILD_SUBREAPER", rc, state);
        }
    }

    @Override
    public WaitStatus waitpid(int pid, int options) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment status = arena.allocate(JAVA_INT);
            for (;;) {
                int rc = (int) Libc.call("waitpid", state, pid, status.address(), options);
                if (rc >= 0) {
                    return rc == 0 ? new WaitStatus(0, false, false, 0) : WaitStatus.decode(rc, status.get(JAVA_INT, 0));
                }
                if (errno(state) != EINTR) {
                    throw fail("waitpid", state);
                }
            }
        }
    }

    @Override
    public int recvFd(int socket) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment data = arena.allocate(4096);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(ADDRESS, 0, data);
            iov.set(JAVA_LONG, 8, 4096L);
            MemorySegment control = arena.allocate(64, 8);
            MemorySegment msg = arena.allocate(56, 8); // struct msghdr
            msg.set(ADDRESS, 16, iov);
            msg.set(JAVA_LONG, 24, 1L);
            msg.set(ADDRESS, 32, control);
            msg.set(JAVA_LONG, 40, 64L);
            long n;
            do {
                n = Libc.call("recvmsg", state, socket, msg.address(), 0x40000000 /* MSG_CMSG_CLOEXEC */);
            } while (n < 0 && errno(state) == EINTR);
            Libc.check("recvmsg", n, state);
            long controllen = msg.get(JAVA_LONG, 40);
            if (controllen < 20 || control.get(JAVA_INT, 8) != SOL_SOCKET || control.get(JAVA_INT, 12) != SCM_RIGHTS) {
                throw new ErrnoException("recvmsg: no file descriptor received", Errno.EINVAL);
            }
            return control.get(JAVA_INT, 16);
        }
    }

    private static MemorySegment sockaddrUn(Arena arena, String path) throws ErrnoException {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= 108) {
            throw new ErrnoException("unix socket path too long: " + path, Errno.EINVAL);
        }
        MemorySegment addr = arena.allocate(110, 2);
        addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
        return addr;
    }

    private int unixSocket(String path, boolean listen) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) Libc.call("socket", state, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            Libc.check("socket", fd, state);
            MemorySegment addr = sockaddrUn(arena, path);
            String call = listen ? "bind" : "connect";
            int rc = (int) Libc.call(call, state, fd, addr.address(), 110);
            if (rc == 0 && listen) {
                call = "listen";
                rc = (int) Libc.call("listen", state, fd, 16);
            }
            if (rc != 0) {
                ErrnoException e = new ErrnoException(call + " " + path, errno(state));
                close(fd);
                throw e;
            }
            return fd;
        }
    }

    @Override
    public int connectUnix(String path) throws ErrnoException {
        return unixSocket(path, false);
    }

    @Override
    public int listenUnix(String path) throws ErrnoException {
        return unixSocket(path, true);
    }

    @Override
    public int accept(int socket) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            for (;;) {
                int fd = (int) Libc.call("accept4", state, socket, 0L /* addr: NULL */, 0L /* addrlen: NULL */, SOCK_CLOEXEC);
                if (fd >= 0) {
                    return fd;
                }
                if (errno(state) != EINTR) {
                    throw fail("accept", state);
                }
            }
        }
    }

    @Override
    public int pidfdOpen(int pid) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return (int) Libc.check("pidfd_open", (int) Libc.call("pidfd_open", state, pid, 0), state);
        }
    }

    @Override
    public int pidfdGetfd(int pidfd, int targetFd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return (int) Libc.check("pidfd_getfd", (int) Libc.call("pidfd_getfd", state, pidfd, targetFd, 0), state);
        }
    }

    @Override
    public void sendFd(int socket, byte[] data, int fd) throws ErrnoException {
        if (data.length == 0) {
            throw new ErrnoException("sendmsg: nothing to carry the file descriptor", Errno.EINVAL);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(data.length);
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(ADDRESS, 0, buf);
            iov.set(JAVA_LONG, 8, (long) data.length);
            MemorySegment control = arena.allocate(24, 8); // CMSG_SPACE(sizeof(int))
            control.set(JAVA_LONG, 0, 20L); // cmsg_len = CMSG_LEN(sizeof(int))
            control.set(JAVA_INT, 8, SOL_SOCKET);
            control.set(JAVA_INT, 12, SCM_RIGHTS);
            control.set(JAVA_INT, 16, fd);
            MemorySegment msg = arena.allocate(56, 8); // struct msghdr
            msg.set(ADDRESS, 16, iov);
            msg.set(JAVA_LONG, 24, 1L);
            msg.set(ADDRESS, 32, control);
            msg.set(JAVA_LONG, 40, 24L);
            long n;
            do {
                n = Libc.call("sendmsg", state, socket, msg.address(), 0x4000 /* MSG_NOSIGNAL */);
            } while (n < 0 && errno(state) == EINTR);
            Libc.check("sendmsg", n, state);
            if (n < data.length) {
                writeFully(socket, data, (int) n, data.length - (int) n);
            }
        }
    }

    @Override
    public FileStat stat(String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment sb = arena.allocate(256, 8); // struct stat is 144 bytes on x86_64
            int rc = (int) Libc.call("stat", state, arena.allocateFrom(path).address(), sb.address());
            if (rc != 0) {
                throw new ErrnoException("stat " + path, errno(state));
            }
            return new FileStat(sb.get(JAVA_INT, 24), sb.get(JAVA_LONG, 40), sb.get(JAVA_INT, 28), sb.get(JAVA_INT, 32),
                    sb.get(JAVA_LONG, 48));
        }
    }

    @Override
    public byte[] readFile(String path) throws ErrnoException {
        int fd = open(path, O_RDONLY, 0);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = read(fd, buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            close(fd);
        }
    }
}
