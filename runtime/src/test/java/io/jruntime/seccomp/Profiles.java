package io.jruntime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.spec.Json;
import io.jruntime.spec.LinuxSeccomp;
import io.jruntime.spec.LinuxSeccompArg;
import io.jruntime.spec.LinuxSyscall;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helpers: building profiles, compiling, and asking the interpreter for verdicts. */
final class Profiles {
    private Profiles() {}

    static final int ALLOW = SeccompAbi.RET_ALLOW;
    static final int KILL_THREAD = SeccompAbi.RET_KILL_THREAD;
    static final int KILL_PROCESS = SeccompAbi.RET_KILL_PROCESS;

    static int errno(int e) {
        return SeccompAbi.RET_ERRNO | e;
    }

    static LinuxSeccomp seccomp(String defaultAction, Long defaultErrnoRet, List<String> archs, List<String> flags,
            LinuxSyscall... rules) {
        return new LinuxSeccomp(defaultAction, defaultErrnoRet, archs, flags, null, null, List.of(rules));
    }

    static LinuxSeccomp profile(String defaultAction, LinuxSyscall... rules) {
        return seccomp(defaultAction, null, null, null, rules);
    }

    static LinuxSyscall rule(String action, Long errnoRet, List<String> names, LinuxSeccompArg... args) {
        return new LinuxSyscall(names, action, errnoRet, args.length == 0 ? null : List.of(args));
    }

    static LinuxSyscall rule(String action, String name, LinuxSeccompArg... args) {
        return rule(action, null, List.of(name), args);
    }

    static LinuxSyscall errnoRule(int errno, String name, LinuxSeccompArg... args) {
        return rule("SCMP_ACT_ERRNO", (long) errno, List.of(name), args);
    }

    static LinuxSeccompArg arg(int index, String op, long value) {
        return new LinuxSeccompArg((long) index, value, null, "SCMP_CMP_" + op);
    }

    static LinuxSeccompArg masked(int index, long mask, long expected) {
        return new LinuxSeccompArg((long) index, mask, expected, "SCMP_CMP_MASKED_EQ");
    }

    static LinuxSeccomp resource(String name) {
        try (InputStream in = Profiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return Json.mapper().readValue(in, LinuxSeccomp.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SeccompProgram compile(LinuxSeccomp s) {
        return compile(s, Arch.X86_64);
    }

    static SeccompProgram compile(LinuxSeccomp s, Arch nativeArch) {
        return compile(s, nativeArch, SeccompCompiler.Options.defaults());
    }

    /** Compiles and checks the result with the kernel's rules. */
    static SeccompProgram compile(LinuxSeccomp s, Arch nativeArch, SeccompCompiler.Options options) {
        SeccompProgram p = SeccompCompiler.compile(s, nativeArch, options);
        assertEquals(p.bpf().length / 8, p.instructionCount());
        assertEquals(List.of(), SeccompInterpreter.check(p.bpf(), ByteOrder.LITTLE_ENDIAN), p::disassemble);
        assertTrue(p.instructionCount() <= SeccompAbi.MAX_INSNS);
        return p;
    }

    static int nr(Arch a, String name) {
        int n = SyscallTable.of(a).number(name);
        if (n < 0) {
            throw new IllegalArgumentException(name + " is not a syscall of " + a);
        }
        return n;
    }

    /** The verdict for syscall {@code name} of {@code arch}. */
    static int run(SeccompProgram p, Arch arch, String name, long... args) {
        return SeccompInterpreter.run(p, arch.auditArch(), nr(arch, name), 0x7f00_1234_5678L, args);
    }

    static int runNr(SeccompProgram p, Arch arch, int nr, long... args) {
        return SeccompInterpreter.run(p, arch.auditArch(), nr, 0, args);
    }

    static String show(int action) {
        return SeccompProgram.action(action);
    }

    static void assertAction(int expected, int actual, String what) {
        assertEquals(show(expected), show(actual), what);
    }

    static List<String> collect(List<String> sink) {
        return sink;
    }

    static List<String> names(String... n) {
        return new ArrayList<>(Arrays.asList(n));
    }
}
