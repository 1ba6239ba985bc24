package io.jruntime.cgroups.v1;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.CgroupException;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;
import io.jruntime.sys.Errno;
import java.util.List;

/**
 * cgroup v1 hugetlb: hugetlb.&lt;size&gt;.limit_in_bytes and, where the kernel has reservation accounting,
 * hugetlb.&lt;size&gt;.rsvd.limit_in_bytes with the same value (the spec prefers reservation limits).
 */
public final class HugetlbV1 implements Controller {

    @Override
    public String name() {
        return "hugetlb";
    }

    @Override
    public String requestedField(Resources r) {
        return requested(r);
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        applyLimits(dir, r, "limit_in_bytes", "rsvd.limit_in_bytes", false);
    }

    /** Shared by v1 and v2: whether linux.resources asks for hugepage limits (the field to name if not). */
    public static String requested(Resources r) {
        return r.hugepageLimits() == null || r.hugepageLimits().isEmpty() ? null : Fields.RESOURCES + ".hugepageLimits";
    }

    /**
     * Shared by v1 and v2, which differ in file names only: writes hugetlb.&lt;size&gt;.&lt;limitFile&gt; for each
     * limit, and the reservation file with the same value where the kernel has it ({@code reservationFirst}:
     * before the limit, as v2 does).
     */
    public static void applyLimits(CgroupDir dir, Resources r, String limitFile, String rsvdFile, boolean reservationFirst) {
        List<Resources.HugepageLimit> limits = r.hugepageLimits();
        if (limits == null) {
            return;
        }
        for (int i = 0; i < limits.size(); i++) {
            Resources.HugepageLimit l = limits.get(i);
            String field = Fields.RESOURCES + ".hugepageLimits[" + i + "]";
            String file = "hugetlb." + l.pageSize() + "." + limitFile;
            if (!dir.has(file)) {
                throw noSize(dir, field, l.pageSize(), file);
            }
            String rsvd = "hugetlb." + l.pageSize() + "." + rsvdFile;
            boolean hasRsvd = dir.has(rsvd);
            if (hasRsvd && reservationFirst) {
                dir.write(rsvd, Fields.u(l.limit()), field);
            }
            dir.write(file, Fields.u(l.limit()), field);
            if (hasRsvd && !reservationFirst) {
                dir.write(rsvd, Fields.u(l.limit()), field);
            }
        }
    }

    public static CgroupException noSize(CgroupDir dir, String field, String pageSize, String file) {
        return new CgroupException("invalid " + field + ".pageSize \"" + pageSize + "\": no such hugepage size on this host ("
                + dir.file(file) + " does not exist)", Errno.ENOENT);
    }

    @Override
    public void stats(CgroupDir dir, Stats s) {
        for (String size : HugePageSizes.list()) {
            String p = "hugetlb." + size + ".";
            if (!dir.has(p + "usage_in_bytes")) {
                continue;
            }
            Stats.Hugetlb h = new Stats.Hugetlb();
            h.usage = dir.readUintOrZero(p + "usage_in_bytes");
            h.max = dir.readUintOrZero(p + "max_usage_in_bytes");
            h.failcnt = dir.readUintOrZero(p + "failcnt");
            s.hugetlb.put(size, h);
        }
    }
}
