package io.jruntime.container;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.LinuxResources;
import io.jruntime.spec.Spec;
import io.jruntime.sys.Syscalls;

/**
 * Rootless containers (runc's --rootless: "true", "false", or "auto", the default: when not run as root or
 * when run in a user namespace, where root may not make cgroups either: podman's rootless mode). A user may
 * not make cgroups under the host's hierarchies; as runc, a rootless container whose config sets no limits
 * and no cgroupsPath then runs without a cgroup of its own. With limits it fails, saying why. Decided only
 * when making the cgroup failed, so a plain create pays nothing for it.
 */
final class Rootless {
    private Rootless() {}

    /**
     * runc's check for a user other than root: nothing but a user namespace of the container's own (or a
     * joined one) gives it the privileges create needs.
     */
    static void checkUserNamespace(Syscalls sys, Spec spec) {
        if (sys.getuid() == 0) {
            return;
        }
        boolean userns = spec.linux() != null && spec.linux().namespaceList().stream().anyMatch(ns -> "user".equals(ns.type()));
        if (!userns) {
            throw new JRuntimeException("rootless container requires user namespaces");
        }
    }

    /** True when create may go on without a cgroup after {@code e}; otherwise the error to report. */
    static boolean withoutCgroup(String mode, Syscalls sys, Spec spec, JRuntimeException e) {
        if (!permissionDenied(e) || !rootless(mode, sys)) {
            return false;
        }
        var linux = spec.linux();
        if (linux != null && linux.cgroupsPath() != null && !linux.cgroupsPath().isEmpty()) {
            return false; // runc: an explicit cgroupsPath must be honoured
        }
        if (linux != null && hasLimits(linux.resources())) {
            throw new JRuntimeException("rootless container cannot set resource limits: container could not join or create cgroup ("
                    + e.getMessage() + ")", e);
        }
        return true;
    }

    static boolean rootless(String mode, Syscalls sys) {
        return switch (mode == null ? "auto" : mode) {
            case "true" -> true;
            case "false" -> false;
            default -> sys.getuid() != 0 || inUserNamespace();
        };
    }

    /** Not in the initial user namespace, whose uid_map maps every id onto itself. */
    static boolean inUserNamespace() {
        try {
            return !java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/uid_map")).trim()
                    .matches("0\\s+0\\s+4294967295");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static boolean permissionDenied(JRuntimeException e) {
        String m = e.getMessage();
        return m != null && (m.endsWith("permission denied") || m.endsWith("operation not permitted")
                || m.endsWith("read-only file system"));
    }

    /** Any limit at all; device rules alone do not count (runc ignores the devices controller rootless). */
    static boolean hasLimits(LinuxResources r) {
        return r != null && (r.memory() != null || r.cpu() != null || r.pids() != null || r.blockIO() != null
                || (r.hugepageLimits() != null && !r.hugepageLimits().isEmpty()) || r.network() != null
                || (r.rdma() != null && !r.rdma().isEmpty()) || (r.unified() != null && !r.unified().isEmpty()));
    }
}
