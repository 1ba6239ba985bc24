package io.jruntime.sys;

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

/**
 * {@link CgroupSyscalls} on the JDK's FFM API, in the style of {@link FfmSyscalls}: libc calls with errno
 * captured. The method handles live in a holder class, so they are linked on the first cgroup call only.
 */
final class FfmCgroupSyscalls implements CgroupSyscalls {

    private static final FfmCgroupSyscalls INSTANCE = new FfmCgroupSyscalls();

    static FfmCgroupSyscalls instance() {
        return INSTANCE;
    }

    private FfmCgroupSyscalls() {}

    /** Linked on first use (class initialisation of the holder). */
    private static final class H {
        static final Linker LINKER = Linker.nativeLinker();
        static final SymbolLookup LIBC = LINKER.defaultLookup();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

        static final MethodHandle OPEN = LINKER.downcallHandle(LIBC.find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
        static final MethodHandle WRITE = call("write",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        static final MethodHandle READ = call("read",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        static final MethodHandle MKDIR = call("mkdir",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        static final MethodHandle RMDIR = call("rmdir", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        static final MethodHandle STATFS = call("statfs",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        /** long syscall(long number, ...): used for bpf(2), which glibc does not wrap. */
        static final MethodHandle SYSCALL3 = LINKER.downcallHandle(LIBC.find("syscall").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));

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
    public int open(String path, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            int fd = (int) H.OPEN.invokeExact(state, arena.allocateFrom(path), flags, mode);
            if (fd < 0) {
                throw new ErrnoException("open", H.errno(state));
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("open", t);
        }
    }

    @Override
    public long write(int fd, byte[] data) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            MemorySegment buf = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            long n = (long) H.WRITE.invokeExact(state, fd, buf, (long) data.length);
            if (n < 0) {
                throw new ErrnoException("write", H.errno(state));
            }
            return n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("write", t);
        }
    }

    @Override
    public byte[] read(int fd, int max) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            MemorySegment buf = arena.allocate(max);
            long n;
            do {
                n = (long) H.READ.invokeExact(state, fd, buf, (long) max);
            } while (n < 0 && H.errno(state) == Errno.EINTR);
            if (n < 0) {
                throw new ErrnoException("read", H.errno(state));
            }
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("read", t);
        }
    }

    @Override
    public void close(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            int rc = (int) H.CLOSE.invokeExact(state, fd);
            if (rc != 0) {
                throw new ErrnoException("close", H.errno(state));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("close", t);
        }
    }

    @Override
    public void mkdir(String path, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            int rc = (int) H.MKDIR.invokeExact(state, arena.allocateFrom(path), mode);
            if (rc != 0) {
                throw new ErrnoException("mkdir", H.errno(state));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("mkdir", t);
        }
    }

    @Override
    public void rmdir(String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            int rc = (int) H.RMDIR.invokeExact(state, arena.allocateFrom(path));
            if (rc != 0) {
                throw new ErrnoException("rmdir", H.errno(state));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("rmdir", t);
        }
    }

    @Override
    public long statfsType(String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            // struct statfs is 120 bytes on 64-bit Linux; f_type (__fsword_t, a long) comes first.
            MemorySegment buf = arena.allocate(256, 8);
            int rc = (int) H.STATFS.invokeExact(state, arena.allocateFrom(path), buf);
            if (rc != 0) {
                throw new ErrnoException("statfs", H.errno(state));
            }
            return buf.get(ValueLayout.JAVA_LONG, 0);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("statfs", t);
        }
    }

    // ---- bpf(2) ----

    private static final int BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8, BPF_PROG_DETACH = 9,
            BPF_PROG_GET_FD_BY_ID = 13, BPF_PROG_QUERY = 16;
    /** Large enough for every command used here; the kernel accepts a shorter, zero-tailed union bpf_attr. */
    private static final int ATTR_SIZE = 128;

    private static long bpfNumber() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 321;
            case "aarch64", "arm64" -> 280;
            case "riscv64" -> 280;
            case "ppc64le" -> 361;
            case "s390x" -> 351;
            default -> -1;
        };
    }

    private static long bpf(MemorySegment state, int cmd, MemorySegment attr) throws Throwable {
        long nr = bpfNumber();
        if (nr < 0) {
            throw new ErrnoException("bpf", Errno.ENOSYS);
        }
        return (long) H.SYSCALL3.invokeExact(state, nr, (long) cmd, attr, (long) ATTR_SIZE);
    }

    @Override
    public int bpfProgLoad(int progType, int expectedAttachType, byte[] insns, String license) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            MemorySegment code = arena.allocate(insns.length, 8);
            MemorySegment.copy(insns, 0, code, ValueLayout.JAVA_BYTE, 0, insns.length);
            MemorySegment lic = arena.allocateFrom(license);
            // First without a log (fast path); on failure once more with the verifier log for the error message.
            for (int attempt = 0; attempt < 2; attempt++) {
                MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
                attr.set(ValueLayout.JAVA_INT, 0, progType);
                attr.set(ValueLayout.JAVA_INT, 4, insns.length / 8);
                attr.set(ValueLayout.JAVA_LONG, 8, code.address());
                attr.set(ValueLayout.JAVA_LONG, 16, lic.address());
                MemorySegment log = null;
                if (attempt == 1) {
                    int logSize = 64 * 1024;
                    log = arena.allocate(logSize);
                    attr.set(ValueLayout.JAVA_INT, 24, 1);
                    attr.set(ValueLayout.JAVA_INT, 28, logSize);
                    attr.set(ValueLayout.JAVA_LONG, 32, log.address());
                }
                attr.set(ValueLayout.JAVA_INT, 68, expectedAttachType);
                long fd = bpf(state, BPF_PROG_LOAD, attr);
                if (fd >= 0) {
                    return (int) fd;
                }
                int errno = H.errno(state);
                if (attempt == 1 || errno == Errno.EPERM || errno == Errno.ENOSYS) {
                    String text = log == null ? "" : log.getString(0, StandardCharsets.UTF_8).strip();
                    throw new ErrnoException(text.isEmpty() ? "bpf(BPF_PROG_LOAD)"
                            : "bpf(BPF_PROG_LOAD) [verifier log: " + text.replace('\n', ';') + "]", errno);
                }
            }
            throw new ErrnoException("bpf(BPF_PROG_LOAD)", Errno.EINVAL);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("bpf", t);
        }
    }

    private static void attachOrDetach(int cmd, String name, int targetFd, int progFd, int attachType, int flags)
            throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, targetFd);
            attr.set(ValueLayout.JAVA_INT, 4, progFd);
            attr.set(ValueLayout.JAVA_INT, 8, attachType);
            attr.set(ValueLayout.JAVA_INT, 12, flags);
            if (bpf(state, cmd, attr) < 0) {
                throw new ErrnoException(name, H.errno(state));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(name, t);
        }
    }

    @Override
    public void bpfProgAttach(int targetFd, int progFd, int attachType, int flags) throws ErrnoException {
        attachOrDetach(BPF_PROG_ATTACH, "bpf(BPF_PROG_ATTACH)", targetFd, progFd, attachType, flags);
    }

    @Override
    public void bpfProgDetach(int targetFd, int progFd, int attachType) throws ErrnoException {
        attachOrDetach(BPF_PROG_DETACH, "bpf(BPF_PROG_DETACH)", targetFd, progFd, attachType, 0);
    }

    @Override
    public int[] bpfProgQuery(int targetFd, int attachType) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            int capacity = 64;
            MemorySegment ids = arena.allocate(4L * capacity, 4);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, targetFd);
            attr.set(ValueLayout.JAVA_INT, 4, attachType);
            attr.set(ValueLayout.JAVA_LONG, 16, ids.address());
            attr.set(ValueLayout.JAVA_INT, 24, capacity);
            if (bpf(state, BPF_PROG_QUERY, attr) < 0) {
                throw new ErrnoException("bpf(BPF_PROG_QUERY)", H.errno(state));
            }
            int count = Math.min(capacity, attr.get(ValueLayout.JAVA_INT, 24));
            int[] out = new int[count];
            for (int i = 0; i < count; i++) {
                out[i] = ids.getAtIndex(ValueLayout.JAVA_INT, i);
            }
            return out;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("bpf(BPF_PROG_QUERY)", t);
        }
    }

    @Override
    public int bpfProgGetFdById(int id) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(H.CAPTURE);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, id);
            long fd = bpf(state, BPF_PROG_GET_FD_BY_ID, attr);
            if (fd < 0) {
                throw new ErrnoException("bpf(BPF_PROG_GET_FD_BY_ID)", H.errno(state));
            }
            return (int) fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("bpf(BPF_PROG_GET_FD_BY_ID)", t);
        }
    }
}
