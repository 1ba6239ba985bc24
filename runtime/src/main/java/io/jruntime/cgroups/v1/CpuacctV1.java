package io.jruntime.cgroups.v1;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;
import java.util.List;
import java.util.Map;

/** cgroup v1 cpuacct: no settings, only CPU usage statistics (cpuacct.usage*, cpuacct.stat). */
public final class CpuacctV1 implements Controller {
    /** USER_HZ: cpuacct.stat counts in clock ticks of 1/100 s on every Linux architecture jruntime supports. */
    static final long NANOS_PER_TICK = 1_000_000_000L / 100;

    @Override
    public String name() {
        return "cpuacct";
    }

    @Override
    public String requestedField(Resources r) {
        return null;
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {}

    @Override
    public void stats(CgroupDir dir, Stats s) {
        s.cpu.total = dir.readUintOrZero("cpuacct.usage");
        Map<String, Long> stat = dir.readKeyValues("cpuacct.stat");
        s.cpu.user = stat.getOrDefault("user", 0L) * NANOS_PER_TICK;
        s.cpu.kernel = stat.getOrDefault("system", 0L) * NANOS_PER_TICK;
        s.cpu.percpu = numbers(dir.readOrNull("cpuacct.usage_percpu"));
        s.cpu.percpuKernel = numbers(dir.readOrNull("cpuacct.usage_percpu_sys"));
        s.cpu.percpuUser = numbers(dir.readOrNull("cpuacct.usage_percpu_user"));
    }

    static List<Long> numbers(String s) {
        if (s == null || s.isBlank()) {
            return new java.util.ArrayList<>();
        }
        List<Long> out = new java.util.ArrayList<>();
        for (String f : s.trim().split("\\s+")) {
            out.add(Long.parseUnsignedLong(f));
        }
        return out;
    }
}
