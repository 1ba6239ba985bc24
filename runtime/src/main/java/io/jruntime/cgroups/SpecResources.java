package io.jruntime.cgroups;

import io.jruntime.spec.LinuxBlockIO;
import io.jruntime.spec.LinuxCpu;
import io.jruntime.spec.LinuxDevice;
import io.jruntime.spec.LinuxDeviceCgroup;
import io.jruntime.spec.LinuxHugepageLimit;
import io.jruntime.spec.LinuxInterfacePriority;
import io.jruntime.spec.LinuxMemory;
import io.jruntime.spec.LinuxRdma;
import io.jruntime.spec.LinuxResources;
import io.jruntime.spec.LinuxThrottleDevice;
import io.jruntime.spec.LinuxWeightDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * From the spec model ({@code linux.resources}) to the cgroup view ({@link Resources}), the way runc's
 * specconv does it: device rules in config order with runc's default rules appended (minus those whose path
 * {@code linux.devices} redefines); a rule without type is "a", without major/minor "*", without access "rwm".
 */
public final class SpecResources {
    private SpecResources() {}

    /**
     * For {@code create}: everything in {@code r} (which may be null: then only the default device rules),
     * devices = linux.resources.devices + runc's defaults, the defaults shadowed by {@code linuxDevices}
     * paths left out.
     */
    public static Resources forCreate(LinuxResources r, List<LinuxDevice> linuxDevices) {
        List<String> paths = new ArrayList<>();
        if (linuxDevices != null) {
            for (LinuxDevice d : linuxDevices) {
                paths.add(d.path());
            }
        }
        List<DeviceRule> rules = DefaultDevices.withDefaults(r == null ? List.of() : rules(r.devices()), paths);
        return convert(r).withDevices(rules);
    }

    /**
     * For {@code update}: only what the document sets; device rules are left alone (as runc update, which
     * cannot change them).
     */
    public static Resources forUpdate(LinuxResources r) {
        return convert(r).withDevices(null);
    }

    /** Field by field, devices included as given (no defaults). */
    public static Resources convert(LinuxResources r) {
        if (r == null) {
            return Resources.EMPTY;
        }
        return new Resources(r.devices() == null ? null : rules(r.devices()), memory(r.memory()), cpu(r.cpu()),
                r.pids() == null ? null : new Resources.Pids(r.pids().limit()), blockIO(r.blockIO()),
                hugepages(r.hugepageLimits()), network(r), rdma(r.rdma()), r.unified());
    }

    static List<DeviceRule> rules(List<LinuxDeviceCgroup> devices) {
        List<DeviceRule> out = new ArrayList<>();
        if (devices == null) {
            return out;
        }
        for (int i = 0; i < devices.size(); i++) {
            LinuxDeviceCgroup d = devices.get(i);
            String type = d.type() == null || d.type().isEmpty() ? "a" : d.type();
            if (type.length() != 1 || "acb".indexOf(type.charAt(0)) < 0) {
                throw new CgroupException("invalid " + Fields.RESOURCES + ".devices[" + i + "].type \"" + type + "\": want a, c or b");
            }
            try {
                out.add(new DeviceRule(d.allowed(), type.charAt(0), d.major() == null ? DeviceRule.WILDCARD : d.major(),
                        d.minor() == null ? DeviceRule.WILDCARD : d.minor(), d.access()));
            } catch (CgroupException e) {
                throw new CgroupException(Fields.RESOURCES + ".devices[" + i + "]: " + e.getMessage());
            }
        }
        return out;
    }

    static Resources.Memory memory(LinuxMemory m) {
        return m == null ? null : new Resources.Memory(m.limit(), m.reservation(), m.swap(), m.kernel(), m.kernelTCP(),
                m.swappiness(), m.disableOOMKiller(), m.useHierarchy(), m.checkBeforeUpdate());
    }

    static Resources.Cpu cpu(LinuxCpu c) {
        return c == null ? null : new Resources.Cpu(c.shares(), c.quota(), c.burst(), c.period(), c.realtimeRuntime(),
                c.realtimePeriod(), c.cpus(), c.mems(), c.idle());
    }

    static Resources.BlockIO blockIO(LinuxBlockIO b) {
        if (b == null) {
            return null;
        }
        List<Resources.WeightDevice> wd = null;
        if (b.weightDevice() != null) {
            wd = new ArrayList<>();
            for (int i = 0; i < b.weightDevice().size(); i++) {
                LinuxWeightDevice w = b.weightDevice().get(i);
                String field = Fields.of("blockIO", "weightDevice[" + i + "]");
                wd.add(new Resources.WeightDevice(required(w.major(), field + ".major"), required(w.minor(), field + ".minor"),
                        toInt(w.weight()), toInt(w.leafWeight())));
            }
        }
        return new Resources.BlockIO(toInt(b.weight()), toInt(b.leafWeight()), wd,
                throttle(b.throttleReadBpsDevice(), "throttleReadBpsDevice"),
                throttle(b.throttleWriteBpsDevice(), "throttleWriteBpsDevice"),
                throttle(b.throttleReadIOPSDevice(), "throttleReadIOPSDevice"),
                throttle(b.throttleWriteIOPSDevice(), "throttleWriteIOPSDevice"));
    }

    private static Integer toInt(Long v) {
        return v == null ? null : (int) (long) v; // uint16, range checked when the config was read
    }

    private static long required(Long v, String field) {
        if (v == null) {
            throw new CgroupException("invalid " + field + ": required");
        }
        return v;
    }

    static List<Resources.ThrottleDevice> throttle(List<LinuxThrottleDevice> list, String name) {
        if (list == null) {
            return null;
        }
        List<Resources.ThrottleDevice> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            LinuxThrottleDevice t = list.get(i);
            String field = Fields.of("blockIO", name + "[" + i + "]");
            out.add(new Resources.ThrottleDevice(required(t.major(), field + ".major"), required(t.minor(), field + ".minor"),
                    required(t.rate(), field + ".rate")));
        }
        return out;
    }

    static List<Resources.HugepageLimit> hugepages(List<LinuxHugepageLimit> list) {
        if (list == null) {
            return null;
        }
        List<Resources.HugepageLimit> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            LinuxHugepageLimit h = list.get(i);
            String field = Fields.RESOURCES + ".hugepageLimits[" + i + "]";
            if (h.pageSize() == null || h.pageSize().isEmpty()) {
                throw new CgroupException("invalid " + field + ".pageSize: required");
            }
            out.add(new Resources.HugepageLimit(h.pageSize(), required(h.limit(), field + ".limit")));
        }
        return out;
    }

    static Resources.Network network(LinuxResources r) {
        if (r.network() == null) {
            return null;
        }
        List<Resources.InterfacePriority> prios = null;
        if (r.network().priorities() != null) {
            prios = new ArrayList<>();
            for (LinuxInterfacePriority p : r.network().priorities()) {
                prios.add(new Resources.InterfacePriority(p.name(), p.priority() == null ? 0 : p.priority()));
            }
        }
        return new Resources.Network(r.network().classID(), prios);
    }

    static Map<String, Resources.Rdma> rdma(Map<String, LinuxRdma> rdma) {
        if (rdma == null) {
            return null;
        }
        Map<String, Resources.Rdma> out = new LinkedHashMap<>();
        rdma.forEach((k, v) -> out.put(k, v == null ? new Resources.Rdma(null, null) : new Resources.Rdma(v.hcaHandles(), v.hcaObjects())));
        return out;
    }
}
