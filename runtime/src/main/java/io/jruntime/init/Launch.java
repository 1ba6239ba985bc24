package io.jruntime.init;

/**
 * What {@link NativeStage} needs to run a plan: the plan itself, the uid/gid maps Java writes for a
 * new user namespace (null when none is created), whether setgroups is denied first, the console
 * socket to hand to the stage, and how many fds (3..3+N-1) to pass through. {@code newuidmap} and
 * {@code newgidmap} (the shadow tools' paths, or null) write maps a user other than root may not write
 * itself: rootless with ranges from /etc/subuid and /etc/subgid, as runc.
 *
 * <p>The fd numbers inside the plan follow from {@code preserveFds}: the sync socket is
 * {@link #syncFd()}, the console socket {@link #consoleFd()}.
 */
public record Launch(Plan plan, String uidMap, String gidMap, boolean denySetgroups, String consoleSocket,
                     int preserveFds, String newuidmap, String newgidmap) {

    public Launch(Plan plan, String uidMap, String gidMap, boolean denySetgroups, String consoleSocket, int preserveFds) {
        this(plan, uidMap, gidMap, denySetgroups, consoleSocket, preserveFds, null, null);
    }

    public int syncFd() {
        return syncFd(preserveFds);
    }

    public int consoleFd() {
        return consoleFd(preserveFds);
    }

    public static int syncFd(int preserveFds) {
        return 3 + preserveFds;
    }

    public static int consoleFd(int preserveFds) {
        return 4 + preserveFds;
    }
}
