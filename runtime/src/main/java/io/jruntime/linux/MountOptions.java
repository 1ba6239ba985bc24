package io.jruntime.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Linux mount options of config.md ("Linux mount options") turned into mount(2) flags, propagation
 * flags, mount_setattr(2) attributes for the recursive {@code r*} options, and the data string of the
 * options the kernel's filesystem gets (every unknown option, as the spec says).
 */
public record MountOptions(long flags, long propagation, long attrSet, long attrClear, String data,
                           boolean idmap, boolean recursiveIdmap, boolean tmpcopyup) {

    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024,
            MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768,
            MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20,
            MS_RELATIME = 1 << 21, MS_I_VERSION = 1 << 23, MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25;

    /** mount_setattr(2) attributes. */
    public static final long MOUNT_ATTR_RDONLY = 1, MOUNT_ATTR_NOSUID = 2, MOUNT_ATTR_NODEV = 4,
            MOUNT_ATTR_NOEXEC = 8, MOUNT_ATTR__ATIME = 0x70, MOUNT_ATTR_RELATIME = 0, MOUNT_ATTR_NOATIME = 0x10,
            MOUNT_ATTR_STRICTATIME = 0x20, MOUNT_ATTR_NODIRATIME = 0x80, MOUNT_ATTR_NOSYMFOLLOW = 0x200000;

    private record Flag(boolean clear, long value) {}

    private static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("async", new Flag(true, MS_SYNCHRONOUS)),
            Map.entry("atime", new Flag(true, MS_NOATIME)),
            Map.entry("bind", new Flag(false, MS_BIND)),
            Map.entry("defaults", new Flag(false, 0)),
            Map.entry("dev", new Flag(true, MS_NODEV)),
            Map.entry("diratime", new Flag(true, MS_NODIRATIME)),
            Map.entry("dirsync", new Flag(false, MS_DIRSYNC)),
            Map.entry("exec", new Flag(true, MS_NOEXEC)),
            Map.entry("iversion", new Flag(false, MS_I_VERSION)),
            Map.entry("lazytime", new Flag(false, MS_LAZYTIME)),
            Map.entry("loud", new Flag(true, MS_SILENT)),
            Map.entry("mand", new Flag(false, MS_MANDLOCK)),
            Map.entry("noatime", new Flag(false, MS_NOATIME)),
            Map.entry("nodev", new Flag(false, MS_NODEV)),
            Map.entry("nodiratime", new Flag(false, MS_NODIRATIME)),
            Map.entry("noexec", new Flag(false, MS_NOEXEC)),
            Map.entry("noiversion", new Flag(true, MS_I_VERSION)),
            Map.entry("nolazytime", new Flag(true, MS_LAZYTIME)),
            Map.entry("nomand", new Flag(true, MS_MANDLOCK)),
            Map.entry("norelatime", new Flag(true, MS_RELATIME)),
            Map.entry("nostrictatime", new Flag(true, MS_STRICTATIME)),
            Map.entry("nosuid", new Flag(false, MS_NOSUID)),
            Map.entry("nosymfollow", new Flag(false, MS_NOSYMFOLLOW)),
            Map.entry("rbind", new Flag(false, MS_BIND | MS_REC)),
            Map.entry("relatime", new Flag(false, MS_RELATIME)),
            Map.entry("remount", new Flag(false, MS_REMOUNT)),
            Map.entry("ro", new Flag(false, MS_RDONLY)),
            Map.entry("rw", new Flag(true, MS_RDONLY)),
            Map.entry("silent", new Flag(false, MS_SILENT)),
            Map.entry("strictatime", new Flag(false, MS_STRICTATIME)),
            Map.entry("suid", new Flag(true, MS_NOSUID)),
            Map.entry("symfollow", new Flag(true, MS_NOSYMFOLLOW)),
            Map.entry("sync", new Flag(false, MS_SYNCHRONOUS)));

    /** Propagation options, also the values of linux.rootfsPropagation. */
    public static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    private record Attr(boolean clear, long value, boolean atime) {}

    private static final Map<String, Attr> RECURSIVE = Map.ofEntries(
            Map.entry("rro", new Attr(false, MOUNT_ATTR_RDONLY, false)),
            Map.entry("rrw", new Attr(true, MOUNT_ATTR_RDONLY, false)),
            Map.entry("rnosuid", new Attr(false, MOUNT_ATTR_NOSUID, false)),
            Map.entry("rsuid", new Attr(true, MOUNT_ATTR_NOSUID, false)),
            Map.entry("rnodev", new Attr(false, MOUNT_ATTR_NODEV, false)),
            Map.entry("rdev", new Attr(true, MOUNT_ATTR_NODEV, false)),
            Map.entry("rnoexec", new Attr(false, MOUNT_ATTR_NOEXEC, false)),
            Map.entry("rexec", new Attr(true, MOUNT_ATTR_NOEXEC, false)),
            Map.entry("rnodiratime", new Attr(false, MOUNT_ATTR_NODIRATIME, false)),
            Map.entry("rdiratime", new Attr(true, MOUNT_ATTR_NODIRATIME, false)),
            Map.entry("rrelatime", new Attr(false, MOUNT_ATTR_RELATIME, true)),
            Map.entry("rnorelatime", new Attr(true, MOUNT_ATTR_RELATIME, false)), // relatime is 0: a no-op, as in runc
            Map.entry("rnoatime", new Attr(false, MOUNT_ATTR_NOATIME, true)),
            Map.entry("ratime", new Attr(true, MOUNT_ATTR_NOATIME, false)),
            Map.entry("rstrictatime", new Attr(false, MOUNT_ATTR_STRICTATIME, true)),
            Map.entry("rnostrictatime", new Attr(true, MOUNT_ATTR_STRICTATIME, false)),
            Map.entry("rnosymfollow", new Attr(false, MOUNT_ATTR_NOSYMFOLLOW, false)),
            Map.entry("rsymfollow", new Attr(true, MOUNT_ATTR_NOSYMFOLLOW, false)));

    /** Every option applied (for {@code features}): flags, propagation, recursive attributes, idmap, ridmap and tmpcopyup. */
    public static List<String> supported() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(FLAGS.keySet());
        all.add("idmap");
        all.add("ridmap");
        all.add("tmpcopyup");
        all.addAll(PROPAGATION.keySet());
        all.addAll(RECURSIVE.keySet());
        return List.copyOf(all);
    }

    /** Parses options in order: a later option wins over an earlier one ({@code ro} then {@code rw} is rw). */
    public static MountOptions parse(List<String> options) {
        long flags = 0, propagation = 0, set = 0, clear = 0;
        boolean idmap = false, ridmap = false, tmpcopyup = false;
        List<String> data = new ArrayList<>();
        for (String o : options == null ? List.<String>of() : options) {
            Flag f = FLAGS.get(o);
            Attr a = RECURSIVE.get(o);
            if (f != null) {
                flags = f.clear() ? flags & ~f.value() : flags | f.value();
            } else if (PROPAGATION.containsKey(o)) {
                propagation |= PROPAGATION.get(o);
            } else if (a != null) {
                if (a.atime()) { // the atime attributes are one field: clear it, then set the value
                    set = (set & ~MOUNT_ATTR__ATIME) | a.value();
                    clear |= MOUNT_ATTR__ATIME;
                } else if (a.clear()) {
                    clear |= a.value();
                    set &= ~a.value();
                } else {
                    set |= a.value();
                    clear &= ~a.value();
                }
            } else if (o.equals("idmap")) {
                idmap = true;
            } else if (o.equals("ridmap")) {
                idmap = ridmap = true;
            } else if (o.equals("tmpcopyup")) {
                tmpcopyup = true;
            } else {
                data.add(o);
            }
        }
        return new MountOptions(flags, propagation, set, clear, data.isEmpty() ? null : String.join(",", data),
                idmap, ridmap, tmpcopyup);
    }

    public boolean bind() {
        return (flags & MS_BIND) != 0;
    }

    /**
     * The flags a bind mount needs in a second, remount step: a bind ignores everything but MS_BIND and
     * MS_REC, so ro, nosuid, nodev, noexec and the atime flags need MS_BIND|MS_REMOUNT. 0 when none.
     */
    public long bindRemountFlags() {
        return bind() ? flags & ~(MS_BIND | MS_REC | MS_REMOUNT) : 0;
    }
}
