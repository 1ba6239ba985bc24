package io.jruntime.seccomp;

/**
 * The kernel's seccomp ABI as numbers: filter return values ({@code SECCOMP_RET_*}), filter flags
 * ({@code SECCOMP_FILTER_FLAG_*}), the {@code struct seccomp_data} layout, and the classic BPF
 * opcodes seccomp accepts (linux/seccomp.h, linux/filter.h, linux/bpf_common.h).
 */
public final class SeccompAbi {
    private SeccompAbi() {}

    // ---------------------------------------------------------------- filter return values
    /** Kill the whole process (Linux 4.14). The highest-precedence action. */
    public static final int RET_KILL_PROCESS = 0x80000000;
    /** Kill the calling thread; also what {@code SCMP_ACT_KILL} means. */
    public static final int RET_KILL_THREAD = 0x00000000;
    /** Send SIGSYS to the thread. */
    public static final int RET_TRAP = 0x00030000;
    /** Return {@code -(low 16 bits)} as errno without running the syscall. */
    public static final int RET_ERRNO = 0x00050000;
    /** Hand the syscall to the user-space listener (Linux 5.0). */
    public static final int RET_USER_NOTIF = 0x7fc00000;
    /** Notify a ptrace tracer, the low 16 bits are the message. */
    public static final int RET_TRACE = 0x7ff00000;
    /** Allow after logging (Linux 4.14). */
    public static final int RET_LOG = 0x7ffc0000;
    /** Allow. */
    public static final int RET_ALLOW = 0x7fff0000;
    /** The action part of a return value. */
    public static final int RET_ACTION_FULL = 0xffff0000;
    /** The data part of a return value (errno, trace message). */
    public static final int RET_DATA = 0x0000ffff;

    // ---------------------------------------------------------------- seccomp(2)
    public static final int SET_MODE_STRICT = 0;
    public static final int SET_MODE_FILTER = 1;
    public static final int GET_ACTION_AVAIL = 2;
    public static final int GET_NOTIF_SIZES = 3;

    public static final int FILTER_FLAG_TSYNC = 1;
    public static final int FILTER_FLAG_LOG = 1 << 1;
    public static final int FILTER_FLAG_SPEC_ALLOW = 1 << 2;
    public static final int FILTER_FLAG_NEW_LISTENER = 1 << 3;
    public static final int FILTER_FLAG_TSYNC_ESRCH = 1 << 4;
    public static final int FILTER_FLAG_WAIT_KILLABLE_RECV = 1 << 5;

    /** The kernel's limit on one filter (BPF_MAXINSNS). */
    public static final int MAX_INSNS = 4096;

    // ---------------------------------------------------------------- struct seccomp_data
    public static final int DATA_NR = 0;
    public static final int DATA_ARCH = 4;
    public static final int DATA_IP = 8;
    public static final int DATA_ARGS = 16;
    public static final int DATA_SIZE = 64;

    /** On x86_64, the bit that marks an x32 syscall number (same audit arch as x86_64). */
    public static final int X32_SYSCALL_BIT = 0x40000000;

    // ---------------------------------------------------------------- classic BPF
    public static final int BPF_LD = 0x00;
    public static final int BPF_LDX = 0x01;
    public static final int BPF_ST = 0x02;
    public static final int BPF_STX = 0x03;
    public static final int BPF_ALU = 0x04;
    public static final int BPF_JMP = 0x05;
    public static final int BPF_RET = 0x06;
    public static final int BPF_MISC = 0x07;

    public static final int BPF_W = 0x00;
    public static final int BPF_H = 0x08;
    public static final int BPF_B = 0x10;

    public static final int BPF_IMM = 0x00;
    public static final int BPF_ABS = 0x20;
    public static final int BPF_IND = 0x40;
    public static final int BPF_MEM = 0x60;
    public static final int BPF_LEN = 0x80;
    public static final int BPF_MSH = 0xa0;

    public static final int BPF_ADD = 0x00;
    public static final int BPF_SUB = 0x10;
    public static final int BPF_MUL = 0x20;
    public static final int BPF_DIV = 0x30;
    public static final int BPF_OR = 0x40;
    public static final int BPF_AND = 0x50;
    public static final int BPF_LSH = 0x60;
    public static final int BPF_RSH = 0x70;
    public static final int BPF_NEG = 0x80;
    public static final int BPF_MOD = 0x90;
    public static final int BPF_XOR = 0xa0;

    public static final int BPF_JA = 0x00;
    public static final int BPF_JEQ = 0x10;
    public static final int BPF_JGT = 0x20;
    public static final int BPF_JGE = 0x30;
    public static final int BPF_JSET = 0x40;

    public static final int BPF_K = 0x00;
    public static final int BPF_X = 0x08;
    public static final int BPF_A = 0x10;

    public static final int BPF_TAX = 0x00;
    public static final int BPF_TXA = 0x80;

    /** Scratch memory slots of classic BPF. */
    public static final int BPF_MEMWORDS = 16;

    /** Size of one {@code struct sock_filter}: u16 code, u8 jt, u8 jf, u32 k. */
    public static final int INSN_SIZE = 8;
}
