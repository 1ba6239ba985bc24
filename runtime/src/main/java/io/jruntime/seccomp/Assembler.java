package io.jruntime.seccomp;

import static io.jruntime.seccomp.SeccompAbi.BPF_ABS;
import static io.jruntime.seccomp.SeccompAbi.BPF_ALU;
import static io.jruntime.seccomp.SeccompAbi.BPF_JA;
import static io.jruntime.seccomp.SeccompAbi.BPF_JMP;
import static io.jruntime.seccomp.SeccompAbi.BPF_K;
import static io.jruntime.seccomp.SeccompAbi.BPF_LD;
import static io.jruntime.seccomp.SeccompAbi.BPF_RET;
import static io.jruntime.seccomp.SeccompAbi.BPF_W;
import static io.jruntime.seccomp.SeccompAbi.INSN_SIZE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A classic BPF assembler with symbolic forward jumps. Instructions are appended in program order;
 * jump targets are {@link Label}s bound to the next appended instruction. {@link #assemble} then
 * fixes the 8-bit limit of conditional jumps: a branch farther than 255 instructions is pointed at
 * a trampoline inserted right after the jump, either a copy of the target when it is a
 * {@code ret} or a {@code ja} (32-bit offset) to it. Inserting right after a conditional jump is
 * always safe: a conditional jump never falls through implicitly, both of its branches are explicit.
 */
final class Assembler {

    /** A jump target, bound to one instruction. */
    static final class Label {
        Insn at;
    }

    /** One instruction; {@code jt}/{@code jf} are the branches of a conditional jump, {@code jt} alone of a {@code ja}. */
    static final class Insn {
        final int code;
        final int k;
        Label jt;
        Label jf;
        int pos;

        Insn(int code, int k, Label jt, Label jf) {
            this.code = code;
            this.k = k;
            this.jt = jt;
            this.jf = jf;
        }

        boolean isJa() {
            return code == (BPF_JMP | BPF_JA);
        }

        boolean isConditional() {
            return (code & 0x07) == BPF_JMP && !isJa();
        }

        boolean isRet() {
            return (code & 0x07) == BPF_RET;
        }
    }

    private final List<Insn> insns = new ArrayList<>(512);
    private final List<Label> pending = new ArrayList<>();
    private int trampolines;

    /** Binds {@code label} to the next instruction appended. */
    Label bind(Label label) {
        pending.add(label);
        return label;
    }

    private Insn append(Insn insn) {
        for (Label l : pending) {
            l.at = insn;
        }
        pending.clear();
        insns.add(insn);
        return insn;
    }

    /** {@code ld [offset]}: a 32-bit word of seccomp_data into A. */
    void load(int offset) {
        append(new Insn(BPF_LD | BPF_W | BPF_ABS, offset, null, null));
    }

    /** An ALU operation on A with a constant ({@code and #k}, ...). */
    void alu(int op, int k) {
        append(new Insn(BPF_ALU | op | BPF_K, k, null, null));
    }

    /** A conditional jump comparing A with {@code k}: to {@code jt} when true, {@code jf} when false. */
    void jump(int op, int k, Label jt, Label jf) {
        append(new Insn(BPF_JMP | op | BPF_K, k, jt, jf));
    }

    /** {@code ja label}. */
    void ja(Label target) {
        append(new Insn(BPF_JMP | BPF_JA, 0, target, null));
    }

    /** {@code ret #value}. */
    void ret(int value) {
        append(new Insn(BPF_RET | BPF_K, value, null, null));
    }

    int size() {
        return insns.size();
    }

    /** Trampolines inserted by the last {@link #assemble}. */
    int trampolines() {
        return trampolines;
    }

    /** Resolves labels, inserts trampolines for far branches and encodes {@code struct sock_filter}s. */
    byte[] assemble(ByteOrder order) {
        if (!pending.isEmpty()) {
            throw new IllegalStateException("label bound after the last instruction");
        }
        relax();
        ByteBuffer b = ByteBuffer.allocate(insns.size() * INSN_SIZE).order(order);
        for (Insn i : insns) {
            int jt = 0;
            int jf = 0;
            int k = i.k;
            if (i.isJa()) {
                k = offset(i, i.jt);
            } else if (i.isConditional()) {
                jt = offset(i, i.jt);
                jf = offset(i, i.jf);
                if (jt > 255 || jf > 255) {
                    throw new IllegalStateException("jump out of range after relaxation");
                }
            }
            b.putShort((short) i.code).put((byte) jt).put((byte) jf).putInt(k);
        }
        return b.array();
    }

    private static int offset(Insn from, Label to) {
        if (to == null || to.at == null) {
            throw new IllegalStateException("unbound label");
        }
        int off = to.at.pos - from.pos - 1;
        if (off < 0) {
            throw new IllegalStateException("backward jump at " + from.pos);
        }
        return off;
    }

    private void number() {
        for (int p = 0; p < insns.size(); p++) {
            insns.get(p).pos = p;
        }
    }

    /** Inserts trampolines until every conditional branch reaches its target in at most 255 instructions. */
    private void relax() {
        trampolines = 0;
        // Trampolines already placed, by final target, so a later far branch can reuse one in reach.
        Map<Insn, List<Insn>> placed = new HashMap<>();
        for (int round = 0; ; round++) {
            if (round > 64) {
                throw new IllegalStateException("BPF jump relaxation does not converge");
            }
            number();
            boolean changed = false;
            // Walk backwards so insertions do not disturb the positions still to be examined.
            for (int p = insns.size() - 1; p >= 0; p--) {
                Insn i = insns.get(p);
                if (!i.isConditional()) {
                    continue;
                }
                boolean farT = offset(i, i.jt) > 255;
                boolean farF = offset(i, i.jf) > 255;
                if (!farT && !farF) {
                    continue;
                }
                changed = true;
                List<Insn> added = new ArrayList<>(2);
                if (farT) {
                    i.jt = trampoline(i, i.jt, placed, added);
                }
                if (farF) {
                    i.jf = trampoline(i, i.jf, placed, added);
                }
                insns.addAll(p + 1, added);
                trampolines += added.size();
            }
            if (!changed) {
                return;
            }
        }
    }

    /** A label within reach of {@code from} that leads to {@code far}'s instruction. */
    private static Label trampoline(Insn from, Label far, Map<Insn, List<Insn>> placed, List<Insn> added) {
        Insn target = far.at;
        for (Insn t : placed.getOrDefault(target, List.of())) {
            // Positions are from this round's numbering; new insertions only happen after "from",
            // at lower positions than t, so a reusable t is still ahead of "from" (maybe farther:
            // the next round checks again).
            if (t.pos > from.pos && t.pos - from.pos - 1 <= 200) {
                Label l = new Label();
                l.at = t;
                return l;
            }
        }
        Insn t = target.isRet()
                ? new Insn(target.code, target.k, null, null)
                : new Insn(BPF_JMP | BPF_JA, 0, far, null);
        t.pos = Integer.MIN_VALUE; // not numbered until the next round
        added.add(t);
        placed.computeIfAbsent(target, x -> new ArrayList<>()).add(t);
        Label l = new Label();
        l.at = t;
        return l;
    }
}
