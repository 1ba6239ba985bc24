package io.jruntime.sys;

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

    /** The FFM implementation, created on first use so commands that never call the kernel never link it. */
    static Syscalls native_() {
        return FfmSyscalls.INSTANCE;
    }
}
