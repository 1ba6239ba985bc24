package io.jruntime.cgroups;

import io.jruntime.cgroups.Systemd.Property;
import io.jruntime.cgroups.v2.CpuV2;
import io.jruntime.cgroups.v2.MemoryV2;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * {@code linux.resources} as systemd unit properties (systemd.resource-control(5)), as runc's systemd driver
 * sets them: systemd then keeps the limits it knows across a daemon-reload instead of writing its own. The
 * cgroup files are written too, by the cgroupfs controllers, so a resource systemd has no property for still
 * applies. Device rules are not given to systemd (see README.md: the eBPF program or devices.* files are
 * written directly, and systemd realises no device policy for a unit that sets none).
 */
final class SystemdProperties {

    /** USEC_INFINITY and "max" for TasksMax/MemoryMax: the all-ones uint64. */
    static final long INFINITY = -1L;

    private SystemdProperties() {}

    /** The properties of a new unit: what runc's driver always sets, then the resources'. */
    static List<Property> forNewUnit(SystemdUnit unit, int pid, String description, boolean v2, Resources r, int version) {
        List<Property> p = new ArrayList<>();
        p.add(new Property("Description", "s", description));
        if (unit.isSlice()) {
            p.add(new Property("Wants", "as", List.of(unit.slice())));
        } else {
            p.add(new Property("Slice", "s", unit.slice()));
            p.add(new Property("Delegate", "b", true)); // the container's own sub-cgroups are ours, not systemd's
        }
        if (pid > 0 && !unit.isSlice()) {
            // A slice holds no processes of its own in systemd's eyes: the init joins its directory directly.
            p.add(new Property("PIDs", "au", List.of(pid)));
        }
        // Accounting on, as runc: the controllers are then enabled for the unit as cgroupfs would have them.
        p.add(new Property("MemoryAccounting", "b", true));
        p.add(new Property("CPUAccounting", "b", true));
        p.add(new Property(v2 ? "IOAccounting" : "BlockIOAccounting", "b", true));
        p.add(new Property("TasksAccounting", "b", true));
        p.add(new Property("DefaultDependencies", "b", false));
        p.addAll(forResources(r, v2, version));
        return p;
    }

    /** The unit properties for the resources {@code r} sets (none for null). */
    static List<Property> forResources(Resources r, boolean v2, int version) {
        List<Property> p = new ArrayList<>();
        if (r == null) {
            return p;
        }
        Resources.Memory m = r.memory();
        if (m != null) {
            long limit = m.limit() == null ? 0 : m.limit();
            if (limit != 0) {
                p.add(new Property(v2 ? "MemoryMax" : "MemoryLimit", "t", limit));
            }
            if (v2 && m.reservation() != null && m.reservation() != 0) {
                p.add(new Property("MemoryLow", "t", m.reservation()));
            }
            if (v2 && m.swap() != null) {
                long swap = MemoryV2.convertSwap(m.swap(), limit);
                if (swap != 0) {
                    p.add(new Property("MemorySwapMax", "t", swap));
                }
            }
        }
        Resources.Cpu c = r.cpu();
        if (c != null) {
            if (c.shares() != null && c.shares() != 0) {
                p.add(v2 ? new Property("CPUWeight", "t", CpuV2.sharesToWeight(c.shares()))
                        : new Property("CPUShares", "t", c.shares()));
            }
            addCpuQuota(p, c.quota() == null ? 0 : c.quota(), c.period() == null ? 0 : c.period(), version);
            addCpuset(p, c.cpus(), c.mems(), version);
        }
        if (!v2 && r.blockIO() != null && r.blockIO().weight() != null && r.blockIO().weight() != 0) {
            p.add(new Property("BlockIOWeight", "t", (long) r.blockIO().weight()));
        }
        if (r.pids() != null && r.pids().limit() != null && (r.pids().limit() > 0 || r.pids().limit() == -1)) {
            p.add(new Property("TasksMax", "t", r.pids().limit()));
        }
        if (v2 && r.unified() != null) {
            for (Map.Entry<String, String> e : r.unified().entrySet()) {
                unified(p, e.getKey(), e.getValue().trim(), version);
            }
        }
        return p;
    }

    /**
     * CPUQuotaPerSecUSec (and CPUQuotaPeriodUSec, systemd >= 242). systemd keeps the quota as a percentage of
     * a CPU, so a quota that is not a whole 1% is rounded up, as runc does, to never give less than asked.
     */
    static void addCpuQuota(List<Property> p, long quota, long period, int version) {
        if (period != 0 && version >= 242) {
            p.add(new Property("CPUQuotaPeriodUSec", "t", period));
        }
        if (quota != 0 || period != 0) {
            long perSec = INFINITY;
            if (quota > 0) {
                long per = period == 0 ? 100_000 : period;
                perSec = quota * 1_000_000 / per;
                if (perSec % 10_000 != 0) {
                    perSec = (perSec / 10_000 + 1) * 10_000;
                }
            }
            p.add(new Property("CPUQuotaPerSecUSec", "t", perSec));
        }
    }

    /** AllowedCPUs / AllowedMemoryNodes (systemd >= 244) as the byte masks systemd takes. */
    static void addCpuset(List<Property> p, String cpus, String mems, int version) {
        if (version < 244) {
            return; // written to cpuset.* only, as runc on an older systemd
        }
        if (cpus != null && !cpus.isEmpty()) {
            p.add(new Property("AllowedCPUs", "ay", rangeToBits(cpus, "cpus")));
        }
        if (mems != null && !mems.isEmpty()) {
            p.add(new Property("AllowedMemoryNodes", "ay", rangeToBits(mems, "mems")));
        }
    }

    /** "0-3,8" as a little-endian bit mask: bit n of the bytes is CPU (or node) n. */
    static byte[] rangeToBits(String list, String field) {
        BitSet bits = new BitSet();
        for (String part : list.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            try {
                int dash = s.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? s : s.substring(0, dash).trim());
                int to = dash < 0 ? from : Integer.parseInt(s.substring(dash + 1).trim());
                if (from < 0 || to < from || to > 65535) {
                    throw new NumberFormatException();
                }
                bits.set(from, to + 1);
            } catch (NumberFormatException e) {
                throw new CgroupException("linux.resources.cpu." + field + ": invalid range \"" + s + "\" in \"" + list + "\"");
            }
        }
        byte[] b = bits.toByteArray();
        return b.length == 0 ? new byte[] {0} : b;
    }

    /** linux.resources.unified keys systemd has properties for; the others are only written to their files. */
    private static void unified(List<Property> p, String key, String value, int version) {
        switch (key) {
            case "cpu.max" -> {
                String[] f = value.split("\\s+");
                long quota = f[0].equals("max") ? 0 : parse(key, f[0]);
                long period = f.length > 1 ? parse(key, f[1]) : 100_000;
                addCpuQuota(p, quota, period, version);
            }
            case "cpu.weight" -> p.add(new Property("CPUWeight", "t", parse(key, value)));
            case "cpuset.cpus" -> addCpuset(p, value, null, version);
            case "cpuset.mems" -> addCpuset(p, null, value, version);
            case "memory.high" -> p.add(new Property("MemoryHigh", "t", maxOr(key, value)));
            case "memory.low" -> p.add(new Property("MemoryLow", "t", maxOr(key, value)));
            case "memory.min" -> p.add(new Property("MemoryMin", "t", maxOr(key, value)));
            case "memory.max" -> p.add(new Property("MemoryMax", "t", maxOr(key, value)));
            case "memory.swap.max" -> p.add(new Property("MemorySwapMax", "t", maxOr(key, value)));
            case "pids.max" -> p.add(new Property("TasksMax", "t", maxOr(key, value)));
            default -> {
                // no systemd property: the cgroupfs write is all
            }
        }
    }

    private static long maxOr(String key, String value) {
        return value.equals("max") ? INFINITY : parse(key, value);
    }

    private static long parse(String key, String value) {
        try {
            return Long.parseUnsignedLong(value.trim());
        } catch (NumberFormatException e) {
            throw new CgroupException("linux.resources.unified[\"" + key + "\"]: invalid value \"" + value + "\"");
        }
    }
}
