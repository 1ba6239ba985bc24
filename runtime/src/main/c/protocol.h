/*
 * The protocol between Java (io.jruntime.init) and the native stage.
 * Documented, with the diagram, in PROTOCOL.md beside this file; mirrored by
 * io.jruntime.init.Message (messages) and io.jruntime.init.Op (plan ops).
 * Keep the three in step: a number here is a number there.
 *
 * Framing (both directions, SOCK_STREAM socketpair):
 *   u32 type | u32 length | length bytes of payload          (native byte order)
 * A plan payload is a flat list of ops:
 *   u32 op | u32 argc | argc x ( u32 length | length bytes )
 * Integer arguments are 8 bytes (u64/i64); string arguments carry their
 * terminating NUL inside the length, so C uses them in place.
 */
#ifndef JRUNTIME_PROTOCOL_H
#define JRUNTIME_PROTOCOL_H

enum msg_type {
    MSG_PLAN = 1,     /* J->C  payload: the ops                                    */
    MSG_CONTINUE = 2, /* J->C  no payload: go on past OP_WAIT_CONTINUE / OP_SYNC    */
    MSG_PID = 3,      /* C->J  i32: host pid of the init, sent by the stage at OP_CLONE */
    MSG_SYNC = 4,     /* C->J  u32 tag (enum sync_tag): Java runs its hook, then MSG_CONTINUE */
    MSG_READY = 5,    /* C->J  no payload: everything before the exec fifo is done   */
    MSG_ERROR = 6,    /* C->J  i32 errno (0: the text is complete) | text            */
    MSG_SECCOMP_FD = 40, /* C->J  i32: the init's fd number of its seccomp listener; Java takes a copy
                            (pidfd_getfd) and answers MSG_CONTINUE                        */
};

enum sync_tag {
    SYNC_CREATE_CONTAINER = 1, /* mounts done, before pivot_root: createContainer hooks */
};

/* Plan ops, executed in list order by whichever process is running. The ops
 * before OP_CLONE run in the stage (host namespaces); the ones after it in the
 * container init. Java decides everything; C only performs. */
enum plan_op {
    OP_JOIN_NAMESPACES = 1, /* (u64 CLONE_NEW* type, str path)...: open all, setns non-user ones
                               (deferring EPERM), then user, then the deferred ones        */
    OP_UNSHARE = 2,         /* u64 flags                                                    */
    OP_WRITE_PROC = 3,      /* str path below /proc, str data: through a verified procfs fd */
    OP_CLONE = 4,           /* u64 clone flags: the stage sends MSG_PID and exits; the child goes on */
    OP_WAIT_CONTINUE = 5,   /* wait for MSG_CONTINUE (uid/gid maps, cgroup, hooks)          */
    OP_SYNC = 6,            /* u64 tag: send MSG_SYNC, wait for MSG_CONTINUE                */
    OP_SETSID = 7,          /*                                                              */
    OP_SETHOSTNAME = 8,     /* str                                                          */
    OP_SETDOMAINNAME = 9,   /* str                                                          */
    OP_MOUNT_HOST = 10,     /* str src, str target, str fstype, u64 flags, str data: plain mount(2) */
    OP_ROOTFS = 11,         /* str path: bind it onto itself (MS_BIND|MS_REC), keep an O_PATH fd */
    OP_MOUNT = 12,          /* str src, str dest (in rootfs), str fstype, u64 flags, str data,
                               u64 create (0 none, 1 dir, 2 file, 3 ordinary dir; | MOUNT_DEST_MODE, MOUNT_COPYUP),
                               u64 remount flags, u64 propagation flags;
                               no src, type nor flags: no mount, only the remount and propagation */
    OP_MKNOD = 13,          /* str path, u64 mode (S_IFxxx|perm), u64 major, u64 minor, u64 uid, u64 gid */
    OP_BIND_DEVICE = 14,    /* str host path, str path: empty file + bind mount of the host node */
    OP_SYMLINK = 15,        /* str target, str link path: EEXIST is fine                   */
    OP_MASK = 16,           /* str path[, str tmpfs data]: dir -> read-only empty tmpfs, else bind /dev/null;
                               ENOENT skipped                                               */
    OP_READONLY = 17,       /* str path: recursive bind onto itself, remount ro; ENOENT skipped */
    OP_PIVOT_ROOT = 18,     /* pivot_root into the rootfs, detach the old root              */
    OP_MOVE_ROOT = 19,      /* --no-pivot: MS_MOVE the rootfs onto / and chroot             */
    OP_REMOUNT = 20,        /* str path (after pivot), u64 flags: MS_BIND|MS_REMOUNT|flags   */
    OP_OPEN_FIFO = 21,      /* str host path of exec.fifo: kept as an O_PATH fd            */
    OP_CONSOLE = 22,        /* u64 console socket fd, u64 rows, u64 cols: pty, /dev/console, ctty, stdio, send master */
    OP_SETRLIMIT = 23,      /* u64 resource, u64 soft, u64 hard                             */
    OP_CHDIR = 24,          /* str path, u64 create                                         */
    OP_RESOLVE_EXEC = 25,   /* str args[0], str PATH: find the executable now, runc's wording on failure */
    OP_READY = 26,          /* send MSG_READY, close the sync socket                       */
    OP_FIFO_WAIT = 27,      /* reopen the fifo O_WRONLY via /proc/self/fd (blocks until start), write a byte */
    OP_SETGROUPS = 28,      /* u64 gid...                                                   */
    OP_SETRESID = 29,       /* u64 uid, u64 gid: PR_SET_KEEPCAPS, setresgid, setresuid      */
    OP_UMASK = 30,          /* u64 mask                                                     */
    OP_CAPS_BOUNDING = 31,  /* u64 keep mask, u64 cap_last_cap: PR_CAPBSET_DROP the others  */
    OP_CAPS = 32,           /* u64 effective, permitted, inheritable, ambient, cap_last_cap */
    OP_NO_NEW_PRIVS = 33,   /*                                                              */
    OP_SECCOMP = 34,        /* bytes struct sock_filter[], u64 flags                        */
    OP_CLOSE_FDS = 35,      /* u64 first: mark first..~0 close-on-exec                      */
    OP_EXEC = 36,           /* u64 argc, argc x str arg, str env...: execve the resolved file */
    OP_DUMPABLE = 37,       /* u64 0|1: prctl(PR_SET_DUMPABLE)                             */
    OP_MOUNT_SETATTR = 38,  /* str dest, u64 attr set, u64 attr clear: mount_setattr(AT_RECURSIVE) */
    OP_PERSONALITY = 39,    /* u64 persona: personality(2), linux.personality's domain          */
    OP_SECCOMP_LISTENER = 40, /* bytes struct sock_filter[], u64 flags (with NEW_LISTENER): load, send
                               MSG_SECCOMP_FD, wait for MSG_CONTINUE, close the listener fd      */
    /* 41-44: seccomp notify. 45-54: process attributes (proc.c). */
    OP_SCHED_SETATTR = 45,     /* u64 policy, u64 flags, i64 nice, u64 priority, u64 runtime, deadline, period */
    OP_IOPRIO_SET = 46,        /* u64 class << 13 | level: ioprio_set(IOPRIO_WHO_PROCESS, 0)            */
    OP_SCHED_SETAFFINITY = 47, /* bytes cpu mask (u64 words), str list: sched_setaffinity(0)           */
    OP_SET_MEMPOLICY = 48,     /* u64 mode|flags, bytes node mask (u64 words, may be empty), str list    */
    OP_HOME = 49,              /* u64 uid: HOME for OP_EXEC from the container's /etc/passwd, else "/" */
    /* 50-52: LSM labels, written through a verified procfs like OP_WRITE_PROC (fs.c); 53: a file's. */
    OP_APPARMOR_EXEC = 50,      /* str profile: "exec <profile>" to /proc/self/attr/apparmor/exec, else attr/exec */
    OP_SELINUX_EXEC_LABEL = 51, /* str label: to /proc/self/attr/exec (the label after execve)        */
    OP_SELINUX_KEY_LABEL = 52,  /* str label: to /proc/self/attr/keycreate (the session keyring's)    */
    OP_SELINUX_FILE_LABEL = 53, /* str path (in rootfs), str label: setxattr security.selinux (mqueue)  */
    OP_SESSION_KEYRING = 54,    /* str name, u64 perm bits to add (0: none): join that session keyring (proc.c) */
    /* 55-56: idmapped mounts (fs.c): the tree is made in the stage, attached in the init. */
    OP_IDMAP_TREE = 55,   /* u64 slot (0-63), str source, str uid_map, str gid_map, u64 recursive tree, u64 recursive idmap,
                             str what (for messages): open_tree(OPEN_TREE_CLONE) + mount_setattr(MOUNT_ATTR_IDMAP)
                             with a helper's user namespace; the detached tree's fd is kept in the slot     */
    OP_IDMAP_ATTACH = 56, /* u64 slot, str dest (in rootfs), u64 create, u64 remount flags, u64 propagation,
                             str what: move_mount the slot's tree onto dest, close it; then as OP_MOUNT      */
};

#define CREATE_NONE 0
#define CREATE_DIR 1
#define CREATE_FILE 2
/* A directory, created when missing; an existing symlink or non-directory is refused (proc, sysfs). */
#define CREATE_ORDINARY_DIR 3
/* OP_MOUNT's create argument: the low byte is one of the above; these bits ask for more (tmpfs). */
#define CREATE_MASK 0xff
#define MOUNT_DEST_MODE 0x100 /* an existing destination directory's mode goes first in the data, as runc */
#define MOUNT_COPYUP 0x200    /* tmpcopyup: the covered directory's files are copied into the new mount */

#endif
