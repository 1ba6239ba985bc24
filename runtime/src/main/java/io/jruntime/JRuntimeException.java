package io.jruntime;

/**
 * The one error type of jruntime: what was being done, on what, and why.
 * The CLI prints {@link #getMessage()} once (stderr and --log) and exits 1; callers such as
 * containerd and podman match on parts of it, so wording that mirrors runc's is kept verbatim.
 */
public class JRuntimeException extends RuntimeException {

    public JRuntimeException(String message) {
        super(message, null, false, false);
    }

    public JRuntimeException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** "doing on: why", e.g. {@code mount /proc on rootfs/proc: permission denied}. */
    public static JRuntimeException of(String doing, String on, String why) {
        return new JRuntimeException(on == null || on.isEmpty() ? doing + ": " + why : doing + " " + on + ": " + why);
    }
}
