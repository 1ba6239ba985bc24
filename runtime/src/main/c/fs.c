/*
 * Filesystem ops of the native stage. Every path inside the container is
 * resolved with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) against the
 * root fd, and mounts are made onto /proc/self/fd/N of the resulting O_PATH fd:
 * a symlink planted in the image cannot send a mount to the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <linux/mount.h>

#include "protocol.h"
#include "stage.h"

#define FDPATH(buf, fd) snprintf(buf, sizeof buf, "/proc/self/fd/%d", fd)

/* Opens path (absolute, taken as inside the root) as O_PATH; -1 with errno on failure. */
static int resolve(const char *path, int flags) {
    /* No OP_ROOTFS ran (exec into a running container): the root is the one setns gave us. */
    if (st.root_fd < 0 && (st.root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) return -1;
    struct open_how how = {
        .flags = (uint64_t)(O_PATH | O_CLOEXEC | flags),
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    return (int)syscall(SYS_openat2, st.root_fd, path, &how, sizeof how);
}

/* mkdir -p inside the root: each prefix is re-resolved from the root, so a
 * symlink component stays inside it. Returns an O_PATH fd of the directory. */
static int mkdir_all(const char *path) {
    char buf[PATH_MAX];
    if (strlen(path) >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
    int fd = resolve(path, O_DIRECTORY);
    if (fd >= 0 || errno != ENOENT) return fd;
    strcpy(buf, path);
    int parent = resolve("/", O_DIRECTORY);
    char *p = buf;
    while (parent >= 0) {
        while (*p == '/') p++;
        if (!*p) return parent;
        char *slash = strchr(p, '/');
        if (slash) *slash = '\0';
        if (mkdirat(parent, p, 0755) < 0 && errno != EEXIST) { close(parent); return -1; }
        close(parent);
        parent = resolve(buf, O_DIRECTORY);
        if (!slash) return parent;
        *slash = '/';
        p = slash + 1;
    }
    return -1;
}

/* Splits path into its parent (created when missing, returned as fd) and last name. */
static int parent_of(const char *path, char *name, size_t namelen) {
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash || !slash[1] || strlen(path) >= sizeof dir) { errno = EINVAL; return -1; }
    snprintf(name, namelen, "%s", slash + 1);
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    return mkdir_all(dir[0] ? dir : "/");
}

/* Resolves dest, creating it first (an empty directory or file) when asked. */
static int open_dest(const char *dest, int create) {
    if (create == CREATE_ORDINARY_DIR) {
        /* proc and sysfs go on a real directory only, never through a symlink, as runc does since
         * CVE-2019-16884/CVE-2019-19921: an image whose /proc links elsewhere (even resolved inside
         * the rootfs) would get procfs at the link's target, where /proc/self/attr writes and the
         * masked paths of a later layer may miss it. The last component is not followed. */
        int fd = resolve(dest, O_NOFOLLOW);
        if (fd < 0 && errno == ENOENT) return mkdir_all(dest);
        struct stat sb;
        if (fd < 0 || fstat(fd, &sb) == 0) {
            if (fd < 0 || S_ISDIR(sb.st_mode)) return fd;
            errno = ENOTDIR;
        }
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    int fd = resolve(dest, 0);
    if (fd >= 0 || errno != ENOENT || create == CREATE_NONE) return fd;
    if (create == CREATE_DIR) return mkdir_all(dest);
    char name[NAME_MAX + 1];
    int parent = parent_of(dest, name, sizeof name);
    if (parent < 0) return -1;
    int f = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
    int saved = errno;
    close(parent);
    if (f < 0 && saved != EEXIST) { errno = saved; return -1; }
    if (f >= 0) close(f);
    return resolve(dest, 0);
}

/* Remounts a bind mount with flags. A user namespace cannot clear the flags the
 * source mount has locked (nosuid, nodev, noexec, atime); on EPERM keep them, as runc does. */
static int remount(const char *target, unsigned long flags) {
    if (mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | flags, NULL) == 0) return 0;
    if (errno != EPERM) return -1;
    struct statvfs sv;
    if (statvfs(target, &sv) < 0) return -1;
    unsigned long locked = sv.f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME);
    if (flags & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)) locked &= ~(unsigned long)(MS_NOATIME | MS_RELATIME);
    return mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | flags | locked, NULL);
}

/* OP_ROOTFS: bind the rootfs onto itself so it is a mount point (pivot_root needs one). */
void op_rootfs(const struct op *op) {
    const char *path = arg_str(op, 0);
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) fail(errno, "bind mount rootfs %s", path);
    st.root_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (st.root_fd < 0) fail(errno, "open rootfs %s", path);
}

/* The second step of a mount: the remount flags (a bind ignores them in its first step) and propagation. */
static void finish_mount(const char *what, const char *dest, unsigned long remount_flags, unsigned long prop) {
    char path[64];
    if (!remount_flags && !prop) return;
    /* The old fd names the covered directory: reopen to reach the new mount. */
    int fd = resolve(dest, 0);
    if (fd < 0) fail(errno, "mount %s to %s: reopen", what, dest);
    FDPATH(path, fd);
    if (remount_flags && remount(path, remount_flags) < 0) fail(errno, "remount %s", dest);
    if (prop && mount(NULL, path, NULL, prop, NULL) < 0) fail(errno, "set propagation of %s", dest);
    close(fd);
}

/* OP_MOUNT: one entry of config.json's mounts (or a mount Java added). */
void op_mount(const struct op *op) {
    const char *src = arg_str(op, 0), *dest = arg_str(op, 1), *type = arg_str(op, 2), *data = arg_str(op, 4);
    unsigned long flags = (unsigned long)arg_u64(op, 3);
    int extra = (int)arg_u64(op, 5), create = extra & CREATE_MASK;
    unsigned long remount_flags = (unsigned long)arg_u64(op, 6), prop = (unsigned long)arg_u64(op, 7);
    const char *what = src ? src : type ? type : "none";
    char path[64], moded[4096];
    int lower = -1; /* tmpcopyup: the directory the mount is about to cover */
    if (extra & (MOUNT_DEST_MODE | MOUNT_COPYUP)) {
        int pre = resolve(dest, 0);
        struct stat sb;
        if (pre >= 0 && fstat(pre, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            if (extra & MOUNT_DEST_MODE) {
                /* The data's own mode=, later in the string, still wins. */
                if (snprintf(moded, sizeof moded, "mode=%04o%s%s", (unsigned)(sb.st_mode & 07777), data ? "," : "",
                        data ? data : "") >= (int)sizeof moded)
                    fail(E2BIG, "mount %s to %s: options too long", what, dest);
                data = moded;
            }
            if (extra & MOUNT_COPYUP) {
                FDPATH(path, pre);
                lower = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (lower < 0) fail(errno, "tmpcopyup %s", dest);
                if (flags & MS_RDONLY) { /* read-only once the files are in, keeping the other mount flags */
                    flags &= ~(unsigned long)MS_RDONLY;
                    remount_flags |= MS_RDONLY | (flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME
                            | MS_RELATIME | MS_STRICTATIME));
                }
            }
        }
        if (pre >= 0) close(pre);
    }
    int fd = open_dest(dest, create);
    if (fd < 0 && create == CREATE_ORDINARY_DIR && errno == ENOTDIR)
        fail(0, "mount %s to %s: filesystem \"%s\" must be mounted on ordinary directory", what, dest, type ? type : what);
    if (fd < 0) fail(errno, "mount %s to %s: create mount destination", what, dest);
    FDPATH(path, fd);
    if ((src || type || flags) && mount(src, path, type, flags, data) < 0) fail(errno, "mount %s to %s", what, dest);
    close(fd);
    if (lower >= 0) {
        fd = resolve(dest, 0);
        if (fd < 0) fail(errno, "tmpcopyup %s: reopen", dest);
        FDPATH(path, fd);
        int upper = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (upper < 0) fail(errno, "tmpcopyup %s", dest);
        copy_tree(lower, upper, dest);
        close(upper);
        close(lower);
        close(fd);
    }
    finish_mount(what, dest, remount_flags, prop);
}

/* OP_MOUNT_SETATTR: the recursive r* options (rro, rnosuid, ...) with mount_setattr(2). */
void op_mount_setattr(const struct op *op) {
    const char *dest = arg_str(op, 0);
    struct mount_attr attr = {.attr_set = arg_u64(op, 1), .attr_clr = arg_u64(op, 2)};
    int fd = resolve(dest, 0);
    if (fd < 0) fail(errno, "mount_setattr %s", dest);
    if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
        fail(errno, "mount_setattr %s", dest);
    close(fd);
}

/* Steps of proc_write (below), for the callers' messages. */
enum { PW_OK, PW_OPEN_PROC, PW_NOT_PROCFS, PW_OPEN, PW_WRITE };
static int proc_write(const char *path, const char *data);

/* Ends the helper of op_idmap_tree: closing the pipe lets it exit; then reap it. */
static void end_helper(pid_t pid, int *pipe_w) {
    if (*pipe_w >= 0) close(*pipe_w);
    *pipe_w = -1;
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
}

/* OP_IDMAP_TREE, in the stage before OP_CLONE: idmapping a host filesystem needs CAP_SYS_ADMIN in the
 * initial user namespace, which the init may no longer have (its own user namespace). A helper child in
 * a new user namespace carries the mount's mapping (written as uid_map/gid_map); mount_setattr gives that
 * namespace to a detached clone of the source (open_tree). The tree stays detached, its fd in a slot,
 * until OP_IDMAP_ATTACH moves it into the container's root; a failed create closes it, and a closed
 * detached tree is unmounted by the kernel, so nothing is left behind. */
void op_idmap_tree(const struct op *op) {
    uint64_t slot = arg_u64(op, 0);
    const char *src = arg_str(op, 1), *uid_map = arg_str(op, 2), *gid_map = arg_str(op, 3);
    int rec_tree = arg_u64(op, 4) != 0, rec_idmap = arg_u64(op, 5) != 0;
    const char *what = arg_str(op, 6);
    if (slot >= sizeof st.idmap_trees / sizeof *st.idmap_trees || st.idmap_trees[slot] > 0)
        fail(EPROTO, "protocol: idmapped mount slot %lu is taken or out of range", (unsigned long)slot);
    if (!src) fail(EINVAL, "%s: no source", what);
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) fail(errno, "%s: pipe", what);
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)(CLONE_NEWUSER | SIGCHLD), NULL, NULL, NULL, NULL);
    if (pid < 0) fail(errno, "%s: clone a user namespace for the mapping", what);
    if (pid == 0) {
        /* The helper only holds its namespace open: it exits when the stage closes the pipe (or dies). */
        char c;
        close(p[1]);
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        while (read(p[0], &c, 1) < 0 && errno == EINTR) {}
        _exit(0);
    }
    close(p[0]);
    char path[64];
    int err = 0;
    const char *step = NULL;
    /* Host root writes the maps: no setgroups "deny" is needed (CAP_SETGID over the parent namespace). */
    snprintf(path, sizeof path, "%d/uid_map", (int)pid);
    if (proc_write(path, uid_map) != PW_OK) { err = errno; step = "write uid_map"; }
    snprintf(path, sizeof path, "%d/gid_map", (int)pid);
    if (!step && proc_write(path, gid_map) != PW_OK) { err = errno; step = "write gid_map"; }
    snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
    int userns = step ? -1 : open(path, O_RDONLY | O_CLOEXEC);
    if (!step && userns < 0) { err = errno; step = "open the mapping's user namespace"; }
    end_helper(pid, &p[1]); /* the fd keeps the namespace alive */
    if (step) fail(err, "%s: %s", what, step);
    int tree = (int)syscall(SYS_open_tree, AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (rec_tree ? AT_RECURSIVE : 0));
    if (tree < 0) fail(errno, "%s: open_tree %s", what, src);
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns};
    if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | (rec_idmap ? AT_RECURSIVE : 0), &attr, sizeof attr) < 0) {
        if (errno == EINVAL) fail(EINVAL, "%s: the filesystem of %s does not support idmapped mounts", what, src);
        fail(errno, "%s: mount_setattr(MOUNT_ATTR_IDMAP) %s", what, src);
    }
    close(userns);
    st.idmap_trees[slot] = tree;
}

/* OP_IDMAP_ATTACH, in the init: moves the slot's detached tree onto the destination resolved in the root
 * (created as OP_MOUNT creates it), closes the slot, then the remount flags and propagation as OP_MOUNT. */
void op_idmap_attach(const struct op *op) {
    uint64_t slot = arg_u64(op, 0);
    const char *dest = arg_str(op, 1), *what = arg_str(op, 5);
    int create = (int)arg_u64(op, 2);
    unsigned long remount_flags = (unsigned long)arg_u64(op, 3), prop = (unsigned long)arg_u64(op, 4);
    if (slot >= sizeof st.idmap_trees / sizeof *st.idmap_trees || st.idmap_trees[slot] <= 0)
        fail(EPROTO, "protocol: idmapped mount slot %lu is empty", (unsigned long)slot);
    int tree = st.idmap_trees[slot];
    int fd = open_dest(dest, create);
    if (fd < 0) fail(errno, "%s: create mount destination", what);
    if (syscall(SYS_move_mount, tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        fail(errno, "%s: move_mount", what);
    close(fd);
    close(tree);
    st.idmap_trees[slot] = 0;
    finish_mount(what, dest, remount_flags, prop);
}

/* OP_MKNOD: a device node, or accept an existing node of the same type and number as it is (as runc):
 * an existing node may be a bind mount of the host's own node, which must never be chowned or chmodded. */
void op_mknod(const struct op *op) {
    const char *path = arg_str(op, 0);
    mode_t mode = (mode_t)arg_u64(op, 1);
    dev_t dev = makedev((unsigned)arg_u64(op, 2), (unsigned)arg_u64(op, 3));
    uid_t uid = (uid_t)arg_u64(op, 4);
    gid_t gid = (gid_t)arg_u64(op, 5);
    char name[NAME_MAX + 1];
    int parent = parent_of(path, name, sizeof name);
    if (parent < 0) fail(errno, "create device %s: parent directory", path);
    char ppath[64];
    FDPATH(ppath, parent);
    int dfd = open(ppath, O_DIRECTORY | O_CLOEXEC); /* mknodat wants a real dirfd */
    if (dfd < 0) fail(errno, "create device %s: open parent", path);
    if (mknodat(dfd, name, mode, dev) < 0) {
        struct stat sb;
        if (errno != EEXIST) fail(errno, "mknod %s", path);
        if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0) fail(errno, "stat %s", path);
        if ((sb.st_mode & S_IFMT) != (mode & S_IFMT) || ((mode & S_IFMT) != S_IFIFO && sb.st_rdev != dev))
            fail(EEXIST, "create device %s: a different file exists there", path);
    } else {
        if (fchownat(dfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) fail(errno, "chown device %s", path);
        if (fchmodat(dfd, name, mode & 07777, 0) < 0) fail(errno, "chmod device %s", path);
    }
    close(dfd);
    close(parent);
}

/* OP_BIND_DEVICE: in a user namespace mknod is refused; bind the host's node instead. */
void op_bind_device(const struct op *op) {
    const char *host = arg_str(op, 0), *path = arg_str(op, 1);
    struct stat sb;
    if (stat(host, &sb) < 0) fail(errno, "bind device %s", host);
    if (!S_ISCHR(sb.st_mode) && !S_ISBLK(sb.st_mode)) fail(ENODEV, "bind device %s: not a device", host);
    int fd = open_dest(path, CREATE_FILE);
    if (fd < 0) fail(errno, "bind device %s to %s: create destination", host, path);
    char fdpath[64];
    FDPATH(fdpath, fd);
    if (mount(host, fdpath, NULL, MS_BIND, NULL) < 0) fail(errno, "bind device %s to %s", host, path);
    close(fd);
}

/* OP_SYMLINK: e.g. /dev/fd -> /proc/self/fd. An existing file is left alone. */
void op_symlink(const struct op *op) {
    const char *target = arg_str(op, 0), *path = arg_str(op, 1);
    char name[NAME_MAX + 1], ppath[64];
    int parent = parent_of(path, name, sizeof name);
    if (parent < 0) fail(errno, "symlink %s: parent directory", path);
    FDPATH(ppath, parent);
    int dfd = open(ppath, O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || (symlinkat(target, dfd, name) < 0 && errno != EEXIST)) fail(errno, "symlink %s -> %s", path, target);
    close(dfd);
    close(parent);
}

/* OP_MASK: a masked directory gets a read-only empty tmpfs (with the mount label's context= when
 * Java passes one), anything else /dev/null. */
void op_mask(const struct op *op) {
    const char *path = arg_str(op, 0);
    const char *data = op->argc > 1 ? arg_str(op, 1) : NULL;
    char fdpath[64];
    struct stat sb, null;
    int fd = resolve(path, 0);
    if (fd < 0 && errno == ENOENT) return;
    if (fd < 0 || fstat(fd, &sb) < 0) fail(errno, "mask %s", path);
    FDPATH(fdpath, fd);
    if (S_ISDIR(sb.st_mode)) {
        if (mount("tmpfs", fdpath, "tmpfs", MS_RDONLY, data) < 0) fail(errno, "mask %s", path);
    } else {
        /* Only the real null device (char 1:3) may be bound over it. */
        if (stat("/dev/null", &null) < 0) fail(errno, "mask %s: stat /dev/null", path);
        if (!S_ISCHR(null.st_mode) || null.st_rdev != makedev(1, 3)) fail(ENODEV, "mask %s: /dev/null is not the null device", path);
        if (mount("/dev/null", fdpath, NULL, MS_BIND, NULL) < 0) fail(errno, "mask %s", path);
    }
    close(fd);
}

/* OP_READONLY: bind the path onto itself and remount it read-only. */
void op_readonly(const struct op *op) {
    const char *path = arg_str(op, 0);
    char fdpath[64];
    int fd = resolve(path, 0);
    if (fd < 0 && errno == ENOENT) return;
    if (fd < 0) fail(errno, "readonly path %s", path);
    FDPATH(fdpath, fd);
    if (mount(fdpath, fdpath, NULL, MS_BIND | MS_REC, NULL) < 0) fail(errno, "readonly path %s: bind", path);
    close(fd);
    fd = resolve(path, 0);
    if (fd < 0) fail(errno, "readonly path %s: reopen", path);
    FDPATH(fdpath, fd);
    if (remount(fdpath, MS_RDONLY | MS_REC) < 0) fail(errno, "readonly path %s: remount", path);
    close(fd);
}

static void reopen_root(void) {
    close(st.root_fd);
    st.root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (st.root_fd < 0) fail(errno, "open new root");
}

/* OP_PIVOT_ROOT: pivot_root(".", ".") stacks the old root on top of the new one;
 * make it a slave (so the detach does not propagate to the host) and detach it. */
void op_pivot_root(void) {
    int old = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (old < 0) fail(errno, "pivot_root: open old root");
    if (fchdir(st.root_fd) < 0) fail(errno, "pivot_root: chdir to rootfs");
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail(errno, "pivot_root");
    if (fchdir(old) < 0) fail(errno, "pivot_root: chdir to old root");
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) fail(errno, "pivot_root: make old root rslave");
    if (umount2(".", MNT_DETACH) < 0) fail(errno, "pivot_root: detach old root");
    if (chdir("/") < 0) fail(errno, "chdir /");
    close(old);
    reopen_root();
}

/* OP_MOVE_ROOT (--no-pivot): move the rootfs mount onto / and chroot into it. */
void op_move_root(void) {
    if (fchdir(st.root_fd) < 0) fail(errno, "chdir to rootfs");
    if (mount(".", "/", NULL, MS_MOVE, NULL) < 0) fail(errno, "move rootfs to /");
    if (chroot(".") < 0) fail(errno, "chroot");
    if (chdir("/") < 0) fail(errno, "chdir /");
    reopen_root();
}

/* OP_REMOUNT: after pivot_root, e.g. root.readonly. */
void op_remount(const struct op *op) {
    const char *path = arg_str(op, 0);
    if (remount(path, (unsigned long)arg_u64(op, 1)) < 0) fail(errno, "remount %s", path);
}

/* OP_CHDIR: resolved in the root; created first when asked (runc creates a missing cwd). */
void op_chdir(const struct op *op) {
    const char *path = arg_str(op, 0);
    int fd = arg_u64(op, 1) ? mkdir_all(path) : resolve(path, O_DIRECTORY);
    if (fd < 0 || fchdir(fd) < 0) fail(errno, "chdir to cwd (\"%s\") set in config.json", path);
    close(fd);
}

/* Writes data to /proc/<path> through an fd checked to be procfs (a container's /proc could be anything
 * it mounted there); returns PW_OK or the step that failed, with errno set. */
static int proc_write(const char *path, const char *data) {
    struct statfs sf;
    int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (proc < 0) return PW_OPEN_PROC;
    if (fstatfs(proc, &sf) < 0) {
        int e = errno;
        close(proc);
        errno = e;
        return PW_OPEN_PROC;
    }
    if (sf.f_type != PROC_SUPER_MAGIC) {
        close(proc);
        errno = EXDEV;
        return PW_NOT_PROCFS;
    }
    struct open_how how = {.flags = O_WRONLY | O_CLOEXEC, .resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV};
    if (strncmp(path, "self/", 5) == 0) how.resolve = RESOLVE_BENEATH; /* self is a symlink into the same fs */
    int fd = (int)syscall(SYS_openat2, proc, path, &how, sizeof how);
    int e = errno;
    close(proc);
    if (fd < 0) {
        errno = e;
        return PW_OPEN;
    }
    size_t n = data ? strlen(data) : 0;
    int r = write(fd, data ? data : "", n) == (ssize_t)n ? PW_OK : PW_WRITE;
    e = errno;
    close(fd);
    errno = e;
    return r;
}

/* OP_WRITE_PROC: write data to /proc/<path> through an fd checked to be procfs. */
void op_write_proc(const struct op *op) {
    const char *path = arg_str(op, 0), *data = arg_str(op, 1);
    switch (proc_write(path, data)) {
    case PW_OK: return;
    case PW_OPEN_PROC: fail(errno, "write /proc/%s: open /proc", path);
    case PW_NOT_PROCFS: fail(EXDEV, "write /proc/%s: /proc is not procfs", path);
    case PW_OPEN: fail(errno, "open /proc/%s", path);
    default: fail(errno, "write %s to /proc/%s", data ? data : "", path);
    }
}

/* A failed LSM attribute write, naming the label the config asked for. */
static void lsm_fail(int step, const char *what, const char *label, const char *path) {
    static const char *steps[] = {"", "open /proc", "/proc is not procfs:", "open", "write"};
    fail(errno, "%s \"%s\": %s /proc/%s", what, label, steps[step], path);
}

/* OP_APPARMOR_EXEC: "exec <profile>" to the AppArmor attr (the per-LSM file of kernels with LSM
 * stacking, else the shared one), taking effect at OP_EXEC's execve. */
void op_apparmor_exec(const struct op *op) {
    const char *profile = arg_str(op, 0);
    char data[4096];
    if (snprintf(data, sizeof data, "exec %s", profile) >= (int)sizeof data) fail(ENAMETOOLONG, "apparmor profile too long");
    const char *path = "self/attr/apparmor/exec";
    int r = proc_write(path, data);
    if (r == PW_OPEN && errno == ENOENT) {
        path = "self/attr/exec";
        r = proc_write(path, data);
    }
    if (r != PW_OK) lsm_fail(r, "unable to apply apparmor profile", profile, path); /* runc's words, and the name */
}

/* OP_SELINUX_EXEC_LABEL / OP_SELINUX_KEY_LABEL: the label to /proc/self/attr/<attr>. */
void op_selinux_label(const struct op *op, const char *attr) {
    const char *label = arg_str(op, 0);
    char path[64];
    snprintf(path, sizeof path, "self/attr/%s", attr);
    int r = proc_write(path, label);
    if (r != PW_OK) lsm_fail(r, "set selinux label", label, path);
}

/* OP_SELINUX_FILE_LABEL: the label as the security.selinux attribute of a path in the rootfs (runc's
 * SetFileLabel, for mqueue's root, which takes no context= option). */
void op_selinux_file_label(const struct op *op) {
    const char *path = arg_str(op, 0), *label = arg_str(op, 1);
    char fdpath[64];
    int fd = resolve(path, 0);
    if (fd < 0) fail(errno, "set selinux label \"%s\" of %s", label, path);
    FDPATH(fdpath, fd);
    if (setxattr(fdpath, "security.selinux", label, strlen(label), 0) < 0)
        fail(errno, "set selinux label \"%s\" of %s", label, path);
    close(fd);
}

/* OP_CONSOLE: a pty from the container's /dev/ptmx; the slave becomes /dev/console,
 * the controlling terminal and stdio; the master goes to the console socket. */
void op_console(const struct op *op) {
    int sock = (int)arg_u64(op, 0);
    unsigned short rows = (unsigned short)arg_u64(op, 1), cols = (unsigned short)arg_u64(op, 2);
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) fail(errno, "open /dev/ptmx");
    int unlock = 0, ptn;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0) fail(errno, "unlock pty");
    if (ioctl(master, TIOCGPTN, &ptn) < 0) fail(errno, "pty number");
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) fail(errno, "open pty slave");
    if (rows || cols) {
        struct winsize ws = {.ws_row = rows, .ws_col = cols};
        if (ioctl(master, TIOCSWINSZ, &ws) < 0) fail(errno, "set console size");
    }
    char name[64];
    snprintf(name, sizeof name, "/dev/pts/%d", ptn);
    int fd = open_dest("/dev/console", CREATE_FILE);
    if (fd < 0) fail(errno, "create /dev/console");
    close(fd);
    if (mount(name, "/dev/console", NULL, MS_BIND, NULL) < 0) fail(errno, "mount %s to /dev/console", name);
    if (ioctl(slave, TIOCSCTTY, 0) < 0) fail(errno, "make %s the controlling terminal", name);
    for (int i = 0; i < 3; i++)
        if (dup2(slave, i) < 0) fail(errno, "dup2 %s to %d", name, i);
    close(slave);
    /* One message: the pty's name as payload, the master as SCM_RIGHTS. */
    char cbuf[CMSG_SPACE(sizeof(int))] = {0};
    struct iovec iov = {.iov_base = name, .iov_len = strlen(name)};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &master, sizeof(int));
    if (sendmsg(sock, &msg, 0) < 0) fail(errno, "send pty master to the console socket");
    close(master);
    close(sock);
}

/* Go's exec.LookPath rules, as runc reports them. 0, or an errno. */
static int executable(const char *path) {
    struct stat sb;
    if (stat(path, &sb) < 0) return errno;
    if (S_ISDIR(sb.st_mode) || !(sb.st_mode & 0111)) return EACCES;
    return 0;
}

/* OP_RESOLVE_EXEC: find args[0] now, so a missing program fails `create` with runc's words. */
void op_resolve_exec(const struct op *op) {
    const char *file = arg_str(op, 0), *path = arg_str(op, 1);
    if (!file) fail(0, "exec: \"\": executable file not found in $PATH");
    if (strchr(file, '/')) {
        int err = executable(file);
        if (err == EACCES) fail(0, "exec: \"%s\": permission denied", file);
        if (err) fail(err, "exec: \"%s\": stat %s", file, file);
        snprintf(st.exec_path, sizeof st.exec_path, "%s", file);
        return;
    }
    const char *p = path ? path : "";
    for (;;) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char candidate[PATH_MAX];
        snprintf(candidate, sizeof candidate, "%.*s/%s", (int)(n ? n : 1), n ? p : ".", file);
        if (executable(candidate) == 0) {
            snprintf(st.exec_path, sizeof st.exec_path, "%s", candidate);
            return;
        }
        if (!end) break;
        p = end + 1;
    }
    fail(0, "exec: \"%s\": executable file not found in $PATH", file);
}

/* OP_HOME: the process has no HOME; runc then takes the user's home directory from the container's
 * /etc/passwd, or "/" when the file or the uid is not there. Read as the container's root, in its
 * root, before the uid changes and seccomp; OP_EXEC adds it to the environment. */
void op_home(const struct op *op) {
    uid_t uid = (uid_t)arg_u64(op, 0);
    const char *home = "/";
    char line[4096];
    /* A regular file only: an image's /etc/passwd that is a fifo or a device must not block create. */
    int fd = open("/etc/passwd", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat sb;
    FILE *f = fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? fdopen(fd, "r") : NULL;
    if (!f && fd >= 0) close(fd);
    while (f && fgets(line, sizeof line, f)) {
        /* name:password:uid:gid:gecos:home:shell */
        char *field[7] = {0}, *p = line;
        int n = 0;
        for (; n < 7 && p; n++) {
            field[n] = p;
            p = strchr(p, ':');
            if (p) *p++ = '\0';
        }
        if (n < 6 || !*field[2]) continue;
        char *end;
        unsigned long u = strtoul(field[2], &end, 10);
        if (*end || u != uid) continue;
        field[5][strcspn(field[5], "\n")] = '\0';
        if (*field[5]) home = field[5];
        break;
    }
    snprintf(st.home, sizeof st.home, "HOME=%s", home);
    if (f) fclose(f);
}
