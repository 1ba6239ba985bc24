package io.jruntime.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A compiled seccomp filter, ready for {@code seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog)}.
 *
 * @param bpf the {@code struct sock_filter} array in the target's byte order (little-endian on
 *     x86_64 and aarch64): 8 bytes per instruction, u16 code, u8 jt, u8 jf, u32 k. The loader builds
 *     {@code struct sock_fprog {.len = instructionCount, .filter = bpf}}. Do not modify.
 * @param instructionCount {@code bpf.length / 8}, at most 4096
 * @param flags the {@code SECCOMP_FILTER_FLAG_*} bits to pass to seccomp(2) as they are; includes
 *     {@code NEW_LISTENER} (and {@code TSYNC_ESRCH} with {@code TSYNC}) when {@code needsListener}
 * @param needsListener true when a rule uses {@code SCMP_ACT_NOTIFY}: seccomp(2) then returns the
 *     listener fd, which goes to the agent at {@code listenerPath}
 */
public record SeccompProgram(byte[] bpf, int instructionCount, int flags, boolean needsListener) {

    /** One instruction per line, with resolved jump targets and decoded actions (for logs and tests). */
    public String disassemble() {
        StringBuilder sb = new StringBuilder();
        ByteBuffer b = ByteBuffer.wrap(bpf).order(ByteOrder.LITTLE_ENDIAN);
        for (int pc = 0; b.hasRemaining(); pc++) {
            int code = b.getShort() & 0xffff;
            int jt = b.get() & 0xff;
            int jf = b.get() & 0xff;
            int k = b.getInt();
            sb.append(String.format("%04d: ", pc)).append(insn(pc, code, jt, jf, k)).append('\n');
        }
        return sb.toString();
    }

    private static String insn(int pc, int code, int jt, int jf, int k) {
        String jmp = switch (code) {
            case 0x15 -> "jeq";
            case 0x25 -> "jgt";
            case 0x35 -> "jge";
            case 0x45 -> "jset";
            default -> null;
        };
        if (jmp != null) {
            return String.format("%-4s #0x%08x  jt %04d  jf %04d", jmp, k, pc + 1 + jt, pc + 1 + jf);
        }
        return switch (code) {
            case 0x20 -> "ld   [" + k + "]" + field(k);
            case 0x54 -> String.format("and  #0x%08x", k);
            case 0x05 -> String.format("ja   %04d", pc + 1 + k);
            case 0x06 -> "ret  " + action(k);
            default -> String.format("op 0x%04x jt %d jf %d k 0x%08x", code, jt, jf, k);
        };
    }

    private static String field(int k) {
        if (k == SeccompAbi.DATA_NR) {
            return "  nr";
        }
        if (k == SeccompAbi.DATA_ARCH) {
            return "  arch";
        }
        if (k >= SeccompAbi.DATA_ARGS) {
            int arg = (k - SeccompAbi.DATA_ARGS) / 8;
            return "  args[" + arg + "]" + (((k - SeccompAbi.DATA_ARGS) % 8) == 0 ? " lo" : " hi");
        }
        return "  ip";
    }

    /** A {@code SECCOMP_RET_*} value as text: {@code ALLOW}, {@code ERRNO(1)}, {@code TRACE(5)}, ... */
    public static String action(int value) {
        int data = value & SeccompAbi.RET_DATA;
        return switch (value & SeccompAbi.RET_ACTION_FULL) {
            case SeccompAbi.RET_KILL_PROCESS -> "KILL_PROCESS";
            case SeccompAbi.RET_KILL_THREAD -> "KILL_THREAD";
            case SeccompAbi.RET_TRAP -> "TRAP";
            case SeccompAbi.RET_ERRNO -> "ERRNO(" + data + ")";
            case SeccompAbi.RET_USER_NOTIF -> "NOTIFY";
            case SeccompAbi.RET_TRACE -> "TRACE(" + data + ")";
            case SeccompAbi.RET_LOG -> "LOG";
            case SeccompAbi.RET_ALLOW -> "ALLOW";
            default -> String.format("0x%08x", value);
        };
    }
}
