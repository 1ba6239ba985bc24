package io.jruntime.linux;

import io.jruntime.JRuntimeException;
import io.jruntime.init.Op;
import io.jruntime.init.Plan;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;
import java.nio.charset.StandardCharsets;

/**
 * AppArmor and SELinux labels (process.apparmorProfile, process.selinuxLabel, linux.mountLabel), applied
 * as runc does, only where the LSM is enabled. Whether it is comes through the {@link Syscalls} seam, and
 * only when the config asks for a label, so a plain config costs no extra reads.
 *
 * <p>The machine jruntime is developed on has neither LSM enabled: the plans are unit-tested
 * (PlanBuilderTest), and conformance/lsm boots a VM once with AppArmor and once with SELinux to check
 * that real profiles and labels are applied (and enforced) on real containers.
 */
final class Lsm {
    static final String APPARMOR_ENABLED = "/sys/module/apparmor/parameters/enabled";
    static final String SELINUX_ENFORCE = "/sys/fs/selinux/enforce";

    private Lsm() {}

    static boolean apparmorEnabled(Syscalls sys) {
        try {
            return new String(sys.readFile(APPARMOR_ENABLED), StandardCharsets.US_ASCII).trim().equals("Y");
        } catch (ErrnoException e) {
            return false;
        }
    }

    static boolean selinuxEnabled(Syscalls sys) {
        try {
            sys.stat(SELINUX_ENFORCE);
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /**
     * The labels the process gets at its execve, emitted before READY: like runc, before the seccomp filter
     * (which could refuse the open or write), before no_new_privs (which limits AppArmor transitions) and
     * before the uid and capability changes; a refusal then fails create/exec, naming the label.
     * (The key label goes with the session keyring: {@link SessionKeyring}.)
     */
    static void addProcessLabels(Plan p, Syscalls sys, String apparmorProfile, String selinuxLabel) {
        if (apparmorProfile != null && !apparmorProfile.isEmpty()) {
            if (!apparmorEnabled(sys)) {
                // create refuses this earlier (Unimplemented); exec --apparmor gets the same words.
                throw new JRuntimeException("process.apparmorProfile: \"" + apparmorProfile
                        + "\" cannot be applied: AppArmor is not enabled on this host");
            }
            p.add(Op.APPARMOR_EXEC, apparmorProfile);
        }
        if (selinuxLabel != null && !selinuxLabel.isEmpty() && selinuxEnabled(sys)) { // ignored where off, as crun
            p.add(Op.SELINUX_EXEC_LABEL, selinuxLabel);
        }
    }

    /**
     * runc's rule (FormatMountLabel in mountPropagate): linux.mountLabel goes into the data of the mounts
     * it makes of their own filesystem, not of binds, proc, sysfs, mqueue (whose root gets the label as a
     * file label instead: OP_SELINUX_FILE_LABEL) nor cgroup/cgroup2.
     */
    static boolean labels(String fsType) {
        return fsType != null && switch (fsType) {
            case "proc", "sysfs", "mqueue", "cgroup", "cgroup2", "bind" -> false;
            default -> true;
        };
    }

    /** data with {@code context="<label>"} added. */
    static String withContext(String data, String mountLabel) {
        String context = "context=\"" + mountLabel + "\"";
        return data == null || data.isEmpty() ? context : data + "," + context;
    }
}
