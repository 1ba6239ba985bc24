package io.jruntime.spec;

import java.util.List;

/** {@code linux.resources.blockIO} (blkio / io controllers); weights are uint16. */
public record LinuxBlockIO(
        @Unsigned(16) Long weight,
        @Unsigned(16) Long leafWeight,
        List<LinuxWeightDevice> weightDevice,
        List<LinuxThrottleDevice> throttleReadBpsDevice,
        List<LinuxThrottleDevice> throttleWriteBpsDevice,
        List<LinuxThrottleDevice> throttleReadIOPSDevice,
        List<LinuxThrottleDevice> throttleWriteIOPSDevice) {}
