package io.jruntime.spec;

/** {@code linux.resources.hugepageLimits} entry: {@code pageSize} like "2MB", {@code limit} in bytes (uint64). */
public record LinuxHugepageLimit(String pageSize, @Unsigned Long limit) {}
