package io.jruntime.spec;

/**
 * {@code linux.resources.cpu} (cpu and cpuset controllers). {@code shares}, {@code burst},
 * {@code period} and {@code realtimePeriod} are uint64; {@code quota}, {@code realtimeRuntime} and
 * {@code idle} int64; {@code cpus}/{@code mems} are lists such as {@code "0-3,7"}.
 */
public record LinuxCpu(
        @Unsigned Long shares,
        Long quota,
        @Unsigned Long burst,
        @Unsigned Long period,
        Long realtimeRuntime,
        @Unsigned Long realtimePeriod,
        String cpus,
        String mems,
        Long idle) {}
