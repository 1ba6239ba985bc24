package io.jruntime.seccomp;

import static io.jruntime.seccomp.SeccompAbi.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The interpreter on hand-assembled programs, and its copy of the kernel's checks. */
class SeccompInterpreterTest {

    static byte[] prog(int[]... insns) {
        ByteBuffer b = ByteBuffer.allocate(insns.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] i : insns) {
            b.putShort((short) i[0]).put((byte) i[1]).put((byte) i[2]).putInt(i[3]);
        }
        return b.array();
    }

    static int[] i(int code, int jt, int jf, int k) {
        return new int[] {code, jt, jf, k};
    }

    static int[] i(int code, int k) {
        return i(code, 0, 0, k);
    }

    static int run(byte[] p, int arch, int nr, long... args) {
        return SeccompInterpreter.run(p, ByteOrder.LITTLE_ENDIAN, arch, nr, 0x1122_3344_5566_7788L, args);
    }

    @Test
    void loadsEveryFieldOfSeccompData() {
        // ret A after loading each word.
        int[][] offsets = {{DATA_NR, 7}, {DATA_ARCH, 0xc000003e}, {DATA_IP, 0x55667788}, {DATA_IP + 4, 0x11223344},
            {DATA_ARGS, 0x9abcdef0}, {DATA_ARGS + 4, 0x12345678}, {DATA_ARGS + 8 * 5 + 4, 0xcafe}};
        for (int[] o : offsets) {
            byte[] p = prog(i(BPF_LD | BPF_W | BPF_ABS, o[0]), i(BPF_RET | BPF_A, 0));
            assertEquals(o[1], run(p, 0xc000003e, 7, 0x1234_5678_9abc_def0L, 0, 0, 0, 0, 0xcafe_0000_0000L),
                    "offset " + o[0]);
        }
    }

    @Test
    void aluJumpsAndScratch() {
        byte[] p = prog(
                i(BPF_LD | BPF_IMM, 10),
                i(BPF_ALU | BPF_ADD | BPF_K, 5),          // 15
                i(BPF_ALU | BPF_MUL | BPF_K, 3),          // 45
                i(BPF_ST, 2),
                i(BPF_LDX | BPF_IMM, 4),
                i(BPF_ALU | BPF_DIV | BPF_X, 0),          // 11
                i(BPF_ALU | BPF_LSH | BPF_K, 4),          // 176
                i(BPF_ALU | BPF_OR | BPF_K, 1),           // 177
                i(BPF_MISC | BPF_TAX, 0),
                i(BPF_LD | BPF_MEM, 2),                   // 45
                i(BPF_ALU | BPF_SUB | BPF_X, 0),          // 45 - 177 = -132
                i(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 0x80000000), // negative: skip the ret
                i(BPF_RET | BPF_K, 1),
                i(BPF_ALU | BPF_NEG, 0),                  // 132
                i(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 131),
                i(BPF_RET | BPF_K, 2),
                i(BPF_JMP | BPF_JA, 1),
                i(BPF_RET | BPF_K, 3),
                i(BPF_RET | BPF_A, 0));
        assertEquals(List.of(), SeccompInterpreter.check(p, ByteOrder.LITTLE_ENDIAN));
        assertEquals(132, run(p, 0, 0));
    }

    @Test
    void unsignedJumps() {
        byte[] p = prog(i(BPF_LD | BPF_W | BPF_ABS, DATA_NR), i(BPF_JMP | BPF_JGE | BPF_K, 1, 0, 0x80000000),
                i(BPF_RET | BPF_K, 1), i(BPF_RET | BPF_K, 2));
        assertEquals(2, run(p, 0, -1), "0xffffffff >= 0x80000000 unsigned");
        assertEquals(1, run(p, 0, 0x7fffffff));
    }

    @Test
    void divisionByZeroInXEndsWithZero() {
        byte[] p = prog(i(BPF_LD | BPF_IMM, 7), i(BPF_LDX | BPF_IMM, 0), i(BPF_ALU | BPF_DIV | BPF_X, 0),
                i(BPF_RET | BPF_K, 5));
        assertEquals(0, run(p, 0, 0));
    }

    @Test
    void checkRejectsWhatTheKernelRejects() {
        assertEquals(List.of("length 0 is not within 1..4096"), SeccompInterpreter.check(new byte[0],
                ByteOrder.LITTLE_ENDIAN));
        assertEquals(List.of("insn 0: load offset 2 outside seccomp_data or unaligned"),
                check(i(BPF_LD | BPF_W | BPF_ABS, 2), i(BPF_RET | BPF_K, 0)));
        assertEquals(List.of("insn 0: load offset 64 outside seccomp_data or unaligned"),
                check(i(BPF_LD | BPF_W | BPF_ABS, 64), i(BPF_RET | BPF_K, 0)));
        assertEquals(List.of("insn 0: opcode 0x0028 not allowed in seccomp"),
                check(i(BPF_LD | BPF_H | BPF_ABS, 0), i(BPF_RET | BPF_K, 0)));
        assertEquals(List.of("insn 0: opcode 0x0094 not allowed in seccomp"),
                check(i(BPF_ALU | BPF_MOD | BPF_K, 3), i(BPF_RET | BPF_K, 0)));
        assertEquals(List.of("insn 0: conditional jump leaves the program"),
                check(i(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0), i(BPF_RET | BPF_K, 0)));
        assertEquals(List.of("insn 0: ja +1 leaves the program"), check(i(BPF_JMP | BPF_JA, 1), i(BPF_RET | BPF_K, 0)));
        assertEquals(List.of("the last instruction is not a ret"), check(i(BPF_RET | BPF_K, 0), i(BPF_LD | BPF_IMM, 0)));
        assertEquals(List.of("insn 0: division by zero"), check(i(BPF_ALU | BPF_DIV | BPF_K, 0), i(BPF_RET | BPF_A, 0)));
        assertEquals(List.of("insn 0: shift by 32"), check(i(BPF_ALU | BPF_LSH | BPF_K, 32), i(BPF_RET | BPF_A, 0)));
        assertEquals(List.of("insn 0: scratch slot 16 out of range"), check(i(BPF_ST, 16), i(BPF_RET | BPF_A, 0)));
        int[][] tooLong = new int[4097][];
        for (int n = 0; n < tooLong.length; n++) {
            tooLong[n] = i(BPF_RET | BPF_K, 0);
        }
        assertEquals(List.of("length 4097 is not within 1..4096"), check(tooLong));
    }

    static List<String> check(int[]... insns) {
        return SeccompInterpreter.check(prog(insns), ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void runningOffTheEndOrBadInputIsAnError() {
        assertThrows(IllegalStateException.class, () -> run(prog(i(BPF_LD | BPF_IMM, 0)), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> run(prog(i(BPF_RET | BPF_K, 0)), 0, 0, 1, 2, 3, 4, 5, 6, 7));
        assertThrows(IllegalArgumentException.class, () -> SeccompInterpreter.decode(new byte[7],
                ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void disassemblyNamesFieldsTargetsAndActions() {
        SeccompProgram p = Profiles.compile(Profiles.profile("SCMP_ACT_ERRNO",
                Profiles.rule("SCMP_ACT_ALLOW", "read", Profiles.arg(1, "EQ", 5))));
        String d = p.disassemble();
        assertTrue(d.startsWith("0000: ld   [4]  arch\n0001: jeq  #0xc000003e  jt 0003  jf 0002\n"), d);
        assertTrue(d.contains("ld   [0]  nr"), d);
        assertTrue(d.contains("ld   [28]  args[1] hi"), d);
        assertTrue(d.contains("ld   [24]  args[1] lo"), d);
        assertTrue(d.contains("ret  ERRNO(1)"), d);
        assertTrue(d.contains("ret  ALLOW"), d);
        assertEquals("TRACE(3)", SeccompProgram.action(RET_TRACE | 3));
        assertEquals("NOTIFY", SeccompProgram.action(RET_USER_NOTIF));
        assertEquals("LOG", SeccompProgram.action(RET_LOG));
        assertEquals("TRAP", SeccompProgram.action(RET_TRAP));
        assertEquals("0x12340000", SeccompProgram.action(0x12340000));
    }
}
