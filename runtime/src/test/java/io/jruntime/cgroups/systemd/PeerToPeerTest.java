package io.jruntime.cgroups.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer-to-peer connection (helloBus=false, as on systemd's /run/systemd/private) against a scripted peer on a real
 * unix socket: the exact SASL bytes, no Hello, a big-endian peer, a signal before the reply, and the failures.
 */
class PeerToPeerTest {
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    /** Reads from the client until {@code n} bytes, or until "\r\n" when n is 0. */
    private static byte[] read(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n == 0 ? 4096 : n);
        while (n == 0 ? !endsWithCrLf(b) : b.hasRemaining()) {
            if (ch.read(n == 0 ? b.limit(b.position() + 1) : b) < 0) {
                throw new IOException("client closed after " + b.position() + " bytes");
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static boolean endsWithCrLf(ByteBuffer b) {
        int p = b.position();
        return p >= 2 && b.get(p - 2) == '\r' && b.get(p - 1) == '\n';
    }

    private static DBusMessage readMessage(SocketChannel ch) throws IOException {
        byte[] head = read(ch, 16);
        int length = DBusMessage.length(ByteBuffer.wrap(head));
        byte[] rest = read(ch, length - 16);
        byte[] all = Arrays.copyOf(head, length);
        System.arraycopy(rest, 0, all, 16, rest.length);
        return DBusMessage.decode(all);
    }

    private static void write(SocketChannel ch, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    private interface Script {
        void run(SocketChannel client) throws Exception;
    }

    /** Serves one client on a unix socket with {@code script}, on another thread. */
    private CompletableFuture<Void> peer(Path socket, Script script) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return CompletableFuture.runAsync(() -> {
            try (server; SocketChannel client = server.accept()) {
                script.run(client);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void authenticatesWithoutHelloAndReadsABigEndianPeer() throws Exception {
        Path socket = tmp.resolve("private");
        CompletableFuture<Void> peer = peer(socket, ch -> {
            // The NUL byte and AUTH EXTERNAL with uid 1000 as the hex of its digits "1000", and BEGIN with it, as
            // sd-bus clients send them to a peer that is sd-bus (see DBusConnection.authenticate).
            assertEquals("\0AUTH EXTERNAL 31303030\r\n", ascii(read(ch, 0)));
            assertEquals("BEGIN\r\n", ascii(read(ch, 0)), "sent before the OK");
            write(ch, "OK 0123456789abcdef0123456789abcdef\r\n".getBytes(StandardCharsets.US_ASCII));
            // No Hello on a peer-to-peer connection: the first message is the call itself.
            DBusMessage call = readMessage(ch);
            assertEquals("GetUnit", call.member());
            assertEquals(1, call.serial());
            assertEquals(List.of("c1.scope"), call.body());
            // A signal first, then the reply; big-endian both, the reply split in two writes.
            write(ch, DBusMessage.encode(ByteOrder.BIG_ENDIAN, DBusMessage.SIGNAL, 0, 100, "/org/freedesktop/systemd1",
                    "org.freedesktop.systemd1.Manager", "JobRemoved", null, 0, null, "uoss", new Object[] {7,
                        new ObjectPath("/org/freedesktop/systemd1/job/7"), "c1.scope", "done"}));
            byte[] reply = DBusMessage.encode(ByteOrder.BIG_ENDIAN, DBusMessage.METHOD_RETURN, 0, 101, null, null,
                    null, null, call.serial(), null, "o", new Object[] {
                        new ObjectPath("/org/freedesktop/systemd1/unit/c1_2escope")});
            write(ch, Arrays.copyOf(reply, 20));
            Thread.sleep(20); // so that the client sees a partial message (harmless when it does not)
            write(ch, Arrays.copyOfRange(reply, 20, reply.length));
            assertEquals(-1, ch.read(ByteBuffer.allocate(1)), "the client sends nothing more");
        });
        try (DBusConnection c = DBusConnection.open(socket, 1000, false, T)) {
            assertNull(c.uniqueName());
            List<Object> reply = c.call(null, "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                    "GetUnit", "s", T, "c1.scope");
            assertEquals(List.of(new ObjectPath("/org/freedesktop/systemd1/unit/c1_2escope")), reply);
            DBusMessage job = c.nextSignal(T);
            assertNotNull(job);
            assertEquals("JobRemoved", job.member());
            assertEquals(List.of(7, new ObjectPath("/org/freedesktop/systemd1/job/7"), "c1.scope", "done"), job.body());
        }
        peer.get();
    }

    @Test
    void aRejectedAuthenticationNamesTheAnswer() throws Exception {
        Path socket = tmp.resolve("rejecting");
        CompletableFuture<Void> peer = peer(socket, ch -> {
            assertEquals("\0AUTH EXTERNAL 30\r\n", ascii(read(ch, 0)));
            write(ch, "REJECTED EXTERNAL DBUS_COOKIE_SHA1\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        DBusException e = assertThrows(DBusException.class, () -> DBusConnection.open(socket, 0, false, T));
        assertNull(e.name());
        assertEquals("D-Bus authentication (EXTERNAL, uid 0) failed: the server answered "
                + "\"REJECTED EXTERNAL DBUS_COOKIE_SHA1\"", e.getMessage());
        peer.get();
    }

    @Test
    void aPeerThatHangsUpOrSendsGarbageFailsTheCall() throws Exception {
        Path socket = tmp.resolve("hangup");
        CompletableFuture<Void> peer = peer(socket, ch -> {
            read(ch, 0);
            write(ch, "OK 0123456789abcdef0123456789abcdef\r\n".getBytes(StandardCharsets.US_ASCII));
            read(ch, 0);
            readMessage(ch);
        });
        try (DBusConnection c = DBusConnection.open(socket, 0, false, T)) {
            DBusException e = assertThrows(DBusException.class, () -> c.call(null, "/", null, "Ping", "", T));
            assertEquals("D-Bus connection: the peer closed the connection", e.getMessage());
            assertThrows(DBusException.class, () -> c.call(null, "/", null, "Ping", "", T)); // closed now
        }
        peer.get();

        Path socket2 = tmp.resolve("garbage");
        CompletableFuture<Void> peer2 = peer(socket2, ch -> {
            read(ch, 0);
            write(ch, "OK 0123456789abcdef0123456789abcdef\r\n".getBytes(StandardCharsets.US_ASCII));
            read(ch, 0);
            readMessage(ch);
            write(ch, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            ch.read(ByteBuffer.allocate(1)); // until the client closes
        });
        try (DBusConnection c = DBusConnection.open(socket2, 0, false, T)) {
            DBusException e = assertThrows(DBusException.class, () -> c.call(null, "/", null, "Ping", "", T));
            assertTrue(e.getMessage().startsWith("malformed D-Bus message: endianness byte 71"), e.getMessage());
        }
        peer2.get();
    }
}
