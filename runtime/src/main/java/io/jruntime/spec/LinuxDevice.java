package io.jruntime.spec;

/**
 * One {@code linux.devices} entry: a device node to create at the absolute {@code path} inside the
 * container. {@code type} is c, b, u or p; {@code major}/{@code minor} are required unless p;
 * {@code fileMode} is decimal (438 = 0666).
 */
public record LinuxDevice(
        String path,
        String type,
        Long major,
        Long minor,
        @Unsigned(32) Long fileMode,
        @Unsigned(32) Long uid,
        @Unsigned(32) Long gid) {}
