package io.jruntime.cgroups.systemd;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A minimal D-Bus client connection over a unix socket: SASL EXTERNAL, method calls with a timeout, and signals.
 * Enough for systemd's manager API (StartTransientUnit, JobRemoved, StopUnit, SetUnitProperties, Properties.Get),
 * on the system bus or on systemd's private peer-to-peer socket.
 *
 * <p>One thread at a time (the methods are synchronized). The socket is non-blocking and every wait goes through a
 * Selector with a deadline, so no call can hang past its timeout. While a call waits for its reply, signals that
 * arrive are queued for {@link #nextSignal} and method calls from the peer for {@link #nextCall}; both queues are
 * bounded and drop their oldest message when full. Replies to nobody (a call that timed out) are dropped.
 * An I/O or protocol failure closes the connection: the stream cannot be trusted after it.
 */
public final class DBusConnection implements AutoCloseable {
    /** How long {@link #open(Path, int, boolean)} waits for authentication and Hello. */
    public static final Duration OPEN_TIMEOUT = Duration.ofSeconds(25);

    private static final String BUS = "org.freedesktop.DBus";
    private static final String BUS_PATH = "/org/freedesktop/DBus";
    private static final int MAX_QUEUED = 1024;
    private static final int MAX_AUTH_LINE = 16 * 1024;

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private ByteBuffer in = ByteBuffer.allocate(8192); // received, not yet parsed: [0, position)
    private final ArrayDeque<DBusMessage> signals = new ArrayDeque<>();
    private final ArrayDeque<DBusMessage> calls = new ArrayDeque<>();
    private int serial;
    private String uniqueName;
    private boolean closed;

    private DBusConnection(SocketChannel channel, Selector selector, SelectionKey key) {
        this.channel = channel;
        this.selector = selector;
        this.key = key;
    }

    /**
     * Connects to a unix socket, authenticates with SASL EXTERNAL as {@code uid} and BEGINs. {@code helloBus}: the
     * socket is a message bus (dbus-daemon, /run/dbus/system_bus_socket), so Hello is sent first and its unique name
     * kept ({@link #uniqueName()}); false for a peer-to-peer socket such as /run/systemd/private.
     */
    public static DBusConnection open(Path socket, int uid, boolean helloBus) {
        return open(socket, uid, helloBus, OPEN_TIMEOUT);
    }

    /** As {@link #open(Path, int, boolean)}, waiting at most {@code timeout} for authentication and Hello. */
    public static DBusConnection open(Path socket, int uid, boolean helloBus, Duration timeout) {
        SocketChannel ch = null;
        Selector sel = null;
        DBusConnection c;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket)); // a unix socket connects at once, or fails
            ch.configureBlocking(false);
            sel = Selector.open();
            c = new DBusConnection(ch, sel, ch.register(sel, SelectionKey.OP_READ));
        } catch (IOException e) {
            closeQuietly(sel);
            closeQuietly(ch);
            throw new DBusException("connect to D-Bus socket " + socket + ": " + e.getMessage(), e);
        }
        try {
            long deadline = deadline(timeout);
            c.authenticate(uid, deadline, !helloBus);
            if (helloBus) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                c.uniqueName = (String) c.call(BUS, BUS_PATH, BUS, "Hello", "", left).get(0);
            }
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The unique name the bus gave in answer to Hello (":1.42"); null on a peer-to-peer connection. */
    public String uniqueName() {
        return uniqueName;
    }

    /**
     * A method call; waits for its reply (at most {@code timeout}) and returns the reply's body. An ERROR reply
     * throws DBusException with its name and message. {@code args} are marshalled by {@code signature} (see the
     * package README for the type mapping); a value that does not fit throws before anything is sent.
     */
    public synchronized List<Object> call(String destination, String path, String iface, String member,
            String signature, Duration timeout, Object... args) {
        ensureOpen();
        int s = nextSerial();
        byte[] message = DBusMessage.encode(ByteOrder.LITTLE_ENDIAN, DBusMessage.METHOD_CALL, 0, s, path, iface,
                member, null, 0, destination, signature, args);
        long deadline = deadline(timeout);
        send(message, deadline);
        long want = Integer.toUnsignedLong(s);
        while (true) {
            DBusMessage m = receive(deadline);
            if (m == null) {
                throw new DBusException(null, "no reply to " + (iface == null ? "" : iface + ".") + member
                        + (destination == null ? "" : " from " + destination) + " within " + timeout.toMillis() + " ms");
            }
            if ((m.type() == DBusMessage.METHOD_RETURN || m.type() == DBusMessage.ERROR) && m.replySerial() == want) {
                if (m.type() == DBusMessage.ERROR) {
                    List<Object> b = m.body();
                    String text = !b.isEmpty() && b.get(0) instanceof String t ? t : null;
                    throw new DBusException(m.errorName(), text);
                }
                return m.body();
            }
            queue(m);
        }
    }

    /** The next queued or arriving SIGNAL message, or null after {@code timeout}. */
    public synchronized DBusMessage nextSignal(Duration timeout) {
        if (!signals.isEmpty()) {
            return signals.poll();
        }
        ensureOpen();
        long deadline = deadline(timeout);
        while (true) {
            DBusMessage m = receive(deadline);
            if (m == null) {
                return null;
            }
            if (m.type() == DBusMessage.SIGNAL) {
                return m;
            }
            queue(m);
        }
    }

    /** The next queued or arriving METHOD_CALL from the peer, or null after {@code timeout} (for tests). */
    synchronized DBusMessage nextCall(Duration timeout) {
        if (!calls.isEmpty()) {
            return calls.poll();
        }
        ensureOpen();
        long deadline = deadline(timeout);
        while (true) {
            DBusMessage m = receive(deadline);
            if (m == null) {
                return null;
            }
            if (m.type() == DBusMessage.METHOD_CALL) {
                return m;
            }
            queue(m);
        }
    }

    /** Answers {@code call} with a METHOD_RETURN whose body is {@code args} by {@code signature} (for tests). */
    synchronized void reply(DBusMessage call, String signature, Duration timeout, Object... args) {
        ensureOpen();
        send(DBusMessage.encode(ByteOrder.LITTLE_ENDIAN, DBusMessage.METHOD_RETURN, 0, nextSerial(), null, null, null,
                null, call.serial(), call.sender(), signature, args), deadline(timeout));
    }

    /** Answers {@code call} with an ERROR named {@code name} carrying {@code text} (for tests). */
    synchronized void replyError(DBusMessage call, String name, String text, Duration timeout) {
        ensureOpen();
        send(DBusMessage.encode(ByteOrder.LITTLE_ENDIAN, DBusMessage.ERROR, 0, nextSerial(), null, null, null, name,
                call.serial(), call.sender(), "s", new Object[] {text}), deadline(timeout));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(selector);
        closeQuietly(channel);
    }

    /**
     * SASL: a NUL byte, AUTH EXTERNAL with the uid's decimal digits in hex, OK <guid>, BEGIN. No fd passing.
     * {@code pipelined}: BEGIN goes with AUTH, as sd-bus's own clients send it, for a peer that is sd-bus
     * (systemd's private socket). Sent after OK instead, BEGIN and the first message can reach systemd in one
     * read while it still authenticates; systemd 252 then keeps that message in its buffer unanswered until
     * more bytes arrive (seen in the VM: Subscribe without a reply, systemd idle in epoll_wait).
     */
    private void authenticate(int uid, long deadline, boolean pipelined) {
        String digits = Integer.toUnsignedString(uid);
        StringBuilder hex = new StringBuilder(digits.length() * 2);
        for (int k = 0; k < digits.length(); k++) {
            hex.append(Integer.toHexString(digits.charAt(k)));
        }
        send(("\0AUTH EXTERNAL " + hex + "\r\n" + (pipelined ? "BEGIN\r\n" : "")).getBytes(StandardCharsets.US_ASCII), deadline);
        String line = readLine(deadline);
        if (!line.startsWith("OK ")) {
            throw new DBusException(null, "D-Bus authentication (EXTERNAL, uid " + digits + ") failed: the server "
                    + "answered \"" + line + "\"");
        }
        if (!pipelined) {
            send("BEGIN\r\n".getBytes(StandardCharsets.US_ASCII), deadline);
        }
    }

    private String readLine(long deadline) {
        while (true) {
            for (int k = 1; k < in.position(); k++) {
                if (in.get(k - 1) == '\r' && in.get(k) == '\n') {
                    byte[] line = new byte[k - 1];
                    in.get(0, line);
                    consume(k + 1);
                    return new String(line, StandardCharsets.US_ASCII);
                }
            }
            if (in.position() > MAX_AUTH_LINE) {
                throw fail("authentication line longer than " + MAX_AUTH_LINE + " bytes", null);
            }
            if (!fill(deadline)) {
                throw fail("no authentication answer in time", null);
            }
        }
    }

    /** The next message, or null at the deadline. */
    private DBusMessage receive(long deadline) {
        while (true) {
            if (in.position() >= DBusMessage.FIXED_HEADER) {
                int length;
                try {
                    length = DBusMessage.length(in);
                } catch (DBusException e) {
                    close();
                    throw e;
                }
                if (in.position() >= length) {
                    byte[] m = new byte[length];
                    in.get(0, m);
                    consume(length);
                    try {
                        return DBusMessage.decode(m);
                    } catch (DBusException e) {
                        close();
                        throw e;
                    }
                }
                if (in.capacity() < length) {
                    in = ByteBuffer.allocate(length).put(in.flip());
                }
            }
            if (!fill(deadline)) {
                return null;
            }
        }
    }

    /** Reads what is available into {@code in}, waiting until the deadline for something; false at the deadline. */
    private boolean fill(long deadline) {
        try {
            while (true) {
                if (!in.hasRemaining()) {
                    in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
                }
                int n = channel.read(in);
                if (n < 0) {
                    throw fail("the peer closed the connection", null);
                }
                if (n > 0) {
                    return true;
                }
                if (!await(SelectionKey.OP_READ, deadline)) {
                    return false;
                }
            }
        } catch (IOException e) {
            throw fail("read: " + e.getMessage(), e);
        }
    }

    private void send(byte[] message, long deadline) {
        ByteBuffer b = ByteBuffer.wrap(message);
        try {
            while (b.hasRemaining()) {
                if (channel.write(b) == 0 && !await(SelectionKey.OP_WRITE, deadline)) {
                    // A partly written message would desynchronise the stream: nothing can follow it.
                    throw fail("could not send within the timeout", null);
                }
            }
        } catch (IOException e) {
            throw fail("write: " + e.getMessage(), e);
        }
    }

    /** Waits until the socket is ready for {@code op} or the deadline passes; false at the deadline. */
    private boolean await(int op, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        key.interestOps(op);
        selector.select(Math.max(1, (left + 999_999) / 1_000_000)); // 0 would mean forever
        selector.selectedKeys().clear();
        return true;
    }

    private void consume(int n) {
        in.flip().position(n);
        in.compact();
    }

    private void queue(DBusMessage m) {
        ArrayDeque<DBusMessage> q = switch (m.type()) {
            case DBusMessage.SIGNAL -> signals;
            case DBusMessage.METHOD_CALL -> calls;
            default -> null; // a late reply, or a type this client does not know
        };
        if (q != null) {
            if (q.size() == MAX_QUEUED) {
                q.poll();
            }
            q.add(m);
        }
    }

    private int nextSerial() {
        serial++;
        if (serial == 0) { // serials are unsigned 32 bits and never 0
            serial = 1;
        }
        return serial;
    }

    private void ensureOpen() {
        if (closed) {
            throw new DBusException(null, "D-Bus connection is closed");
        }
    }

    private DBusException fail(String why, IOException cause) {
        close();
        return new DBusException("D-Bus connection: " + why, cause);
    }

    private static long deadline(Duration timeout) {
        long t;
        try {
            t = timeout.toNanos();
        } catch (ArithmeticException e) {
            t = Long.MAX_VALUE / 4;
        }
        return System.nanoTime() + Math.min(Math.max(t, 0), Long.MAX_VALUE / 4);
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing is best effort: nothing else can be done with it
            }
        }
    }
}
