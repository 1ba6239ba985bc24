package io.jruntime.cli;

import io.jruntime.JRuntimeException;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code run} with {@code process.terminal} and no {@code --console-socket}: jruntime is its own console
 * socket. It listens on a private socket, the container init sends the pty master there (as it would to
 * conmon or the shim), and this relays our stdin to the master and the master to our stdout. When our
 * stdin is a terminal it is put in raw mode (with stty) for the container's lifetime and restored after.
 */
final class TerminalRelay implements AutoCloseable {
    private final Syscalls sys;
    private final Path socketPath;
    private final int listenFd;
    private int master = -1;
    private Thread output;
    private String savedStty;

    private TerminalRelay(Syscalls sys, Path socketPath, int listenFd) {
        this.sys = sys;
        this.socketPath = socketPath;
        this.listenFd = listenFd;
    }

    /** Listens on a socket in the state root, whose path goes to create as --console-socket. */
    static TerminalRelay listen(Syscalls sys, Path root, String id) {
        Path path = root.resolve(".console-" + id + "-" + ProcessHandle.current().pid() + ".sock");
        try {
            Files.createDirectories(root);
            Files.deleteIfExists(path);
            return new TerminalRelay(sys, path, sys.listenUnix(path.toString()));
        } catch (ErrnoException e) {
            throw new JRuntimeException("listen on console socket " + path + ": " + e.reason(), e);
        } catch (IOException e) {
            throw new JRuntimeException("console socket " + path + ": " + e.getMessage(), e);
        }
    }

    String socketPath() {
        return socketPath.toString();
    }

    /** After create: takes the pty master the init sent and starts relaying in both directions. */
    void start() {
        try {
            int conn = sys.accept(listenFd);
            try {
                master = sys.recvFd(conn);
            } finally {
                sys.close(conn);
            }
        } catch (ErrnoException e) {
            throw new JRuntimeException("receive the pty master on " + socketPath + ": " + e.reason(), e);
        }
        savedStty = stty("-g");
        if (savedStty != null) {
            stty("raw", "-echo");
        }
        output = copy("pty-out", master, 1);
        copy("pty-in", 0, master);
    }

    /** Lets the output drain (the master reads EIO once the container's side is closed). */
    void finish() {
        if (output != null) {
            try {
                output.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Thread copy(String name, int from, int to) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = sys.read(from, buf, 0, buf.length)) > 0; ) {
                    sys.writeFully(to, buf, 0, n);
                }
            } catch (ErrnoException e) {
                // EIO on the master once the container side is gone, or our stdin closed: done
            }
        });
    }

    /** Runs stty on our stdin when it is a terminal; null when it is not. */
    private static String stty(String... args) {
        if (System.console() == null) {
            return null;
        }
        try {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "stty";
            System.arraycopy(args, 0, cmd, 1, args.length);
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        if (savedStty != null) {
            stty(savedStty);
        }
        try {
            sys.close(listenFd);
        } catch (ErrnoException ignored) {
            // closing is best effort
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException ignored) {
            // a leftover socket file is harmless and in the state root
        }
    }
}
