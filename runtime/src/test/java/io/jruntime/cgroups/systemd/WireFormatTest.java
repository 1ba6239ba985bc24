package io.jruntime.cgroups.systemd;

import static io.jruntime.cgroups.systemd.Values.assertSameValue;
import static io.jruntime.cgroups.systemd.Values.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Marshalling and framing, without a bus: byte-exact expectations worked out by hand from the specification. */
class WireFormatTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private static byte[] encode(ByteOrder order, String sig, Object... args) {
        Encoder e = new Encoder(order);
        e.write(sig, args);
        return e.toByteArray();
    }

    private static List<Object> decode(ByteOrder order, String sig, byte[] data) {
        return new Decoder(ByteBuffer.wrap(data).order(order), 0, data.length).readAll(sig);
    }

    private static void roundTrip(String sig, Object value, Object expected) {
        for (ByteOrder order : new ByteOrder[] {LE, BE}) {
            List<Object> back = decode(order, sig, encode(order, sig, value));
            assertEquals(1, back.size());
            assertSameValue(expected, back.get(0));
        }
    }

    private static void roundTrip(String sig, Object value) {
        roundTrip(sig, value, value);
    }

    /** The Hello call every bus client sends first (serial 1, no body), worked out field by field. */
    @Test
    void helloCallIsByteExact() {
        byte[] expected = bytes(
                "6c 01 00 01", "00 00 00 00", "01 00 00 00", "6d 00 00 00", // 'l', METHOD_CALL, flags, v1; body 0; serial 1; fields 109
                "01 01 6f 00", "15 00 00 00", "'/org/freedesktop/DBus", "00", "00 00", // @16 PATH o, 21 chars; pad to 48
                "02 01 73 00", "14 00 00 00", "'org.freedesktop.DBus", "00", "00 00 00", // @48 INTERFACE s, 20 chars; pad to 80
                "03 01 73 00", "05 00 00 00", "'Hello", "00", "00 00", // @80 MEMBER s; pad to 96
                "06 01 73 00", "14 00 00 00", "'org.freedesktop.DBus", "00", // @96 DESTINATION s; ends at 125
                "00 00 00"); // the header is padded to 128; no body
        byte[] actual = DBusMessage.encode(LE, DBusMessage.METHOD_CALL, 0, 1, "/org/freedesktop/DBus",
                "org.freedesktop.DBus", "Hello", null, 0, "org.freedesktop.DBus", "", new Object[0]);
        assertArrayEquals(expected, actual);
        DBusMessage m = DBusMessage.decode(expected);
        assertEquals(DBusMessage.METHOD_CALL, m.type());
        assertEquals(1, m.serial());
        assertEquals("/org/freedesktop/DBus", m.path());
        assertEquals("org.freedesktop.DBus", m.iface());
        assertEquals("Hello", m.member());
        assertEquals("org.freedesktop.DBus", m.destination());
        assertEquals("", m.signature());
        assertEquals(List.of(), m.body());
    }

    /** A byte, then an array of (sv) whose variant holds "au": the padding after the byte and inside the variant. */
    @Test
    void structArrayAfterAByteIsByteExact() {
        byte[] expected = bytes(
                "07 00 00 00", // y 7, padded to 4 for the array's length
                "18 00 00 00", // the array's length: 24 bytes from offset 8 (already aligned to 8 for the struct)
                "04 00 00 00", "'PIDs", "00", // @8 s "PIDs"
                "02", "'au", "00", // @17 the variant's signature
                "00 00 00", // pad to 24 for the array's length
                "04 00 00 00", "d2 04 00 00"); // au of 4 bytes: 1234
        Object[] args = {(byte) 7, List.of(Struct.of("PIDs", new Variant("au", List.of(1234))))};
        assertArrayEquals(expected, encode(LE, "ya(sv)", args));
        assertSameValue(Arrays.asList(args), decode(LE, "ya(sv)", expected));
    }

    /** An empty array of 8-aligned elements is still padded to 8 after its length; the padding is not counted. */
    @Test
    void emptyArrayOfStructsIsStillAligned() {
        byte[] expected = bytes("00 00 00 00", "00 00 00 00", "2a");
        assertArrayEquals(expected, encode(LE, "a(sv)y", List.of(), (byte) 42));
        assertSameValue(List.of(List.of(), (byte) 42), decode(LE, "a(sv)y", expected));
        // Of 4-aligned elements: no padding.
        assertArrayEquals(bytes("00 00 00 00", "2a"), encode(LE, "auy", List.of(), (byte) 42));
        // Empty dict after a byte: length at 4, elements at 8.
        assertArrayEquals(bytes("01 00 00 00", "00 00 00 00"), encode(LE, "ya{sv}", (byte) 1, Map.of()));
    }

    @Test
    void bigEndianIsWrittenAndReadMostSignificantByteFirst() {
        byte[] expected = bytes(
                "01 02", "00 00 00 00 00 00", // q 258, then pad to 8
                "01 02 03 04 05 06 07 08", // x
                "3f f0 00 00 00 00 00 00", // d 1.0
                "00 00 00 01"); // b true
        Object[] args = {258, 0x0102030405060708L, 1.0, true};
        assertArrayEquals(expected, encode(BE, "qxdb", args));
        assertSameValue(Arrays.asList(args), decode(BE, "qxdb", expected));
    }

    /** An ERROR reply from a big-endian peer, written by hand. */
    @Test
    void bigEndianErrorMessageDecodes() {
        byte[] m = bytes(
                "42 03 00 01", "00 00 00 09", "00 00 00 07", "00 00 00 27", // 'B', ERROR; body 9; serial 7; fields 39
                "04 01 73 00", "00 00 00 0f", "'org.example.Bad", "00", // @16 ERROR_NAME; ends at 40
                "05 01 75 00", "00 00 00 05", // @40 REPLY_SERIAL 5
                "08 01 67 00", "01 73 00", // @48 SIGNATURE "s"; ends at 55
                "00", // pad to 56
                "00 00 00 04", "'nope", "00"); // body: s "nope"
        DBusMessage d = DBusMessage.decode(m);
        assertEquals(DBusMessage.ERROR, d.type());
        assertEquals(7, d.serial());
        assertEquals("org.example.Bad", d.errorName());
        assertEquals(5, d.replySerial());
        assertEquals("s", d.signature());
        assertEquals(List.of("nope"), d.body());
        assertNull(d.path());
        // And our own big-endian encoding of the same message is byte for byte the same.
        assertArrayEquals(m, DBusMessage.encode(BE, DBusMessage.ERROR, 0, 7, null, null, null, "org.example.Bad", 5,
                null, "s", new Object[] {"nope"}));
    }

    @Test
    void everyBasicTypeRoundTrips() {
        roundTrip("y", (byte) -1);
        roundTrip("b", true);
        roundTrip("b", false);
        roundTrip("n", Short.MIN_VALUE);
        roundTrip("q", 65535);
        roundTrip("i", Integer.MIN_VALUE);
        roundTrip("u", -1); // 0xFFFFFFFF: unsigned bits in an Integer
        roundTrip("x", Long.MIN_VALUE);
        roundTrip("t", -1L); // 2^64-1
        roundTrip("d", -0.0);
        roundTrip("d", Double.NaN);
        roundTrip("s", "");
        roundTrip("s", "grüße €😀");
        roundTrip("o", new ObjectPath("/"));
        roundTrip("o", new ObjectPath("/org/freedesktop/systemd1/unit/jruntime_2dc1_2escope"));
        roundTrip("g", "");
        roundTrip("g", "ssa(sv)a(sa(sv))");
        roundTrip("v", new Variant("s", "x"));
    }

    @Test
    void otherJavaTypesAreAcceptedWithinTheTypesRange() {
        roundTrip("u", 4294967295L, -1);
        roundTrip("u", 7L, 7);
        roundTrip("q", (short) -1, 65535);
        roundTrip("y", 255, (byte) -1);
        roundTrip("t", 5, 5L);
        roundTrip("x", 5, 5L);
        roundTrip("n", 12, (short) 12);
        roundTrip("i", 12L, 12);
        roundTrip("d", 1.5f, 1.5);
        roundTrip("o", "/a/b", new ObjectPath("/a/b"));
        roundTrip("(is)", List.of(1, "a"), Struct.of(1, "a"));
        assertRefused("out of range", "u", -1L);
        assertRefused("out of range", "u", 4294967296L);
        assertRefused("out of range", "y", 256);
        assertRefused("out of range", "i", 1L << 31);
        assertRefused("out of range", "q", 65536);
        assertRefused("out of range", "n", 32768);
        assertRefused("out of range", "t", -1);
    }

    @Test
    void containersRoundTrip() {
        roundTrip("ay", new byte[] {0, 1, -1});
        roundTrip("ay", new byte[0]);
        roundTrip("ay", List.of((byte) 3, (byte) 4), new byte[] {3, 4});
        roundTrip("as", List.of("a", "", "c"));
        roundTrip("aay", List.of(new byte[] {1}, new byte[0], new byte[] {2, 3}));
        roundTrip("at", List.of(1L, -1L));
        roundTrip("a(yt)", List.of(Struct.of((byte) 1, 2L), Struct.of((byte) 3, 4L)));
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("zeta", new Variant("b", true)); // not sorted: insertion order must survive
        map.put("alpha", new Variant("t", 1048576L));
        map.put("mid", new Variant("ay", new byte[] {3}));
        roundTrip("a{sv}", map);
        Map<Object, Object> byPath = new LinkedHashMap<>();
        byPath.put(new ObjectPath("/b"), map);
        byPath.put(new ObjectPath("/a"), new LinkedHashMap<>());
        roundTrip("a{oa{sv}}", byPath);
        roundTrip("a{ys}", Map.of((byte) 1, "one"));
        roundTrip("(ybnqiuxtdsogv)", Struct.of((byte) 1, true, (short) -2, 3, -4, 5, -6L, 7L, 8.5, "s",
                new ObjectPath("/o"), "a{sv}", new Variant("(ib)", Struct.of(1, false))));
        roundTrip("v", new Variant("v", new Variant("v", new Variant("ai", List.of(1, 2)))));
        roundTrip("v", new Variant("a{sv}", map));
        roundTrip("((y)(t))", Struct.of(Struct.of((byte) 1), Struct.of(2L)));
    }

    /** StartTransientUnit's arguments, as the systemd driver sends them. */
    @Test
    void startTransientUnitBodyRoundTrips() {
        String sig = "ssa(sv)a(sa(sv))";
        List<Object> props = List.of(
                Struct.of("Description", new Variant("s", "libcontainer container c1")),
                Struct.of("PIDs", new Variant("au", List.of(1234))),
                Struct.of("Delegate", new Variant("b", true)),
                Struct.of("MemoryMax", new Variant("t", 1048576L)),
                Struct.of("AllowedCPUs", new Variant("ay", new byte[] {3})));
        List<Object> aux = List.of(Struct.of("jruntime-c1.slice", List.of(Struct.of("Wants", new Variant("as",
                List.of("x.service"))))));
        Object[] args = {"jruntime-c1.scope", "replace", props, aux};
        for (ByteOrder order : new ByteOrder[] {LE, BE}) {
            byte[] body = encode(order, sig, args);
            assertSameValue(Arrays.asList(args), decode(order, sig, body));
            // As a whole message too: the body starts after the padded header.
            byte[] m = DBusMessage.encode(order, DBusMessage.METHOD_CALL, 0, 9, "/org/freedesktop/systemd1",
                    "org.freedesktop.systemd1.Manager", "StartTransientUnit", null, 0, "org.freedesktop.systemd1",
                    sig, args);
            DBusMessage d = DBusMessage.decode(m);
            assertEquals(sig, d.signature());
            assertEquals(9, d.serial());
            assertEquals("org.freedesktop.systemd1", d.destination());
            assertSameValue(Arrays.asList(args), d.body());
        }
    }

    @Test
    void jobRemovedSignalDecodes() {
        byte[] m = DBusMessage.encode(LE, DBusMessage.SIGNAL, 0, 3, "/org/freedesktop/systemd1",
                "org.freedesktop.systemd1.Manager", "JobRemoved", null, 0, null, "uoss",
                new Object[] {42, new ObjectPath("/org/freedesktop/systemd1/job/42"), "c1.scope", "done"});
        DBusMessage d = DBusMessage.decode(m);
        assertEquals(DBusMessage.SIGNAL, d.type());
        assertEquals("JobRemoved", d.member());
        assertEquals(List.of(42, new ObjectPath("/org/freedesktop/systemd1/job/42"), "c1.scope", "done"), d.body());
    }

    @Test
    void badSignaturesAreRefused() {
        for (String bad : new String[] {"a", "(", "()", "(i", "i)", "{sv}", "a{vs}", "a{s}", "a{svv}", "z",
                "a{(i)s}", "a{sv"}) {
            DBusException e = assertThrows(DBusException.class, () -> Signatures.count(bad), bad);
            assertNull(e.name());
            assertTrue(e.getMessage().contains("invalid D-Bus signature \"" + bad + "\""), e.getMessage());
        }
        assertEquals(1, Signatures.count("a".repeat(32) + "y"));
        assertThrows(DBusException.class, () -> Signatures.count("a".repeat(33) + "y"));
        assertEquals(1, Signatures.count("(".repeat(32) + "y" + ")".repeat(32)));
        assertThrows(DBusException.class, () -> Signatures.count("(".repeat(33) + "y" + ")".repeat(33)));
        assertThrows(DBusException.class, () -> Signatures.count("y".repeat(256)));
        assertEquals(4, Signatures.count("ssa(sv)a(sa(sv))"));
        assertRefused("unix file descriptors (h) are not supported", "h", 0);
        assertRefused("unix file descriptors (h) are not supported", "a{hs}", Map.of());
        assertRefused("a variant holds exactly one complete type", "v", new Variant("ss", "x"));
    }

    @Test
    void valuesThatDoNotFitTheirSignatureAreRefused() {
        assertRefused("'s' at 0 cannot hold Integer", "s", 1);
        assertRefused("'u' at 1 cannot hold String", "(us)", Struct.of("x", 1));
        assertRefused("'b' at 0 cannot hold Integer", "b", 1);
        assertRefused("'a' at 0 cannot hold byte[]", "ai", new byte[] {1});
        assertRefused("given 1 members", "(ii)", Struct.of(1));
        assertRefused("given 3 members", "(ii)", Struct.of(1, 2, 3));
        assertRefused("has 2 values, got 1", "ss", "x");
        assertRefused("invalid D-Bus object path \"/a//b\"", "o", new ObjectPath("/a//b"));
        assertRefused("invalid D-Bus object path \"/a/\"", "o", new ObjectPath("/a/"));
        assertRefused("invalid D-Bus object path \"a\"", "o", "a");
        assertRefused("invalid D-Bus object path \"/a-b\"", "o", "/a-b");
        assertRefused("cannot contain NUL", "s", "a\0b");
        assertRefused("'s' at 0 cannot hold null", "s", (Object) null);
        Object v = 1;
        for (int k = 0; k < 70; k++) {
            v = new Variant(k == 0 ? "i" : "v", v);
        }
        assertRefused("nested deeper than 64", "v", v);
    }

    private static void assertRefused(String why, String sig, Object... args) {
        DBusException e = assertThrows(DBusException.class, () -> encode(LE, sig, args));
        assertNull(e.name());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void malformedInputIsRefused() {
        assertMalformed("boolean 2", "b", bytes("02 00 00 00"));
        assertMalformed("non-zero padding", "yu", bytes("01 00 01 00 05 00 00 00"));
        assertMalformed("truncated", "u", bytes("01 00 00"));
        assertMalformed("truncated", "s", bytes("09 00 00 00", "'abc", "00"));
        assertMalformed("string without its NUL", "s", bytes("03 00 00 00", "'abcd"));
        assertMalformed("overrun", "ai", bytes("02 00 00 00 01 00 00 00"));
        assertMalformed("bytes left", "y", bytes("01 02"));
        assertMalformed("object path", "o", bytes("02 00 00 00", "'//", "00"));
        assertMalformed("array of", "ay", bytes("ff ff ff ff"));
        byte[] hello = DBusMessage.encode(LE, DBusMessage.METHOD_CALL, 0, 1, "/", null, "Hello", null, 0, null, "",
                new Object[0]);
        byte[] badOrder = hello.clone();
        badOrder[0] = 'x';
        assertMessageMalformed("endianness byte 120", badOrder);
        byte[] badVersion = hello.clone();
        badVersion[3] = 2;
        assertMessageMalformed("protocol version 2", badVersion);
        assertMessageMalformed("where the header says", Arrays.copyOf(hello, hello.length + 8));
        byte[] noMember = DBusMessage.encode(LE, DBusMessage.METHOD_CALL, 0, 1, "/", null, null, null, 0, null, "",
                new Object[0]);
        assertMessageMalformed("without its MEMBER header field", noMember);
        byte[] noReplySerial = DBusMessage.encode(LE, DBusMessage.METHOD_RETURN, 0, 1, null, null, null, null, 0,
                null, "", new Object[0]);
        assertMessageMalformed("without its REPLY_SERIAL header field", noReplySerial);
        ByteBuffer huge = ByteBuffer.wrap(bytes("6c 02 00 01 00 00 00 10 01 00 00 00 00 00 00 00"));
        assertThrows(DBusException.class, () -> DBusMessage.length(huge)); // a 256 MiB body
    }

    private static void assertMalformed(String why, String sig, byte[] data) {
        DBusException e = assertThrows(DBusException.class, () -> decode(LE, sig, data));
        assertTrue(e.getMessage().startsWith("malformed D-Bus message: "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    private static void assertMessageMalformed(String why, byte[] m) {
        DBusException e = assertThrows(DBusException.class, () -> DBusMessage.decode(m));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
