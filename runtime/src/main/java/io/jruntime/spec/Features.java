package io.jruntime.spec;

import java.util.List;
import java.util.Map;

/**
 * The Features structure (features.md, features-linux.md) that {@code features} prints: what the
 * runtime recognizes, decided at build time, not what the host supports. Every property except the
 * two versions may be absent ({@code null}), which is not the same as empty.
 */
public record Features(
        String ociVersionMin,
        String ociVersionMax,
        List<String> hooks,
        List<String> mountOptions,
        LinuxFeatures linux,
        Map<String, String> annotations,
        List<String> potentiallyUnsafeConfigAnnotations) {

    /** {@code linux}: Linux-specific features. */
    public record LinuxFeatures(
            List<String> namespaces,
            List<String> capabilities,
            Cgroup cgroup,
            Seccomp seccomp,
            Enabled apparmor,
            Enabled selinux,
            IntelRdt intelRdt,
            MountExtensions mountExtensions,
            Enabled netDevices,
            MemoryPolicy memoryPolicy) {}

    /** {@code linux.cgroup}: which cgroup managers and controllers the runtime implements. */
    public record Cgroup(Boolean v1, Boolean v2, Boolean systemd, Boolean systemdUser, Boolean rdma) {}

    /** {@code linux.seccomp}: recognized actions, operators, architectures and flags. */
    public record Seccomp(
            Boolean enabled,
            List<String> actions,
            List<String> operators,
            List<String> archs,
            List<String> knownFlags,
            List<String> supportedFlags) {}

    /** An object with only {@code enabled} (apparmor, selinux, netDevices, mountExtensions.idmap). */
    public record Enabled(Boolean enabled) {}

    /** {@code linux.intelRdt}: {@code schemata} and {@code monitoring} say whether those config fields are supported. */
    public record IntelRdt(Boolean enabled, Boolean schemata, Boolean monitoring) {}

    /** {@code linux.mountExtensions}: {@code idmap.enabled} when mount uidMappings/gidMappings are implemented. */
    public record MountExtensions(Enabled idmap) {}

    /** {@code linux.memoryPolicy}: recognized modes and flags. */
    public record MemoryPolicy(List<String> modes, List<String> flags) {}
}
