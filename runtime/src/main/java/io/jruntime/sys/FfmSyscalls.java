package io.jruntime.sys;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@link Syscalls} on the JDK's FFM API (java.lang.foreign): libc calls with errno captured.
 * Each downcall handle is linked on first use, so a command pays only for the calls it makes.
 * Struct offsets are those of x86_64 / aarch64 glibc (the LP64 Linux ABI).
 */
final class FfmSyscalls implements Syscalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final ConcurrentHashMap<String, MethodHandle> HANDLES = new ConcurrentHashMap<>();

    private static final int EINTR = Errno.EINTR;
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 02000000, O_CLOEXEC = 02000000;
    private static final int F_DUPFD_CLOEXEC = 1030, PR_SET_CHILD_SUBREAPER = 36;
    private static final int SOL_SOCKET = 1, SCM_RIGHTS = 1;
    private static final int POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;

    // Last of the static fields: static initializers run in order.
    static final FfmSyscalls INSTANCE = new FfmSyscalls();

    private FfmSyscalls() {}

    /** The handle of libc's {@code name}, linked on first use; errno-capturing unless {@code plain}. */
    private static MethodHandle h(String name, FunctionDescriptor fd, Linker.Option... extra) {
        return HANDLES.computeIfAbsent(name, n -> {
            Linker.Option[] options = new Linker.Option[extra.length + 1];
            options[0] = CAPTURE_ERRNO;
            System.arraycopy(extra, 0, options, 1, extra.length);
            return LINKER.downcallHandle(LIBC.find(n).orElseThrow(() -> new UnsatisfiedLinkError(n)), fd, options);
        });
    }

    private static MethodHandle plain(String name, FunctionDescriptor fd) {
        return HANDLES.computeIfAbsent("plain:" + name,
                n -> LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd));
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static ErrnoException fail(String call, MemorySegment state) {
        return new ErrnoException(call, errno(state));
    }

    private static IllegalStateException wrap(String call, Throwable t) {
        if (t instanceof RuntimeException r && !(t instanceof IllegalStateException)) {
            return new IllegalStateException(call, r);
        }
        return t instanceof IllegalStateException i ? i : new IllegalStateException(call, t);
    }

    private static final FunctionDescriptor I_I = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor I_II = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT);

    @Override
    public void kill(int pid, int signal) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            if ((int) h("kill", I_II).invokeExact(state, pid, signal) != 0) {
                throw fail("kill", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("kill", t);
        }
    }

    @Override
    public int getuid() {
        try {
            return (int) plain("getuid", FunctionDescriptor.of(JAVA_INT)).invokeExact();
        } catch (Throwable t) {
            throw wrap("getuid", t);
        }
    }

    @Override
    public int getpid() {
        try {
            return (int) plain("getpid", FunctionDescriptor.of(JAVA_INT)).invokeExact();
        } catch (Throwable t) {
            throw wrap("getpid", t);
        }
    }

    @Override
    public int[] socketpair() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int rc = (int) h("socketpair", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS))
                    .invokeExact(state, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
            if (rc != 0) {
                throw fail("socketpair", state);
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("socketpair", t);
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
        FunctionDescriptor ptr = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment actions = arena.allocate(256, 16); // posix_spawn_file_actions_t is 80 bytes
            MemorySegment attr = arena.allocate(1024, 16); // posix_spawnattr_t is 336 bytes
            MemorySegment empty = arena.allocate(128, 16); // sigset_t
            MemorySegment full = arena.allocate(128, 16);
            int rc = (int) plain("posix_spawn_file_actions_init", ptr).invokeExact(actions);
            rc |= (int) plain("posix_spawnattr_init", ptr).invokeExact(attr);
            try {
                for (int[] pair : dup2) {
                    rc |= (int) plain("posix_spawn_file_actions_adddup2",
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)).invokeExact(actions, pair[0], pair[1]);
                }
                rc |= (int) plain("sigemptyset", ptr).invokeExact(empty);
                rc |= (int) plain("sigfillset", ptr).invokeExact(full);
                rc |= (int) plain("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS))
                        .invokeExact(attr, empty);
                rc |= (int) plain("posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS))
                        .invokeExact(attr, full);
                rc |= (int) plain("posix_spawnattr_setflags", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT))
                        .invokeExact(attr, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK));
                if (rc != 0) {
                    throw new ErrnoException("posix_spawn: set up", Errno.EINVAL);
                }
                MemorySegment pid = arena.allocate(JAVA_INT);
                int err = (int) h("posix_spawn",
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS))
                        .invokeExact(state, pid, arena.allocateFrom(path), actions, attr, cStrings(arena, argv),
                                cStrings(arena, env));
                if (err != 0) {
                    throw new ErrnoException("posix_spawn " + path, err); // returns the error, errno untouched
                }
                return pid.get(JAVA_INT, 0);
            } finally {
                int ignored = (int) plain("posix_spawn_file_actions_destroy", ptr).invokeExact(actions);
                ignored = (int) plain("posix_spawnattr_destroy", ptr).invokeExact(attr);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("posix_spawn", t);
        }
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment mem = arena.allocate(Math.max(1, len));
            MethodHandle read = h("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
            for (;;) {
                long n = (long) read.invokeExact(state, fd, mem, (long) len);
                if (n >= 0) {
                    MemorySegment.copy(mem, ValueLayout.JAVA_BYTE, 0, buf, off, (int) n);
                    return (int) n;
                }
                if (errno(state) != EINTR) {
                    throw fail("read", state);
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("read", t);
        }
    }

    @Override
    public void writeFully(int fd, byte[] buf, int off, int len) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment mem = arena.allocate(Math.max(1, len));
            MemorySegment.copy(buf, off, mem, ValueLayout.JAVA_BYTE, 0, len);
            MethodHandle write = h("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
            long done = 0;
            while (done < len) {
                long n = (long) write.invokeExact(state, fd, mem.asSlice(done), (long) len - done);
                if (n < 0 && errno(state) == EINTR) {
                    continue;
                }
                if (n < 0) {
                    throw fail("write", state);
                }
                done += n;
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("write", t);
        }
    }

    @Override
    public void close(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            if ((int) h("close", I_I).invokeExact(state, fd) != 0 && errno(state) != EINTR) {
                throw fail("close", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("close", t);
        }
    }

    @Override
    public int open(String path, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MethodHandle open = h("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                    Linker.Option.firstVariadicArg(2));
            MemorySegment p = arena.allocateFrom(path);
            for (;;) {
                int fd = (int) open.invokeExact(state, p, flags | O_CLOEXEC, mode);
                if (fd >= 0) {
                    return fd;
                }
                if (errno(state) != EINTR) {
                    throw new ErrnoException("open " + path, errno(state));
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("open", t);
        }
    }

    @Override
    public int dupCloexec(int fd, int min) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) h("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                    Linker.Option.firstVariadicArg(2)).invokeExact(state, fd, F_DUPFD_CLOEXEC, min);
            if (rc < 0) {
                throw fail("fcntl F_DUPFD_CLOEXEC", state);
            }
            return rc;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("fcntl", t);
        }
    }

    @Override
    public void dup2(int from, int to) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            if ((int) h("dup2", I_II).invokeExact(state, from, to) < 0) {
                throw fail("dup2", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("dup2", t);
        }
    }

    @Override
    public void mkfifo(String path, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) h("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT))
                    .invokeExact(state, arena.allocateFrom(path), mode);
            if (rc != 0) {
                throw new ErrnoException("mkfifo " + path, errno(state));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("mkfifo", t);
        }
    }

    @Override
    public void setChildSubreaper(boolean on) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) h("prctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG),
                    Linker.Option.firstVariadicArg(1)).invokeExact(state, PR_SET_CHILD_SUBREAPER, on ? 1L : 0L);
            if (rc != 0) {
                throw fail("prctl PR_SET_CHILD_SUBREAPER", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("prctl", t);
        }
    }

    @Override
    public WaitStatus waitpid(int pid, int options) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment status = arena.allocate(JAVA_INT);
            MethodHandle waitpid = h("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
            for (;;) {
                int rc = (int) waitpid.invokeExact(state, pid, status, options);
                if (rc >= 0) {
                    return rc == 0 ? new WaitStatus(0, false, false, 0) : WaitStatus.decode(rc, status.get(JAVA_INT, 0));
                }
                if (errno(state) != EINTR) {
                    throw fail("waitpid", state);
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("waitpid", t);
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
            MethodHandle recvmsg = h("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
            long n;
            do {
                n = (long) recvmsg.invokeExact(state, socket, msg, 0x40000000 /* MSG_CMSG_CLOEXEC */);
            } while (n < 0 && errno(state) == EINTR);
            if (n < 0) {
                throw fail("recvmsg", state);
            }
            long controllen = msg.get(JAVA_LONG, 40);
            if (controllen < 20 || control.get(JAVA_INT, 8) != SOL_SOCKET || control.get(JAVA_INT, 12) != SCM_RIGHTS) {
                throw new ErrnoException("recvmsg: no file descriptor received", Errno.EINVAL);
            }
            return control.get(JAVA_INT, 16);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("recvmsg", t);
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
            int fd = (int) h("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT))
                    .invokeExact(state, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw fail("socket", state);
            }
            MemorySegment addr = sockaddrUn(arena, path);
            String call = listen ? "bind" : "connect";
            int rc = (int) h(call, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)).invokeExact(state, fd, addr, 110);
            if (rc == 0 && listen) {
                call = "listen";
                rc = (int) h("listen", I_II).invokeExact(state, fd, 16);
            }
            if (rc != 0) {
                ErrnoException e = new ErrnoException(call + " " + path, errno(state));
                close(fd);
                throw e;
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("socket", t);
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
            MethodHandle accept = h("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
            for (;;) {
                int fd = (int) accept.invokeExact(state, socket, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
                if (fd >= 0) {
                    return fd;
                }
                if (errno(state) != EINTR) {
                    throw fail("accept", state);
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("accept", t);
        }
    }

    @Override
    public int pidfdOpen(int pid) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) h("pidfd_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT)).invokeExact(state, pid, 0);
            if (fd < 0) {
                throw fail("pidfd_open", state);
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("pidfd_open", t);
        }
    }

    @Override
    public int pidfdGetfd(int pidfd, int targetFd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) h("pidfd_getfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT))
                    .invokeExact(state, pidfd, targetFd, 0);
            if (fd < 0) {
                throw fail("pidfd_getfd", state);
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("pidfd_getfd", t);
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
            MethodHandle sendmsg = h("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
            long n;
            do {
                n = (long) sendmsg.invokeExact(state, socket, msg, 0x4000 /* MSG_NOSIGNAL */);
            } while (n < 0 && errno(state) == EINTR);
            if (n < 0) {
                throw fail("sendmsg", state);
            }
            if (n < data.length) {
                writeFully(socket, data, (int) n, data.length - (int) n);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("sendmsg", t);
        }
    }

    @Override
    public FileStat stat(String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment sb = arena.allocate(256, 8); // struct stat is 144 bytes on x86_64
            int rc = (int) h("stat", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)).invokeExact(state, arena.allocateFrom(path), sb);
            if (rc != 0) {
                throw new ErrnoException("stat " + path, errno(state));
            }
            return new FileStat(sb.get(JAVA_INT, 24), sb.get(JAVA_LONG, 40), sb.get(JAVA_INT, 28), sb.get(JAVA_INT, 32),
                    sb.get(JAVA_LONG, 48));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("stat", t);
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
