package io.jruntime.cgroups.systemd;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Marshals values by signature into a growing buffer. Alignment is counted from the buffer's start, which is the
 * message's start (a body begins at a multiple of 8, and every alignment divides 8, so a body encoded alone from 0
 * has the same bytes). Every value is checked against its type before it is written; a mismatch names the
 * signature, the type code and the Java type received.
 */
final class Encoder {
    static final int MAX_ARRAY = 64 << 20;   // the specification's limits
    static final int MAX_MESSAGE = 128 << 20;
    private static final int MAX_DEPTH = 64; // containers and variants, as in the specification

    private final boolean big;
    private byte[] buf = new byte[256];
    private int pos;

    Encoder(ByteOrder order) {
        this.big = order == ByteOrder.BIG_ENDIAN;
    }

    int position() {
        return pos;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** Writes {@code args} as the complete types of {@code sig}, in order; their number must match. */
    void write(String sig, Object[] args) {
        int types = Signatures.count(sig);
        if (types != args.length) {
            throw new DBusException(null, "D-Bus signature \"" + sig + "\" has " + types + " values, got " + args.length);
        }
        int i = 0;
        for (Object a : args) {
            i = value(sig, i, a, 0);
        }
    }

    /** Writes one value of the type that starts at {@code sig[i]}; returns the index after that type. */
    int value(String sig, int i, Object v, int depth) {
        if (v == null) {
            throw mismatch(sig, i, v);
        }
        char c = sig.charAt(i);
        switch (c) {
            case 'y' -> byte1((int) integral(sig, i, v));
            case 'n', 'q' -> {
                align(2);
                int x = (int) integral(sig, i, v);
                ensure(2);
                put(x, 2);
            }
            case 'i', 'u' -> int32((int) integral(sig, i, v));
            case 'x', 't' -> {
                align(8);
                ensure(8);
                put(integral(sig, i, v), 8);
            }
            case 'b' -> {
                if (!(v instanceof Boolean b)) {
                    throw mismatch(sig, i, v);
                }
                int32(b ? 1 : 0);
            }
            case 'd' -> {
                if (!(v instanceof Double) && !(v instanceof Float)) {
                    throw mismatch(sig, i, v);
                }
                align(8);
                ensure(8);
                put(Double.doubleToRawLongBits(((Number) v).doubleValue()), 8);
            }
            case 's' -> {
                if (!(v instanceof String s)) {
                    throw mismatch(sig, i, v);
                }
                string(s);
            }
            case 'o' -> {
                String p = v instanceof ObjectPath op ? op.value() : v instanceof String s ? s : null;
                if (p == null) {
                    throw mismatch(sig, i, v);
                }
                if (!ObjectPath.valid(p)) {
                    throw new DBusException(null, "invalid D-Bus object path \"" + p + "\"");
                }
                string(p);
            }
            case 'g' -> {
                if (!(v instanceof String s)) {
                    throw mismatch(sig, i, v);
                }
                Signatures.count(s);
                signature(s);
            }
            case 'v' -> {
                if (!(v instanceof Variant var)) {
                    throw mismatch(sig, i, v);
                }
                Signatures.single(var.signature());
                signature(var.signature());
                value(var.signature(), 0, var.value(), deeper(depth));
            }
            case 'a' -> array(sig, i, v, deeper(depth));
            case '(' -> {
                List<?> members = v instanceof Struct st ? st.members() : v instanceof List<?> l ? l : null;
                if (members == null) {
                    throw mismatch(sig, i, v);
                }
                align(8);
                int k = i + 1;
                for (Object m : members) {
                    if (sig.charAt(k) == ')') {
                        throw new DBusException(null, "D-Bus struct " + sig.substring(i, Signatures.next(sig, i))
                                + " given " + members.size() + " members");
                    }
                    k = value(sig, k, m, deeper(depth));
                }
                if (sig.charAt(k) != ')') {
                    throw new DBusException(null, "D-Bus struct " + sig.substring(i, Signatures.next(sig, i))
                            + " given " + members.size() + " members");
                }
                return k + 1;
            }
            default -> Signatures.next(sig, i); // throws: h, or not a type
        }
        return Signatures.next(sig, i);
    }

    private void array(String sig, int i, Object v, int depth) {
        char e = sig.charAt(i + 1);
        align(4);
        int lengthAt = pos;
        int32(0);
        align(Signatures.alignment(e)); // even when empty; this padding is not part of the length
        int start = pos;
        if (e == '{') {
            if (!(v instanceof Map<?, ?> map)) {
                throw mismatch(sig, i, v);
            }
            int valueType = i + 3;
            for (Map.Entry<?, ?> en : map.entrySet()) {
                align(8);
                value(sig, i + 2, en.getKey(), depth);
                value(sig, valueType, en.getValue(), depth);
            }
        } else if (e == 'y' && v instanceof byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        } else {
            if (!(v instanceof List<?> list)) {
                throw mismatch(sig, i, v);
            }
            for (Object el : list) {
                value(sig, i + 1, el, depth);
            }
        }
        int length = pos - start;
        if (length > MAX_ARRAY) {
            throw new DBusException(null, "D-Bus array of " + length + " bytes: more than the 64 MiB allowed");
        }
        int save = pos;
        pos = lengthAt;
        put(length, 4);
        pos = save;
    }

    /**
     * The value's bits for integer type {@code sig[i]}. The Java type of the D-Bus type's width (Byte for y, Short
     * for n and q, Integer for i and u, Long for x and t) is taken as raw bits, so an unsigned value can be given in
     * its signed twin; any other Byte, Short, Integer or Long must lie in the D-Bus type's numeric range.
     */
    private static long integral(String sig, int i, Object v) {
        char c = sig.charAt(i);
        long x;
        boolean sameWidth;
        if (v instanceof Long l) {
            x = l;
            sameWidth = c == 'x' || c == 't';
        } else if (v instanceof Integer n) {
            x = n;
            sameWidth = c == 'i' || c == 'u';
        } else if (v instanceof Short s) {
            x = s;
            sameWidth = c == 'n' || c == 'q';
        } else if (v instanceof Byte b) {
            x = b;
            sameWidth = c == 'y';
        } else {
            throw mismatch(sig, i, v);
        }
        if (sameWidth) {
            return x;
        }
        long min = 0;
        long max = switch (c) {
            case 'y' -> 0xFF;
            case 'q' -> 0xFFFF;
            case 'u' -> 0xFFFF_FFFFL;
            case 't' -> Long.MAX_VALUE;
            case 'n' -> {
                min = Short.MIN_VALUE;
                yield Short.MAX_VALUE;
            }
            case 'i' -> {
                min = Integer.MIN_VALUE;
                yield Integer.MAX_VALUE;
            }
            default -> {
                min = Long.MIN_VALUE;
                yield Long.MAX_VALUE;
            }
        };
        if (x < min || x > max) {
            throw new DBusException(null, "D-Bus signature \"" + sig + "\": " + x + " is out of range for '" + c + "'");
        }
        return x;
    }

    private static DBusException mismatch(String sig, int i, Object v) {
        return new DBusException(null, "D-Bus signature \"" + sig + "\": '" + sig.charAt(i) + "' at " + i
                + " cannot hold " + (v == null ? "null" : v.getClass().getSimpleName()));
    }

    private static int deeper(int depth) {
        if (depth + 1 > MAX_DEPTH) {
            throw new DBusException(null, "D-Bus value nested deeper than 64 containers");
        }
        return depth + 1;
    }

    void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (byte x : b) {
            if (x == 0) {
                throw new DBusException(null, "D-Bus strings cannot contain NUL");
            }
        }
        int32(b.length);
        ensure(b.length + 1);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        buf[pos++] = 0;
    }

    void signature(String s) {
        ensure(s.length() + 2);
        buf[pos++] = (byte) s.length();
        for (int k = 0; k < s.length(); k++) {
            buf[pos++] = (byte) s.charAt(k);
        }
        buf[pos++] = 0;
    }

    void byte1(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    void int32(int v) {
        align(4);
        ensure(4);
        put(v, 4);
    }

    /** Overwrites the 32-bit value at {@code at} (a length known only after what follows it is written). */
    void int32At(int at, int v) {
        int save = pos;
        pos = at;
        put(v, 4);
        pos = save;
    }

    void align(int n) {
        int p = (pos + n - 1) & -n;
        ensure(p - pos);
        while (pos < p) {
            buf[pos++] = 0;
        }
    }

    private void put(long v, int size) {
        for (int k = 0; k < size; k++) {
            int shift = 8 * (big ? size - 1 - k : k);
            buf[pos++] = (byte) (v >>> shift);
        }
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            if (pos + (long) n > MAX_MESSAGE) {
                throw new DBusException(null, "D-Bus message larger than 128 MiB");
            }
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }
}
