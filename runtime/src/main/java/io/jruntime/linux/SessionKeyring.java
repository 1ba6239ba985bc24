package io.jruntime.linux;

import io.jruntime.init.Op;
import io.jruntime.init.Plan;
import io.jruntime.sys.Syscalls;

/**
 * runc's session keyring (no spec field): the container's init, and every process exec'd into it, join a
 * session keyring named {@code _ses.<id>} instead of keeping the caller's, whose keys the container could
 * otherwise use. Create's {@code --no-new-keyring} turns it off, for exec too.
 */
final class SessionKeyring {
    /** keyctl permission bits (linux/keyctl.h): search by the owner, and by anyone else. */
    static final long KEY_USR_SEARCH = 0x00080000, KEY_OTH_SEARCH = 0x00000008;

    private SessionKeyring() {}

    static String name(String containerId) {
        return "_ses." + containerId;
    }

    /**
     * Before READY, after the mounts, as container root (before the uid change). The SELinux key label
     * first, so the new keyring carries it (runc's SetKeyLabel, only with a new keyring). The init makes the
     * keyring searchable, as runc: by its owner, or with a user namespace by anyone, so exec'd processes find
     * it by name.
     */
    static void add(Plan p, Syscalls sys, String containerId, String selinuxLabel, boolean init, boolean userns) {
        if (selinuxLabel != null && !selinuxLabel.isEmpty() && Lsm.selinuxEnabled(sys)) {
            p.add(Op.SELINUX_KEY_LABEL, selinuxLabel);
        }
        p.add(Op.SESSION_KEYRING, name(containerId), !init ? 0 : userns ? KEY_OTH_SEARCH : KEY_USR_SEARCH);
    }
}
