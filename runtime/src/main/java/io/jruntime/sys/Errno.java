package io.jruntime.sys;

/** errno values jruntime reacts to, and the lower-case wording Go's syscall package (and so runc) prints. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EBADF = 9, ECHILD = 10,
            EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, ENOTDIR = 20,
            EISDIR = 21, EINVAL = 22, ENOSPC = 28, EROFS = 30, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40,
            EOPNOTSUPP = 95, EXDEV = 18, ENXIO = 6, E2BIG = 7, ENOEXEC = 8, ENODEV = 19, ENFILE = 23,
            EMFILE = 24, ENOTTY = 25, ETXTBSY = 26, EPIPE = 32, ERANGE = 34, ENAMETOOLONG = 36, EPROTO = 71,
            EOVERFLOW = 75, ENOTSOCK = 88, EADDRINUSE = 98, ECONNREFUSED = 111, ESTALE = 116;

    private Errno() {}

    public static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "operation not permitted";
            case ENOENT -> "no such file or directory";
            case ESRCH -> "no such process";
            case EINTR -> "interrupted system call";
            case EIO -> "input/output error";
            case EBADF -> "bad file descriptor";
            case ECHILD -> "no child processes";
            case EAGAIN -> "resource temporarily unavailable";
            case ENOMEM -> "cannot allocate memory";
            case EACCES -> "permission denied";
            case EFAULT -> "bad address";
            case EBUSY -> "device or resource busy";
            case EEXIST -> "file exists";
            case EXDEV -> "invalid cross-device link";
            case ENOTDIR -> "not a directory";
            case EISDIR -> "is a directory";
            case EINVAL -> "invalid argument";
            case ENOSPC -> "no space left on device";
            case EROFS -> "read-only file system";
            case ENOSYS -> "function not implemented";
            case ENOTEMPTY -> "directory not empty";
            case ELOOP -> "too many levels of symbolic links";
            case EOPNOTSUPP -> "operation not supported";
            case ENXIO -> "no such device or address";
            case E2BIG -> "argument list too long";
            case ENOEXEC -> "exec format error";
            case ENODEV -> "no such device";
            case ENFILE -> "too many open files in system";
            case EMFILE -> "too many open files";
            case ENOTTY -> "inappropriate ioctl for device";
            case ETXTBSY -> "text file busy";
            case EPIPE -> "broken pipe";
            case ERANGE -> "numerical result out of range";
            case ENAMETOOLONG -> "file name too long";
            case EPROTO -> "protocol error";
            case EOVERFLOW -> "value too large for defined data type";
            case ENOTSOCK -> "socket operation on non-socket";
            case EADDRINUSE -> "address already in use";
            case ECONNREFUSED -> "connection refused";
            case ESTALE -> "stale NFS file handle";
            default -> "errno " + errno;
        };
    }
}
