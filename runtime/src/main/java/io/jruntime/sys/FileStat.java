package io.jruntime.sys;

/** The parts of struct stat jruntime uses. {@code mode} holds the type bits (S_IFMT) and permissions. */
public record FileStat(int mode, long rdev, int uid, int gid, long size) {
    public static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFREG = 0100000, S_IFCHR = 0020000,
            S_IFBLK = 0060000, S_IFIFO = 0010000, S_IFLNK = 0120000, S_IFSOCK = 0140000;

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isCharDevice() {
        return (mode & S_IFMT) == S_IFCHR;
    }

    public boolean isBlockDevice() {
        return (mode & S_IFMT) == S_IFBLK;
    }

    /** glibc's gnu_dev_major. */
    public long major() {
        return ((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL);
    }

    /** glibc's gnu_dev_minor. */
    public long minor() {
        return ((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL);
    }
}
