package io.jruntime.spec;

/** A per-device blkio throttle: {@code major}/{@code minor} and a {@code rate} (uint64, bytes or IOs per second). */
public record LinuxThrottleDevice(Long major, Long minor, @Unsigned Long rate) {}
