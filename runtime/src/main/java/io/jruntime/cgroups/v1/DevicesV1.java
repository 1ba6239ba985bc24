package io.jruntime.cgroups.v1;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.DeviceEmulator;
import io.jruntime.cgroups.DeviceRule;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;

/**
 * cgroup v1 devices: the configured rules are applied on a deny-all base; what is written to devices.deny /
 * devices.allow is the minimal transition from the cgroup's current devices.list to that policy, so an
 * update of a running container never passes through "deny everything" unless the default really changes.
 */
public final class DevicesV1 implements Controller {

    @Override
    public String name() {
        return "devices";
    }

    @Override
    public String requestedField(Resources r) {
        return r.devices() == null ? null : Fields.RESOURCES + ".devices";
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        if (r.devices() == null) {
            return;
        }
        DeviceEmulator target = DeviceEmulator.of(r.devices());
        String list = dir.readOrNull("devices.list");
        DeviceEmulator current = list == null ? DeviceEmulator.of(java.util.List.of(
                DeviceRule.allow('a', DeviceRule.WILDCARD, DeviceRule.WILDCARD, "rwm"))) : DeviceEmulator.fromList(list);
        for (DeviceRule rule : current.transitionTo(target)) {
            dir.write(rule.allow() ? "devices.allow" : "devices.deny", rule.cgroupString(), Fields.RESOURCES + ".devices");
        }
    }
}
