package io.jruntime.spec;

/** {@code linux.resources.rdma} value (key: device name): at least one of the two uint32 limits. */
public record LinuxRdma(@Unsigned(32) Long hcaHandles, @Unsigned(32) Long hcaObjects) {}
