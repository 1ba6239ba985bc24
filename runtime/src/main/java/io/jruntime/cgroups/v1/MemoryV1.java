package io.jruntime.cgroups.v1;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.CgroupException;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;
import io.jruntime.cgroups.Warnings;
import io.jruntime.sys.Errno;
import java.util.Map;

/**
 * cgroup v1 memory: memory.limit_in_bytes, memory.memsw.limit_in_bytes (the spec's swap is memory+swap, as
 * v1 wants it), memory.soft_limit_in_bytes, memory.oom_control, memory.swappiness, memory.use_hierarchy.
 * As in runc, 0 means "unset" for limit/swap/reservation, and limit -1 without swap also lifts the swap limit.
 * The kernel and kernelTCP limits are gone from current kernels: a warning, not an error.
 */
public final class MemoryV1 implements Controller {
    static final String LIMIT = "memory.limit_in_bytes", MEMSW = "memory.memsw.limit_in_bytes";

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String requestedField(Resources r) {
        Resources.Memory m = r.memory();
        if (m == null) {
            return null;
        }
        return Fields.firstSet("memory", "limit", nz(m.limit()), "reservation", nz(m.reservation()), "swap", nz(m.swap()),
                "swappiness", m.swappiness() == null || m.swappiness() == -1 ? null : m.swappiness(),
                "disableOOMKiller", Boolean.TRUE.equals(m.disableOOMKiller()) ? true : null,
                "useHierarchy", m.useHierarchy());
    }

    static Long nz(Long v) {
        return v == null || v == 0 ? null : v;
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        Resources.Memory m = r.memory();
        if (m == null) {
            return;
        }
        Long limit = nz(m.limit()), swap = nz(m.swap());
        if (limit != null && limit == -1 && swap == null && dir.has(MEMSW)) {
            swap = -1L; // "unlimited memory" also means unlimited memory+swap
        }
        boolean done = false;
        if (limit != null && swap != null) {
            // The kernel wants memsw >= memory at every step: raise memsw first when growing.
            long current = dir.readUint(LIMIT);
            if (swap == -1 || Long.compareUnsigned(current, swap) < 0) {
                setSwap(dir, swap);
                setLimit(dir, limit);
                done = true;
            }
        }
        if (!done) {
            setLimit(dir, limit);
            setSwap(dir, swap);
        }
        if (m.kernel() != null) {
            Warnings.warn(Fields.of("memory", "kernel") + " is ignored: kernel memory limits are not supported by current kernels");
        }
        if (m.kernelTCP() != null) {
            Warnings.warn(Fields.of("memory", "kernelTCP") + " is ignored: kernel memory limits are not supported by current kernels");
        }
        if (nz(m.reservation()) != null) {
            dir.write("memory.soft_limit_in_bytes", Long.toString(m.reservation()), Fields.of("memory", "reservation"));
        }
        if (Boolean.TRUE.equals(m.disableOOMKiller())) {
            dir.write("memory.oom_control", "1", Fields.of("memory", "disableOOMKiller"));
        }
        if (m.swappiness() != null && m.swappiness() != -1) {
            if (m.swappiness() < 0 || m.swappiness() > 100) {
                throw new CgroupException("invalid " + Fields.of("memory", "swappiness") + " " + Long.toUnsignedString(m.swappiness())
                        + ": valid memory swappiness range is 0-100");
            }
            dir.write("memory.swappiness", Long.toString(m.swappiness()), Fields.of("memory", "swappiness"));
        }
        if (m.useHierarchy() != null) {
            String want = m.useHierarchy() ? "1" : "0";
            if (!want.equals(dir.readOrNull("memory.use_hierarchy"))) {
                int errno = dir.tryWrite("memory.use_hierarchy", want);
                if (errno == Errno.EINVAL && !m.useHierarchy()) {
                    Warnings.warn(Fields.of("memory", "useHierarchy") + "=false is ignored: this kernel always accounts hierarchically");
                } else if (errno != 0) {
                    throw dir.writeError("memory.use_hierarchy", want, errno, Fields.of("memory", "useHierarchy"));
                }
            }
        }
    }

    private static void setLimit(CgroupDir dir, Long limit) {
        if (limit == null) {
            return;
        }
        String v = Long.toString(limit);
        int errno = dir.tryWrite(LIMIT, v);
        if (errno == Errno.EBUSY) {
            // The kernel refuses a limit below the current usage: say so with the numbers.
            CgroupException base = dir.writeError(LIMIT, v, errno, Fields.of("memory", "limit"));
            throw new CgroupException(base.getMessage() + ": the limit is below the current usage ("
                    + Long.toUnsignedString(dir.readUintOrZero("memory.usage_in_bytes")) + " bytes, peak "
                    + Long.toUnsignedString(dir.readUintOrZero("memory.max_usage_in_bytes")) + ")", errno);
        }
        if (errno != 0) {
            throw dir.writeError(LIMIT, v, errno, Fields.of("memory", "limit"));
        }
    }

    private static void setSwap(CgroupDir dir, Long swap) {
        if (swap == null) {
            return;
        }
        if (!dir.has(MEMSW)) {
            if (swap == -1) {
                return; // no swap accounting: unlimited is what there is
            }
            throw new CgroupException("cannot set " + Fields.of("memory", "swap") + ": " + dir.file(MEMSW)
                    + " does not exist (swap accounting is disabled in this kernel)", Errno.ENOENT);
        }
        dir.write(MEMSW, Long.toString(swap), Fields.of("memory", "swap"));
    }

    @Override
    public void stats(CgroupDir dir, Stats s) {
        Map<String, Long> stat = dir.readKeyValues("memory.stat");
        s.memory.raw.putAll(stat);
        s.memory.cache = stat.getOrDefault("cache", 0L);
        entry(dir, "memory", s.memory.usage);
        entry(dir, "memory.memsw", s.memory.swap);
        entry(dir, "memory.kmem", s.memory.kernel);
        entry(dir, "memory.kmem.tcp", s.memory.kernelTCP);
    }

    private static void entry(CgroupDir dir, String prefix, Stats.MemoryEntry e) {
        if (!dir.has(prefix + ".usage_in_bytes")) {
            return;
        }
        e.usage = dir.readUintOrZero(prefix + ".usage_in_bytes");
        e.max = dir.readUintOrZero(prefix + ".max_usage_in_bytes");
        e.failcnt = dir.readUintOrZero(prefix + ".failcnt");
        e.limit = dir.readUintOrZero(prefix + ".limit_in_bytes");
    }
}
