package io.jruntime.spec;

/** A per-device blkio weight: {@code major}/{@code minor} and at least one of {@code weight}, {@code leafWeight} (uint16). */
public record LinuxWeightDevice(Long major, Long minor, @Unsigned(16) Long weight, @Unsigned(16) Long leafWeight) {}
