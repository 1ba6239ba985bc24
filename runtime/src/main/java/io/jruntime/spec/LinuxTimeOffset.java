package io.jruntime.spec;

/** One {@code linux.timeOffsets} value (key: monotonic or boottime): seconds (int64) and nanoseconds (uint32). */
public record LinuxTimeOffset(Long secs, @Unsigned(32) Long nanosecs) {}
