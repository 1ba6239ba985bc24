package io.jruntime.cli;

import io.jruntime.spec.Features;
import io.jruntime.spec.Json;
import io.jruntime.spec.KnownValues;
import java.util.List;

/**
 * {@code features}: features.md's document. It says what this build of jruntime implements, never more:
 * each list comes from the code that applies it, and grows as that code does.
 */
final class FeaturesCommand implements Command {
    @Override
    public String name() {
        return "features";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public String summary() {
        return "show the enabled features";
    }

    @Override
    public List<Flag> flags() {
        return List.of();
    }

    @Override
    public int run(Cli cli, Args args) {
        byte[] json = Json.writePretty(features());
        cli.out.write(json, 0, json.length);
        cli.out.println();
        return 0;
    }

    static Features features() {
        Features.LinuxFeatures linux = new Features.LinuxFeatures(
                KnownValues.NAMESPACES,
                KnownValues.CAPABILITIES,
                // cgroupfs on v1, v2 and hybrid hosts, and systemd's system manager (--systemd-cgroup), not user managers
                new Features.Cgroup(true, true, true, false, true),
                io.jruntime.seccomp.SeccompFeatures.features(),
                // apparmor, selinux: applied where the host has the LSM enabled (io.jruntime.linux.Lsm)
                new Features.Enabled(apparmorEnabled()),
                new Features.Enabled(java.nio.file.Files.exists(java.nio.file.Path.of("/sys/fs/selinux/enforce"))),
                new Features.IntelRdt(false, false, false),
                new Features.MountExtensions(new Features.Enabled(true)), // idmap, ridmap, mount uid/gidMappings (io.jruntime.linux.IdmappedMounts)
                new Features.Enabled(true), // linux.netDevices (io.jruntime.linux.NetDevices)
                // linux.memoryPolicy: every mode and flag of config-linux.md (io.jruntime.linux.ProcessAttributes)
                new Features.MemoryPolicy(KnownValues.MEMORY_POLICY_MODES, KnownValues.MEMORY_POLICY_FLAGS));
        List<String> hooks = List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");
        return new Features(KnownValues.OCI_VERSION_MIN, KnownValues.OCI_VERSION_MAX, hooks,
                io.jruntime.linux.MountOptions.supported(), linux, null, List.of());
    }

    private static boolean apparmorEnabled() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/sys/module/apparmor/parameters/enabled")).trim().equals("Y");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
