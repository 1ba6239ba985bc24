package io.jruntime.cgroups.v2;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;
import io.jruntime.cgroups.v1.CpusetV1;

/** cgroup v2 cpuset: cpuset.cpus and cpuset.mems (empty means "inherit" in v2, so nothing is copied). */
public final class CpusetV2 implements Controller {

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
        return Fields.firstSet("cpu", "cpus", c.cpus() == null || c.cpus().isEmpty() ? null : c.cpus(),
                "mems", c.mems() == null || c.mems().isEmpty() ? null : c.mems());
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        Resources.Cpu c = r.cpu();
        if (c == null) {
            return;
        }
        if (c.cpus() != null && !c.cpus().isEmpty()) {
            dir.write("cpuset.cpus", c.cpus(), Fields.of("cpu", "cpus"));
        }
        if (c.mems() != null && !c.mems().isEmpty()) {
            dir.write("cpuset.mems", c.mems(), Fields.of("cpu", "mems"));
        }
    }

    @Override
    public void stats(CgroupDir dir, Stats s) {
        s.cpuset.cpus = CpusetV1.parseList(dir.readOrNull("cpuset.cpus.effective"));
        s.cpuset.mems = CpusetV1.parseList(dir.readOrNull("cpuset.mems.effective"));
    }
}
