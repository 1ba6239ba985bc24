package io.jruntime.cgroups.v1;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;

/**
 * pids (same files in v1 and v2): pids.max, "max" for a negative limit. 0 is a real limit (the spec says so),
 * unlike in older runc.
 */
public final class PidsV1 implements Controller {

    @Override
    public String name() {
        return "pids";
    }

    @Override
    public String requestedField(Resources r) {
        return r.pids() == null || r.pids().limit() == null ? null : Fields.of("pids", "limit");
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        if (requestedField(r) == null) {
            return;
        }
        long limit = r.pids().limit();
        dir.write("pids.max", limit < 0 ? "max" : Long.toString(limit), Fields.of("pids", "limit"));
    }

    @Override
    public void stats(CgroupDir dir, Stats s) {
        s.pids.current = dir.readUintOrZero("pids.current");
        long max = dir.readUintOrZero("pids.max");
        s.pids.limit = max == -1 ? 0 : max;
    }
}
