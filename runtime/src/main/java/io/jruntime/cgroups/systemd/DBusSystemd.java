package io.jruntime.cgroups.systemd;

import io.jruntime.cgroups.CgroupException;
import io.jruntime.cgroups.Systemd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Systemd} over D-Bus. As root it talks to systemd's private socket (/run/systemd/private: no bus
 * daemon needed, and systemd sends its signals to every private client), else through the system bus. Jobs
 * are waited for through the manager's JobRemoved signal, for at most 30 s, as runc.
 */
public final class DBusSystemd implements Systemd {

    static final Path PRIVATE_SOCKET = Path.of("/run/systemd/private");
    static final Path SYSTEM_BUS = Path.of("/run/dbus/system_bus_socket");
    static final String DEST = "org.freedesktop.systemd1";
    static final String PATH = "/org/freedesktop/systemd1";
    static final String MANAGER = "org.freedesktop.systemd1.Manager";
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(25);
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(30);

    private final DBusConnection bus;
    private int version = Integer.MIN_VALUE;

    DBusSystemd(DBusConnection bus) {
        this.bus = bus;
    }

    /** Connects to the system's systemd and subscribes to its job signals. */
    public static DBusSystemd connect() {
        int uid = io.jruntime.sys.Syscalls.native_().getuid();
        if (uid != 0) {
            throw new CgroupException("the systemd cgroup driver needs root: systemd user managers are not supported");
        }
        try {
            boolean direct = Files.exists(PRIVATE_SOCKET);
            DBusConnection bus = direct ? DBusConnection.open(PRIVATE_SOCKET, uid, false) : DBusConnection.open(SYSTEM_BUS, uid, true);
            DBusSystemd s = new DBusSystemd(bus);
            if (!direct) { // the bus routes a signal only to those who asked for it; systemd's own socket sends all
                bus.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "AddMatch", "s", CALL_TIMEOUT,
                        "type='signal',sender='" + DEST + "',interface='" + MANAGER + "',member='JobRemoved'");
            }
            s.call("Subscribe", "");
            return s;
        } catch (DBusException e) {
            throw new CgroupException("cannot connect to systemd: " + e.getMessage());
        }
    }

    private List<Object> call(String member, String signature, Object... args) {
        return bus.call(DEST, PATH, MANAGER, member, signature, CALL_TIMEOUT, args);
    }

    @Override
    public void startTransientUnit(String unit, List<Property> properties) {
        List<Object> props = new ArrayList<>(properties.size());
        for (Property p : properties) {
            props.add(new Struct(List.of(p.name(), new Variant(p.signature(), p.value()))));
        }
        ObjectPath job;
        try {
            job = start(unit, props);
        } catch (DBusException e) {
            if (!"org.freedesktop.systemd1.UnitExists".equals(e.name())) {
                throw failure("unable to start unit \"" + unit + "\"", e);
            }
            // A leftover failed unit of the same name: let systemd forget it and try once more, as runc.
            resetFailedUnit(unit);
            try {
                job = start(unit, props);
            } catch (DBusException again) {
                throw failure("unable to start unit \"" + unit + "\"", again);
            }
        }
        String result = awaitJob(job);
        if (result == null) {
            resetFailedUnit(unit);
            throw new CgroupException("Timeout waiting for systemd to create " + unit);
        }
        if (!result.equals("done")) {
            resetFailedUnit(unit);
            throw new CgroupException("error creating systemd unit `" + unit + "`: got `" + result + "`");
        }
    }

    private ObjectPath start(String unit, List<Object> props) {
        List<Object> reply = call("StartTransientUnit", "ssa(sv)a(sa(sv))", unit, "replace", props, List.of());
        return (ObjectPath) reply.get(0);
    }

    @Override
    public void stopUnit(String unit) {
        ObjectPath job;
        try {
            job = (ObjectPath) call("StopUnit", "ss", unit, "replace").get(0);
        } catch (DBusException e) {
            if ("org.freedesktop.systemd1.NoSuchUnit".equals(e.name())) {
                return; // not loaded: stopped already (an emptied scope is gone on its own)
            }
            throw failure("unable to stop unit \"" + unit + "\"", e);
        }
        if (awaitJob(job) == null) {
            throw new CgroupException("Timed out while waiting for systemd to remove " + unit);
        }
    }

    @Override
    public void resetFailedUnit(String unit) {
        try {
            call("ResetFailedUnit", "s", unit);
        } catch (DBusException e) {
            // best effort: most units are not failed (NoSuchUnit, "not failed")
        }
    }

    @Override
    public void setUnitProperties(String unit, List<Property> properties) {
        List<Object> props = new ArrayList<>(properties.size());
        for (Property p : properties) {
            props.add(new Struct(List.of(p.name(), new Variant(p.signature(), p.value()))));
        }
        try {
            call("SetUnitProperties", "sba(sv)", unit, true, props);
        } catch (DBusException e) {
            throw failure("unable to set unit properties of \"" + unit + "\"", e);
        }
    }

    @Override
    public int version() {
        if (version == Integer.MIN_VALUE) {
            version = -1;
            try {
                List<Object> reply = bus.call(DEST, PATH, "org.freedesktop.DBus.Properties", "Get", "ss", CALL_TIMEOUT,
                        MANAGER, "Version");
                version = parseVersion(String.valueOf(((Variant) reply.get(0)).value()));
            } catch (DBusException | ClassCastException e) {
                // unknown: the properties that need a version are left to cgroupfs
            }
        }
        return version;
    }

    /** "252.38-1~deb12u1", "v245.4-1.fc32", "245" to 252, 245, 245; -1 when there is no number. */
    static int parseVersion(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == '"' || s.charAt(i) == 'v')) {
            i++;
        }
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        try {
            return i == start ? -1 : Integer.parseInt(s.substring(start, i));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The result of the job ("done", "failed", "canceled", ...), from its JobRemoved signal; null on timeout. */
    private String awaitJob(ObjectPath job) {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            DBusMessage m = bus.nextSignal(Duration.ofNanos(left));
            if (m == null) {
                return null;
            }
            // JobRemoved(u id, o job, s unit, s result)
            if ("JobRemoved".equals(m.member()) && MANAGER.equals(m.iface()) && m.body().size() == 4
                    && job.equals(m.body().get(1))) {
                return (String) m.body().get(3);
            }
        }
    }

    private static CgroupException failure(String what, DBusException e) {
        return new CgroupException(what + ": " + (e.name() == null ? "" : e.name() + ": ") + e.getMessage());
    }

    @Override
    public void close() {
        bus.close();
    }
}
