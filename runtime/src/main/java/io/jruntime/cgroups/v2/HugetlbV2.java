package io.jruntime.cgroups.v2;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;
import io.jruntime.cgroups.v1.HugePageSizes;
import io.jruntime.cgroups.v1.HugetlbV1;

/** cgroup v2 hugetlb: hugetlb.&lt;size&gt;.max, and hugetlb.&lt;size&gt;.rsvd.max where reservations are accounted. */
public final class HugetlbV2 implements Controller {

    @Override
    public String name() {
        return "hugetlb";
    }

    @Override
    public String requestedField(Resources r) {
        return HugetlbV1.requested(r);
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        HugetlbV1.applyLimits(dir, r, "max", "rsvd.max", true);
    }

    @Override
    public void stats(CgroupDir dir, Stats s) {
        for (String size : HugePageSizes.list()) {
            String p = "hugetlb." + size + ".";
            if (!dir.has(p + "current")) {
                continue;
            }
            Stats.Hugetlb h = new Stats.Hugetlb();
            h.usage = dir.readUintOrZero(p + "current");
            h.failcnt = dir.readKeyValues(p + "events").getOrDefault("max", 0L);
            s.hugetlb.put(size, h);
        }
    }
}
