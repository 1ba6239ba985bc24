package io.jruntime.spec;

/**
 * One {@code linux.resources.devices} rule, applied in order. {@code type} a, c or b (absent: a);
 * absent {@code major}/{@code minor} mean "all" ({@code *}); {@code access} is made of r, w and m.
 */
public record LinuxDeviceCgroup(Boolean allow, String type, Long major, Long minor, String access) {

    /** {@code allow}, false when absent. */
    public boolean allowed() {
        return Boolean.TRUE.equals(allow);
    }
}
