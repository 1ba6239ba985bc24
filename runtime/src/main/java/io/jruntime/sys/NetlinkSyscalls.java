package io.jruntime.sys;

/**
 * The system calls that {@code linux.netDevices} needs, apart from {@link Syscalls}: a NETLINK_ROUTE socket,
 * whole-datagram send and receive, and {@code setns} of the calling thread's network namespace (allowed in a
 * multi-threaded process, unlike user and mount namespaces). A socket belongs to the network namespace its
 * thread was in when it was created, so one made after setns keeps talking to that namespace.
 */
public interface NetlinkSyscalls {
    int CLONE_NEWNET = 0x40000000;
    int O_RDONLY = 0, O_CLOEXEC = 02000000;

    /** socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE) in the calling thread's network namespace. */
    int routeSocket() throws ErrnoException;

    /** send(2) of one netlink datagram. */
    void send(int fd, byte[] message) throws ErrnoException;

    /** recv(2) of one datagram, at most {@code max} bytes. */
    byte[] recv(int fd, int max) throws ErrnoException;

    /** setns(2) of the calling thread. */
    void setns(int fd, int nstype) throws ErrnoException;

    /** open(2); returns the fd. */
    int open(String path, int flags) throws ErrnoException;

    /** close(2). */
    void close(int fd) throws ErrnoException;

    /** The FFM implementation; its handles are linked on the first call. */
    static NetlinkSyscalls native_() {
        return FfmNetlinkSyscalls.INSTANCE;
    }
}
