package io.jruntime.cgroups.systemd;

import java.util.Objects;

/** A D-Bus object path ("o"), kept apart from String so that marshalling a variant or a decoded value knows its type. */
public record ObjectPath(String value) {
    public ObjectPath {
        Objects.requireNonNull(value, "object path");
    }

    /** Whether {@code p} is a valid object path: "/", or "/" followed by non-empty elements of [A-Za-z0-9_]. */
    static boolean valid(String p) {
        int n = p.length();
        if (n == 0 || p.charAt(0) != '/') {
            return false;
        }
        if (n == 1) {
            return true;
        }
        if (p.charAt(n - 1) == '/') {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = p.charAt(i);
            if (c == '/') {
                if (p.charAt(i - 1) == '/') {
                    return false;
                }
            } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return value;
    }
}
