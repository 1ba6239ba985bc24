package io.jruntime.seccomp;

import static io.jruntime.seccomp.Profiles.ALLOW;
import static io.jruntime.seccomp.Profiles.KILL_THREAD;
import static io.jruntime.seccomp.Profiles.arg;
import static io.jruntime.seccomp.Profiles.assertAction;
import static io.jruntime.seccomp.Profiles.compile;
import static io.jruntime.seccomp.Profiles.errno;
import static io.jruntime.seccomp.Profiles.errnoRule;
import static io.jruntime.seccomp.Profiles.nr;
import static io.jruntime.seccomp.Profiles.rule;
import static io.jruntime.seccomp.Profiles.run;
import static io.jruntime.seccomp.Profiles.runNr;
import static io.jruntime.seccomp.Profiles.seccomp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jruntime.spec.LinuxSeccomp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Architecture dispatch, x32, i386's multiplexed calls, ARM, and runc's ENOSYS stub. */
class SeccompArchTest {

    static final List<String> X86_FAMILY = List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
    static final int AUDIT_ARCH_PPC64LE = 0xC0000015;
    static final int AUDIT_ARCH_RISCV64 = 0xC00000F3;

    static LinuxSeccomp getpidDenied(List<String> archs) {
        return seccomp("SCMP_ACT_ALLOW", null, archs, null, errnoRule(11, "getpid"));
    }

    @Test
    void aForeignArchGetsTheBadArchActionKillThreadAsLibseccomp() {
        SeccompProgram p = compile(getpidDenied(X86_FAMILY));
        for (int arch : new int[] {Arch.AARCH64.auditArch(), Arch.ARM.auditArch(), AUDIT_ARCH_PPC64LE,
            AUDIT_ARCH_RISCV64, 0}) {
            assertAction(KILL_THREAD, SeccompInterpreter.run(p, arch, 39, 0), Integer.toHexString(arch));
        }
        SeccompProgram q = Profiles.compile(getpidDenied(X86_FAMILY), Arch.X86_64,
                SeccompCompiler.Options.defaults().withBadArchAction(SeccompAbi.RET_KILL_PROCESS));
        assertAction(SeccompAbi.RET_KILL_PROCESS, SeccompInterpreter.run(q, AUDIT_ARCH_PPC64LE, 39, 0), "option");
    }

    @Test
    void theNativeArchIsAlwaysFiltered() {
        for (List<String> archs : List.of(List.<String>of(), List.of("SCMP_ARCH_X86"))) {
            SeccompProgram p = compile(getpidDenied(archs));
            assertAction(errno(11), run(p, Arch.X86_64, "getpid"), "native getpid with " + archs);
            assertAction(ALLOW, run(p, Arch.X86_64, "getppid"), "native getppid with " + archs);
        }
        SeccompProgram none = compile(getpidDenied(null));
        assertAction(KILL_THREAD, run(none, Arch.X86, "getpid"), "i386 not listed");
        assertAction(errno(11), run(compile(getpidDenied(List.of("SCMP_ARCH_X86"))), Arch.X86, "getpid"), "i386");
    }

    @Test
    void eachArchUsesItsOwnNumbers() {
        SeccompProgram p = compile(getpidDenied(X86_FAMILY));
        assertEquals(39, nr(Arch.X86_64, "getpid"));
        assertEquals(20, nr(Arch.X86, "getpid"));
        assertAction(errno(11), run(p, Arch.X86, "getpid"), "i386 getpid (20)");
        // 39 on i386 is mkdir, not getpid.
        assertEquals("mkdir", SyscallTable.of(Arch.X86).name(39));
        assertAction(ALLOW, runNr(p, Arch.X86, 39), "i386 39");
        // 20 on x86_64 is writev.
        assertAction(ALLOW, runNr(p, Arch.X86_64, 20), "x86_64 20");
        assertAction(errno(11), run(p, Arch.X32, "getpid"), "x32 getpid");
    }

    @Test
    void x32NumbersGetTheBadArchActionUnlessX32IsListed() {
        SeccompProgram p = compile(getpidDenied(List.of("SCMP_ARCH_X86_64")));
        int x32getpid = SeccompAbi.X32_SYSCALL_BIT | 39;
        assertEquals(x32getpid, nr(Arch.X32, "getpid"));
        assertAction(KILL_THREAD, runNr(p, Arch.X86_64, x32getpid), "x32 getpid");
        assertAction(KILL_THREAD, runNr(p, Arch.X86_64, SeccompAbi.X32_SYSCALL_BIT), "x32 read");
        assertAction(KILL_THREAD, runNr(p, Arch.X86_64, 0xfffffffe), "top");
        // -1 is how a tracer skips a syscall: it keeps the default action, as in libseccomp.
        assertAction(ALLOW, runNr(p, Arch.X86_64, -1), "-1");
        assertAction(ALLOW, runNr(p, Arch.X86_64, SeccompAbi.X32_SYSCALL_BIT - 1), "below the x32 bit");

        SeccompProgram q = compile(getpidDenied(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X32")));
        assertAction(errno(11), runNr(q, Arch.X86_64, x32getpid), "x32 listed");
        assertAction(ALLOW, run(q, Arch.X32, "getppid"), "x32 other");
        // x32-only numbers (512..547) and numbers no ABI has are the default.
        assertAction(ALLOW, run(q, Arch.X32, "rt_sigaction"), "x32 rt_sigaction");
        assertAction(ALLOW, runNr(q, Arch.X86_64, 0x7000_0000), "unknown");
    }

    @Test
    void x32RulesAndX86_64RulesShareOneSectionButNotTheirNumbers() {
        LinuxSeccomp s = seccomp("SCMP_ACT_ERRNO", 1L, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X32"), null,
                rule("SCMP_ACT_ALLOW", null, List.of("read", "write", "rt_sigaction", "ioctl")),
                errnoRule(7, "ioctl", arg(1, "EQ", 0x5401)));
        SeccompProgram p = Profiles.compile(s, Arch.X86_64, SeccompCompiler.Options.defaults().withEnosysStub(false));
        for (Arch a : List.of(Arch.X86_64, Arch.X32)) {
            for (String n : List.of("read", "write", "rt_sigaction", "ioctl")) {
                assertAction(ALLOW, run(p, a, n), a + " " + n);
            }
            assertAction(errno(1), run(p, a, "getpid"), a + " getpid");
        }
        // x32's rt_sigaction is 512 | bit; x86_64's 512 is nothing.
        assertEquals(SeccompAbi.X32_SYSCALL_BIT | 512, nr(Arch.X32, "rt_sigaction"));
        assertAction(errno(1), runNr(p, Arch.X86_64, 512), "x86_64 512");
        // The ioctl argument rule is shadowed by the unconditional ALLOW listed first.
        assertAction(ALLOW, run(p, Arch.X32, "ioctl", 0, 0x5401), "x32 ioctl");
    }

    @Test
    void x32ArgumentsCompareTheLowWordX86_64TheFullValue() {
        LinuxSeccomp s = seccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X32"), null,
                errnoRule(7, "lseek", arg(1, "EQ", 5)));
        SeccompProgram p = compile(s);
        assertAction(errno(7), run(p, Arch.X86_64, "lseek", 0, 5), "x86_64 5");
        assertAction(ALLOW, run(p, Arch.X86_64, "lseek", 0, 0x1_0000_0005L), "x86_64 2^32+5");
        assertAction(errno(7), run(p, Arch.X32, "lseek", 0, 5), "x32 5");
        assertAction(errno(7), run(p, Arch.X32, "lseek", 0, 0x1_0000_0005L), "x32 2^32+5 (low word)");
    }

    @Test
    void i386SocketAndIpcCallsAlsoMatchTheirMultiplexer() {
        LinuxSeccomp s = seccomp("SCMP_ACT_ERRNO", 1L, List.of("SCMP_ARCH_X86"), null,
                rule("SCMP_ACT_ALLOW", null, List.of("socket", "accept", "semop")),
                rule("SCMP_ACT_ALLOW", "connect", arg(0, "EQ", 3)));
        SeccompProgram p = compile(s);
        assertAction(ALLOW, run(p, Arch.X86, "socket"), "direct socket (359)");
        assertAction(ALLOW, run(p, Arch.X86, "socketcall", 1), "socketcall(SYS_SOCKET)");
        assertAction(ALLOW, run(p, Arch.X86, "socketcall", 5), "socketcall(SYS_ACCEPT), no direct accept on i386");
        assertAction(errno(1), run(p, Arch.X86, "socketcall", 2), "socketcall(SYS_BIND)");
        assertAction(ALLOW, run(p, Arch.X86, "ipc", 1), "ipc(SEMOP)");
        assertAction(errno(1), run(p, Arch.X86, "ipc", 2), "ipc(SEMGET)");
        // Argument rules cannot look through socketcall: only the direct syscall gets them.
        assertAction(ALLOW, run(p, Arch.X86, "connect", 3), "direct connect(3)");
        assertAction(errno(1), run(p, Arch.X86, "socketcall", 3, 3), "socketcall(SYS_CONNECT)");
        // x86_64 has no multiplexer.
        SeccompProgram q = compile(seccomp("SCMP_ACT_ERRNO", 1L, X86_FAMILY, null,
                rule("SCMP_ACT_ALLOW", null, List.of("accept"))));
        assertAction(ALLOW, run(q, Arch.X86_64, "accept"), "x86_64 accept");
        assertAction(ALLOW, run(q, Arch.X86, "socketcall", 5), "i386 accept via socketcall");
    }

    @Test
    void aarch64WithArm() {
        LinuxSeccomp s = seccomp("SCMP_ACT_ERRNO", 1L, List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"), null,
                rule("SCMP_ACT_ALLOW", null, List.of("openat", "read", "breakpoint", "set_tls", "open")),
                errnoRule(9, "lseek", arg(1, "GT", 0x1_0000_0000L)));
        SeccompProgram p = compile(s, Arch.AARCH64);
        assertEquals(56, nr(Arch.AARCH64, "openat"));
        assertEquals(322, nr(Arch.ARM, "openat"));
        assertAction(ALLOW, run(p, Arch.AARCH64, "openat"), "aarch64 openat");
        assertAction(ALLOW, run(p, Arch.ARM, "openat"), "arm openat");
        assertAction(ALLOW, run(p, Arch.ARM, "open"), "arm open");
        assertAction(ALLOW, run(p, Arch.ARM, "breakpoint"), "arm private breakpoint (0xf0001)");
        assertAction(ALLOW, run(p, Arch.ARM, "set_tls"), "arm private set_tls");
        assertAction(errno(9), run(p, Arch.AARCH64, "lseek", 0, 0x1_0000_0001L), "aarch64 64-bit arg");
        assertAction(errno(1), run(p, Arch.AARCH64, "lseek", 0, 0x1_0000_0000L), "aarch64 64-bit arg, equal");
        assertAction(errno(9), run(p, Arch.ARM, "lseek", 0, 1), "arm: low words, 1 > 0");
        assertAction(errno(1), run(p, Arch.ARM, "lseek", 0, 0x2_0000_0000L), "arm: low words, 0 > 0 is false");
        assertAction(KILL_THREAD, run(p, Arch.X86_64, "read"), "x86_64 on an arm64 filter");
    }

    @Test
    void archsThatCannotRunHereAreIgnoredWithAWarning() {
        List<String> warnings = new ArrayList<>();
        LinuxSeccomp s = seccomp("SCMP_ACT_ALLOW", null,
                List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_ARM", "SCMP_ARCH_PPC64LE"), null, errnoRule(11, "getpid"));
        SeccompProgram p = SeccompCompiler.compile(s, Arch.X86_64, SeccompCompiler.Options.defaults()
                .withWarnings(warnings::add));
        assertEquals(List.of("seccomp architecture SCMP_ARCH_ARM ignored: it cannot run on SCMP_ARCH_X86_64",
                "seccomp architecture SCMP_ARCH_PPC64LE ignored: it cannot run on SCMP_ARCH_X86_64"), warnings);
        assertAction(KILL_THREAD, run(p, Arch.ARM, "getpid"), "ARM is a foreign arch here");
        // Only the x86_64 section: one arch check.
        assertEquals(SeccompCompiler.compile(getpidDenied(List.of("SCMP_ARCH_X86_64")), "x86_64").disassemble(),
                p.disassemble());
    }

    // ---------------------------------------------------------------- runc's ENOSYS stub

    static LinuxSeccomp dockerLike(List<String> archs, String... allowed) {
        return seccomp("SCMP_ACT_ERRNO", 1L, archs, null, rule("SCMP_ACT_ALLOW", null, List.of(allowed)));
    }

    @Test
    void syscallsAboveTheProfilesHighestGetEnosys() {
        SeccompProgram p = compile(dockerLike(X86_FAMILY, "read", "close_range", "openat"));
        // x86_64: close_range is 436, the highest named.
        assertAction(errno(1), runNr(p, Arch.X86_64, 435), "clone3 (435), below: EPERM");
        assertAction(ALLOW, runNr(p, Arch.X86_64, 436), "close_range");
        assertAction(errno(38), runNr(p, Arch.X86_64, 437), "openat2 (437), newer: ENOSYS");
        assertAction(errno(38), runNr(p, Arch.X86_64, SeccompAbi.X32_SYSCALL_BIT - 1), "top of x86_64");
        // x32 numbers keep their own ceiling.
        assertAction(errno(38), runNr(p, Arch.X86_64, SeccompAbi.X32_SYSCALL_BIT | 437), "x32 437");
        assertAction(errno(1), runNr(p, Arch.X86_64, SeccompAbi.X32_SYSCALL_BIT | 300), "x32 300");
        assertAction(errno(38), runNr(p, Arch.X86_64, SeccompAbi.X32_SYSCALL_BIT | 512), "x32 512 > 436");
        assertAction(errno(1), runNr(p, Arch.X86_64, -1), "-1 keeps the default");
        // i386: close_range is 436 there too; openat 295.
        assertAction(errno(38), runNr(p, Arch.X86, 440), "i386 440");
        assertAction(errno(1), runNr(p, Arch.X86, 300), "i386 300");
    }

    @Test
    void theStubCoversListedArchsOnlyAndNotPermissiveDefaults() {
        // runc builds its stub from config.architectures: an unlisted native arch gets none.
        SeccompProgram p = compile(dockerLike(null, "read"));
        assertAction(errno(1), runNr(p, Arch.X86_64, 400), "no architectures listed");
        // x86_64 listed without x32: x32 numbers are still a bad arch, not ENOSYS.
        p = compile(dockerLike(List.of("SCMP_ARCH_X86_64"), "read"));
        assertAction(errno(38), runNr(p, Arch.X86_64, 400), "x86_64 400");
        assertAction(KILL_THREAD, runNr(p, Arch.X86_64, SeccompAbi.X32_SYSCALL_BIT | 400), "x32 400");
        for (String deflt : List.of("SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE")) {
            SeccompProgram q = compile(seccomp(deflt, null, X86_FAMILY, null, errnoRule(1, "read")));
            assertAction(SeccompCompiler.action(deflt, null, "d"), runNr(q, Arch.X86_64, 400), deflt);
        }
        SeccompProgram k = compile(seccomp("SCMP_ACT_KILL_PROCESS", null, X86_FAMILY, null,
                rule("SCMP_ACT_ALLOW", "read")));
        assertAction(errno(38), runNr(k, Arch.X86_64, 400), "kill default still gets the stub, as runc");
        SeccompProgram off = Profiles.compile(dockerLike(X86_FAMILY, "read"), Arch.X86_64,
                SeccompCompiler.Options.defaults().withEnosysStub(false));
        assertAction(errno(1), runNr(off, Arch.X86_64, 400), "stub off");
    }

    @Test
    void theStubCountsNamesOfRulesDroppedAsRedundant() {
        // runc's findLastSyscalls looks at every rule's names, even one equal to the default action.
        SeccompProgram p = compile(seccomp("SCMP_ACT_ERRNO", 1L, X86_FAMILY, null,
                rule("SCMP_ACT_ALLOW", null, List.of("read")), errnoRule(1, "openat2")));
        assertAction(errno(1), runNr(p, Arch.X86_64, 437), "openat2 itself");
        assertAction(errno(38), runNr(p, Arch.X86_64, 438), "pidfd_getfd");
    }
}
