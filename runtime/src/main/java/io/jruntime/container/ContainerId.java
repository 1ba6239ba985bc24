package io.jruntime.container;

import io.jruntime.JRuntimeException;

/** Container ids follow runc's rule: non-empty, [A-Za-z0-9_+.-], and never "." or "..", so an id is always one path component. */
public final class ContainerId {
    private ContainerId() {}

    public static String check(String id) {
        if (id == null || id.isEmpty()) {
            throw new JRuntimeException("container id cannot be empty");
        }
        if (id.equals(".") || id.equals("..")) {
            throw new JRuntimeException("invalid container ID format");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '+' || c == '-' || c == '.';
            if (!ok) {
                throw new JRuntimeException("invalid container ID format");
            }
        }
        return id;
    }
}
