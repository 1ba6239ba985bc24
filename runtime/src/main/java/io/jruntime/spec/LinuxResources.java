package io.jruntime.spec;

import java.util.List;
import java.util.Map;

/**
 * {@code linux.resources}: cgroup settings; also the document given to {@code update --resources}.
 * {@code rdma} is keyed by device name, {@code unified} by cgroup v2 file name.
 */
public record LinuxResources(
        List<LinuxDeviceCgroup> devices,
        LinuxMemory memory,
        LinuxCpu cpu,
        LinuxPids pids,
        LinuxBlockIO blockIO,
        List<LinuxHugepageLimit> hugepageLimits,
        LinuxNetwork network,
        Map<String, LinuxRdma> rdma,
        Map<String, String> unified) {

    /** Only the device allow list. */
    public static LinuxResources ofDevices(List<LinuxDeviceCgroup> devices) {
        return new LinuxResources(devices, null, null, null, null, null, null, null, null);
    }
}
