package io.jruntime.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * {@link CgroupSyscalls} on the JDK's FFM API, in the style of {@link FfmSyscalls}: libc calls with errno
 * captured, through {@link Libc}'s one downcall handle (linked on the first call of any of them).
 */
final class FfmCgroupSyscalls implements CgroupSyscalls {

    private static final FfmCgroupSyscalls INSTANCE = new FfmCgroupSyscalls();

    static FfmCgroupSyscalls instance() {
        return INSTANCE;
    }

    private FfmCgroupSyscalls() {}

    @Override
    public int open(String path, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            int fd = (int) Libc.call("open", state, arena.allocateFrom(path).address(), flags, mode);
            return (int) Libc.check("open", fd, state);
        }
    }

    @Override
    public long write(int fd, byte[] data) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            MemorySegment buf = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            return Libc.check("write", Libc.call("write", state, fd, buf.address(), data.length), state);
        }
    }

    @Override
    public byte[] read(int fd, int max) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            MemorySegment buf = arena.allocate(max);
            long n;
            do {
                n = Libc.call("read", state, fd, buf.address(), max);
            } while (n < 0 && Libc.errno(state) == Errno.EINTR);
            Libc.check("read", n, state);
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public void close(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            Libc.check("close", (int) Libc.call("close", state, fd), state);
        }
    }

    @Override
    public void mkdir(String path, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            Libc.check("mkdir", (int) Libc.call("mkdir", state, arena.allocateFrom(path).address(), mode), state);
        }
    }

    @Override
    public void rmdir(String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            Libc.check("rmdir", (int) Libc.call("rmdir", state, arena.allocateFrom(path).address()), state);
        }
    }

    @Override
    public long statfsType(String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            // struct statfs is 120 bytes on 64-bit Linux; f_type (__fsword_t, a long) comes first.
            MemorySegment buf = arena.allocate(256, 8);
            int rc = (int) Libc.call("statfs", state, arena.allocateFrom(path).address(), buf.address());
            Libc.check("statfs", rc, state);
            return buf.get(ValueLayout.JAVA_LONG, 0);
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

    private static long bpf(MemorySegment state, int cmd, MemorySegment attr) throws ErrnoException {
        long nr = bpfNumber();
        if (nr < 0) {
            throw new ErrnoException("bpf", Errno.ENOSYS);
        }
        // long syscall(long number, ...): bpf(2) has no glibc wrapper.
        return Libc.call("syscall", state, nr, cmd, attr.address(), ATTR_SIZE);
    }

    @Override
    public int bpfProgLoad(int progType, int expectedAttachType, byte[] insns, String license) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
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
                int errno = Libc.errno(state);
                if (attempt == 1 || errno == Errno.EPERM || errno == Errno.ENOSYS) {
                    String text = log == null ? "" : log.getString(0, StandardCharsets.UTF_8).strip();
                    throw new ErrnoException(text.isEmpty() ? "bpf(BPF_PROG_LOAD)"
                            : "bpf(BPF_PROG_LOAD) [verifier log: " + text.replace('\n', ';') + "]", errno);
                }
            }
            throw new ErrnoException("bpf(BPF_PROG_LOAD)", Errno.EINVAL);
        }
    }

    private static void attachOrDetach(int cmd, String name, int targetFd, int progFd, int attachType, int flags)
            throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, targetFd);
            attr.set(ValueLayout.JAVA_INT, 4, progFd);
            attr.set(ValueLayout.JAVA_INT, 8, attachType);
            attr.set(ValueLayout.JAVA_INT, 12, flags);
            Libc.check(name, bpf(state, cmd, attr), state);
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
            MemorySegment state = arena.allocate(Libc.STATE);
            int capacity = 64;
            MemorySegment ids = arena.allocate(4L * capacity, 4);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, targetFd);
            attr.set(ValueLayout.JAVA_INT, 4, attachType);
            attr.set(ValueLayout.JAVA_LONG, 16, ids.address());
            attr.set(ValueLayout.JAVA_INT, 24, capacity);
            Libc.check("bpf(BPF_PROG_QUERY)", bpf(state, BPF_PROG_QUERY, attr), state);
            int count = Math.min(capacity, attr.get(ValueLayout.JAVA_INT, 24));
            int[] out = new int[count];
            for (int i = 0; i < count; i++) {
                out[i] = ids.getAtIndex(ValueLayout.JAVA_INT, i);
            }
            return out;
        }
    }

    @Override
    public int bpfProgGetFdById(int id) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, id);
            return (int) Libc.check("bpf(BPF_PROG_GET_FD_BY_ID)", bpf(state, BPF_PROG_GET_FD_BY_ID, attr), state);
        }
    }
}
