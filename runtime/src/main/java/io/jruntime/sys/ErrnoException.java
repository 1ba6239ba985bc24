package io.jruntime.sys;

/** A failed system call: the call's name and the errno it returned. */
public final class ErrnoException extends Exception {
    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + ": " + Errno.describe(errno), null, false, false);
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    /** The strerror-style text alone, e.g. "no such process". */
    public String reason() {
        return Errno.describe(errno);
    }
}
