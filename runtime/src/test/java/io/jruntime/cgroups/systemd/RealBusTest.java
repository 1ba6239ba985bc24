package io.jruntime.cgroups.systemd;

import static io.jruntime.cgroups.systemd.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against a real dbus-daemon of its own (a private bus on a socket in a temp dir, started for this class
 * and killed after it). Skipped where dbus-daemon is not installed (Debian package "dbus").
 */
class RealBusTest {
    private static final String BUS = "org.freedesktop.DBus";
    private static final String BUS_PATH = "/org/freedesktop/DBus";
    private static final Duration T = Duration.ofSeconds(10);

    private static Path dir;
    private static Process daemon;
    private static Path socket;
    private static int uid;

    @BeforeAll
    static void startBus() throws IOException {
        Path exe = onPath("dbus-daemon");
        assumeTrue(exe != null, "dbus-daemon is not installed (Debian package dbus): the real-bus tests are skipped");
        dir = Files.createTempDirectory("jruntime-dbus-test");
        socket = dir.resolve("bus");
        // A minimal session-type bus: EXTERNAL only, anyone may send, receive and own names.
        Path config = dir.resolve("bus.conf");
        Files.writeString(config, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>session</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow send_destination="*" eavesdrop="true"/>
                    <allow eavesdrop="true"/>
                    <allow own="*"/>
                  </policy>
                </busconfig>
                """.formatted(socket));
        daemon = new ProcessBuilder(exe.toString(), "--config-file=" + config, "--nofork", "--print-address")
                .redirectError(dir.resolve("daemon.log").toFile())
                .start();
        // It prints its address once it listens: from then on connecting works.
        BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
        String address = out.readLine();
        assertNotNull(address, () -> "dbus-daemon exited: " + log());
        assertTrue(address.startsWith("unix:path=" + socket), address);
        uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    @AfterAll
    static void stopBus() throws Exception {
        if (daemon != null) {
            daemon.destroy(); // SIGTERM to the pid we started
            daemon.waitFor();
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static DBusConnection connect() {
        return DBusConnection.open(socket, uid, true);
    }

    @Test
    void helloGivesAUniqueNameThatListNamesShows() {
        try (DBusConnection c = connect()) {
            String me = c.uniqueName();
            assertNotNull(me);
            assertTrue(me.startsWith(":"), me);
            List<?> names = (List<?>) c.call(BUS, BUS_PATH, BUS, "ListNames", "", T).get(0);
            assertTrue(names.contains(me), names.toString());
            assertTrue(names.contains(BUS), names.toString());
            assertEquals(List.of(me), c.call(BUS, BUS_PATH, BUS, "GetNameOwner", "s", T, me));
        }
    }

    @Test
    void anErrorReplyCarriesItsNameAndMessage() {
        try (DBusConnection c = connect()) {
            DBusException e = assertThrows(DBusException.class,
                    () -> c.call(BUS, BUS_PATH, BUS, "GetNameOwner", "s", T, "io.jruntime.test.Nobody"));
            assertEquals("org.freedesktop.DBus.Error.NameHasNoOwner", e.name());
            assertTrue(e.getMessage().contains("io.jruntime.test.Nobody"), e.getMessage());
            // The connection is still good after an error reply.
            assertEquals(List.of(false), c.call(BUS, BUS_PATH, BUS, "NameHasOwner", "s", T, "io.jruntime.test.Nobody"));
        }
    }

    @Test
    void requestNameAfterAddMatchYieldsTheSignals() {
        String name = "io.jruntime.test.Signals";
        try (DBusConnection c = connect()) {
            c.call(BUS, BUS_PATH, BUS, "AddMatch", "s", T,
                    "type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='" + name + "'");
            assertEquals(List.of(1), c.call(BUS, BUS_PATH, BUS, "RequestName", "su", T, name, 0)); // PRIMARY_OWNER
            boolean acquired = false;
            boolean ownerChanged = false;
            while (!(acquired && ownerChanged)) {
                DBusMessage s = c.nextSignal(T);
                assertNotNull(s, "acquired " + acquired + ", owner changed " + ownerChanged);
                assertEquals(DBusMessage.SIGNAL, s.type());
                assertEquals(BUS, s.iface());
                if (s.member().equals("NameAcquired") && s.body().equals(List.of(name))) {
                    acquired = true;
                } else if (s.member().equals("NameOwnerChanged")) {
                    assertEquals(List.of(name, "", c.uniqueName()), s.body());
                    assertEquals("sss", s.signature());
                    assertEquals(BUS_PATH, s.path());
                    ownerChanged = true;
                }
            }
        }
    }

    /** A complex body goes through the daemon both ways: one connection calls the other, which echoes it back. */
    @Test
    void aComplexBodyCrossesTheBusBothWays() throws Exception {
        String sig = "ssa(sv)a(sa(sv))aytbv(ynqixd)a{oa{sv}}ya(st)"; // the last: an empty array after a byte
        Map<Object, Object> props = new LinkedHashMap<>();
        props.put("Zed", new Variant("t", -1L));
        props.put("Alpha", new Variant("v", new Variant("as", List.of("x", "y"))));
        Map<Object, Object> byPath = new LinkedHashMap<>();
        byPath.put(new ObjectPath("/org/freedesktop/systemd1/unit/c1_2escope"), props);
        Object[] args = {"jruntime-c1.scope", "replace",
                List.of(Struct.of("PIDs", new Variant("au", List.of(1234, -1))),
                        Struct.of("Delegate", new Variant("b", true)),
                        Struct.of("MemoryMax", new Variant("t", 1048576L)),
                        Struct.of("AllowedCPUs", new Variant("ay", new byte[] {3}))),
                List.of(Struct.of("aux.slice", List.of(Struct.of("Description", new Variant("s", "ü"))))),
                new byte[] {0, 1, 2, -1}, Long.MIN_VALUE, false, new Variant("(ib)", Struct.of(7, true)),
                Struct.of((byte) 1, (short) -2, 65535, Integer.MIN_VALUE, Long.MAX_VALUE, 2.5), byPath,
                (byte) 5, List.of()};
        try (DBusConnection caller = connect(); DBusConnection callee = connect()) {
            CompletableFuture<List<Object>> reply = CompletableFuture.supplyAsync(() -> caller.call(
                    callee.uniqueName(), "/io/jruntime/Test", "io.jruntime.Test", "Echo", sig, T, args));
            DBusMessage call = callee.nextCall(T);
            assertNotNull(call, "the call did not arrive");
            assertEquals(DBusMessage.METHOD_CALL, call.type());
            assertEquals("/io/jruntime/Test", call.path());
            assertEquals("io.jruntime.Test", call.iface());
            assertEquals("Echo", call.member());
            assertEquals(caller.uniqueName(), call.sender()); // set by the daemon
            assertEquals(callee.uniqueName(), call.destination());
            assertEquals(sig, call.signature());
            assertSameValue(Arrays.asList(args), call.body());
            callee.reply(call, sig, T, call.body().toArray());
            assertSameValue(Arrays.asList(args), reply.get());
        }
    }

    @Test
    void aLargeBodyIsSentAndReceivedInPieces() throws Exception {
        byte[] big = new byte[3 << 20]; // larger than the socket buffers: partial writes and reads
        for (int k = 0; k < big.length; k++) {
            big[k] = (byte) (k * 31 + (k >> 13));
        }
        try (DBusConnection caller = connect(); DBusConnection callee = connect()) {
            CompletableFuture<List<Object>> reply = CompletableFuture.supplyAsync(() -> caller.call(
                    callee.uniqueName(), "/", "io.jruntime.Test", "Echo", "ay", T, (Object) big));
            DBusMessage call = callee.nextCall(T);
            assertNotNull(call, "the call did not arrive");
            assertSameValue(List.of(big), call.body());
            callee.reply(call, "ay", T, call.body().get(0));
            assertSameValue(List.of(big), reply.get());
        }
    }

    @Test
    void anErrorFromThePeerAndACallNobodyAnswers() throws Exception {
        try (DBusConnection caller = connect(); DBusConnection callee = connect()) {
            CompletableFuture<List<Object>> reply = CompletableFuture.supplyAsync(() -> caller.call(
                    callee.uniqueName(), "/", "io.jruntime.Test", "Fail", "", T));
            DBusMessage call = callee.nextCall(T);
            assertNotNull(call, "the call did not arrive");
            callee.replyError(call, "io.jruntime.Test.Error.Nope", "no, not this", T);
            Throwable e = assertThrows(Exception.class, reply::get).getCause();
            assertTrue(e instanceof DBusException, String.valueOf(e));
            assertEquals("io.jruntime.Test.Error.Nope", ((DBusException) e).name());
            assertEquals("no, not this", e.getMessage());

            // The callee reads the call but never answers: the caller gets a timeout, and its connection stays usable.
            DBusException timeout = assertThrows(DBusException.class, () -> caller.call(
                    callee.uniqueName(), "/", "io.jruntime.Test", "Ignored", "", Duration.ofMillis(200)));
            assertNull(timeout.name());
            assertTrue(timeout.getMessage().startsWith("no reply to io.jruntime.Test.Ignored"), timeout.getMessage());
            assertNotNull(callee.nextCall(T));
            assertEquals(List.of(true), caller.call(BUS, BUS_PATH, BUS, "NameHasOwner", "s", T, callee.uniqueName()));
        }
    }

    @Test
    void aWrongUidIsRejected() {
        DBusException e = assertThrows(DBusException.class, () -> DBusConnection.open(socket, uid + 4242, true, T));
        assertNull(e.name());
        assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
    }

    @Test
    void closedConnectionsRefuseCalls() {
        DBusConnection c = connect();
        c.close();
        c.close(); // idempotent
        DBusException e = assertThrows(DBusException.class, () -> c.call(BUS, BUS_PATH, BUS, "ListNames", "", T));
        assertEquals("D-Bus connection is closed", e.getMessage());
        DBusException missing = assertThrows(DBusException.class,
                () -> DBusConnection.open(dir.resolve("no-such-socket"), uid, true));
        assertTrue(missing.getMessage().startsWith("connect to D-Bus socket "), missing.getMessage());
    }

    private static Path onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static String log() {
        try {
            return Files.readString(dir.resolve("daemon.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
