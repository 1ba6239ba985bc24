package io.jruntime.cgroups.v2;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.CgroupException;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;
import io.jruntime.sys.Errno;
import java.util.Map;

/**
 * cgroup v2 cpu: cpu.weight (from shares, with the quadratic mapping of runc >= 1.3.2 and crun >= 1.23 that
 * sends 2, 1024 and 262144 shares to weights 1, 100 and 10000), cpu.max ("quota period", "max" for no
 * quota, period 100000 by default, and the current quota kept when only the period changes), cpu.max.burst
 * and cpu.idle. v2 has no realtime bandwidth: realtimeRuntime/realtimePeriod are refused.
 */
public final class CpuV2 implements Controller {

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
        return Fields.firstSet("cpu", "shares", MemoryV2.nz(c.shares()), "quota", MemoryV2.nz(c.quota()),
                "period", MemoryV2.nz(c.period()), "burst", c.burst(), "idle", c.idle(),
                "realtimeRuntime", MemoryV2.nz(c.realtimeRuntime()), "realtimePeriod", MemoryV2.nz(c.realtimePeriod()));
    }

    /** cpu.shares [2..262144] to cpu.weight [1..10000]; 0 stays 0 (unset). */
    public static long sharesToWeight(long shares) {
        if (shares == 0) {
            return 0;
        }
        if (Long.compareUnsigned(shares, 2) <= 0) {
            return 1;
        }
        if (Long.compareUnsigned(shares, 262144) >= 0) {
            return 10000;
        }
        double l = Math.log(shares) / Math.log(2);
        double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
        return (long) Math.ceil(Math.pow(10, exponent));
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        Resources.Cpu c = r.cpu();
        if (c == null) {
            return;
        }
        if (MemoryV2.nz(c.realtimeRuntime()) != null || MemoryV2.nz(c.realtimePeriod()) != null) {
            throw new CgroupException("invalid " + Fields.of("cpu", MemoryV2.nz(c.realtimeRuntime()) != null ? "realtimeRuntime" : "realtimePeriod")
                    + ": realtime CPU bandwidth is not supported with cgroup v2");
        }
        if (c.idle() != null) {
            dir.write("cpu.idle", Long.toString(c.idle()), Fields.of("cpu", "idle"));
        }
        if (MemoryV2.nz(c.shares()) != null) {
            dir.write("cpu.weight", Long.toString(sharesToWeight(c.shares())), Fields.of("cpu", "shares"));
        }
        String burst = null;
        boolean quotaChange = MemoryV2.nz(c.quota()) != null || MemoryV2.nz(c.period()) != null;
        if (c.burst() != null) {
            burst = Fields.u(c.burst());
            int errno = dir.tryWrite("cpu.max.burst", burst);
            if (errno == 0) {
                burst = null;
            } else if (errno != Errno.EINVAL || !quotaChange) {
                throw dir.writeError("cpu.max.burst", burst, errno, Fields.of("cpu", "burst"));
            }
        }
        if (quotaChange) {
            String quota;
            if (MemoryV2.nz(c.quota()) != null) {
                quota = c.quota() > 0 ? Long.toString(c.quota()) : "max";
            } else {
                String current = dir.readOrNull("cpu.max");
                quota = current == null || current.isEmpty() ? "max" : current.split("\\s+")[0];
            }
            long period = MemoryV2.nz(c.period()) != null ? c.period() : 100000;
            dir.write("cpu.max", quota + " " + Fields.u(period), Fields.of("cpu", MemoryV2.nz(c.quota()) != null ? "quota" : "period"));
            if (burst != null) {
                dir.write("cpu.max.burst", burst, Fields.of("cpu", "burst"));
            }
        }
    }

    @Override
    public void stats(CgroupDir dir, Stats s) {
        Map<String, Long> stat = dir.readKeyValues("cpu.stat");
        s.cpu.total = stat.getOrDefault("usage_usec", 0L) * 1000;
        s.cpu.user = stat.getOrDefault("user_usec", 0L) * 1000;
        s.cpu.kernel = stat.getOrDefault("system_usec", 0L) * 1000;
        s.cpu.periods = stat.getOrDefault("nr_periods", 0L);
        s.cpu.throttledPeriods = stat.getOrDefault("nr_throttled", 0L);
        s.cpu.throttledTime = stat.getOrDefault("throttled_usec", 0L) * 1000;
        s.cpu.psi = Stats.parsePsi(dir.readOrNull("cpu.pressure"));
    }
}
