package io.jruntime.container;

import io.jruntime.JRuntimeException;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;
import java.nio.charset.StandardCharsets;

/**
 * runc's {@code --pidfd-socket PATH} (create, run, exec): a pidfd of the new process goes to the unix socket
 * at PATH with SCM_RIGHTS, the message being runc's init type, {@code standard} for the init and
 * {@code setns} for an exec'd process. The socket is connected before anything is made, so a bad path fails
 * first and leaves nothing; the pidfd is sent as soon as the process exists (runc's init sends its own
 * before it is ready, so a create that fails later has sent it too).
 */
public final class PidfdSocket implements AutoCloseable {
    public static final String STANDARD = "standard", SETNS = "setns";

    private final Syscalls sys;
    private final String path;
    private int socket;

    private PidfdSocket(Syscalls sys, String path, int socket) {
        this.sys = sys;
        this.path = path;
        this.socket = socket;
    }

    /** Connected to {@code path}; null when there is none. */
    public static PidfdSocket connect(Syscalls sys, String path) {
        if (path == null) {
            return null;
        }
        if (path.isEmpty()) {
            throw new JRuntimeException("--pidfd-socket: must not be empty");
        }
        try {
            return new PidfdSocket(sys, path, sys.connectUnix(path));
        } catch (ErrnoException e) {
            throw new JRuntimeException("failed to dial " + path + ": " + e.getMessage(), e);
        }
    }

    /** A pidfd of {@code pid}, sent once; the socket is closed after it. */
    public void send(int pid, String initType) {
        if (socket < 0) {
            return;
        }
        int pidfd;
        try {
            pidfd = sys.pidfdOpen(pid);
        } catch (ErrnoException e) {
            throw new JRuntimeException("failed to pidfd_open: " + e.getMessage(), e);
        }
        try {
            sys.sendFd(socket, initType.getBytes(StandardCharsets.US_ASCII), pidfd);
        } catch (ErrnoException e) {
            throw new JRuntimeException("failed to send pidfd on socket " + path + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(pidfd);
            close();
        }
    }

    @Override
    public void close() {
        if (socket >= 0) {
            closeQuietly(socket);
            socket = -1;
        }
    }

    private void closeQuietly(int fd) {
        try {
            sys.close(fd);
        } catch (ErrnoException ignored) {
            // nothing left to do with it
        }
    }
}
