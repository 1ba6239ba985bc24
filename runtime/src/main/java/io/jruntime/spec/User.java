package io.jruntime.spec;

import java.util.List;

/**
 * {@code process.user}. POSIX: {@code uid}, {@code gid} (uint32; absent is read as 0, as runc does),
 * {@code umask} (absent: leave the umask alone), {@code additionalGids}. Windows: {@code username}.
 */
public record User(
        @Unsigned(32) Long uid,
        @Unsigned(32) Long gid,
        @Unsigned(32) Long umask,
        List<Long> additionalGids,
        String username) {

    public static User of(long uid, long gid) {
        return new User(uid, gid, null, null, null);
    }

    /** {@code uid}, 0 when absent. */
    public long uidOrZero() {
        return uid == null ? 0 : uid;
    }

    /** {@code gid}, 0 when absent. */
    public long gidOrZero() {
        return gid == null ? 0 : gid;
    }

    /** {@code additionalGids}, or an empty list when absent. */
    public List<Long> additionalGidList() {
        return additionalGids == null ? List.of() : additionalGids;
    }
}
