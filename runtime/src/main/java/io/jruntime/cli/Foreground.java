package io.jruntime.cli;

import io.jruntime.container.Signals;
import io.jruntime.sys.Errno;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;

/**
 * What {@code run} and {@code exec} do in the foreground: forward the signals a terminal or a supervisor
 * sends to the container process, and wait for it. The process is this JVM's child: the native stage
 * made the JVM a child subreaper, and the stage itself exited.
 */
final class Foreground {
    private static final String[] FORWARDED = {"HUP", "INT", "QUIT", "TERM", "USR1", "USR2", "WINCH", "CONT"};

    private Foreground() {}

    static void forwardSignals(Syscalls sys, int pid) {
        for (String name : FORWARDED) {
            int number = Signals.parse(name);
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                    try {
                        sys.kill(pid, number);
                    } catch (ErrnoException ignored) {
                        // the process is gone: the wait sees it
                    }
                });
            } catch (IllegalArgumentException ignored) {
                // a signal the JVM keeps for itself: not forwarded
            }
        }
    }

    /** The exit code as a shell reports it: the code, or 128 + the signal that killed it. */
    static int waitFor(Syscalls sys, int pid) throws ErrnoException {
        while (true) {
            try {
                return sys.waitpid(pid, 0).shellCode();
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINTR) {
                    throw e;
                }
            }
        }
    }
}
