package io.jruntime.cgroups.v1;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;

/** cgroup v1 net_cls: net_cls.classid from network.classID (v1 only: cgroup v2 has no net_cls). */
public final class NetClsV1 implements Controller {

    @Override
    public String name() {
        return "net_cls";
    }

    @Override
    public String requestedField(Resources r) {
        return r.network() == null || r.network().classID() == null ? null : Fields.of("network", "classID");
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        if (requestedField(r) != null) {
            dir.write("net_cls.classid", Fields.u(r.network().classID()), Fields.of("network", "classID"));
        }
    }
}
