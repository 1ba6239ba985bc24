package io.jruntime.seccomp;

import static io.jruntime.seccomp.Profiles.ALLOW;
import static io.jruntime.seccomp.Profiles.assertAction;
import static io.jruntime.seccomp.Profiles.errno;
import static io.jruntime.seccomp.Profiles.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.LinuxSeccomp;
import io.jruntime.spec.LinuxSeccompArg;
import io.jruntime.spec.LinuxSyscall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Big profiles: a podman/Docker-like default profile (test resource podman-like.json: containers/common's
 * seccomp.json resolved for amd64 and podman's default capabilities, plus Docker's clone rule), and
 * synthetic ones that need long-jump trampolines. Every syscall number of every section is checked
 * against {@link ReferenceModel}.
 */
class SeccompLargeProfileTest {

    static final long[][] ARG_VECTORS = {
        {},
        {0, 0, 0, 0, 0, 0},
        {16, 3, 9},                           // socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT)
        {2, 1, 0},                            // socket(AF_INET, SOCK_STREAM, 0)
        {16, 3, 0},
        {2, 3, 9},
        {8},                                  // personality(PER_LINUX32)
        {0xffff_ffffL},
        {0x1_0000_0000L},
        {0x7e02_0000L},                       // clone with namespace flags
        {0x0100_0011L},                       // clone(CLONE_SETTLS | SIGCHLD)
        {-1, -1, -1, -1, -1, -1},
        {0x1234_5678_9abc_def0L, 1, 2, 3, 4, 0x8000_0000_0000_0000L},
    };

    /** Every number worth probing in a section: each table entry and its neighbours, and the edges. */
    static List<Integer> numbers(Arch... archs) {
        List<Integer> out = new ArrayList<>();
        for (Arch a : archs) {
            for (int n : SyscallTable.of(a).all().values()) {
                out.add(n - 1);
                out.add(n);
                out.add(n + 1);
            }
        }
        for (int n : new int[] {0, 1, 500, 1000, 0x3fff_ffff, 0x4000_0000, 0x4000_0001, 0x4000_1000, 0x7fff_ffff,
            0x8000_0000, 0xf0000, 0xf0001, 0xfffffffe, 0xffffffff}) {
            out.add(n);
        }
        return out;
    }

    /** Compares the compiled program and the reference on every number and argument vector; returns the count. */
    static int differential(LinuxSeccomp s, Arch nativeArch, SeccompCompiler.Options options, SeccompProgram p,
            Map<Integer, List<Arch>> sections) {
        ReferenceModel ref = new ReferenceModel(s, nativeArch, options);
        List<SeccompInterpreter.Insn> prog = SeccompInterpreter.decode(p.bpf(), java.nio.ByteOrder.LITTLE_ENDIAN);
        int n = 0;
        for (Map.Entry<Integer, List<Arch>> e : sections.entrySet()) {
            for (int nr : numbers(e.getValue().toArray(Arch[]::new))) {
                for (long[] args : ARG_VECTORS) {
                    int expected = ref.verdict(e.getKey(), nr, args);
                    int actual = SeccompInterpreter.run(prog, java.nio.ByteOrder.LITTLE_ENDIAN, e.getKey(), nr, 0, args);
                    if (expected != actual) {
                        assertEquals(SeccompProgram.action(expected), SeccompProgram.action(actual),
                                String.format("arch %08x nr %d (%s) args %s", e.getKey(), nr,
                                        SyscallTable.of(e.getValue().get(0)).name(nr), java.util.Arrays.toString(args)));
                    }
                    n++;
                }
            }
        }
        return n;
    }

    static Map<Integer, List<Arch>> x86Sections() {
        Map<Integer, List<Arch>> m = new TreeMap<>();
        m.put(Arch.X86_64.auditArch(), List.of(Arch.X86_64, Arch.X32));
        m.put(Arch.X86.auditArch(), List.of(Arch.X86));
        m.put(Arch.AARCH64.auditArch(), List.of(Arch.AARCH64)); // foreign here: bad arch
        return m;
    }

    @Test
    void podmanLikeProfile() {
        LinuxSeccomp s = Profiles.resource("podman-like.json");
        List<String> warnings = new ArrayList<>();
        SeccompCompiler.Options o = SeccompCompiler.Options.defaults().withWarnings(warnings::add);
        SeccompProgram p = Profiles.compile(s, Arch.X86_64, o);
        System.out.println("podman-like profile (" + s.syscallList().stream().mapToInt(r -> r.names().size()).sum()
                + " names, " + s.syscallList().size() + " rules): " + p.instructionCount()
                + " instructions for x86_64 + x32 + x86");
        assertTrue(p.instructionCount() < 1024, "instructions: " + p.instructionCount());
        // Names no x86 ABI has (the profile is shared with other architectures).
        assertEquals(List.of("unknown seccomp syscall \"pciconfig_iobase\" ignored",
                "unknown seccomp syscall \"pciconfig_read\" ignored",
                "unknown seccomp syscall \"pciconfig_write\" ignored",
                "unknown seccomp syscall \"swapcontext\" ignored"), warnings);

        // Spot checks of the profile's intent.
        assertAction(ALLOW, run(p, Arch.X86_64, "read"), "read");
        assertAction(ALLOW, run(p, Arch.X86, "socketcall", 1), "i386 socketcall");
        assertAction(errno(1), run(p, Arch.X86_64, "kexec_load"), "explicitly denied: EPERM");
        assertAction(errno(1), run(p, Arch.X86_64, "ptrace"), "no CAP_SYS_PTRACE");
        assertAction(errno(38), run(p, Arch.X86_64, "clone3"), "clone3: ENOSYS (the default) so glibc falls back");
        assertAction(errno(38), run(p, Arch.X86_64, "add_key"), "unlisted: ENOSYS");
        assertAction(errno(22), run(p, Arch.X86_64, "socket", 16, 3, 9), "NETLINK_AUDIT: EINVAL");
        assertAction(ALLOW, run(p, Arch.X86_64, "socket", 16, 3, 0), "other netlink");
        assertAction(ALLOW, run(p, Arch.X86_64, "socket", 2, 1, 9), "AF_INET, protocol 9");
        assertAction(ALLOW, run(p, Arch.X86_64, "personality", 0xffff_ffffL), "personality query");
        assertAction(errno(38), run(p, Arch.X86_64, "personality", 1), "other personality");
        assertAction(errno(38), run(p, Arch.X86_64, "personality", 0x1_0000_0008L), "personality 2^32+8");
        assertAction(ALLOW, run(p, Arch.X86_64, "clone", 0x0100_0011L), "clone without namespaces");
        assertAction(errno(38), run(p, Arch.X86_64, "clone", 0x1000_0011L), "clone(CLONE_NEWUSER)");
        assertAction(ALLOW, run(p, Arch.X32, "clone", 0x0100_0011L), "x32 clone");
        assertAction(ALLOW, run(p, Arch.X86, "clone", 0x0100_0011L), "i386 clone");
        assertAction(Profiles.KILL_THREAD, SeccompInterpreter.run(p, Arch.AARCH64.auditArch(), 63, 0),
                "aarch64 read on an x86 filter");

        int checked = differential(s, Arch.X86_64, o, p, x86Sections());
        System.out.println("podman-like profile: " + checked + " (arch, nr, args) verdicts match the reference");
    }

    @Test
    void podmanLikeProfileOnArm64() {
        LinuxSeccomp x86 = Profiles.resource("podman-like.json");
        List<LinuxSyscall> rules = new ArrayList<>(x86.syscallList());
        rules.add(new LinuxSyscall(List.of("arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2",
                "breakpoint", "cacheflush", "set_tls"), "SCMP_ACT_ALLOW", null, null));
        LinuxSeccomp s = new LinuxSeccomp(x86.defaultAction(), x86.defaultErrnoRet(),
                List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"), null, null, null, rules);
        SeccompCompiler.Options o = SeccompCompiler.Options.defaults();
        SeccompProgram p = Profiles.compile(s, Arch.AARCH64, o);
        System.out.println("podman-like profile for arm64 + arm: " + p.instructionCount() + " instructions");
        assertTrue(p.instructionCount() < 1024);
        Map<Integer, List<Arch>> sections = new TreeMap<>();
        sections.put(Arch.AARCH64.auditArch(), List.of(Arch.AARCH64));
        sections.put(Arch.ARM.auditArch(), List.of(Arch.ARM));
        sections.put(Arch.X86_64.auditArch(), List.of(Arch.X86_64));
        differential(s, Arch.AARCH64, o, p, sections);
    }

    /**
     * A profile where every one of {@code count} syscalls per arch has its own argument rule and its
     * own errno, so jumps to the shared verdicts run far past 255 instructions.
     */
    static LinuxSeccomp synthetic(int count, int condsPerRule) {
        List<LinuxSyscall> rules = new ArrayList<>();
        TreeMap<Integer, String> byNr = new TreeMap<>();
        for (Map.Entry<String, Integer> e : SyscallTable.of(Arch.X86_64).all().entrySet()) {
            byNr.put(e.getValue(), e.getKey());
        }
        int i = 0;
        for (String name : byNr.values()) {
            if (i == count) {
                break;
            }
            List<LinuxSeccompArg> args = new ArrayList<>();
            for (int c = 0; c < condsPerRule; c++) {
                String op = switch ((i + c) % 4) {
                    case 0 -> "SCMP_CMP_EQ";
                    case 1 -> "SCMP_CMP_GT";
                    case 2 -> "SCMP_CMP_LE";
                    default -> "SCMP_CMP_NE";
                };
                args.add(new LinuxSeccompArg((long) c, 0x1_0000_0000L * (i % 3) + i, null, op));
            }
            // Distinct errnos, every third rule an allow (the default is KILL_PROCESS).
            if (i % 3 == 0) {
                rules.add(new LinuxSyscall(List.of(name), "SCMP_ACT_ALLOW", null, args));
            } else {
                rules.add(new LinuxSyscall(List.of(name), "SCMP_ACT_ERRNO", (long) (i % 400 + 1), args));
            }
            i++;
        }
        return new LinuxSeccomp("SCMP_ACT_KILL_PROCESS", null,
                List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), null, null, null, rules);
    }

    @Test
    void longJumpsThroughTrampolines() {
        LinuxSeccomp s = synthetic(170, 1);
        SeccompCompiler.Options o = SeccompCompiler.Options.defaults();
        SeccompProgram p = Profiles.compile(s, Arch.X86_64, o);
        String dis = p.disassemble();
        long trampolines = dis.lines().filter(l -> l.contains(": ja ")).count();
        System.out.println("synthetic profile: " + p.instructionCount() + " instructions, " + trampolines
                + " ja trampolines");
        assertTrue(p.instructionCount() > 1500, "big enough to need long jumps: " + p.instructionCount());
        assertTrue(trampolines > 0, "uses ja trampolines");
        int checked = differential(s, Arch.X86_64, o, p, x86Sections());
        assertTrue(checked > 10000);
    }

    @Test
    void nearTheLimit() {
        // The largest synthetic profile (two conditions per rule) that still fits in 4096 instructions.
        SeccompCompiler.Options o = SeccompCompiler.Options.defaults();
        LinuxSeccomp fits = null;
        SeccompProgram p = null;
        for (int count = 60; count < 400; count += 5) {
            LinuxSeccomp s = synthetic(count, 2);
            try {
                p = SeccompCompiler.compile(s, Arch.X86_64, o);
                fits = s;
            } catch (JRuntimeException e) {
                break;
            }
        }
        System.out.println("largest synthetic profile that fits: " + fits.syscallList().size()
                + " syscalls x 2 conditions x 3 ABIs = " + p.instructionCount() + " instructions");
        assertTrue(p.instructionCount() > 3800 && p.instructionCount() <= 4096, "" + p.instructionCount());
        assertEquals(List.of(), SeccompInterpreter.check(p.bpf(), java.nio.ByteOrder.LITTLE_ENDIAN));
        differential(fits, Arch.X86_64, o, p, x86Sections());
    }

    @Test
    void overTheKernelLimitIsAnError() {
        LinuxSeccomp s = synthetic(360, 3);
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> SeccompCompiler.compile(s, "x86_64"));
        assertTrue(e.getMessage().matches("seccomp: the filter has \\d+ instructions, more than the kernel's limit "
                + "of 4096"), e.getMessage());
    }

    @Test
    void compilingIsFast() {
        LinuxSeccomp s = Profiles.resource("podman-like.json");
        for (int i = 0; i < 300; i++) {
            SeccompCompiler.compile(s, "x86_64");
        }
        int rounds = 200;
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            SeccompCompiler.compile(s, "x86_64");
        }
        double ms = (System.nanoTime() - t0) / 1e6 / rounds;
        System.out.printf("podman-like profile compiles in %.3f ms after warm-up%n", ms);
        assertTrue(ms < 25, "compile time " + ms + " ms");
    }
}
