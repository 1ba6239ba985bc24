package io.jruntime.cgroups.v1;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.CgroupException;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import java.util.Map;

/** rdma (same file in v1 and v2): "device hca_handle=N hca_object=M" lines into rdma.max. */
public class RdmaV1 implements Controller {

    @Override
    public String name() {
        return "rdma";
    }

    @Override
    public String requestedField(Resources r) {
        return r.rdma() == null || r.rdma().isEmpty() ? null : Fields.RESOURCES + ".rdma";
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        if (requestedField(r) == null) {
            return;
        }
        for (Map.Entry<String, Resources.Rdma> e : new java.util.TreeMap<>(r.rdma()).entrySet()) {
            dir.write("rdma.max", line(e.getKey(), e.getValue()), Fields.RESOURCES + ".rdma." + e.getKey());
        }
    }

    /** The rdma.max line for one device; the spec wants at least one of the two limits. */
    public static String line(String device, Resources.Rdma limits) {
        if (limits == null || (limits.hcaHandles() == null && limits.hcaObjects() == null)) {
            throw new CgroupException("invalid " + Fields.RESOURCES + ".rdma." + device + ": set hcaHandles, hcaObjects or both");
        }
        StringBuilder s = new StringBuilder(device);
        if (limits.hcaHandles() != null) {
            s.append(" hca_handle=").append(Fields.u(limits.hcaHandles()));
        }
        if (limits.hcaObjects() != null) {
            s.append(" hca_object=").append(Fields.u(limits.hcaObjects()));
        }
        return s.toString();
    }
}
