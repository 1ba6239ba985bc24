package io.jruntime.init;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;
import io.jruntime.sys.WaitStatus;

/**
 * A temporary bundle for integration tests: a busybox rootfs, a state dir with an exec fifo and an
 * {@code out} dir the container can write its findings to (bind-mounted at /out). {@link #close()}
 * kills and reaps the init it was given and deletes everything.
 */
public final class TestBundle implements AutoCloseable {
    static final List<String> APPLETS = List.of("sh", "cat", "echo", "hostname", "id", "ls", "readlink", "sleep",
            "grep", "stat", "touch", "true", "false", "test", "env", "pwd", "ulimit", "mkdir", "domainname", "wc",
            "tty", "stty", "sed", "head");

    public final Path dir;
    public final Path bundle;
    public final Path rootfs;
    public final Path state;
    public final Path fifo;
    public final Path out;
    private final Syscalls sys = Syscalls.native_();
    private int pid = -1;

    public TestBundle() throws IOException, ErrnoException {
        dir = Files.createTempDirectory("jrt-it-");
        bundle = dir.resolve("bundle");
        rootfs = bundle.resolve("rootfs");
        state = dir.resolve("state");
        out = dir.resolve("out");
        for (Path p : List.of(rootfs.resolve("bin"), rootfs.resolve("proc"), rootfs.resolve("dev"), rootfs.resolve("sys"),
                rootfs.resolve("tmp"), rootfs.resolve("etc"), state, out)) {
            Files.createDirectories(p);
        }
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        for (String a : APPLETS) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(a), Path.of("busybox"));
        }
        fifo = state.resolve("exec.fifo");
        sys.mkfifo(fifo.toString(), 0622);
        Files.setPosixFilePermissions(fifo, java.nio.file.attribute.PosixFilePermissions.fromString("rw--w--w-"));
    }

    /** Remembers the init so close() kills and reaps it. */
    public int track(int pid) {
        this.pid = pid;
        return pid;
    }

    /**
     * `start`: read the fifo (unblocks the init), then wait for the container process to exit. The fifo is
     * opened non-blocking and polled, so an init that died before opening it fails the test, not hangs it.
     */
    public WaitStatus startAndWait() throws IOException, ErrnoException, InterruptedException {
        WaitStatus early = start();
        if (early != null) {
            return early;
        }
        WaitStatus ws = sys.waitpid(pid, 0);
        pid = -1;
        return ws;
    }

    /** `start` alone: returns null once the init has written the fifo byte (or its status if it already exited). */
    public WaitStatus start() throws IOException, ErrnoException, InterruptedException {
        int fd = sys.open(fifo.toString(), Syscalls.O_RDONLY | Syscalls.O_NONBLOCK, 0);
        try {
            byte[] one = new byte[1];
            long deadline = System.nanoTime() + 20_000_000_000L;
            for (;;) {
                int n;
                try {
                    n = sys.read(fd, one, 0, 1);
                } catch (ErrnoException e) {
                    n = 0; // EAGAIN: a writer is there but has not written yet
                }
                if (n == 1) {
                    break;
                }
                WaitStatus early = sys.waitpid(pid, Syscalls.WNOHANG);
                if (early.pid() == pid) {
                    pid = -1;
                    try {
                        if (sys.read(fd, one, 0, 1) == 1) {
                            return early; // it wrote the byte, ran and exited between our two looks
                        }
                    } catch (ErrnoException e) {
                        // nothing written
                    }
                    throw new AssertionError("the init exited before the exec fifo was opened: " + early);
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the init did not open the exec fifo");
                }
                Thread.sleep(5);
            }
        } finally {
            sys.close(fd);
        }
        return null;
    }

    public String read(String name) throws IOException {
        return Files.readString(out.resolve(name));
    }

    /** True while pid names a live (not yet reaped) process. */
    public static boolean alive(int pid) {
        return Files.exists(Path.of("/proc/" + pid));
    }

    @Override
    public void close() throws IOException {
        if (pid > 0) {
            try {
                sys.kill(pid, 9);
            } catch (ErrnoException ignored) {
                // gone
            }
            try {
                sys.waitpid(pid, 0);
            } catch (ErrnoException ignored) {
                // not ours
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
