package io.jruntime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The container configuration, {@code config.json} (config.md). Absent properties are {@code null}.
 * Platforms other than Linux are kept as raw JSON so they round-trip without being interpreted.
 */
public record Spec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux,
        JsonNode solaris,
        JsonNode windows,
        JsonNode vm,
        JsonNode zos,
        JsonNode freebsd) {

    /** A Linux spec with only these parts; the other platforms absent. */
    public static Spec of(String ociVersion, Process process, Root root, String hostname, List<Mount> mounts,
            Hooks hooks, Map<String, String> annotations, Linux linux) {
        return new Spec(ociVersion, process, root, hostname, null, mounts, hooks, annotations, linux,
                null, null, null, null, null);
    }

    public Spec withOciVersion(String v) {
        return new Spec(v, process, root, hostname, domainname, mounts, hooks, annotations, linux, solaris, windows, vm, zos, freebsd);
    }

    public Spec withProcess(Process p) {
        return new Spec(ociVersion, p, root, hostname, domainname, mounts, hooks, annotations, linux, solaris, windows, vm, zos, freebsd);
    }

    public Spec withRoot(Root r) {
        return new Spec(ociVersion, process, r, hostname, domainname, mounts, hooks, annotations, linux, solaris, windows, vm, zos, freebsd);
    }

    public Spec withHostname(String h) {
        return new Spec(ociVersion, process, root, h, domainname, mounts, hooks, annotations, linux, solaris, windows, vm, zos, freebsd);
    }

    public Spec withDomainname(String d) {
        return new Spec(ociVersion, process, root, hostname, d, mounts, hooks, annotations, linux, solaris, windows, vm, zos, freebsd);
    }

    public Spec withMounts(List<Mount> m) {
        return new Spec(ociVersion, process, root, hostname, domainname, m, hooks, annotations, linux, solaris, windows, vm, zos, freebsd);
    }

    public Spec withHooks(Hooks h) {
        return new Spec(ociVersion, process, root, hostname, domainname, mounts, h, annotations, linux, solaris, windows, vm, zos, freebsd);
    }

    public Spec withAnnotations(Map<String, String> a) {
        return new Spec(ociVersion, process, root, hostname, domainname, mounts, hooks, a, linux, solaris, windows, vm, zos, freebsd);
    }

    public Spec withLinux(Linux l) {
        return new Spec(ociVersion, process, root, hostname, domainname, mounts, hooks, annotations, l, solaris, windows, vm, zos, freebsd);
    }

    /** {@code mounts}, or an empty list when absent. */
    public List<Mount> mountList() {
        return mounts == null ? List.of() : mounts;
    }

    /** {@code annotations}, or an empty map when absent. */
    public Map<String, String> annotationMap() {
        return annotations == null ? Map.of() : annotations;
    }
}
