package io.jruntime.hooks.bridge;

/** A failure the hook reports on stderr as is (it names what failed); the hook then exits 1. */
public final class HookException extends RuntimeException {
    public HookException(String message) {
        super(message);
    }

    public HookException(String message, Throwable cause) {
        super(message, cause);
    }
}
