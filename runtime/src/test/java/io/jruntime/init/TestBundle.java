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
    }

    /** Remembers the init so close() kills and reaps it. */
    public int track(int pid) {
        this.pid = pid;
        return pid;
    }

    /** `start`: read the fifo (unblocks the init), then wait for the container process to exit. */
    public WaitStatus startAndWait() throws IOException, ErrnoException {
        try (FileInputStream in = new FileInputStream(fifo.toFile())) {
            in.readAllBytes();
        }
        WaitStatus ws = sys.waitpid(pid, 0);
        pid = -1;
        return ws;
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
