package io.jruntime.cgroups.v1;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * cgroup v1 cpuset: cpuset.cpus and cpuset.mems. A new v1 cpuset starts with both empty and accepts no task
 * until they are set, so {@link #prepare} copies them from the parent at every level below the mount point
 * (runc's cpusetEnsureParent), before the configured values are written.
 */
public final class CpusetV1 implements Controller {

    @Override
    public String name() {
        return "cpuset";
    }

    @Override
    public String requestedField(Resources r) {
        Resources.Cpu c = r.cpu();
        if (c == null) {
            return null;
        }
        return Fields.firstSet("cpu", "cpus", empty(c.cpus()), "mems", empty(c.mems()));
    }

    private static String empty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public void prepare(CgroupDir dir, Path mountPoint) {
        Path leaf = dir.path();
        if (!leaf.startsWith(mountPoint) || leaf.equals(mountPoint)) {
            return;
        }
        Path rel = mountPoint.relativize(leaf);
        Path parent = mountPoint;
        for (Path part : rel) {
            Path current = parent.resolve(part);
            CgroupDir cur = new CgroupDir(current, dir.fs());
            CgroupDir par = new CgroupDir(parent, dir.fs());
            for (String f : List.of("cpuset.cpus", "cpuset.mems")) {
                String mine = cur.readOrNull(f);
                if (mine != null && mine.isEmpty()) {
                    cur.write(f, par.read(f));
                }
            }
            parent = current;
        }
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        Resources.Cpu c = r.cpu();
        if (c == null) {
            return;
        }
        if (empty(c.cpus()) != null) {
            dir.write("cpuset.cpus", c.cpus(), Fields.of("cpu", "cpus"));
        }
        if (empty(c.mems()) != null) {
            dir.write("cpuset.mems", c.mems(), Fields.of("cpu", "mems"));
        }
    }

    @Override
    public void stats(CgroupDir dir, Stats s) {
        s.cpuset.cpus = parseList(dir.readOrNull("cpuset.cpus"));
        s.cpuset.mems = parseList(dir.readOrNull("cpuset.mems"));
        s.cpuset.cpuExclusive = dir.readUintOrZero("cpuset.cpu_exclusive");
        s.cpuset.memHardwall = dir.readUintOrZero("cpuset.mem_hardwall");
        s.cpuset.memExclusive = dir.readUintOrZero("cpuset.mem_exclusive");
        s.cpuset.memoryMigrate = dir.readUintOrZero("cpuset.memory_migrate");
        s.cpuset.memorySpreadPage = dir.readUintOrZero("cpuset.memory_spread_page");
        s.cpuset.memorySpreadSlab = dir.readUintOrZero("cpuset.memory_spread_slab");
        s.cpuset.memoryPressure = dir.readUintOrZero("cpuset.memory_pressure");
        s.cpuset.schedLoadBalance = dir.readUintOrZero("cpuset.sched_load_balance");
        String level = dir.readOrNull("cpuset.sched_relax_domain_level");
        s.cpuset.schedRelaxDomainLevel = level == null || level.isEmpty() ? 0 : Long.parseLong(level);
    }

    /** "0-3,7" to [0,1,2,3,7]. */
    public static List<Integer> parseList(String s) {
        List<Integer> out = new ArrayList<>();
        if (s == null || s.isBlank()) {
            return out;
        }
        for (String part : s.trim().split(",")) {
            int dash = part.indexOf('-');
            if (dash > 0) {
                int from = Integer.parseInt(part.substring(0, dash)), to = Integer.parseInt(part.substring(dash + 1));
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            } else {
                out.add(Integer.parseInt(part));
            }
        }
        return out;
    }
}
