package io.jruntime.container;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.Linux;
import io.jruntime.spec.Process;
import io.jruntime.spec.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Config fields this build of jruntime does not apply yet. Silently ignoring them would run a container
 * other than the one asked for (a seccomp profile not loaded is a hole), so create refuses them, naming
 * the field; {@code features} leaves them out. Each line goes when the code that applies it lands.
 */
final class Unimplemented {
    private Unimplemented() {}

    static void check(Spec spec) {
        List<String> fields = new ArrayList<>();
        Process p = spec.process();
        if (p != null) {
            // Labels are applied where the LSM is enabled (io.jruntime.linux.Lsm); an SELinux label is
            // ignored where SELinux is off (as crun).
            if (p.apparmorProfile() != null && !p.apparmorProfile().isEmpty() && !apparmorEnabled()) {
                // runc fails here too (it writes /proc/self/attr/exec and gets EINVAL); say why plainly.
                throw new JRuntimeException("config.json: process.apparmorProfile: \"" + p.apparmorProfile()
                        + "\" cannot be applied: AppArmor is not enabled on this host");
            }
        }
        Linux l = spec.linux();
        if (l != null) {
            if (l.intelRdt() != null && !Files.exists(Path.of("/sys/fs/resctrl"))) {
                // As runc: say why plainly rather than "not supported" when the host has no resctrl at all.
                throw new JRuntimeException("config.json: linux.intelRdt: Intel RDT is not available on this host"
                        + " (no resctrl filesystem at /sys/fs/resctrl)");
            }
            add(fields, l.intelRdt() != null, "linux.intelRdt");
        }
        if (!fields.isEmpty()) {
            throw new JRuntimeException("config.json: " + String.join(", ", fields) + ": not supported by this version of jruntime");
        }
    }

    private static void add(List<String> fields, boolean set, String name) {
        if (set) {
            fields.add(name);
        }
    }

    static boolean apparmorEnabled() {
        try {
            return Files.readString(Path.of("/sys/module/apparmor/parameters/enabled")).trim().equals("Y");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
