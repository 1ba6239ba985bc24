package io.jruntime.spec;

/** A uid/gid mapping range (uint32 values): {@code size} ids from {@code hostID} appear as {@code containerID}. */
public record LinuxIdMapping(
        @Unsigned(32) Long containerID,
        @Unsigned(32) Long hostID,
        @Unsigned(32) Long size) {

    public static LinuxIdMapping of(long containerID, long hostID, long size) {
        return new LinuxIdMapping(containerID, hostID, size);
    }
}
