package io.jruntime.cgroups.v1;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.CgroupException;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;
import io.jruntime.sys.Errno;
import java.util.Map;

/**
 * cgroup v1 cpu: cpu.shares (read back, as the kernel clamps), cpu.cfs_period_us / cpu.cfs_quota_us /
 * cpu.cfs_burst_us (a period or burst the kernel refuses before the quota changes is retried after it, as
 * runc does), cpu.rt_period_us / cpu.rt_runtime_us and cpu.idle. As in runc, 0 means unset for shares,
 * quota and period. Apply this before the process joins: a SCHED_RR process cannot join a cgroup without
 * realtime bandwidth.
 */
public final class CpuV1 implements Controller {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String requestedField(Resources r) {
        Resources.Cpu c = r.cpu();
        if (c == null) {
            return null;
        }
        return Fields.firstSet("cpu", "shares", MemoryV1.nz(c.shares()), "quota", MemoryV1.nz(c.quota()),
                "period", MemoryV1.nz(c.period()), "burst", c.burst(), "realtimeRuntime", MemoryV1.nz(c.realtimeRuntime()),
                "realtimePeriod", MemoryV1.nz(c.realtimePeriod()), "idle", c.idle());
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        Resources.Cpu c = r.cpu();
        if (c == null) {
            return;
        }
        if (MemoryV1.nz(c.shares()) != null) {
            String v = Fields.u(c.shares());
            dir.write("cpu.shares", v, Fields.of("cpu", "shares"));
            long read = dir.readUint("cpu.shares");
            if (Long.compareUnsigned(c.shares(), read) > 0) {
                throw new CgroupException("invalid " + Fields.of("cpu", "shares") + " " + v + ": the maximum allowed cpu-shares is " + read);
            } else if (Long.compareUnsigned(c.shares(), read) < 0) {
                throw new CgroupException("invalid " + Fields.of("cpu", "shares") + " " + v + ": the minimum allowed cpu-shares is " + read);
            }
        }
        String period = null;
        if (MemoryV1.nz(c.period()) != null) {
            period = Fields.u(c.period());
            int errno = dir.tryWrite("cpu.cfs_period_us", period);
            if (errno == 0) {
                period = null;
            } else if (errno != Errno.EINVAL || MemoryV1.nz(c.quota()) == null) {
                throw dir.writeError("cpu.cfs_period_us", period, errno, Fields.of("cpu", "period"));
            }
        }
        String burst = null;
        if (c.burst() != null) {
            burst = Fields.u(c.burst());
            int errno = dir.tryWrite("cpu.cfs_burst_us", burst);
            if (errno == 0) {
                burst = null;
            } else if (errno != Errno.EINVAL || MemoryV1.nz(c.quota()) == null) {
                throw dir.writeError("cpu.cfs_burst_us", burst, errno, Fields.of("cpu", "burst"));
            }
        }
        if (MemoryV1.nz(c.quota()) != null) {
            dir.write("cpu.cfs_quota_us", Long.toString(c.quota()), Fields.of("cpu", "quota"));
            if (period != null) {
                dir.write("cpu.cfs_period_us", period, Fields.of("cpu", "period"));
            }
            if (burst != null) {
                dir.write("cpu.cfs_burst_us", burst, Fields.of("cpu", "burst"));
            }
        }
        applyRealtime(dir, c);
        if (c.idle() != null) {
            dir.write("cpu.idle", Long.toString(c.idle()), Fields.of("cpu", "idle"));
        }
    }

    static void applyRealtime(CgroupDir dir, Resources.Cpu c) {
        if (MemoryV1.nz(c.realtimePeriod()) != null) {
            dir.write("cpu.rt_period_us", Fields.u(c.realtimePeriod()), Fields.of("cpu", "realtimePeriod"));
        }
        if (MemoryV1.nz(c.realtimeRuntime()) != null) {
            dir.write("cpu.rt_runtime_us", Long.toString(c.realtimeRuntime()), Fields.of("cpu", "realtimeRuntime"));
        }
    }

    @Override
    public void stats(CgroupDir dir, Stats s) {
        Map<String, Long> stat = dir.readKeyValues("cpu.stat");
        s.cpu.periods = stat.getOrDefault("nr_periods", 0L);
        s.cpu.throttledPeriods = stat.getOrDefault("nr_throttled", 0L);
        s.cpu.throttledTime = stat.getOrDefault("throttled_time", 0L);
    }
}
