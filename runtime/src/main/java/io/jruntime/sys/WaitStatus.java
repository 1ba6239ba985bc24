package io.jruntime.sys;

/**
 * A decoded waitpid(2) status: {@code pid} is 0 when WNOHANG found nothing. When {@code exited},
 * {@code code} is the exit code; when {@code signaled}, {@code code} is the signal number.
 */
public record WaitStatus(int pid, boolean exited, boolean signaled, int code) {

    public static WaitStatus decode(int pid, int raw) {
        int sig = raw & 0x7f;
        if (sig == 0) {
            return new WaitStatus(pid, true, false, (raw >> 8) & 0xff);
        }
        boolean signaled = sig != 0x7f && ((sig + 1) >> 1) > 0;
        return new WaitStatus(pid, false, signaled, signaled ? sig : 0);
    }

    /** The shell convention runc uses for a process's exit code: the code, or 128 + signal. */
    public int shellCode() {
        return exited ? code : 128 + code;
    }
}
