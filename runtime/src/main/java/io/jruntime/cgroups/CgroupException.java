package io.jruntime.cgroups;

import io.jruntime.JRuntimeException;

/**
 * A cgroup operation failed. The message says what was done, on which file, and why
 * ({@code write 1000 to /sys/fs/cgroup/memory/x/memory.limit_in_bytes: device or resource busy}); {@link #errno()}
 * keeps the kernel's errno (0 when the failure is not a system call's) for callers that react to it.
 */
public final class CgroupException extends JRuntimeException {
    private final int errno;

    public CgroupException(String message) {
        this(message, 0);
    }

    public CgroupException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
