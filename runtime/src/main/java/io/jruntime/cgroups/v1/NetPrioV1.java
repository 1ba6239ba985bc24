package io.jruntime.cgroups.v1;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import java.util.List;

/** cgroup v1 net_prio: one "interface priority" line per network.priorities entry into net_prio.ifpriomap. */
public final class NetPrioV1 implements Controller {

    @Override
    public String name() {
        return "net_prio";
    }

    @Override
    public String requestedField(Resources r) {
        return r.network() == null || r.network().priorities() == null || r.network().priorities().isEmpty()
                ? null : Fields.of("network", "priorities");
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        if (requestedField(r) == null) {
            return;
        }
        List<Resources.InterfacePriority> list = r.network().priorities();
        for (int i = 0; i < list.size(); i++) {
            Resources.InterfacePriority p = list.get(i);
            dir.write("net_prio.ifpriomap", p.name() + " " + Fields.u(p.priority()), Fields.of("network", "priorities[" + i + "]"));
        }
    }
}
