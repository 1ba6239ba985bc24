package io.jruntime.spec;

/**
 * {@code linux.resources.memory}. Limits are bytes, -1 for unlimited, absent for "leave as is"
 * (which is not the same as 0). {@code swappiness} is uint64, 0 to 100.
 */
public record LinuxMemory(
        Long limit,
        Long reservation,
        Long swap,
        Long kernel,
        Long kernelTCP,
        @Unsigned Long swappiness,
        Boolean disableOOMKiller,
        Boolean useHierarchy,
        Boolean checkBeforeUpdate) {}
