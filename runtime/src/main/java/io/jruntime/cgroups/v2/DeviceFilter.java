package io.jruntime.cgroups.v2;

import io.jruntime.cgroups.CgroupException;
import io.jruntime.cgroups.DeviceEmulator;
import io.jruntime.cgroups.DeviceRule;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles device rules into a BPF_PROG_TYPE_CGROUP_DEVICE program, the cgroup v2 replacement of
 * devices.allow/deny. The rules first go through {@link DeviceEmulator}, so the program enforces exactly the
 * policy the v1 controller would (same approach as runc's devicefilter, which follows crun's ebpf.c): the
 * exceptions, all with the action opposite to the default, are checked one after another and the first match
 * returns; nothing matching returns the default.
 *
 * <p>The program reads {@code struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }} from R1:
 * <pre>
 *   r2 = ctx->access_type & 0xffff     device type: 1 block, 2 char
 *   r3 = ctx->access_type >> 16        requested access: 1 mknod, 2 read, 4 write
 *   r4 = ctx->major; r5 = ctx->minor
 *   per rule:  if r2 != type goto next
 *              if (r3 & access) != r3 goto next      (omitted for "rwm")
 *              if r4 != major goto next              (omitted for *)
 *              if r5 != minor goto next              (omitted for *)
 *              return allow ? 1 : 0
 *   next ...   return default
 * </pre>
 */
public final class DeviceFilter {

    /** The license string handed to the kernel (the program uses no GPL-only helper). */
    public static final String LICENSE = "Apache";

    static final int BPF_DEVCG_DEV_BLOCK = 1, BPF_DEVCG_DEV_CHAR = 2;
    static final int BPF_DEVCG_ACC_MKNOD = 1, BPF_DEVCG_ACC_READ = 2, BPF_DEVCG_ACC_WRITE = 4;

    // opcodes: class | op | source
    static final int LDX_MEM_W = 0x61, ALU32_AND_K = 0x54, ALU32_RSH_K = 0x74, ALU32_MOV_X = 0xbc,
            ALU32_MOV_K = 0xb4, JMP_JNE_K = 0x55, JMP_JNE_X = 0x5d, JMP_EXIT = 0x95;

    /** One eBPF instruction; {@code target} is a block index for jumps still to be resolved (-1 otherwise). */
    record Insn(int code, int dst, int src, int off, int imm, int target) {
        static Insn of(int code, int dst, int src, int off, int imm) {
            return new Insn(code, dst, src, off, imm, -1);
        }
    }

    private DeviceFilter() {}

    /** The program for {@code rules} (applied in order on a deny-all base), as bytes of struct bpf_insn. */
    public static byte[] compile(List<DeviceRule> rules) {
        return encode(instructions(rules));
    }

    static List<Insn> instructions(List<DeviceRule> rules) {
        DeviceEmulator emu = DeviceEmulator.of(rules);
        boolean defaultAllow = emu.defaultAllow();
        List<List<Insn>> blocks = new ArrayList<>();
        for (DeviceRule rule : emu.rules()) {
            if (rule.type() == 'a') {
                continue; // the leading "a" rule only sets the default, handled by the final block
            }
            if (rule.allow() == defaultAllow) {
                throw new CgroupException("internal error: device rule " + rule.cgroupString() + " repeats the default action");
            }
            blocks.add(block(rule, blocks.size() + 1));
        }
        List<Insn> prog = new ArrayList<>();
        prog.add(Insn.of(LDX_MEM_W, 2, 1, 0, 0));
        prog.add(Insn.of(ALU32_AND_K, 2, 0, 0, 0xFFFF));
        prog.add(Insn.of(LDX_MEM_W, 3, 1, 0, 0));
        prog.add(Insn.of(ALU32_RSH_K, 3, 0, 0, 16));
        prog.add(Insn.of(LDX_MEM_W, 4, 1, 4, 0));
        prog.add(Insn.of(LDX_MEM_W, 5, 1, 8, 0));
        List<Integer> blockStart = new ArrayList<>();
        for (List<Insn> b : blocks) {
            blockStart.add(prog.size());
            prog.addAll(b);
        }
        blockStart.add(prog.size());
        prog.add(Insn.of(ALU32_MOV_K, 0, 0, 0, defaultAllow ? 1 : 0));
        prog.add(Insn.of(JMP_EXIT, 0, 0, 0, 0));
        // Resolve jumps: offset is relative to the instruction after the jump.
        for (int pc = 0; pc < prog.size(); pc++) {
            Insn i = prog.get(pc);
            if (i.target() >= 0) {
                int off = blockStart.get(i.target()) - (pc + 1);
                prog.set(pc, Insn.of(i.code(), i.dst(), i.src(), off, i.imm()));
            }
        }
        return prog;
    }

    private static List<Insn> block(DeviceRule rule, int next) {
        List<Insn> b = new ArrayList<>();
        int type = rule.type() == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK;
        if (rule.major() > 0xFFFFFFFFL || rule.minor() > 0xFFFFFFFFL) {
            throw new CgroupException("invalid device number " + rule.major() + ":" + rule.minor());
        }
        int access = 0;
        for (char c : rule.access().toCharArray()) {
            access |= switch (c) {
                case 'r' -> BPF_DEVCG_ACC_READ;
                case 'w' -> BPF_DEVCG_ACC_WRITE;
                default -> BPF_DEVCG_ACC_MKNOD;
            };
        }
        b.add(new Insn(JMP_JNE_K, 2, 0, 0, type, next));
        if (access != (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD)) {
            b.add(Insn.of(ALU32_MOV_X, 1, 3, 0, 0));
            b.add(Insn.of(ALU32_AND_K, 1, 0, 0, access));
            b.add(new Insn(JMP_JNE_X, 1, 3, 0, 0, next));
        }
        if (rule.major() != DeviceRule.WILDCARD) {
            b.add(new Insn(JMP_JNE_K, 4, 0, 0, (int) rule.major(), next));
        }
        if (rule.minor() != DeviceRule.WILDCARD) {
            b.add(new Insn(JMP_JNE_K, 5, 0, 0, (int) rule.minor(), next));
        }
        b.add(Insn.of(ALU32_MOV_K, 0, 0, 0, rule.allow() ? 1 : 0));
        b.add(Insn.of(JMP_EXIT, 0, 0, 0, 0));
        return b;
    }

    static byte[] encode(List<Insn> prog) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(prog.size() * 8);
        for (Insn i : prog) {
            if (i.off() < Short.MIN_VALUE || i.off() > Short.MAX_VALUE) {
                throw new CgroupException("device filter too large: jump offset " + i.off());
            }
            out.write(i.code());
            out.write((i.src() << 4) | i.dst());
            out.write(i.off() & 0xFF);
            out.write((i.off() >> 8) & 0xFF);
            out.write(i.imm() & 0xFF);
            out.write((i.imm() >> 8) & 0xFF);
            out.write((i.imm() >> 16) & 0xFF);
            out.write((i.imm() >> 24) & 0xFF);
        }
        return out.toByteArray();
    }

    /**
     * Runs the program on one access, as the kernel would (used by the tests to check the compiled policy).
     *
     * @param type   'c' or 'b'
     * @param access one of "r", "w", "m" or a combination
     */
    public static boolean evaluate(byte[] prog, char type, long major, long minor, String access) {
        int acc = 0;
        for (char c : access.toCharArray()) {
            acc |= c == 'r' ? BPF_DEVCG_ACC_READ : c == 'w' ? BPF_DEVCG_ACC_WRITE : BPF_DEVCG_ACC_MKNOD;
        }
        long[] reg = new long[11];
        int ctxType = (type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK) | (acc << 16);
        int[] ctx = {ctxType, (int) major, (int) minor};
        for (int pc = 0; pc < prog.length / 8; pc++) {
            int o = pc * 8;
            int code = prog[o] & 0xFF, dst = prog[o + 1] & 0xF, src = (prog[o + 1] >> 4) & 0xF;
            int off = (short) ((prog[o + 2] & 0xFF) | (prog[o + 3] << 8));
            int imm = (prog[o + 4] & 0xFF) | ((prog[o + 5] & 0xFF) << 8) | ((prog[o + 6] & 0xFF) << 16) | (prog[o + 7] << 24);
            switch (code) {
                case LDX_MEM_W -> reg[dst] = Integer.toUnsignedLong(ctx[off / 4]);
                case ALU32_AND_K -> reg[dst] = Integer.toUnsignedLong((int) reg[dst] & imm);
                case ALU32_RSH_K -> reg[dst] = Integer.toUnsignedLong((int) reg[dst] >>> imm);
                case ALU32_MOV_X -> reg[dst] = Integer.toUnsignedLong((int) reg[src]);
                case ALU32_MOV_K -> reg[dst] = Integer.toUnsignedLong(imm);
                case JMP_JNE_K -> {
                    if (reg[dst] != (long) imm) {
                        pc += off;
                    }
                }
                case JMP_JNE_X -> {
                    if (reg[dst] != reg[src]) {
                        pc += off;
                    }
                }
                case JMP_EXIT -> {
                    return reg[0] == 1;
                }
                default -> throw new IllegalStateException("opcode " + code);
            }
        }
        throw new IllegalStateException("program fell off its end");
    }
}
