package io.jruntime.cgroups;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The device rules runc appends to every container's list (runc's {@code specconv.AllowedDevices}), which
 * containerd, podman and CRI-O images have come to rely on: mknod of any char or block device, the six
 * standard nodes, /dev/pts/*, /dev/ptmx and /dev/net/tun. They come after the rules of
 * {@code linux.resources.devices}, so a config cannot deny them (runc's behaviour, kept for compatibility);
 * a default whose path is also in {@code linux.devices} is dropped, as runc does.
 */
public final class DefaultDevices {

    /** A default rule, with the device path it stands for ({@code null} for the pattern rules). */
    public record Entry(String path, DeviceRule rule) {}

    public static final List<Entry> ENTRIES = List.of(
            new Entry(null, DeviceRule.allow('c', DeviceRule.WILDCARD, DeviceRule.WILDCARD, "m")),
            new Entry(null, DeviceRule.allow('b', DeviceRule.WILDCARD, DeviceRule.WILDCARD, "m")),
            new Entry("/dev/null", DeviceRule.allow('c', 1, 3, "rwm")),
            new Entry("/dev/random", DeviceRule.allow('c', 1, 8, "rwm")),
            new Entry("/dev/full", DeviceRule.allow('c', 1, 7, "rwm")),
            new Entry("/dev/tty", DeviceRule.allow('c', 5, 0, "rwm")),
            new Entry("/dev/zero", DeviceRule.allow('c', 1, 5, "rwm")),
            new Entry("/dev/urandom", DeviceRule.allow('c', 1, 9, "rwm")),
            new Entry(null, DeviceRule.allow('c', 136, DeviceRule.WILDCARD, "rwm")), // /dev/pts/*
            new Entry(null, DeviceRule.allow('c', 5, 2, "rwm")),                     // /dev/ptmx
            new Entry(null, DeviceRule.allow('c', 10, 200, "rwm")));                 // /dev/net/tun

    private DefaultDevices() {}

    /**
     * The full rule list for a container: {@code configured} (linux.resources.devices, in order), then the
     * defaults not shadowed by a {@code linux.devices} entry of the same path.
     */
    public static List<DeviceRule> withDefaults(List<DeviceRule> configured, Collection<String> linuxDevicePaths) {
        List<DeviceRule> out = new ArrayList<>(configured == null ? List.of() : configured);
        for (Entry e : ENTRIES) {
            if (e.path() == null || linuxDevicePaths == null || !linuxDevicePaths.contains(e.path())) {
                out.add(e.rule());
            }
        }
        return out;
    }
}
