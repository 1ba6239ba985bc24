package io.jruntime.init;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A native-stage plan: a flat, ordered list of ops with simple arguments. Java decides every op
 * and every value; the C stage only performs them in order. Wire format in
 * {@code runtime/src/main/c/PROTOCOL.md}.
 */
public final class Plan {

    /** One argument: a string (sent with its NUL), an integer (8 bytes) or raw bytes. */
    public sealed interface Arg {
        record Str(String value) implements Arg {
            @Override
            public String toString() {
                return '"' + value + '"';
            }
        }

        record Int(long value) implements Arg {
            @Override
            public String toString() {
                return Long.toString(value);
            }
        }

        record Bytes(byte[] value) implements Arg {
            @Override
            public String toString() {
                return "<" + value.length + " bytes>";
            }
        }
    }

    /** One op with its arguments. */
    public record Step(Op op, List<Arg> args) {
        public String str(int i) {
            return ((Arg.Str) args.get(i)).value();
        }

        public long num(int i) {
            return ((Arg.Int) args.get(i)).value();
        }

        @Override
        public String toString() {
            return op + args.toString();
        }
    }

    private final List<Step> steps = new ArrayList<>();

    /** Appends an op; arguments are String (null for an empty string), Number, byte[] or a List of those. */
    public Plan add(Op op, Object... args) {
        List<Arg> list = new ArrayList<>();
        for (Object a : args) {
            flatten(a, list);
        }
        steps.add(new Step(op, List.copyOf(list)));
        return this;
    }

    private static void flatten(Object a, List<Arg> out) {
        switch (a) {
            case null -> out.add(new Arg.Str(""));
            case String s -> out.add(new Arg.Str(s));
            case Number n -> out.add(new Arg.Int(n.longValue()));
            case Boolean b -> out.add(new Arg.Int(b ? 1 : 0));
            case byte[] b -> out.add(new Arg.Bytes(b));
            case List<?> l -> l.forEach(x -> flatten(x, out));
            default -> throw new IllegalArgumentException("plan argument of type " + a.getClass());
        }
    }

    public List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }

    /** The ops of the plan, in order (handy in tests). */
    public List<Op> ops() {
        return steps.stream().map(Step::op).toList();
    }

    /** The first step of {@code op}, or null. */
    public Step first(Op op) {
        return steps.stream().filter(s -> s.op() == op).findFirst().orElse(null);
    }

    public List<Step> all(Op op) {
        return steps.stream().filter(s -> s.op() == op).toList();
    }

    /** {@code u32 op | u32 argc | argc x (u32 len | bytes)}, native byte order. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Step s : steps) {
            out.writeBytes(ints(s.op().code, s.args().size()));
            for (Arg a : s.args()) {
                byte[] b = switch (a) {
                    case Arg.Str str -> {
                        byte[] utf = str.value().getBytes(StandardCharsets.UTF_8);
                        byte[] z = new byte[utf.length + 1];
                        System.arraycopy(utf, 0, z, 0, utf.length);
                        yield z;
                    }
                    case Arg.Int i -> ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(i.value()).array();
                    case Arg.Bytes bytes -> bytes.value();
                };
                out.writeBytes(ints(b.length));
                out.writeBytes(b);
            }
        }
        return out.toByteArray();
    }

    static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.nativeOrder());
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        steps.forEach(s -> sb.append(s).append('\n'));
        return sb.toString();
    }
}
