package io.jruntime.cgroups.v2;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;
import io.jruntime.cgroups.v1.PidsV1;

/** cgroup v2 pids: the v1 files (pids.max, pids.current) are unchanged in v2. */
public final class PidsV2 implements Controller {
    private final PidsV1 same = new PidsV1();

    @Override
    public String name() {
        return "pids";
    }

    @Override
    public String requestedField(Resources r) {
        return same.requestedField(r);
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        same.apply(dir, r);
    }

    @Override
    public void stats(CgroupDir dir, Stats s) {
        same.stats(dir, s);
    }
}
