package io.jruntime.seccomp;

import static io.jruntime.seccomp.SeccompAbi.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a seccomp BPF program on one {@code struct seccomp_data} and returns the filter's verdict,
 * the way the kernel does; and checks a program with the kernel's rules ({@code bpf_check_classic}
 * plus {@code seccomp_check_filter}). For tests and debugging: the CLI's paths never load this class.
 */
public final class SeccompInterpreter {
    private SeccompInterpreter() {}

    /** One decoded {@code struct sock_filter}. */
    public record Insn(int code, int jt, int jf, int k) {}

    /** Decodes the instructions of {@code bpf} ({@code struct sock_filter} array in {@code order}). */
    public static List<Insn> decode(byte[] bpf, ByteOrder order) {
        if (bpf.length % INSN_SIZE != 0) {
            throw new IllegalArgumentException("BPF length " + bpf.length + " is not a multiple of " + INSN_SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(bpf).order(order);
        List<Insn> out = new ArrayList<>(bpf.length / INSN_SIZE);
        while (b.hasRemaining()) {
            out.add(new Insn(b.getShort() & 0xffff, b.get() & 0xff, b.get() & 0xff, b.getInt()));
        }
        return out;
    }

    /** The verdict of {@code program} for a syscall. {@code args} holds up to six 64-bit arguments. */
    public static int run(SeccompProgram program, int auditArch, int nr, long ip, long... args) {
        return run(program.bpf(), ByteOrder.LITTLE_ENDIAN, auditArch, nr, ip, args);
    }

    /** The verdict of the little- or big-endian {@code bpf} for a syscall. */
    public static int run(byte[] bpf, ByteOrder order, int auditArch, int nr, long ip, long... args) {
        return run(decode(bpf, order), order, auditArch, nr, ip, args);
    }

    /** The verdict of an already {@linkplain #decode decoded} program, for callers that run one program often. */
    public static int run(List<Insn> program, ByteOrder order, int auditArch, int nr, long ip, long... args) {
        if (args.length > 6) {
            throw new IllegalArgumentException("at most 6 syscall arguments");
        }
        ByteBuffer data = ByteBuffer.allocate(DATA_SIZE).order(order);
        data.putInt(DATA_NR, nr).putInt(DATA_ARCH, auditArch).putLong(DATA_IP, ip);
        for (int i = 0; i < args.length; i++) {
            data.putLong(DATA_ARGS + 8 * i, args[i]);
        }
        return execute(program, data);
    }

    private static int execute(List<Insn> prog, ByteBuffer data) {
        int a = 0;
        int x = 0;
        int[] mem = new int[BPF_MEMWORDS];
        int pc = 0;
        while (true) {
            if (pc >= prog.size()) {
                throw new IllegalStateException("ran off the end of the program");
            }
            Insn i = prog.get(pc++);
            int code = i.code();
            int k = i.k();
            switch (code & 0x07) {
                case BPF_LD -> {
                    switch (code) {
                        case BPF_LD | BPF_W | BPF_ABS -> {
                            if (k < 0 || k > DATA_SIZE - 4 || (k & 3) != 0) {
                                throw new IllegalStateException("bad load offset " + k + " at " + (pc - 1));
                            }
                            a = data.getInt(k);
                        }
                        case BPF_LD | BPF_W | BPF_LEN -> a = DATA_SIZE;
                        case BPF_LD | BPF_IMM -> a = k;
                        case BPF_LD | BPF_MEM -> a = mem[k];
                        default -> throw bad(code, pc - 1);
                    }
                }
                case BPF_LDX -> {
                    switch (code) {
                        case BPF_LDX | BPF_W | BPF_LEN -> x = DATA_SIZE;
                        case BPF_LDX | BPF_IMM -> x = k;
                        case BPF_LDX | BPF_MEM -> x = mem[k];
                        default -> throw bad(code, pc - 1);
                    }
                }
                case BPF_ST -> mem[k] = a;
                case BPF_STX -> mem[k] = x;
                case BPF_ALU -> {
                    int operand = (code & BPF_X) != 0 ? x : k;
                    switch (code & 0xf0) {
                        case BPF_ADD -> a += operand;
                        case BPF_SUB -> a -= operand;
                        case BPF_MUL -> a *= operand;
                        case BPF_DIV -> {
                            if (operand == 0) {
                                return 0; // the kernel ends the program with 0 (kill)
                            }
                            a = Integer.divideUnsigned(a, operand);
                        }
                        case BPF_OR -> a |= operand;
                        case BPF_AND -> a &= operand;
                        case BPF_XOR -> a ^= operand;
                        case BPF_LSH -> a = operand >= 32 ? 0 : a << operand;
                        case BPF_RSH -> a = operand >= 32 ? 0 : a >>> operand;
                        case BPF_NEG -> a = -a;
                        default -> throw bad(code, pc - 1);
                    }
                }
                case BPF_JMP -> {
                    if ((code & 0xf0) == BPF_JA) {
                        pc += k;
                    } else {
                        int operand = (code & BPF_X) != 0 ? x : k;
                        boolean taken = switch (code & 0xf0) {
                            case BPF_JEQ -> a == operand;
                            case BPF_JGT -> Integer.compareUnsigned(a, operand) > 0;
                            case BPF_JGE -> Integer.compareUnsigned(a, operand) >= 0;
                            case BPF_JSET -> (a & operand) != 0;
                            default -> throw bad(code, pc - 1);
                        };
                        pc += taken ? i.jt() : i.jf();
                    }
                }
                case BPF_RET -> {
                    return (code & 0x18) == BPF_A ? a : k;
                }
                case BPF_MISC -> {
                    if ((code & 0xf8) == BPF_TXA) {
                        a = x;
                    } else {
                        x = a;
                    }
                }
                default -> throw bad(code, pc - 1);
            }
        }
    }

    private static IllegalStateException bad(int code, int pc) {
        return new IllegalStateException(String.format("bad opcode 0x%04x at %d", code, pc));
    }

    /**
     * The problems the kernel would reject {@code bpf} for with EINVAL (empty list: it would load it):
     * length 1..4096, only the opcodes seccomp allows, aligned in-bounds seccomp_data loads, constant
     * shifts below 32, no division by a zero constant, scratch slots below 16, every jump inside the
     * program, and a {@code ret} last.
     */
    public static List<String> check(byte[] bpf, ByteOrder order) {
        List<String> problems = new ArrayList<>();
        List<Insn> prog = decode(bpf, order);
        int n = prog.size();
        if (n == 0 || n > MAX_INSNS) {
            problems.add("length " + n + " is not within 1.." + MAX_INSNS);
            return problems;
        }
        for (int pc = 0; pc < n; pc++) {
            Insn i = prog.get(pc);
            int code = i.code();
            int k = i.k();
            String where = "insn " + pc + ": ";
            switch (code) {
                case BPF_LD | BPF_W | BPF_ABS -> {
                    if (k < 0 || k >= DATA_SIZE || (k & 3) != 0) {
                        problems.add(where + "load offset " + k + " outside seccomp_data or unaligned");
                    }
                }
                case BPF_LD | BPF_W | BPF_LEN, BPF_LDX | BPF_W | BPF_LEN, BPF_LD | BPF_IMM, BPF_LDX | BPF_IMM,
                        BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA, BPF_RET | BPF_K, BPF_RET | BPF_A,
                        BPF_ALU | BPF_NEG -> { }
                case BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM, BPF_ST, BPF_STX -> {
                    if (k < 0 || k >= BPF_MEMWORDS) {
                        problems.add(where + "scratch slot " + k + " out of range");
                    }
                }
                case BPF_ALU | BPF_ADD | BPF_K, BPF_ALU | BPF_ADD | BPF_X, BPF_ALU | BPF_SUB | BPF_K,
                        BPF_ALU | BPF_SUB | BPF_X, BPF_ALU | BPF_MUL | BPF_K, BPF_ALU | BPF_MUL | BPF_X,
                        BPF_ALU | BPF_DIV | BPF_X, BPF_ALU | BPF_AND | BPF_K, BPF_ALU | BPF_AND | BPF_X,
                        BPF_ALU | BPF_OR | BPF_K, BPF_ALU | BPF_OR | BPF_X, BPF_ALU | BPF_XOR | BPF_K,
                        BPF_ALU | BPF_XOR | BPF_X, BPF_ALU | BPF_LSH | BPF_X, BPF_ALU | BPF_RSH | BPF_X -> { }
                case BPF_ALU | BPF_DIV | BPF_K -> {
                    if (k == 0) {
                        problems.add(where + "division by zero");
                    }
                }
                case BPF_ALU | BPF_LSH | BPF_K, BPF_ALU | BPF_RSH | BPF_K -> {
                    if (Integer.compareUnsigned(k, 32) >= 0) {
                        problems.add(where + "shift by " + Integer.toUnsignedString(k));
                    }
                }
                case BPF_JMP | BPF_JA -> {
                    if (Integer.compareUnsigned(k, n - pc - 1) >= 0) {
                        problems.add(where + "ja +" + Integer.toUnsignedString(k) + " leaves the program");
                    }
                }
                case BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JEQ | BPF_X, BPF_JMP | BPF_JGE | BPF_K,
                        BPF_JMP | BPF_JGE | BPF_X, BPF_JMP | BPF_JGT | BPF_K, BPF_JMP | BPF_JGT | BPF_X,
                        BPF_JMP | BPF_JSET | BPF_K, BPF_JMP | BPF_JSET | BPF_X -> {
                    if (pc + i.jt() + 1 >= n || pc + i.jf() + 1 >= n) {
                        problems.add(where + "conditional jump leaves the program");
                    }
                }
                default -> problems.add(where + String.format("opcode 0x%04x not allowed in seccomp", code));
            }
        }
        int last = prog.get(n - 1).code();
        if (last != (BPF_RET | BPF_K) && last != (BPF_RET | BPF_A)) {
            problems.add("the last instruction is not a ret");
        }
        return problems;
    }
}
