package io.jruntime.container;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.ContainerProcessState;
import io.jruntime.spec.Json;
import io.jruntime.spec.LinuxSeccomp;
import io.jruntime.spec.State;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;
import java.util.List;

/**
 * config-linux.md "Seccomp", {@code listenerPath}: a process whose filter has SCMP_ACT_NOTIFY rules gets a
 * listener fd from seccomp(2); the runtime connects to the agent's unix stream socket, sends one
 * {@link ContainerProcessState} with the fd attached (SCM_RIGHTS, named {@code seccompFd}), and closes the
 * connection. Error wording is runc's (callers and its tests match on "failed to connect with seccomp agent").
 */
public final class SeccompAgent {
    /** The name of the listener fd in {@code fds}, as the spec defines it. */
    public static final String SECCOMP_FD = "seccompFd";

    private SeccompAgent() {}

    /**
     * The JSON sent to the agent: {@code pid} is the process that loaded the filter (the init at create,
     * the new process at exec), {@code state} the container as it is then.
     */
    static byte[] message(LinuxSeccomp seccomp, int pid, State state) {
        return Json.write(new ContainerProcessState(Container.OCI_VERSION, List.of(SECCOMP_FD), pid,
                seccomp.listenerMetadata() == null || seccomp.listenerMetadata().isEmpty() ? null : seccomp.listenerMetadata(),
                state));
    }

    /** Sends the state and {@code listenerFd} to {@code seccomp.listenerPath()}; the caller keeps and closes its fd. */
    public static void send(Syscalls sys, LinuxSeccomp seccomp, int pid, State state, int listenerFd) {
        String path = seccomp == null ? null : seccomp.listenerPath();
        if (path == null || path.isEmpty()) {
            throw new JRuntimeException("seccomp listenerPath is not set");
        }
        byte[] json = message(seccomp, pid, state);
        int socket;
        try {
            socket = sys.connectUnix(path);
        } catch (ErrnoException e) {
            throw new JRuntimeException("failed to connect with seccomp agent specified in the seccomp profile: "
                    + e.getMessage(), e);
        }
        try {
            sys.sendFd(socket, json, listenerFd);
        } catch (ErrnoException e) {
            throw new JRuntimeException("cannot send seccomp fd to " + path + ": " + e.getMessage(), e);
        } finally {
            try {
                sys.close(socket); // one state per connection, never reused (the spec's MUST)
            } catch (ErrnoException ignored) {
                // the agent may have closed first; what it needed was sent
            }
        }
    }
}
