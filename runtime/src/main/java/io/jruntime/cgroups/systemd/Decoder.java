package io.jruntime.cgroups.systemd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unmarshals values by signature from a message in either byte order. Positions are absolute in the buffer, whose
 * index 0 is the message's first byte, so alignment is counted as the specification counts it. Nothing from the
 * peer is trusted: every length is checked against what is left, padding must be zero, booleans 0 or 1, strings
 * NUL-terminated, signatures valid, nesting at most 64 deep.
 */
final class Decoder {
    private static final int MAX_DEPTH = 64;

    private final ByteBuffer buf;
    private final int limit;
    private int pos;

    /** Reads {@code buf} (with its byte order set) from {@code pos} up to {@code limit}. */
    Decoder(ByteBuffer buf, int pos, int limit) {
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
    }

    int position() {
        return pos;
    }

    /** Every complete type of {@code sig}, in order; the data must end exactly where the last one ends. */
    List<Object> readAll(String sig) {
        Signatures.count(sig);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < sig.length(); i = Signatures.next(sig, i)) {
            out.add(value(sig, i, 0));
        }
        if (pos != limit) {
            throw malformed((limit - pos) + " bytes left after the values of \"" + sig + "\"");
        }
        return out;
    }

    /** One value of the type that starts at {@code sig[i]}. */
    Object value(String sig, int i, int depth) {
        char c = sig.charAt(i);
        switch (c) {
            case 'y':
                need(1);
                return buf.get(pos++);
            case 'b': {
                int b = int32();
                if (b != 0 && b != 1) {
                    throw malformed("boolean " + Integer.toUnsignedString(b));
                }
                return b == 1;
            }
            case 'n':
                align(2);
                need(2);
                pos += 2;
                return buf.getShort(pos - 2);
            case 'q':
                align(2);
                need(2);
                pos += 2;
                return buf.getShort(pos - 2) & 0xFFFF;
            case 'i', 'u':
                return int32();
            case 'x', 't':
                return int64();
            case 'd':
                return Double.longBitsToDouble(int64());
            case 's':
                return string();
            case 'o': {
                String p = string();
                if (!ObjectPath.valid(p)) {
                    throw malformed("object path \"" + p + "\"");
                }
                return new ObjectPath(p);
            }
            case 'g': {
                String g = signature();
                Signatures.count(g);
                return g;
            }
            case 'v': {
                String g = signature();
                Signatures.single(g);
                return new Variant(g, value(g, 0, deeper(depth)));
            }
            case 'a':
                return array(sig, i, deeper(depth));
            case '(': {
                align(8);
                List<Object> members = new ArrayList<>();
                for (int k = i + 1; sig.charAt(k) != ')'; k = Signatures.next(sig, k)) {
                    members.add(value(sig, k, deeper(depth)));
                }
                return new Struct(members);
            }
            default:
                Signatures.next(sig, i); // throws for 'h' and for what is not a type
                throw malformed("type '" + c + "'");
        }
    }

    private Object array(String sig, int i, int depth) {
        int length = int32();
        if (length < 0 || length > Encoder.MAX_ARRAY) {
            throw malformed("array of " + Integer.toUnsignedString(length) + " bytes");
        }
        char e = sig.charAt(i + 1);
        align(Signatures.alignment(e));
        need(length);
        int end = pos + length;
        if (e == 'y') {
            byte[] bytes = new byte[length];
            buf.get(pos, bytes);
            pos = end;
            return bytes;
        }
        if (e == '{') {
            Map<Object, Object> map = new LinkedHashMap<>();
            while (pos < end) {
                align(8);
                Object key = value(sig, i + 2, depth);
                map.put(key, value(sig, i + 3, depth));
            }
            checkEnd(end);
            return map;
        }
        List<Object> list = new ArrayList<>();
        while (pos < end) {
            list.add(value(sig, i + 1, depth));
        }
        checkEnd(end);
        return list;
    }

    private void checkEnd(int end) {
        if (pos != end) {
            throw malformed("array elements overrun the array's length");
        }
    }

    int byte1() {
        need(1);
        return buf.get(pos++) & 0xFF;
    }

    int int32() {
        align(4);
        need(4);
        pos += 4;
        return buf.getInt(pos - 4);
    }

    long int64() {
        align(8);
        need(8);
        pos += 8;
        return buf.getLong(pos - 8);
    }

    String string() {
        int n = int32();
        if (n < 0) {
            throw malformed("string of " + Integer.toUnsignedString(n) + " bytes");
        }
        need(n + 1L);
        if (buf.get(pos + n) != 0) {
            throw malformed("string without its NUL");
        }
        byte[] b = new byte[n];
        buf.get(pos, b);
        pos += n + 1;
        return new String(b, StandardCharsets.UTF_8);
    }

    String signature() {
        int n = byte1();
        need(n + 1L);
        if (buf.get(pos + n) != 0) {
            throw malformed("signature without its NUL");
        }
        char[] cs = new char[n];
        for (int k = 0; k < n; k++) {
            cs[k] = (char) (buf.get(pos + k) & 0xFF);
        }
        pos += n + 1;
        return new String(cs);
    }

    void align(int n) {
        int p = (pos + n - 1) & -n;
        need(p - pos);
        for (; pos < p; pos++) {
            if (buf.get(pos) != 0) {
                throw malformed("non-zero padding at " + pos);
            }
        }
    }

    private void need(long n) {
        if (n > limit - pos) {
            throw malformed("truncated (" + n + " bytes needed at " + pos + ", " + (limit - pos) + " left)");
        }
    }

    private static int deeper(int depth) {
        if (depth + 1 > MAX_DEPTH) {
            throw malformed("values nested deeper than 64");
        }
        return depth + 1;
    }

    static DBusException malformed(String what) {
        return new DBusException(null, "malformed D-Bus message: " + what);
    }
}
