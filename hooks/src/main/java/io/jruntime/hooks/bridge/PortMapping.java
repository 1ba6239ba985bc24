package io.jruntime.hooks.bridge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One published port: {@code hostPort} on the host's addresses is DNATed to {@code containerPort} of the container. */
public record PortMapping(int hostPort, int containerPort, String protocol) {
    /** The annotation that declares a container's port mappings. */
    public static final String ANNOTATION = "io.jruntime.bridge.ports";

    /**
     * Parses the annotation's value: comma-separated {@code HOST:CONTAINER[/tcp|/udp]} (tcp when no
     * protocol is given); blank means none. Each host port/protocol may appear once.
     */
    public static List<PortMapping> parseList(String value) {
        List<PortMapping> result = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return result;
        }
        Set<String> seen = new HashSet<>();
        for (String raw : value.split(",", -1)) {
            String entry = raw.strip();
            String where = "annotation " + ANNOTATION + ": \"" + entry + "\"";
            if (entry.isEmpty()) {
                throw new HookException("annotation " + ANNOTATION + ": \"" + value + "\" has an empty entry");
            }
            String protocol = "tcp", ports = entry;
            int slash = entry.indexOf('/');
            if (slash >= 0) {
                protocol = entry.substring(slash + 1);
                ports = entry.substring(0, slash);
                if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                    throw new HookException(where + ": protocol \"" + protocol + "\" is not tcp or udp");
                }
            }
            int colon = ports.indexOf(':');
            if (colon < 0) {
                throw new HookException(where + ": expected HOST:CONTAINER[/tcp|/udp], e.g. 8080:80/tcp");
            }
            PortMapping m = new PortMapping(port(ports.substring(0, colon), where, "host"),
                    port(ports.substring(colon + 1), where, "container"), protocol);
            if (!seen.add(m.key())) {
                throw new HookException(where + ": host port " + m.key() + " is mapped twice");
            }
            result.add(m);
        }
        return result;
    }

    private static int port(String text, String where, String which) {
        int p;
        try {
            p = text.length() > 5 ? -1 : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 1 || p > 65535) {
            throw new HookException(where + ": " + which + " port \"" + text + "\" is not a number from 1 to 65535");
        }
        return p;
    }

    /** {@code 8080/tcp}: what two mappings must not share. */
    public String key() {
        return hostPort + "/" + protocol;
    }

    /** The annotation form, {@code 8080:80/tcp}. */
    @Override
    public String toString() {
        return hostPort + ":" + containerPort + "/" + protocol;
    }

    public static String format(List<PortMapping> ports) {
        return String.join(",", ports.stream().map(PortMapping::toString).toList());
    }
}
