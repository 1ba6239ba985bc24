package io.jruntime.init;

/**
 * The ops of a native-stage plan: the mirror of {@code enum plan_op} in
 * {@code runtime/src/main/c/protocol.h}; arguments and meaning are documented in
 * {@code runtime/src/main/c/PROTOCOL.md}. The code of each constant is its number there.
 */
public enum Op {
    JOIN_NAMESPACES(1),
    UNSHARE(2),
    WRITE_PROC(3),
    CLONE(4),
    WAIT_CONTINUE(5),
    SYNC(6),
    SETSID(7),
    SETHOSTNAME(8),
    SETDOMAINNAME(9),
    MOUNT_HOST(10),
    ROOTFS(11),
    MOUNT(12),
    MKNOD(13),
    BIND_DEVICE(14),
    SYMLINK(15),
    MASK(16),
    READONLY(17),
    PIVOT_ROOT(18),
    MOVE_ROOT(19),
    REMOUNT(20),
    OPEN_FIFO(21),
    CONSOLE(22),
    SETRLIMIT(23),
    CHDIR(24),
    RESOLVE_EXEC(25),
    READY(26),
    FIFO_WAIT(27),
    SETGROUPS(28),
    SETRESID(29),
    UMASK(30),
    CAPS_BOUNDING(31),
    CAPS(32),
    NO_NEW_PRIVS(33),
    SECCOMP(34),
    CLOSE_FDS(35),
    EXEC(36),
    DUMPABLE(37),
    MOUNT_SETATTR(38),
    PERSONALITY(39),
    SECCOMP_LISTENER(40),
    // 41-44: seccomp notify; 45-54: process attributes (proc.c)
    SCHED_SETATTR(45),
    IOPRIO_SET(46),
    SCHED_SETAFFINITY(47),
    SET_MEMPOLICY(48),
    HOME(49),
    // 50-52: LSM labels (fs.c), through a verified procfs; 53: a file's label
    APPARMOR_EXEC(50),
    SELINUX_EXEC_LABEL(51),
    SELINUX_KEY_LABEL(52),
    SELINUX_FILE_LABEL(53),
    SESSION_KEYRING(54),
    // 55-56: idmapped mounts (fs.c): made in the stage before CLONE, attached in the init
    IDMAP_TREE(55),
    IDMAP_ATTACH(56);

    /** The number on the wire. */
    public final int code;

    Op(int code) {
        this.code = code;
    }

    /** For OP_MOUNT's create argument: what to create when the destination is missing. */
    public static final long CREATE_NONE = 0, CREATE_DIR = 1, CREATE_FILE = 2;
    /** A directory, created when missing; an existing symlink or other file is refused (proc and sysfs). */
    public static final long CREATE_ORDINARY_DIR = 3;
    /** Bits added to OP_MOUNT's create argument: the mode of an existing destination directory first in the data (runc's rule for tmpfs). */
    public static final long MOUNT_DEST_MODE = 0x100;
    /** tmpcopyup: the files of the directory the mount covers are copied into it. */
    public static final long MOUNT_COPYUP = 0x200;
    /** For OP_SYNC: the hook point named by the tag. */
    public static final long SYNC_CREATE_CONTAINER = 1;
}
