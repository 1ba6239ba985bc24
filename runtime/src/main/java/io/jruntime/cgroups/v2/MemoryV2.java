package io.jruntime.cgroups.v2;

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
 * cgroup v2 memory: memory.max (limit), memory.low (reservation) and memory.swap.max. The spec's swap is
 * v1's memory+swap, so v2 gets swap - limit (runc's ConvertMemorySwapToCgroupV2Value); -1 is "max"; 0 means
 * unset as in runc. checkBeforeUpdate refuses a limit at or below memory.current (v2 would OOM-kill instead).
 * No v2 file exists for kernel, kernelTCP, swappiness, disableOOMKiller or useHierarchy=false: warnings.
 */
public final class MemoryV2 implements Controller {

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
        return Fields.firstSet("memory", "limit", nz(m.limit()), "reservation", nz(m.reservation()), "swap", nz(m.swap()));
    }

    static Long nz(Long v) {
        return v == null || v == 0 ? null : v;
    }

    /** -1 is "max" (v1 wrote -1 for unlimited); other values as they are. */
    static String numToStr(long v) {
        return v == -1 ? "max" : Long.toString(v);
    }

    /**
     * The v2 memory.swap.max value for spec swap (memory+swap) and limit; 0 = leave alone, -1 = max.
     */
    public static long convertSwap(long swap, long limit) {
        if (limit == -1 && swap == 0) {
            return -1; // unlimited memory, swap not given: both unlimited (v1 compatibility)
        }
        if (swap == -1 || swap == 0) {
            return swap;
        }
        if (limit == -1) {
            return swap; // memory unlimited: nothing to subtract
        }
        if (limit == 0) {
            throw new CgroupException("invalid " + Fields.of("memory", "swap") + " " + swap
                    + ": unable to set swap limit without memory limit");
        }
        if (limit < 0) {
            throw new CgroupException("invalid " + Fields.of("memory", "limit") + " " + limit);
        }
        if (swap < limit) {
            throw new CgroupException("invalid " + Fields.of("memory", "swap") + " " + swap
                    + ": memory+swap limit should be >= memory limit (" + limit + ")");
        }
        return swap - limit;
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        Resources.Memory m = r.memory();
        if (m == null) {
            return;
        }
        warnUnsupported(m);
        if (requestedField(r) == null) {
            return;
        }
        long limit = m.limit() == null ? 0 : m.limit(), swapSpec = m.swap() == null ? 0 : m.swap();
        if (Boolean.TRUE.equals(m.checkBeforeUpdate())) {
            checkUsage(dir, limit, swapSpec);
        }
        long swap = convertSwap(swapSpec, limit);
        String swapStr = swap == 0 ? (swapSpec > 0 ? "0" : null) : numToStr(swap); // swap == limit: no swap at all
        if (swapStr != null) {
            int errno = dir.tryWrite("memory.swap.max", swapStr);
            // Without swap accounting there is no memory.swap.max: "max" and "0" are then what the kernel does anyway.
            if (errno != 0 && !(errno == Errno.ENOENT && (swapStr.equals("max") || swapStr.equals("0")))) {
                throw dir.writeError("memory.swap.max", swapStr, errno, Fields.of("memory", "swap"));
            }
        }
        if (limit != 0) {
            dir.write("memory.max", numToStr(limit), Fields.of("memory", "limit"));
        }
        if (nz(m.reservation()) != null) {
            dir.write("memory.low", numToStr(m.reservation()), Fields.of("memory", "reservation"));
        }
    }

    private static void checkUsage(CgroupDir dir, long limit, long swap) {
        String cur = dir.readOrNull("memory.current");
        if (cur == null) {
            return; // best effort, as runc
        }
        long usage = Long.parseUnsignedLong(cur);
        if (swap > 0 && Long.compareUnsigned(swap, usage) <= 0) {
            throw new CgroupException("rejecting " + Fields.of("memory", "swap") + " " + swap + ": not above the current usage "
                    + usage + " (checkBeforeUpdate)");
        }
        if (limit > 0 && Long.compareUnsigned(limit, usage) <= 0) {
            throw new CgroupException("rejecting " + Fields.of("memory", "limit") + " " + limit + ": not above the current usage "
                    + usage + " (checkBeforeUpdate)");
        }
    }

    private static void warnUnsupported(Resources.Memory m) {
        if (m.kernel() != null) {
            Warnings.warn(Fields.of("memory", "kernel") + " is ignored: kernel memory limits are not supported by current kernels");
        }
        if (m.kernelTCP() != null) {
            Warnings.warn(Fields.of("memory", "kernelTCP") + " is ignored: kernel memory limits are not supported by current kernels");
        }
        if (m.swappiness() != null && m.swappiness() != -1) {
            Warnings.warn(Fields.of("memory", "swappiness") + " is ignored: cgroup v2 has no per-cgroup swappiness");
        }
        if (Boolean.TRUE.equals(m.disableOOMKiller())) {
            Warnings.warn(Fields.of("memory", "disableOOMKiller") + " is ignored: cgroup v2 cannot disable the OOM killer");
        }
        if (Boolean.FALSE.equals(m.useHierarchy())) {
            Warnings.warn(Fields.of("memory", "useHierarchy") + "=false is ignored: cgroup v2 is always hierarchical");
        }
    }

    @Override
    public void stats(CgroupDir dir, Stats s) {
        Map<String, Long> stat = dir.readKeyValues("memory.stat");
        s.memory.raw.putAll(stat);
        s.memory.cache = stat.getOrDefault("file", 0L);
        if (dir.has("memory.current")) {
            s.memory.usage.usage = dir.readUintOrZero("memory.current");
            s.memory.usage.limit = dir.readUintOrZero("memory.max");
            s.memory.usage.max = dir.readUintOrZero("memory.peak");
            s.memory.usage.failcnt = dir.readKeyValues("memory.events").getOrDefault("max", 0L);
        }
        // v1 reports memory+swap: add memory to the v2 swap-only numbers, as runc does (without swap
        // accounting the swap-only part is 0).
        long swapUsage = dir.readUintOrZero("memory.swap.current");
        long swapLimit = dir.has("memory.swap.max") ? dir.readUintOrZero("memory.swap.max") : 0;
        s.memory.swap.usage = swapUsage + s.memory.usage.usage;
        s.memory.swap.limit = swapLimit == -1 ? -1 : swapLimit + s.memory.usage.limit;
        s.memory.psi = Stats.parsePsi(dir.readOrNull("memory.pressure"));
    }
}
