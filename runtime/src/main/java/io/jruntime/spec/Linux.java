package io.jruntime.spec;

import java.util.List;
import java.util.Map;

/** {@code linux}: the Linux-specific configuration (config-linux.md). */
public record Linux(
        List<LinuxIdMapping> uidMappings,
        List<LinuxIdMapping> gidMappings,
        Map<String, String> sysctl,
        LinuxResources resources,
        String cgroupsPath,
        List<LinuxNamespace> namespaces,
        List<LinuxDevice> devices,
        Map<String, LinuxNetDevice> netDevices,
        LinuxSeccomp seccomp,
        String rootfsPropagation,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel,
        LinuxIntelRdt intelRdt,
        LinuxMemoryPolicy memoryPolicy,
        LinuxPersonality personality,
        Map<String, LinuxTimeOffset> timeOffsets) {

    /** Only namespaces, masked and read-only paths and resources set (what templates need). */
    public static Linux of(List<LinuxNamespace> namespaces, LinuxResources resources, List<String> maskedPaths,
            List<String> readonlyPaths) {
        return new Linux(null, null, null, resources, null, namespaces, null, null, null, null, maskedPaths,
                readonlyPaths, null, null, null, null, null);
    }

    /** {@code namespaces}, or an empty list when absent. */
    public List<LinuxNamespace> namespaceList() {
        return namespaces == null ? List.of() : namespaces;
    }

    /** The first namespace entry of {@code type}, or null when the container shares the runtime's. */
    public LinuxNamespace namespace(String type) {
        for (LinuxNamespace ns : namespaceList()) {
            if (ns != null && type.equals(ns.type())) {
                return ns;
            }
        }
        return null;
    }

    /** True when {@code namespaces} has an entry of {@code type} (new or joined by path). */
    public boolean hasNamespace(String type) {
        return namespace(type) != null;
    }

    public Linux withUidMappings(List<LinuxIdMapping> m) {
        return new Linux(m, gidMappings, sysctl, resources, cgroupsPath, namespaces, devices, netDevices, seccomp,
                rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, memoryPolicy, personality, timeOffsets);
    }

    public Linux withGidMappings(List<LinuxIdMapping> m) {
        return new Linux(uidMappings, m, sysctl, resources, cgroupsPath, namespaces, devices, netDevices, seccomp,
                rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, memoryPolicy, personality, timeOffsets);
    }

    public Linux withResources(LinuxResources r) {
        return new Linux(uidMappings, gidMappings, sysctl, r, cgroupsPath, namespaces, devices, netDevices, seccomp,
                rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, memoryPolicy, personality, timeOffsets);
    }

    public Linux withCgroupsPath(String p) {
        return new Linux(uidMappings, gidMappings, sysctl, resources, p, namespaces, devices, netDevices, seccomp,
                rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, memoryPolicy, personality, timeOffsets);
    }

    public Linux withNamespaces(List<LinuxNamespace> n) {
        return new Linux(uidMappings, gidMappings, sysctl, resources, cgroupsPath, n, devices, netDevices, seccomp,
                rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, memoryPolicy, personality, timeOffsets);
    }

    public Linux withSeccomp(LinuxSeccomp s) {
        return new Linux(uidMappings, gidMappings, sysctl, resources, cgroupsPath, namespaces, devices, netDevices, s,
                rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, memoryPolicy, personality, timeOffsets);
    }

    public Linux withSysctl(Map<String, String> s) {
        return new Linux(uidMappings, gidMappings, s, resources, cgroupsPath, namespaces, devices, netDevices, seccomp,
                rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, memoryPolicy, personality, timeOffsets);
    }
}
