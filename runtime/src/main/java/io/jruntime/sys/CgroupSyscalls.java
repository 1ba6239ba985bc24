package io.jruntime.sys;

/**
 * The system calls the cgroup code needs, kept apart from {@link Syscalls} so the two can grow independently.
 * Every failure throws {@link ErrnoException} with the errno, because callers decide on it (EBUSY on rmdir is
 * retried, ENOENT on a control file means "controller not here", EINVAL on cpu.cfs_period_us is retried after
 * the quota). Paths are plain strings: the cgroup code only ever hands absolute paths under a cgroup mount.
 */
public interface CgroupSyscalls {

    int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_TRUNC = 01000, O_DIRECTORY = 0200000, O_CLOEXEC = 02000000;

    /** statfs(2) f_type of the cgroup v1 filesystem. */
    long CGROUP_SUPER_MAGIC = 0x27e0ebL;
    /** statfs(2) f_type of the cgroup v2 filesystem. */
    long CGROUP2_SUPER_MAGIC = 0x63677270L;
    /** statfs(2) f_type of tmpfs (the usual /sys/fs/cgroup of a v1 or hybrid host). */
    long TMPFS_MAGIC = 0x01021994L;

    /** open(2); returns the fd. */
    int open(String path, int flags, int mode) throws ErrnoException;

    /** One write(2) of the whole buffer; cgroup files take one value per write. Returns bytes written. */
    long write(int fd, byte[] data) throws ErrnoException;

    /** read(2) into a fresh buffer of at most {@code max} bytes; an empty array at end of file. */
    byte[] read(int fd, int max) throws ErrnoException;

    /** close(2). */
    void close(int fd) throws ErrnoException;

    /** mkdir(2). */
    void mkdir(String path, int mode) throws ErrnoException;

    /** rmdir(2). */
    void rmdir(String path) throws ErrnoException;

    /** statfs(2), returning only f_type (the filesystem magic). */
    long statfsType(String path) throws ErrnoException;

    // ---- bpf(2), only what the cgroup v2 device controller needs ----

    int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    int BPF_CGROUP_DEVICE = 6;
    int BPF_F_ALLOW_MULTI = 2;

    /**
     * bpf(BPF_PROG_LOAD): loads {@code insns} (8 bytes per instruction, little-endian struct bpf_insn) as a
     * program of {@code progType} expecting {@code expectedAttachType}; returns the program fd. When the
     * verifier refuses it, the ErrnoException message carries the verifier log.
     */
    int bpfProgLoad(int progType, int expectedAttachType, byte[] insns, String license) throws ErrnoException;

    /** bpf(BPF_PROG_ATTACH) of {@code progFd} to the cgroup directory {@code targetFd}. */
    void bpfProgAttach(int targetFd, int progFd, int attachType, int flags) throws ErrnoException;

    /** bpf(BPF_PROG_DETACH) of {@code progFd} from the cgroup directory {@code targetFd}. */
    void bpfProgDetach(int targetFd, int progFd, int attachType) throws ErrnoException;

    /** bpf(BPF_PROG_QUERY): the ids of the programs attached to {@code targetFd} for {@code attachType}. */
    int[] bpfProgQuery(int targetFd, int attachType) throws ErrnoException;

    /** bpf(BPF_PROG_GET_FD_BY_ID): an fd for an attached program, to detach it. */
    int bpfProgGetFdById(int id) throws ErrnoException;

    /** The FFM implementation, created (and its handles linked) on first use. */
    static CgroupSyscalls native_() {
        return FfmCgroupSyscalls.instance();
    }
}
