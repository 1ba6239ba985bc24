package io.jruntime.linux;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.LinuxNamespace;
import io.jruntime.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * config-linux.md: a namespace {@code path} must be a namespace of the stated type. Checked before
 * anything is created, so the error names the field instead of a failed setns: a /proc/PID/ns/X link
 * reads as {@code X:[inode]}; a namespace kept by a bind mount (ip netns) is not a link, and the native
 * stage's setns with the type rejects a mismatch there.
 */
public final class NamespacePaths {
    private static final Map<String, String> LINK_PREFIX = Map.of("pid", "pid", "network", "net", "mount", "mnt",
            "ipc", "ipc", "uts", "uts", "user", "user", "cgroup", "cgroup", "time", "time");

    private NamespacePaths() {}

    public static void check(Spec spec) {
        if (spec.linux() == null) {
            return;
        }
        int i = 0;
        for (LinuxNamespace ns : spec.linux().namespaceList()) {
            String field = "linux.namespaces[" + i++ + "]";
            if (ns.path() == null || ns.path().isEmpty()) {
                continue;
            }
            Path path = Path.of(ns.path());
            if (!Files.exists(path)) {
                throw new JRuntimeException("config.json: " + field + ".path: " + ns.path() + ": no such file or directory");
            }
            if (!Files.isSymbolicLink(path)) {
                continue;
            }
            String target;
            try {
                target = Files.readSymbolicLink(path).toString();
            } catch (NoSuchFileException e) {
                throw new JRuntimeException("config.json: " + field + ".path: " + ns.path() + ": no such file or directory");
            } catch (IOException e) {
                continue;
            }
            String expected = LINK_PREFIX.get(ns.type());
            int colon = target.indexOf(":[");
            if (expected != null && colon > 0 && !target.substring(0, colon).equals(expected)) {
                throw new JRuntimeException("config.json: " + field + ".path: " + ns.path() + " is a "
                        + target.substring(0, colon) + " namespace, not " + ns.type());
            }
        }
    }
}
