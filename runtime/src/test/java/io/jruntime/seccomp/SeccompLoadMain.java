package io.jruntime.seccomp;

import io.jruntime.spec.LinuxSeccomp;
import io.jruntime.spec.LinuxSeccompArg;
import io.jruntime.spec.LinuxSyscall;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run in a child JVM by {@link SeccompKernelTest}: compiles a filter, loads it into this process with
 * prctl(PR_SET_NO_NEW_PRIVS) + seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog), exactly what the native
 * stage does with a {@link SeccompProgram}, then makes syscalls and prints what happened, one
 * {@code key=value} per line. The filter never touches the test JVM.
 */
public final class SeccompLoadMain {
    private SeccompLoadMain() {}

    static final Arch NATIVE = Arch.native_();
    static final SyscallTable TABLE = SyscallTable.of(NATIVE);
    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    static final MethodHandle SYSCALL = LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    static final long MAGIC = 0x5ecc_0000_0000_0000L;
    static final int AT_FDCWD = -100;

    /** The result of a raw syscall: its return value, or -errno. */
    static long sys(long nr, long... a) {
        long[] x = new long[6];
        System.arraycopy(a, 0, x, 0, a.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long rc = (long) SYSCALL.invokeExact(state, nr, x[0], x[1], x[2], x[3], x[4], x[5]);
            return rc == -1 ? -(int) ERRNO.get(state, 0L) : rc;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static long sys(String name, long... a) {
        return sys(TABLE.number(name), a);
    }

    static void load(SeccompProgram p) {
        long rc = sys("prctl", 38 /* PR_SET_NO_NEW_PRIVS */, 1, 0, 0, 0);
        if (rc != 0) {
            throw new IllegalStateException("PR_SET_NO_NEW_PRIVS: " + rc);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment filter = arena.allocate(p.bpf().length, 8);
            filter.copyFrom(MemorySegment.ofArray(p.bpf()));
            MemorySegment fprog = arena.allocate(16, 8); // struct sock_fprog { u16 len; sock_filter *filter; }
            fprog.set(ValueLayout.JAVA_SHORT, 0, (short) p.instructionCount());
            fprog.set(ValueLayout.ADDRESS, 8, filter);
            rc = sys("seccomp", SeccompAbi.SET_MODE_FILTER, p.flags(), fprog.address());
            out("load", rc < 0 ? "errno" + -rc : "ok");
            if (rc < 0) {
                System.exit(3);
            }
        }
    }

    static void out(String key, Object value) {
        System.out.println(key + "=" + value);
        System.out.flush();
    }

    static LinuxSyscall rule(String action, Long errnoRet, List<String> names, LinuxSeccompArg... args) {
        return new LinuxSyscall(names, action, errnoRet, args.length == 0 ? null : List.of(args));
    }

    static LinuxSeccompArg arg(int index, String op, long value, long two) {
        return new LinuxSeccompArg((long) index, value, two, "SCMP_CMP_" + op);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "errno" -> errno(dir);
            case "args64" -> args64(dir);
            case "kill" -> kill();
            case "x32" -> x32(false);
            case "x32-bad-arch" -> x32(true);
            case "podman" -> podman(dir, args[2]);
            case "large" -> large();
            default -> throw new IllegalArgumentException(args[0]);
        }
        out("done", "true");
    }

    /** mkdir/mkdirat get ERRNO(38) in every thread, including one started before the filter (TSYNC). */
    static void errno(Path dir) throws Exception {
        CountDownLatch loaded = new CountDownLatch(1);
        AtomicReference<Long> fromOldThread = new AtomicReference<>();
        Thread old = new Thread(() -> {
            try {
                loaded.await();
            } catch (InterruptedException e) {
                return;
            }
            try (Arena a = Arena.ofConfined()) {
                fromOldThread.set(sys("mkdirat", AT_FDCWD, a.allocateFrom(dir.resolve("t").toString()).address(),
                        0755));
            }
        });
        old.start();
        LinuxSeccomp s = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, List.of("SECCOMP_FILTER_FLAG_TSYNC"), null,
                null, List.of(rule("SCMP_ACT_ERRNO", 38L, List.of("mkdir", "mkdirat"))));
        SeccompProgram p = SeccompCompiler.compile(s, NATIVE, SeccompCompiler.Options.defaults());
        out("flags", p.flags());
        load(p);
        loaded.countDown();
        old.join();
        out("mkdirat.oldthread", fromOldThread.get());
        try (Arena a = Arena.ofConfined()) {
            out("mkdirat", sys("mkdirat", AT_FDCWD, a.allocateFrom(dir.resolve("m").toString()).address(), 0755));
        }
        try {
            Files.createDirectory(dir.resolve("d"));
            out("createDirectory", "created");
        } catch (IOException e) {
            out("createDirectory", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        Path f = Files.createTempFile(dir, "x", ".txt");
        Files.writeString(f, "still works");
        out("file", Files.readString(f));
    }

    /** 64-bit argument comparisons in the kernel: unsigned, high word first, MASKED_EQ on the high word. */
    static void args64(Path dir) throws Exception {
        LinuxSeccomp s = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, null, null, List.of(
                rule("SCMP_ACT_ERRNO", 33L, List.of("lseek"), arg(1, "GT", 0x1_0000_0000L, 0)),
                rule("SCMP_ACT_ERRNO", 34L, List.of("fcntl"), arg(1, "MASKED_EQ", 0xffff_0000_0000_0000L,
                        0xabcd_0000_0000_0000L)),
                rule("SCMP_ACT_ERRNO", 35L, List.of("getpriority"), arg(0, "LE", 0x8000_0000_0000_0000L, 0),
                        arg(1, "EQ", 0x7777_0000_0000_0001L, 0))));
        load(SeccompCompiler.compile(s, NATIVE, SeccompCompiler.Options.defaults()));
        Path f = Files.writeString(dir.resolve("f"), "x");
        try (var ch = java.nio.channels.FileChannel.open(f)) {
            int fd = fd(f);
            out("lseek.5", sys("lseek", fd, 5, 0));
            out("lseek.2^32", sys("lseek", fd, 0x1_0000_0000L, 0));
            out("lseek.2^32+5", sys("lseek", fd, 0x1_0000_0005L, 0));
            out("lseek.-1", sys("lseek", fd, -1L, 0));
            out("fcntl.getfd", sys("fcntl", fd, 1 /* F_GETFD */));
            out("fcntl.getfd.hi", sys("fcntl", fd, 0xabcd_0000_0000_0001L));
            out("fcntl.getfd.otherhi", sys("fcntl", fd, 0xabce_0000_0000_0001L));
            sys("close", fd);
        }
        out("getpriority.match", sys("getpriority", 0, 0x7777_0000_0000_0001L));
        out("getpriority.2^63+1", sys("getpriority", 0x8000_0000_0000_0001L, 0x7777_0000_0000_0001L));
    }

    static int fd(Path f) {
        try (Arena a = Arena.ofConfined()) {
            return (int) sys("openat", AT_FDCWD, a.allocateFrom(f.toString()).address(), 0 /* O_RDONLY */);
        }
    }

    /** SCMP_ACT_KILL_PROCESS: the process dies of SIGSYS. */
    static void kill() {
        LinuxSeccomp s = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, null, null,
                List.of(rule("SCMP_ACT_KILL_PROCESS", null, List.of("getppid"))));
        load(SeccompCompiler.compile(s, NATIVE, SeccompCompiler.Options.defaults()));
        out("before", sys("getpid") > 0);
        sys("getppid");
        out("after", "still alive");
    }

    /** x32 numbers (0x40000000 | n) reach the x32 rules when SCMP_ARCH_X32 is listed, else the bad-arch action. */
    static void x32(boolean withoutX32) {
        List<String> archs = withoutX32 ? List.of("SCMP_ARCH_X86_64") : List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X32");
        LinuxSeccomp s = new LinuxSeccomp("SCMP_ACT_ALLOW", null, archs, null, null, null,
                List.of(rule("SCMP_ACT_ERRNO", 44L, List.of("getpid"))));
        // A thread-killing bad-arch verdict would hang the JVM: make it visible as an errno instead.
        SeccompProgram p = SeccompCompiler.compile(s, NATIVE,
                SeccompCompiler.Options.defaults().withBadArchAction(SeccompAbi.RET_ERRNO | 46));
        load(p);
        out("x86_64.getpid", sys(39));
        out("x32.getpid", sys(SeccompAbi.X32_SYSCALL_BIT | 39));
        out("x32.getppid", sys(SeccompAbi.X32_SYSCALL_BIT | 110));
    }

    /** The podman-like default profile: the kernel takes it (TSYNC) and a JVM keeps working under it. */
    static void podman(Path dir, String profile) throws Exception {
        LinuxSeccomp base = io.jruntime.spec.Json.mapper().readValue(Path.of(profile).toFile(), LinuxSeccomp.class);
        LinuxSeccomp s = new LinuxSeccomp(base.defaultAction(), base.defaultErrnoRet(), base.architectures(),
                List.of("SECCOMP_FILTER_FLAG_TSYNC"), null, null, base.syscalls());
        SeccompProgram p = SeccompCompiler.compile(s, NATIVE, SeccompCompiler.Options.defaults());
        out("instructions", p.instructionCount());
        load(p);
        out("socket.netlink_audit", sys("socket", 16, 3, 9));
        long inet = sys("socket", 2, 1, 0);
        out("socket.inet", inet >= 0 ? "fd" : inet);
        out("personality.query", sys("personality", 0xffff_ffffL) >= 0 ? "ok" : "denied");
        // Each probe fails harmlessly with a different errno if the filter lets it through.
        out("personality.2^32+8", sys("personality", 0x1_0000_0008L));
        out("ptrace", sys("ptrace", 2 /* PTRACE_PEEKDATA */, -1, 0, 0));
        out("swapoff", sys("swapoff", 0));
        out("clone.newuser", sys("clone", 0x1000_0000L | 0x200 /* CLONE_NEWUSER|CLONE_FS: EINVAL */, 0, 0, 0, 0));
        out("add_key", sys("add_key", 0, 0, 0, 0, 0));
        // The JVM still works: threads, files, GC.
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                byte[][] junk = new byte[256][];
                for (int k = 0; k < junk.length; k++) {
                    junk[k] = new byte[4096];
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        System.gc();
        Path f = Files.writeString(dir.resolve("p"), "jvm ok");
        out("file", Files.readString(f));
    }

    /** A ~3000-instruction filter with long-jump trampolines: the kernel accepts it and enforces deep rules. */
    static void large() {
        // Probes are harmless syscalls spread over the number space; the rest fills the profile.
        List<String> probes = List.of("close", "getpid", "getppid", "sched_yield", "uname");
        List<String> names = new ArrayList<>(probes);
        List<String> others = new ArrayList<>(TABLE.all().keySet());
        others.sort(String::compareTo);
        for (String n : others) {
            if (names.size() == 250) {
                break;
            }
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        List<LinuxSyscall> rules = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            // arg5 == MAGIC|i and arg4 != 1 -> ERRNO(1 + i % 200): no real caller passes MAGIC.
            rules.add(rule("SCMP_ACT_ERRNO", (long) (1 + i % 200), List.of(names.get(i)),
                    arg(5, "EQ", MAGIC | i, 0), arg(4, "NE", 1, 0)));
        }
        LinuxSeccomp s = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, List.of("SECCOMP_FILTER_FLAG_TSYNC"), null,
                null, rules);
        SeccompProgram p = SeccompCompiler.compile(s, NATIVE, SeccompCompiler.Options.defaults());
        out("instructions", p.instructionCount());
        out("trampolines", p.disassemble().lines().filter(l -> l.contains(": ja ")).count());
        load(p);
        for (int i = 0; i < probes.size(); i++) {
            String n = probes.get(i);
            long plain = n.equals("close") ? sys(n, -1) : sys(n);
            out(n + ".plain", plain >= 0 ? "ok" : plain);
            out(n + ".magic", sys(n, -1, 0, 0, 0, 0, MAGIC | i));
            out(n + ".magic.arg4", sys(n, -1, 0, 0, 0, 1, MAGIC | i));
        }
    }
}
