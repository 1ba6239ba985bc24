package io.jruntime.seccomp;

import static io.jruntime.seccomp.Profiles.ALLOW;
import static io.jruntime.seccomp.Profiles.KILL_PROCESS;
import static io.jruntime.seccomp.Profiles.KILL_THREAD;
import static io.jruntime.seccomp.Profiles.arg;
import static io.jruntime.seccomp.Profiles.assertAction;
import static io.jruntime.seccomp.Profiles.compile;
import static io.jruntime.seccomp.Profiles.errno;
import static io.jruntime.seccomp.Profiles.errnoRule;
import static io.jruntime.seccomp.Profiles.profile;
import static io.jruntime.seccomp.Profiles.rule;
import static io.jruntime.seccomp.Profiles.run;
import static io.jruntime.seccomp.Profiles.seccomp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.LinuxSeccomp;
import io.jruntime.spec.LinuxSyscall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Actions, errnoRet, flags, rule merging and the errors of {@link SeccompCompiler}. */
class SeccompCompilerTest {

    private static final Arch X = Arch.X86_64;

    @ParameterizedTest
    @CsvSource({
        "SCMP_ACT_KILL,          , 0x00000000",
        "SCMP_ACT_KILL_THREAD,   , 0x00000000",
        "SCMP_ACT_KILL_PROCESS,  , 0x80000000",
        "SCMP_ACT_TRAP,          , 0x00030000",
        "SCMP_ACT_ERRNO,         , 0x00050001",
        "SCMP_ACT_ERRNO,       13, 0x0005000d",
        "SCMP_ACT_ERRNO,        0, 0x00050000",
        "SCMP_ACT_ERRNO,    65535, 0x0005ffff",
        "SCMP_ACT_TRACE,         , 0x7ff00001",
        "SCMP_ACT_TRACE,       42, 0x7ff0002a",
        "SCMP_ACT_ALLOW,         , 0x7fff0000",
        "SCMP_ACT_LOG,           , 0x7ffc0000",
        "SCMP_ACT_NOTIFY,        , 0x7fc00000",
    })
    void everyActionAsARuleAndItsValue(String action, Long errnoRet, String hex) {
        int expected = Integer.parseUnsignedInt(hex.substring(2), 16);
        assertEquals(expected, SeccompCompiler.action(action, errnoRet, "x"));
        // As a rule under a default that differs from it.
        String deflt = expected == ALLOW ? "SCMP_ACT_KILL_PROCESS" : "SCMP_ACT_ALLOW";
        LinuxSeccomp s = seccomp(deflt, null, null, null, rule(action, errnoRet, List.of("getpid")));
        SeccompProgram p = compile(new LinuxSeccomp(s.defaultAction(), null, null, null,
                action.equals("SCMP_ACT_NOTIFY") ? "/run/agent.sock" : null, null, s.syscalls()));
        assertAction(expected, run(p, X, "getpid"), action);
        assertAction(SeccompCompiler.action(deflt, null, "d"), run(p, X, "getppid"), "other syscalls");
        assertEquals(action.equals("SCMP_ACT_NOTIFY"), p.needsListener());
    }

    @ParameterizedTest
    @CsvSource({
        "SCMP_ACT_KILL, , 0x00000000",
        "SCMP_ACT_KILL_PROCESS, , 0x80000000",
        "SCMP_ACT_TRAP, , 0x00030000",
        "SCMP_ACT_ERRNO, , 0x00050001",
        "SCMP_ACT_ERRNO, 38, 0x00050026",
        "SCMP_ACT_TRACE, 7, 0x7ff00007",
        "SCMP_ACT_ALLOW, , 0x7fff0000",
        "SCMP_ACT_LOG, , 0x7ffc0000",
    })
    void everyDefaultAction(String action, Long errnoRet, String hex) {
        int expected = Integer.parseUnsignedInt(hex.substring(2), 16);
        int other = expected == ALLOW ? errno(99) : ALLOW;
        LinuxSeccomp s = seccomp(action, errnoRet, null, null,
                rule(other == ALLOW ? "SCMP_ACT_ALLOW" : "SCMP_ACT_ERRNO", other == ALLOW ? null : 99L,
                        List.of("read")));
        SeccompProgram p = compile(s);
        assertAction(expected, run(p, X, "getpid"), "unmatched syscall");
        assertAction(expected, Profiles.runNr(p, X, 4095), "unknown number");
        assertAction(other, run(p, X, "read"), "the rule");
    }

    @Test
    void errnoRetOnlyWithErrnoAndTraceAndWithin16Bits() {
        JRuntimeException e = assertThrows(JRuntimeException.class,
                () -> SeccompCompiler.compile(seccomp("SCMP_ACT_ALLOW", 1L, null, null), "x86_64"));
        assertEquals("seccomp: defaultAction: errnoRet is only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, "
                + "not SCMP_ACT_ALLOW", e.getMessage());
        e = assertThrows(JRuntimeException.class, () -> SeccompCompiler.compile(
                seccomp("SCMP_ACT_ERRNO", null, null, null, rule("SCMP_ACT_KILL", 3L, List.of("read"))), "x86_64"));
        assertEquals("seccomp: syscalls[0].action: errnoRet is only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, "
                + "not SCMP_ACT_KILL", e.getMessage());
        e = assertThrows(JRuntimeException.class, () -> SeccompCompiler.compile(
                seccomp("SCMP_ACT_ERRNO", 65536L, null, null), "x86_64"));
        assertEquals("seccomp: defaultAction: errnoRet 65536 is out of range (0 to 65535)", e.getMessage());
    }

    @Test
    void validationErrors() {
        assertEquals("seccomp: defaultAction: unknown action \"SCMP_ACT_MAYBE\"", message(profile("SCMP_ACT_MAYBE")));
        assertEquals("seccomp: defaultAction is required", message(profile(null)));
        assertEquals("seccomp: SCMP_ACT_NOTIFY cannot be used as default action", message(profile("SCMP_ACT_NOTIFY")));
        assertEquals("seccomp: SCMP_ACT_NOTIFY cannot be used for the write syscall",
                message(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_NOTIFY", null, List.of("read", "write")))));
        assertEquals("seccomp: syscalls[0].names must contain at least one entry",
                message(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", null, List.of()))));
        assertEquals("seccomp: empty string is not a valid syscall",
                message(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", null, List.of("")))));
        assertEquals("seccomp: syscalls[0].args[0].index 6 is out of range (0 to 5)",
                message(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", "read", arg(6, "EQ", 1)))));
        assertEquals("seccomp: syscalls[0].args[0].op: unknown operator \"SCMP_CMP_SIMILAR\"",
                message(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", "read", arg(0, "SIMILAR", 1)))));
        assertEquals("seccomp: syscalls[1].action: unknown action \"SCMP_ACT_NOPE\"",
                message(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", "read"), rule("SCMP_ACT_NOPE", "read"))));
        assertEquals("seccomp: seccomp flag SECCOMP_FILTER_FLAG_FAST is not known to jruntime",
                message(seccomp("SCMP_ACT_ALLOW", null, null, List.of("SECCOMP_FILTER_FLAG_FAST"))));
        assertEquals("seccomp: error validating Seccomp architecture: unknown architecture \"SCMP_ARCH_Z80\"",
                message(seccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_Z80"), null)));
    }

    private static String message(LinuxSeccomp s) {
        return assertThrows(JRuntimeException.class, () -> SeccompCompiler.compile(s, "x86_64")).getMessage();
    }

    @ParameterizedTest
    @CsvSource({
        "SECCOMP_FILTER_FLAG_TSYNC, 1",
        "SECCOMP_FILTER_FLAG_LOG, 2",
        "SECCOMP_FILTER_FLAG_SPEC_ALLOW, 4",
    })
    void flagsMapToTheirBits(String flag, int bit) {
        SeccompProgram p = compile(seccomp("SCMP_ACT_ALLOW", null, null, List.of(flag)));
        assertEquals(bit, p.flags());
        assertFalse(p.needsListener());
    }

    @Test
    void allFlagsTogether() {
        SeccompProgram p = compile(seccomp("SCMP_ACT_ALLOW", null, null, List.of("SECCOMP_FILTER_FLAG_TSYNC",
                "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW")));
        assertEquals(7, p.flags());
        assertEquals(0, compile(profile("SCMP_ACT_ALLOW")).flags());
    }

    @Test
    void notifyAddsTheListenerFlagAndTsyncEsrchAndKeepsWaitKillable() {
        LinuxSyscall notify = rule("SCMP_ACT_NOTIFY", "mkdirat");
        SeccompProgram p = compile(new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, "/a.sock", null,
                List.of(notify)));
        assertTrue(p.needsListener());
        assertEquals(SeccompAbi.FILTER_FLAG_NEW_LISTENER, p.flags());
        p = compile(new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, List.of("SECCOMP_FILTER_FLAG_TSYNC",
                "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"), "/a.sock", null, List.of(notify)));
        assertEquals(SeccompAbi.FILTER_FLAG_TSYNC | SeccompAbi.FILTER_FLAG_NEW_LISTENER
                | SeccompAbi.FILTER_FLAG_TSYNC_ESRCH | SeccompAbi.FILTER_FLAG_WAIT_KILLABLE_RECV, p.flags());
        assertAction(SeccompAbi.RET_USER_NOTIF, run(p, X, "mkdirat"), "notify rule");
    }

    @Test
    void waitKillableWithoutNotifyIsDroppedWithAWarning() {
        List<String> warnings = new ArrayList<>();
        SeccompProgram p = SeccompCompiler.compile(seccomp("SCMP_ACT_ALLOW", null, null,
                List.of("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", "SECCOMP_FILTER_FLAG_LOG")), "amd64", warnings::add);
        assertEquals(SeccompAbi.FILTER_FLAG_LOG, p.flags());
        assertEquals(List.of("seccomp flag SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV ignored: no SCMP_ACT_NOTIFY rule "
                + "(the kernel accepts it only with a listener)"), warnings);
    }

    @Test
    void unknownSyscallsAreSkippedWithAWarningOnce() {
        List<String> warnings = new ArrayList<>();
        LinuxSeccomp s = seccomp("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), null,
                rule("SCMP_ACT_ALLOW", null, List.of("getpid", "no_such_syscall", "read")),
                rule("SCMP_ACT_LOG", null, List.of("no_such_syscall")));
        SeccompProgram p = SeccompCompiler.compile(s, "x86_64", warnings::add);
        assertEquals(List.of("unknown seccomp syscall \"no_such_syscall\" ignored"), warnings);
        assertAction(ALLOW, run(p, X, "getpid"), "getpid");
        assertAction(ALLOW, run(p, X, "read"), "read");
        assertAction(ALLOW, run(p, Arch.X86, "read"), "i386 read");
    }

    @Test
    void aRedundantRuleIsNotResolvedSoNotWarnedAbout() {
        List<String> warnings = new ArrayList<>();
        SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ALLOW", "no_such_syscall")), "x86_64",
                warnings::add);
        assertEquals(List.of(), warnings);
    }

    @Test
    void aNameKnownToOneArchOnlyIsNotWarnedAbout() {
        List<String> warnings = new ArrayList<>();
        // arch_prctl exists on x86_64 and x32 only, socketcall on i386 only.
        LinuxSeccomp s = seccomp("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), null,
                rule("SCMP_ACT_ALLOW", null, List.of("arch_prctl", "socketcall")));
        SeccompProgram p = SeccompCompiler.compile(s, "x86_64", warnings::add);
        assertEquals(List.of(), warnings);
        assertAction(ALLOW, run(p, X, "arch_prctl"), "x86_64 arch_prctl");
        assertAction(ALLOW, run(p, Arch.X86, "socketcall"), "i386 socketcall");
    }

    @Test
    void aRuleWithTheDefaultActionIsDropped() {
        // The same action as the default: nothing to do, as runc skips it (libseccomp refuses it).
        LinuxSeccomp s = seccomp("SCMP_ACT_ERRNO", 38L, null, null,
                rule("SCMP_ACT_ERRNO", 38L, List.of("clone3")),
                rule("SCMP_ACT_ALLOW", null, List.of("clone3", "read")));
        SeccompProgram p = compile(s);
        // The dropped rule does not shadow the later ALLOW.
        assertAction(ALLOW, run(p, X, "clone3"), "clone3");
        // A different errno is a different action.
        p = compile(seccomp("SCMP_ACT_ERRNO", 38L, null, null, errnoRule(1, "clone3")));
        assertAction(errno(1), run(p, X, "clone3"), "EPERM is not ENOSYS");
        SeccompProgram empty = compile(seccomp("SCMP_ACT_ERRNO", 38L, null, null, errnoRule(38, "clone3")));
        SeccompProgram none = compile(seccomp("SCMP_ACT_ERRNO", 38L, null, null));
        assertEquals(none.disassemble(), empty.disassemble());
    }

    @Test
    void severalArgsOfOneRuleAreAnded() {
        LinuxSeccomp s = profile("SCMP_ACT_ALLOW",
                errnoRule(22, "socket", arg(0, "EQ", 16), arg(2, "EQ", 9)));
        SeccompProgram p = compile(s);
        assertAction(errno(22), run(p, X, "socket", 16, 3, 9), "both hold");
        assertAction(ALLOW, run(p, X, "socket", 16, 3, 0), "only arg0");
        assertAction(ALLOW, run(p, X, "socket", 2, 3, 9), "only arg2");
        assertAction(ALLOW, run(p, X, "socket", 2, 1, 0), "neither");
    }

    @Test
    void severalRulesOfOneSyscallAreOredFirstMatchWins() {
        LinuxSeccomp s = profile("SCMP_ACT_KILL_PROCESS",
                errnoRule(10, "write", arg(0, "EQ", 1)),
                errnoRule(20, "write", arg(1, "EQ", 7)),
                rule("SCMP_ACT_ALLOW", "write", arg(0, "LT", 100)));
        SeccompProgram p = compile(s);
        assertAction(errno(10), run(p, X, "write", 1, 7), "first rule listed wins over the second");
        assertAction(errno(20), run(p, X, "write", 2, 7), "second");
        assertAction(ALLOW, run(p, X, "write", 2, 8), "third");
        assertAction(KILL_PROCESS, run(p, X, "write", 200, 8), "none: default");
    }

    @Test
    void anUnconditionalRuleReplacesArgumentRulesBeforeItAndShadowsThoseAfter() {
        // libseccomp: a syscall's rule without arguments matches everything; earlier argument rules
        // are removed, later ones (any action) are redundant.
        LinuxSeccomp before = profile("SCMP_ACT_ALLOW",
                errnoRule(5, "read", arg(0, "EQ", 3)),
                errnoRule(6, "read"));
        SeccompProgram p = compile(before);
        assertAction(errno(6), run(p, X, "read", 3), "arg rule before the unconditional one is replaced");
        assertAction(errno(6), run(p, X, "read", 4), "unconditional");
        LinuxSeccomp after = profile("SCMP_ACT_ALLOW",
                errnoRule(6, "read"),
                errnoRule(5, "read", arg(0, "EQ", 3)),
                errnoRule(7, "read"));
        p = compile(after);
        assertAction(errno(6), run(p, X, "read", 3), "later rules are shadowed");
    }

    @Test
    void conditionsOnTheSameArgumentBecomeSeparateRulesAsRunc() {
        // runc: "if two or more arguments have the same condition, revert to old behavior,
        // adding each condition as a separate rule" -- so they are ORed, not ANDed.
        LinuxSeccomp s = profile("SCMP_ACT_ALLOW",
                errnoRule(1, "personality", arg(0, "GE", 10), arg(0, "LE", 20), arg(1, "EQ", 5)));
        SeccompProgram p = compile(s);
        assertAction(errno(1), run(p, X, "personality", 15), "inside both bounds");
        assertAction(errno(1), run(p, X, "personality", 5), "LE alone");
        assertAction(errno(1), run(p, X, "personality", 25), "GE alone");
        assertAction(errno(1), run(p, X, "personality", 10, 5), "arg1 alone");
    }

    @Test
    void maskedEqWithAZeroMaskMatchesEverything() {
        LinuxSeccomp s = profile("SCMP_ACT_ALLOW", errnoRule(3, "ioctl", Profiles.masked(1, 0, 0x1234)));
        SeccompProgram p = compile(s);
        assertAction(errno(3), run(p, X, "ioctl", 0, 0), "any");
        assertAction(errno(3), run(p, X, "ioctl", 0, -1), "any");
    }

    @Test
    void killIsKillThread() {
        SeccompProgram p = compile(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_KILL", "getpid"),
                rule("SCMP_ACT_KILL_THREAD", "getppid"), rule("SCMP_ACT_KILL_PROCESS", "gettid")));
        assertAction(KILL_THREAD, run(p, X, "getpid"), "KILL");
        assertAction(KILL_THREAD, run(p, X, "getppid"), "KILL_THREAD");
        assertAction(KILL_PROCESS, run(p, X, "gettid"), "KILL_PROCESS");
    }

    @Test
    void machineNames() {
        assertEquals(Arch.X86_64, Arch.ofMachine("amd64"));
        assertEquals(Arch.X86_64, Arch.ofMachine("x86_64"));
        assertEquals(Arch.AARCH64, Arch.ofMachine("arm64"));
        assertEquals(Arch.AARCH64, Arch.ofMachine("aarch64"));
        assertEquals(Arch.X86, Arch.ofMachine("i686"));
        assertEquals(Arch.ARM, Arch.ofMachine("armv7l"));
        assertThrows(IllegalArgumentException.class, () -> Arch.ofMachine("ppc64le"));
    }

    @Test
    void theProgramIsLittleEndianSockFilters() {
        SeccompProgram p = compile(profile("SCMP_ACT_ALLOW"));
        // First instruction: ld [4] = code 0x0020, jt 0, jf 0, k 4.
        byte[] b = p.bpf();
        assertEquals(0x20, b[0]);
        assertEquals(0x00, b[1]);
        assertEquals(4, b[4]);
        assertEquals(0, b[7]);
        // Then jeq AUDIT_ARCH_X86_64 (0xc000003e), k little-endian.
        assertEquals(0x15, b[8]);
        assertEquals((byte) 0x3e, b[12]);
        assertEquals((byte) 0xc0, b[15]);
    }
}
