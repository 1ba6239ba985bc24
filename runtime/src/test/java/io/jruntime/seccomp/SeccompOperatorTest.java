package io.jruntime.seccomp;

import static io.jruntime.seccomp.Profiles.ALLOW;
import static io.jruntime.seccomp.Profiles.arg;
import static io.jruntime.seccomp.Profiles.compile;
import static io.jruntime.seccomp.Profiles.errno;
import static io.jruntime.seccomp.Profiles.errnoRule;
import static io.jruntime.seccomp.Profiles.masked;
import static io.jruntime.seccomp.Profiles.profile;
import static io.jruntime.seccomp.Profiles.run;
import static io.jruntime.seccomp.Profiles.seccomp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every operator against boundary values on both sides of 2^31, 2^32 and 2^63, compared as unsigned
 * 64-bit numbers (high word first) on 64-bit ABIs, and as their low words on 32-bit ABIs (libseccomp).
 */
class SeccompOperatorTest {

    enum Op { NE, LT, LE, EQ, GE, GT }

    /** Rule values: each is also probed at -1, 0, +1 around it. */
    static final long[] VALUES = {
        0L, 1L, 2L, 0x7fff_ffffL, 0x8000_0000L, 0xffff_fffeL, 0xffff_ffffL, 0x1_0000_0000L, 0x1_0000_0001L,
        0x1_ffff_ffffL, 0x2_0000_0000L, 0x1234_5678_9abc_def0L, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE + 1, 0xffff_ffff_0000_0000L, -2L, -1L,
    };

    static Set<Long> probes(long v) {
        Set<Long> out = new LinkedHashSet<>();
        for (long base : VALUES) {
            out.add(base);
        }
        out.add(v - 1);
        out.add(v);
        out.add(v + 1);
        out.add(v ^ 0x1_0000_0000L); // same low word, different high word
        out.add(v ^ 1L);             // same high word, different low word
        return out;
    }

    static boolean holds(Op op, long a, long v) {
        int c = Long.compareUnsigned(a, v);
        return switch (op) {
            case NE -> c != 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case EQ -> c == 0;
            case GE -> c >= 0;
            case GT -> c > 0;
        };
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void unsigned64BitComparisonOn64BitAbis(Op op) {
        int n = 0;
        for (Arch arch : List.of(Arch.X86_64, Arch.AARCH64)) {
            for (long v : VALUES) {
                // The argument under test is arg 3; the other arguments carry noise.
                SeccompProgram p = compile(profile("SCMP_ACT_ALLOW", errnoRule(77, "lseek", arg(3, op.name(), v))),
                        arch);
                for (long a : probes(v)) {
                    int expected = holds(op, a, v) ? errno(77) : ALLOW;
                    int actual = run(p, arch, "lseek", -1L, 0x5555_5555_5555_5555L, 7, a, -1L, 0);
                    assertEquals(SeccompProgram.action(expected), SeccompProgram.action(actual),
                            arch + " arg " + Long.toUnsignedString(a) + " " + op + " " + Long.toUnsignedString(v));
                    n++;
                }
            }
        }
        assertTrue(n >= 700, "checked " + n);
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void lowWordOnlyOn32BitAbis(Op op) {
        // libseccomp compares 32-bit ABIs' arguments as 32-bit values: the high word of the rule's
        // value is dropped and the argument's high word is not looked at.
        for (Arch arch : List.of(Arch.X86, Arch.ARM, Arch.X32)) {
            Arch nativeArch = arch == Arch.ARM ? Arch.AARCH64 : Arch.X86_64;
            for (long v : VALUES) {
                SeccompProgram p = compile(seccomp("SCMP_ACT_ALLOW", null, List.of(arch.scmpName()), null,
                        errnoRule(77, "getpriority", arg(1, op.name(), v))), nativeArch);
                for (long a : probes(v)) {
                    boolean expected = holds(op, a & 0xffff_ffffL, v & 0xffff_ffffL);
                    int actual = run(p, arch, "getpriority", 0, a);
                    assertEquals(SeccompProgram.action(expected ? errno(77) : ALLOW), SeccompProgram.action(actual),
                            arch + " arg " + Long.toHexString(a) + " " + op + " " + Long.toHexString(v));
                }
            }
        }
    }

    @Test
    void maskedEqualOn64BitAbis() {
        long[][] cases = {
            // mask, expected
            {0x7e02_0000L, 0},                      // Docker's clone rule: no namespace flags
            {0xffL, 0x12},                          // low bits only
            {0xff_0000_0000L, 0x12_0000_0000L},     // high word only
            {0x8000_0000_0000_0001L, 0x8000_0000_0000_0001L}, // both words, top and bottom bits
            {-1L, 0x1234_5678_9abc_def0L},          // full mask: EQ
            {0xf0L, 0x1ffL},                        // expected has bits outside the mask: datum is masked too
            {0xffff_ffff_0000_0000L, 0},
        };
        List<Long> args = new ArrayList<>(List.of(0L, 1L, 0x12L, 0x112L, 0xf0L, 0x1f0L, 0x10L, 0x12_0000_0000L,
                0x12_0000_0012L, 0x13_0000_0000L, 0x8000_0000_0000_0001L, 0x8000_0000_0000_0000L, 1L,
                0x1234_5678_9abc_def0L, 0x1234_5678_9abc_def1L, 0x0002_0000L, 0x1000_0000L, 0x1_0000_0000L, -1L,
                0x7e02_0000L, 0x0100_0000L /* CLONE_SETTLS is outside the mask */));
        for (long[] c : cases) {
            SeccompProgram p = compile(profile("SCMP_ACT_ALLOW", errnoRule(5, "clone", masked(0, c[0], c[1]))));
            for (long a : args) {
                boolean expected = (a & c[0]) == (c[1] & c[0]);
                assertEquals(SeccompProgram.action(expected ? errno(5) : ALLOW),
                        SeccompProgram.action(run(p, Arch.X86_64, "clone", a)),
                        "(" + Long.toHexString(a) + " & " + Long.toHexString(c[0]) + ") == " + Long.toHexString(c[1]));
            }
        }
    }

    @Test
    void maskedEqualOn32BitAbisUsesTheLowWord() {
        SeccompProgram p = compile(seccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86"), null,
                errnoRule(5, "clone", masked(0, 0xff_0000_00f0L, 0x10))));
        assertEquals(SeccompProgram.action(errno(5)), SeccompProgram.action(run(p, Arch.X86, "clone", 0x13)));
        assertEquals(SeccompProgram.action(errno(5)), SeccompProgram.action(run(p, Arch.X86, "clone", 0x77_0000_0013L)));
        assertEquals(SeccompProgram.action(ALLOW), SeccompProgram.action(run(p, Arch.X86, "clone", 0x23)));
        // A mask whose low word is zero tests nothing on a 32-bit ABI.
        p = compile(seccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86"), null,
                errnoRule(5, "clone", masked(0, 0xff_0000_0000L, 0x10_0000_0000L))));
        assertEquals(SeccompProgram.action(errno(5)), SeccompProgram.action(run(p, Arch.X86, "clone", 0)));
        assertEquals(SeccompProgram.action(ALLOW), SeccompProgram.action(run(p, Arch.X86_64, "clone", 0)));
    }

    @Test
    void everyArgumentIndexReadsItsOwnSlot() {
        for (int i = 0; i < 6; i++) {
            SeccompProgram p = compile(profile("SCMP_ACT_ALLOW", errnoRule(9, "mmap", arg(i, "EQ", 0x1_0000_0000L + i))));
            for (int j = 0; j < 6; j++) {
                long[] args = new long[6];
                args[j] = 0x1_0000_0000L + i;
                int expected = i == j ? errno(9) : ALLOW;
                assertEquals(SeccompProgram.action(expected), SeccompProgram.action(run(p, Arch.X86_64, "mmap", args)),
                        "rule on arg " + i + ", value in arg " + j);
            }
        }
    }

    @Test
    void allConditionsOfARuleAcrossWords() {
        // arg0 in [2^32, 2^33), arg1 != 0, arg2 masked: all must hold.
        SeccompProgram p = compile(profile("SCMP_ACT_ALLOW", errnoRule(4, "pread64",
                arg(0, "GE", 0x1_0000_0000L), arg(1, "NE", 0), arg(2, "MASKED_EQ", 0x3), arg(3, "LT", 0x2_0000_0000L))));
        // MASKED_EQ through arg(): value is the mask, valueTwo absent (0).
        assertEquals(SeccompProgram.action(errno(4)),
                SeccompProgram.action(run(p, Arch.X86_64, "pread64", 0x1_0000_0000L, 1, 4, 0x1_ffff_ffffL)));
        assertEquals(SeccompProgram.action(ALLOW),
                SeccompProgram.action(run(p, Arch.X86_64, "pread64", 0xffff_ffffL, 1, 4, 0)));
        assertEquals(SeccompProgram.action(ALLOW),
                SeccompProgram.action(run(p, Arch.X86_64, "pread64", 0x1_0000_0000L, 0, 4, 0)));
        assertEquals(SeccompProgram.action(ALLOW),
                SeccompProgram.action(run(p, Arch.X86_64, "pread64", 0x1_0000_0000L, 1, 5, 0)));
        assertEquals(SeccompProgram.action(ALLOW),
                SeccompProgram.action(run(p, Arch.X86_64, "pread64", 0x1_0000_0000L, 1, 4, 0x2_0000_0000L)));
    }
}
