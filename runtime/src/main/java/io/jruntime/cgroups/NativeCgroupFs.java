package io.jruntime.cgroups;

import io.jruntime.sys.CgroupSyscalls;
import io.jruntime.sys.ErrnoException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link CgroupFs} on the kernel through {@link CgroupSyscalls}, so every failure keeps its errno. Reads, rmdir
 * and the file system type try the JDK's own calls first and use the FFM path only when those fail, for the errno: a
 * `delete` of a stopped container then makes no FFM call, whose first use costs some 20 ms of stub spinning.
 */
final class NativeCgroupFs implements CgroupFs {
    static final NativeCgroupFs INSTANCE = new NativeCgroupFs(CgroupSyscalls.native_());

    private final CgroupSyscalls sys;

    NativeCgroupFs(CgroupSyscalls sys) {
        this.sys = sys;
    }

    @Override
    public void write(Path file, String value) throws ErrnoException {
        int fd = sys.open(file.toString(), CgroupSyscalls.O_WRONLY | CgroupSyscalls.O_CLOEXEC, 0);
        try {
            sys.write(fd, value.getBytes(StandardCharsets.UTF_8));
        } finally {
            closeQuietly(fd);
        }
    }

    @Override
    public String read(Path file) throws ErrnoException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Read again below for the errno, which callers decide on (ENOENT: gone).
        }
        int fd = sys.open(file.toString(), CgroupSyscalls.O_RDONLY | CgroupSyscalls.O_CLOEXEC, 0);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                byte[] chunk = sys.read(fd, 64 * 1024);
                if (chunk.length == 0) {
                    return out.toString(StandardCharsets.UTF_8);
                }
                out.write(chunk, 0, chunk.length);
            }
        } finally {
            closeQuietly(fd);
        }
    }

    private void closeQuietly(int fd) {
        try {
            sys.close(fd);
        } catch (ErrnoException ignored) {
            // close of a cgroup file cannot lose data: the write already happened or failed.
        }
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void mkdir(Path dir) throws ErrnoException {
        sys.mkdir(dir.toString(), 0755);
    }

    @Override
    public void rmdir(Path dir) throws ErrnoException {
        try {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(dir); // rmdir(2)
                return;
            }
        } catch (IOException e) {
            // Again below for the errno, which callers decide on (EBUSY: retry).
        }
        sys.rmdir(dir.toString());
    }

    @Override
    public List<String> subdirectories(Path dir) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            // a cgroup that vanished meanwhile has no children
        }
        return names;
    }

    @Override
    public long statfsType(Path path) throws ErrnoException {
        try {
            // The JDK matches the path's device against the mount table: as sound as statfs for these two.
            switch (Files.getFileStore(path).type()) {
                case "cgroup" -> {
                    return CgroupSyscalls.CGROUP_SUPER_MAGIC;
                }
                case "cgroup2" -> {
                    return CgroupSyscalls.CGROUP2_SUPER_MAGIC;
                }
                default -> {
                    // anything else: statfs below says what it is
                }
            }
        } catch (IOException e) {
            // statfs below, for the errno
        }
        return sys.statfsType(path.toString());
    }
}
