/*
 * tmpcopyup (runc's mount extension, which podman asks for on its tmpfs mounts): the files of the
 * directory a tmpfs is mounted over are copied into it, with their owners, modes and times. Both sides
 * are directory fds, so nothing here resolves a path: the source is the covered directory (an fd opened
 * before the mount), the destination the new tmpfs root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stage.h"

static void copy_attrs(int fd, const struct stat *sb, const char *what) {
    /* Owner first: chown clears the set-id bits that the mode then restores. */
    if (fchown(fd, sb->st_uid, sb->st_gid) < 0 || fchmod(fd, sb->st_mode & 07777) < 0) fail(errno, "tmpcopyup %s", what);
    struct timespec times[2] = {sb->st_atim, sb->st_mtim};
    if (futimens(fd, times) < 0) fail(errno, "tmpcopyup %s", what);
}

static void copy_file(int src_dir, int dst_dir, const char *name, const struct stat *sb, const char *what) {
    int in = openat(src_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0) fail(errno, "tmpcopyup %s", what);
    int out = openat(dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) fail(errno, "tmpcopyup %s", what);
    char buf[65536];
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(errno, "tmpcopyup %s", what);
        if (n == 0) break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) fail(errno, "tmpcopyup %s", what);
            off += w;
        }
    }
    copy_attrs(out, sb, what);
    close(out);
    close(in);
}

/* Copies the entries of src into dst, recursively; `path` names src inside the container, for errors. */
void copy_tree(int src, int dst, const char *path) {
    int list = dup(src);
    DIR *d = list < 0 ? NULL : fdopendir(list);
    if (!d) fail(errno, "tmpcopyup %s", path);
    rewinddir(d);
    struct dirent *e;
    char what[PATH_MAX];
    while ((errno = 0, e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(what, sizeof what, "%s/%s", strcmp(path, "/") ? path : "", e->d_name);
        struct stat sb;
        if (fstatat(src, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0) fail(errno, "tmpcopyup %s", what);
        if (S_ISDIR(sb.st_mode)) {
            if (mkdirat(dst, e->d_name, 0700) < 0) fail(errno, "tmpcopyup %s", what);
            int from = openat(src, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            int to = openat(dst, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (from < 0 || to < 0) fail(errno, "tmpcopyup %s", what);
            copy_tree(from, to, what);
            copy_attrs(to, &sb, what); /* after the children, so their creation keeps its mtime */
            close(from);
            close(to);
        } else if (S_ISREG(sb.st_mode)) {
            copy_file(src, dst, e->d_name, &sb, what);
        } else if (S_ISLNK(sb.st_mode)) {
            char target[PATH_MAX];
            ssize_t n = readlinkat(src, e->d_name, target, sizeof target - 1);
            if (n < 0) fail(errno, "tmpcopyup %s", what);
            target[n] = '\0';
            struct timespec times[2] = {sb.st_atim, sb.st_mtim};
            if (symlinkat(target, dst, e->d_name) < 0 || fchownat(dst, e->d_name, sb.st_uid, sb.st_gid, AT_SYMLINK_NOFOLLOW) < 0
                    || utimensat(dst, e->d_name, times, AT_SYMLINK_NOFOLLOW) < 0)
                fail(errno, "tmpcopyup %s", what);
        } else {
            /* Device nodes, fifos and sockets: the node itself, as cp -a. */
            struct timespec times[2] = {sb.st_atim, sb.st_mtim};
            if (mknodat(dst, e->d_name, sb.st_mode, sb.st_rdev) < 0
                    || fchownat(dst, e->d_name, sb.st_uid, sb.st_gid, AT_SYMLINK_NOFOLLOW) < 0
                    || fchmodat(dst, e->d_name, sb.st_mode & 07777, 0) < 0
                    || utimensat(dst, e->d_name, times, AT_SYMLINK_NOFOLLOW) < 0)
                fail(errno, "tmpcopyup %s", what);
        }
    }
    if (errno) fail(errno, "tmpcopyup %s", path);
    closedir(d);
}
