package io.jruntime.linux;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.LinuxDevice;

/** The device nodes of a container: the spec's default devices, then linux.devices (which win on the same path). */
public final class Devices {
    public static final int S_IFIFO = 0010000, S_IFCHR = 0020000, S_IFBLK = 0060000;

    /** One node to create: {@code mode} holds the S_IF* type and the permission bits. */
    public record Device(String path, int mode, long major, long minor, long uid, long gid) {}

    /** config-linux.md "Default Devices" (/dev/ptmx and /dev/console are handled apart). */
    public static final List<Device> DEFAULTS = List.of(
            new Device("/dev/null", S_IFCHR | 0666, 1, 3, 0, 0),
            new Device("/dev/zero", S_IFCHR | 0666, 1, 5, 0, 0),
            new Device("/dev/full", S_IFCHR | 0666, 1, 7, 0, 0),
            new Device("/dev/random", S_IFCHR | 0666, 1, 8, 0, 0),
            new Device("/dev/urandom", S_IFCHR | 0666, 1, 9, 0, 0),
            new Device("/dev/tty", S_IFCHR | 0666, 5, 0, 0, 0));

    /** The symlinks of runtime-linux.md "Dev symbolic links", plus /dev/ptmx -> pts/ptmx: {target, link}. */
    public static final List<String[]> SYMLINKS = List.of(
            new String[] {"/proc/self/fd", "/dev/fd"},
            new String[] {"/proc/self/fd/0", "/dev/stdin"},
            new String[] {"/proc/self/fd/1", "/dev/stdout"},
            new String[] {"/proc/self/fd/2", "/dev/stderr"},
            new String[] {"pts/ptmx", "/dev/ptmx"});

    private Devices() {}

    /** Defaults plus the configured devices, in order, one per path. */
    public static List<Device> of(List<LinuxDevice> configured) {
        Map<String, Device> byPath = new LinkedHashMap<>();
        DEFAULTS.forEach(d -> byPath.put(d.path(), d));
        for (LinuxDevice d : configured == null ? List.<LinuxDevice>of() : configured) {
            Device dev = convert(d);
            byPath.put(dev.path(), dev);
        }
        return new ArrayList<>(byPath.values());
    }

    static Device convert(LinuxDevice d) {
        if (d.path() == null || d.path().isEmpty()) {
            throw new JRuntimeException("config: linux.devices: a device without path");
        }
        int type = switch (d.type() == null ? "" : d.type()) {
            case "c", "u" -> S_IFCHR;
            case "b" -> S_IFBLK;
            case "p" -> S_IFIFO;
            default -> throw new JRuntimeException("config: linux.devices: " + d.path() + ": unknown type \"" + d.type() + "\"");
        };
        if (type != S_IFIFO && (d.major() == null || d.minor() == null)) {
            throw new JRuntimeException("config: linux.devices: " + d.path() + ": major and minor are required");
        }
        // fileMode is decimal in JSON; only its permission bits are ours to set (runc: 0666 when absent).
        int perm = d.fileMode() == null ? 0666 : (int) (d.fileMode() & 07777);
        String path = d.path().startsWith("/") ? d.path() : "/" + d.path();
        return new Device(path, type | perm, type == S_IFIFO ? 0 : d.major(), type == S_IFIFO ? 0 : d.minor(),
                d.uid() == null ? 0 : d.uid(), d.gid() == null ? 0 : d.gid());
    }
}
