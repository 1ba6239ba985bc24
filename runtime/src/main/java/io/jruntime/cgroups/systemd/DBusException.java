package io.jruntime.cgroups.systemd;

import io.jruntime.JRuntimeException;

/**
 * A D-Bus failure: an ERROR reply (then {@link #name()} is its error name, e.g.
 * {@code org.freedesktop.systemd1.NoSuchUnit}, and the message is the error's text argument), or a failure of the
 * connection itself: I/O, authentication, a malformed message, a timeout, a value that does not fit its signature
 * (then {@link #name()} is null). A JRuntimeException, so the CLI prints it once like any other error.
 */
public final class DBusException extends JRuntimeException {
    private final String name;

    public DBusException(String name, String message) {
        super(message == null ? name : message);
        this.name = name;
    }

    DBusException(String message, Throwable cause) {
        super(message, cause);
        this.name = null;
    }

    /** The D-Bus error name of an ERROR reply; null for I/O and protocol errors. */
    public String name() {
        return name;
    }
}
