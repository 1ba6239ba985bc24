package io.jruntime.sys;

import java.util.List;

/**
 * The seam between code that decides and the kernel. Deciding code takes a {@code Syscalls};
 * production passes {@link #native_()}, unit tests a recording fake. Failures throw
 * {@link ErrnoException} carrying the errno, so callers can word the error for the user.
 */
public interface Syscalls {

    /** kill(2). */
    void kill(int pid, int signal) throws ErrnoException;

    /** getuid(2). */
    int getuid();

    /** getgid(2). */
    int getgid();

    /** getpid(2). */
    int getpid();

    /** {@code socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC)}: both ends close-on-exec. */
    int[] socketpair() throws ErrnoException;

    /**
     * posix_spawn(3) of {@code path} with {@code argv} and {@code env}; the child starts with an empty
     * signal mask and default signal handlers. {@code dup2} holds {from, to} pairs applied in order in the
     * child (a dup2'd fd is not close-on-exec). Returns the child's pid.
     */
    int posixSpawn(String path, List<String> argv, List<String> env, List<int[]> dup2) throws ErrnoException;

    /** read(2): the count read, 0 at end of file. */
    int read(int fd, byte[] buf, int off, int len) throws ErrnoException;

    /** write(2) of all of {@code buf[off, off+len)}, retrying short writes. */
    void writeFully(int fd, byte[] buf, int off, int len) throws ErrnoException;

    /** close(2). */
    void close(int fd) throws ErrnoException;

    /** open(2) with {@code O_CLOEXEC} added. */
    int open(String path, int flags, int mode) throws ErrnoException;

    /** {@code fcntl(fd, F_DUPFD_CLOEXEC, min)}: a close-on-exec copy numbered min or above. */
    int dupCloexec(int fd, int min) throws ErrnoException;

    /** dup2(2): {@code to} becomes a copy of {@code from}, without close-on-exec. */
    void dup2(int from, int to) throws ErrnoException;

    /** mkfifo(3). */
    void mkfifo(String path, int mode) throws ErrnoException;

    /** {@code prctl(PR_SET_CHILD_SUBREAPER)}: orphaned descendants are re-parented to this process. */
    void setChildSubreaper(boolean on) throws ErrnoException;

    /** waitpid(2) with the status decoded; {@link WaitStatus#pid()} is 0 for WNOHANG with nothing to reap. */
    WaitStatus waitpid(int pid, int options) throws ErrnoException;

    /** Receives one message on a unix socket and returns the one fd it carried with SCM_RIGHTS. */
    int recvFd(int socket) throws ErrnoException;

    /** A close-on-exec unix stream socket connected to {@code path}. */
    int connectUnix(String path) throws ErrnoException;

    /** A close-on-exec unix stream socket bound to {@code path} and listening. */
    int listenUnix(String path) throws ErrnoException;

    /** accept4(2) with SOCK_CLOEXEC. */
    int accept(int socket) throws ErrnoException;

    /** pidfd_open(2): a close-on-exec fd that names the process, immune to pid reuse. */
    int pidfdOpen(int pid) throws ErrnoException;

    /** pidfd_getfd(2): a close-on-exec copy of fd {@code targetFd} of the process {@code pidfd} names. */
    int pidfdGetfd(int pidfd, int targetFd) throws ErrnoException;

    /**
     * Sends all of {@code data} on a stream socket, with {@code fd} attached (SCM_RIGHTS) to the first
     * sendmsg(2) only; the rest of a short send follows without it.
     */
    void sendFd(int socket, byte[] data, int fd) throws ErrnoException;

    /** stat(2) (follows symlinks). */
    FileStat stat(String path) throws ErrnoException;

    /** The whole content of a (small) file, e.g. under /proc. */
    byte[] readFile(String path) throws ErrnoException;

    /** waitpid option: return at once when no child changed state. */
    int WNOHANG = 1;
    /** open(2) flags. */
    int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_NONBLOCK = 04000, O_PATH = 010000000, O_DIRECTORY = 0200000;

    /** The FFM implementation, created on first use so commands that never call the kernel never link it. */
    static Syscalls native_() {
        return FfmSyscalls.INSTANCE;
    }
}
