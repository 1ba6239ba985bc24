package io.jruntime.cgroups;

import java.util.List;
import java.util.Map;

/**
 * The cgroup view of {@code linux.resources}: the spec's fields under the spec's names, every field nullable
 * (absent = leave the kernel's value alone), plus the device rules in the order they are to be applied.
 * {@link SpecResources} builds it from the spec model; controllers read only this, so they are tested without
 * JSON. Unsigned spec fields (uint64) are carried in {@code long} and written with
 * {@link Long#toUnsignedString(long)}.
 *
 * @param devices the device rules to apply on a deny-all base, in order; {@code null} leaves device access alone
 */
public record Resources(
        List<DeviceRule> devices,
        Memory memory,
        Cpu cpu,
        Pids pids,
        BlockIO blockIO,
        List<HugepageLimit> hugepageLimits,
        Network network,
        Map<String, Rdma> rdma,
        Map<String, String> unified) {

    public static final Resources EMPTY = new Resources(null, null, null, null, null, null, null, null, null);

    public Resources withDevices(List<DeviceRule> rules) {
        return new Resources(rules, memory, cpu, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    /** linux.resources.memory */
    public record Memory(Long limit, Long reservation, Long swap, Long kernel, Long kernelTCP, Long swappiness,
                         Boolean disableOOMKiller, Boolean useHierarchy, Boolean checkBeforeUpdate) {
        public static Memory limit(long limit) {
            return new Memory(limit, null, null, null, null, null, null, null, null);
        }
    }

    /** linux.resources.cpu */
    public record Cpu(Long shares, Long quota, Long burst, Long period, Long realtimeRuntime, Long realtimePeriod,
                      String cpus, String mems, Long idle) {}

    /** linux.resources.pids */
    public record Pids(Long limit) {}

    /** linux.resources.blockIO */
    public record BlockIO(Integer weight, Integer leafWeight, List<WeightDevice> weightDevice,
                          List<ThrottleDevice> throttleReadBpsDevice, List<ThrottleDevice> throttleWriteBpsDevice,
                          List<ThrottleDevice> throttleReadIOPSDevice, List<ThrottleDevice> throttleWriteIOPSDevice) {}

    /** An entry of blockIO.weightDevice. */
    public record WeightDevice(long major, long minor, Integer weight, Integer leafWeight) {}

    /** An entry of the blockIO.throttle*Device lists. */
    public record ThrottleDevice(long major, long minor, long rate) {}

    /** An entry of linux.resources.hugepageLimits. */
    public record HugepageLimit(String pageSize, long limit) {}

    /** linux.resources.network */
    public record Network(Long classID, List<InterfacePriority> priorities) {}

    /** An entry of network.priorities. */
    public record InterfacePriority(String name, long priority) {}

    /** A value of linux.resources.rdma (keyed by device name). */
    public record Rdma(Long hcaHandles, Long hcaObjects) {}
}
