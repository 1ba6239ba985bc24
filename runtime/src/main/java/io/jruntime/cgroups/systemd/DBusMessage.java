package io.jruntime.cgroups.systemd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One D-Bus message: its type, header fields and body decoded by its signature. Also the header framing:
 * {@link #encode} writes a whole message, {@link #decode} reads one.
 *
 * <pre>
 * byte endianness ('l' or 'B'), byte type, byte flags, byte version (1), uint32 body length, uint32 serial,
 * a(yv) header fields, padding to 8, body
 * </pre>
 */
public final class DBusMessage {
    public static final int METHOD_CALL = 1;
    public static final int METHOD_RETURN = 2;
    public static final int ERROR = 3;
    public static final int SIGNAL = 4;

    // Header field codes.
    private static final int PATH = 1;
    private static final int INTERFACE = 2;
    private static final int MEMBER = 3;
    private static final int ERROR_NAME = 4;
    private static final int REPLY_SERIAL = 5;
    private static final int DESTINATION = 6;
    private static final int SENDER = 7;
    private static final int SIGNATURE = 8;

    /** The fixed part of the header, before the header fields' array. */
    static final int FIXED_HEADER = 16;

    private final int type;
    private final int flags;
    private final long serial;
    private final String path;
    private final String iface;
    private final String member;
    private final String errorName;
    private final long replySerial;
    private final String destination;
    private final String sender;
    private final String signature;
    private final List<Object> body;

    DBusMessage(int type, int flags, long serial, String path, String iface, String member, String errorName,
            long replySerial, String destination, String sender, String signature, List<Object> body) {
        this.type = type;
        this.flags = flags;
        this.serial = serial;
        this.path = path;
        this.iface = iface;
        this.member = member;
        this.errorName = errorName;
        this.replySerial = replySerial;
        this.destination = destination;
        this.sender = sender;
        this.signature = signature;
        this.body = body;
    }

    /** METHOD_CALL, METHOD_RETURN, ERROR or SIGNAL (another value is a type this client does not know). */
    public int type() {
        return type;
    }

    public int flags() {
        return flags;
    }

    /** The sender's serial of this message (unsigned 32 bits). */
    public long serial() {
        return serial;
    }

    public String path() {
        return path;
    }

    public String iface() {
        return iface;
    }

    public String member() {
        return member;
    }

    public String errorName() {
        return errorName;
    }

    /** The serial this message replies to (unsigned 32 bits); 0 when it is not a reply. */
    public long replySerial() {
        return replySerial;
    }

    public String destination() {
        return destination;
    }

    public String sender() {
        return sender;
    }

    /** The body's signature; "" for an empty body. */
    public String signature() {
        return signature;
    }

    public List<Object> body() {
        return body;
    }

    @Override
    public String toString() {
        return "DBusMessage[type=" + type + ", serial=" + serial + ", path=" + path + ", iface=" + iface + ", member="
                + member + ", errorName=" + errorName + ", replySerial=" + replySerial + ", sender=" + sender
                + ", destination=" + destination + ", signature=" + signature + ", body=" + body + "]";
    }

    /**
     * A whole message. Absent header fields are null (replySerial 0); the fields are written in code order. The body
     * is {@code args} marshalled by {@code signature}; a value that does not fit throws before anything is sent.
     */
    static byte[] encode(ByteOrder order, int type, int flags, int serial, String path, String iface, String member,
            String errorName, long replySerial, String destination, String signature, Object[] args) {
        Encoder e = new Encoder(order);
        e.byte1(order == ByteOrder.BIG_ENDIAN ? 'B' : 'l');
        e.byte1(type);
        e.byte1(flags);
        e.byte1(1);
        e.int32(0); // body length, known at the end
        e.int32(serial);
        e.int32(0); // header fields' array length
        int fieldsStart = e.position(); // 16: already 8-aligned for the first struct
        if (path != null) {
            field(e, PATH, "o");
            e.value("o", 0, path, 0);
        }
        stringField(e, INTERFACE, iface);
        stringField(e, MEMBER, member);
        stringField(e, ERROR_NAME, errorName);
        if (replySerial != 0) {
            field(e, REPLY_SERIAL, "u");
            e.int32((int) replySerial);
        }
        stringField(e, DESTINATION, destination);
        if (!signature.isEmpty()) {
            field(e, SIGNATURE, "g");
            e.value("g", 0, signature, 0);
        }
        e.int32At(12, e.position() - fieldsStart);
        e.align(8);
        int bodyStart = e.position();
        e.write(signature, args);
        e.int32At(4, e.position() - bodyStart);
        return e.toByteArray();
    }

    private static void field(Encoder e, int code, String sig) {
        e.align(8);
        e.byte1(code);
        e.signature(sig);
    }

    private static void stringField(Encoder e, int code, String value) {
        if (value != null) {
            field(e, code, "s");
            e.string(value);
        }
    }

    /**
     * The total length of the message whose first 16 bytes are at {@code b[0..16)}: the fixed header, the header
     * fields padded to 8, and the body. Refuses more than the specification's 128 MiB.
     */
    static int length(ByteBuffer b) {
        ByteOrder order = order(b.get(0));
        long fields = Integer.toUnsignedLong(b.order(order).getInt(12));
        long body = Integer.toUnsignedLong(b.getInt(4));
        long total = ((FIXED_HEADER + fields + 7) & ~7L) + body;
        if (total > Encoder.MAX_MESSAGE) {
            throw Decoder.malformed("message of " + total + " bytes, more than 128 MiB");
        }
        return (int) total;
    }

    /** Decodes one whole message, in the byte order its first byte names. */
    static DBusMessage decode(byte[] m) {
        if (m.length < FIXED_HEADER) {
            throw Decoder.malformed("shorter than its header");
        }
        ByteBuffer b = ByteBuffer.wrap(m).order(order(m[0]));
        if (m[3] != 1) {
            throw Decoder.malformed("protocol version " + (m[3] & 0xFF));
        }
        int length = length(b);
        if (length != m.length) {
            throw Decoder.malformed(m.length + " bytes where the header says " + length);
        }
        int type = m[1] & 0xFF;
        int flags = m[2] & 0xFF;
        long serial = Integer.toUnsignedLong(b.getInt(8));
        int fieldsEnd = FIXED_HEADER + b.getInt(12); // fits: the total length was checked
        Decoder d = new Decoder(b, FIXED_HEADER, fieldsEnd);
        String path = null, iface = null, member = null, errorName = null, destination = null, sender = null;
        String signature = "";
        long replySerial = 0;
        while (d.position() < fieldsEnd) {
            d.align(8);
            int code = d.byte1();
            String sig = d.signature();
            Signatures.single(sig);
            Object v = d.value(sig, 0, 1);
            // A known field must have its type; unknown fields are ignored, as the specification requires.
            switch (code) {
                case PATH -> path = ((ObjectPath) expect(sig, "o", v, code)).value();
                case INTERFACE -> iface = (String) expect(sig, "s", v, code);
                case MEMBER -> member = (String) expect(sig, "s", v, code);
                case ERROR_NAME -> errorName = (String) expect(sig, "s", v, code);
                case REPLY_SERIAL -> replySerial = Integer.toUnsignedLong((Integer) expect(sig, "u", v, code));
                case DESTINATION -> destination = (String) expect(sig, "s", v, code);
                case SENDER -> sender = (String) expect(sig, "s", v, code);
                case SIGNATURE -> signature = (String) expect(sig, "g", v, code);
                default -> {
                }
            }
        }
        String missing = switch (type) {
            case METHOD_CALL -> path == null ? "PATH" : member == null ? "MEMBER" : null;
            case METHOD_RETURN -> replySerial == 0 ? "REPLY_SERIAL" : null;
            case ERROR -> errorName == null ? "ERROR_NAME" : replySerial == 0 ? "REPLY_SERIAL" : null;
            case SIGNAL -> path == null ? "PATH" : iface == null ? "INTERFACE" : member == null ? "MEMBER" : null;
            default -> null;
        };
        if (missing != null) {
            throw Decoder.malformed("message of type " + type + " without its " + missing + " header field");
        }
        int bodyStart = (fieldsEnd + 7) & ~7;
        new Decoder(b, fieldsEnd, bodyStart).align(8); // the padding must be zero
        List<Object> body = new Decoder(b, bodyStart, m.length).readAll(signature);
        return new DBusMessage(type, flags, serial, path, iface, member, errorName, replySerial, destination, sender,
                signature, body);
    }

    private static Object expect(String sig, String want, Object v, int code) {
        if (!sig.equals(want)) {
            throw Decoder.malformed("header field " + code + " has type \"" + sig + "\", not \"" + want + "\"");
        }
        return v;
    }

    private static ByteOrder order(byte endianness) {
        return switch (endianness) {
            case 'l' -> ByteOrder.LITTLE_ENDIAN;
            case 'B' -> ByteOrder.BIG_ENDIAN;
            default -> throw Decoder.malformed("endianness byte " + (endianness & 0xFF));
        };
    }
}
