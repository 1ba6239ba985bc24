package io.jruntime.cgroups.v2;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;
import io.jruntime.cgroups.v1.HugePageSizes;
import io.jruntime.cgroups.v1.HugetlbV1;
import java.util.List;

/** cgroup v2 hugetlb: hugetlb.&lt;size&gt;.max, and hugetlb.&lt;size&gt;.rsvd.max where reservations are accounted. */
public final class HugetlbV2 implements Controller {

    @Override
    public String name() {
        return "hugetlb";
    }

    @Override
    public String requestedField(Resources r) {
        return r.hugepageLimits() == null || r.hugepageLimits().isEmpty() ? null : Fields.RESOURCES + ".hugepageLimits";
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        List<Resources.HugepageLimit> limits = r.hugepageLimits();
        if (limits == null) {
            return;
        }
        for (int i = 0; i < limits.size(); i++) {
            Resources.HugepageLimit l = limits.get(i);
            String field = Fields.RESOURCES + ".hugepageLimits[" + i + "]";
            String file = "hugetlb." + l.pageSize() + ".max";
            if (!dir.has(file)) {
                throw HugetlbV1.noSize(dir, field, l.pageSize(), file);
            }
            String rsvd = "hugetlb." + l.pageSize() + ".rsvd.max";
            if (dir.has(rsvd)) {
                dir.write(rsvd, Fields.u(l.limit()), field);
            }
            dir.write(file, Fields.u(l.limit()), field);
        }
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
