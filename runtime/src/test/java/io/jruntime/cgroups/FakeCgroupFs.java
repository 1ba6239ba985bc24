package io.jruntime.cgroups;

import io.jruntime.sys.CgroupSyscalls;
import io.jruntime.sys.Errno;
import io.jruntime.sys.ErrnoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A cgroup filesystem made of ordinary files in a temporary directory, behaving like cgroupfs where it
 * matters to the code under test: writes never create files (ENOENT), every write is recorded, mkdir fills
 * the new directory with the control files of its hierarchy (a template per mount point), rmdir removes a
 * directory with its control files but refuses one with children (EBUSY), and chosen files fail with a
 * chosen errno.
 */
public class FakeCgroupFs implements CgroupFs {
    public final Path root;
    /** Every successful write as "path relative to root=value". */
    public final List<String> writes = new ArrayList<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, Integer> failOnce = new HashMap<>();
    private final Map<Path, Map<String, String>> templates = new LinkedHashMap<>();
    private final Map<Path, Long> magic = new HashMap<>();

    public FakeCgroupFs(Path root) {
        this.root = root;
    }

    /** A v1 or v2 mount point: a directory with {@code files}, a statfs magic, and the same files in every child. */
    public Path mount(String rel, boolean v2, Map<String, String> files) {
        Path p = root.resolve(rel);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        templates.put(p, files);
        magic.put(p, v2 ? CgroupSyscalls.CGROUP2_SUPER_MAGIC : CgroupSyscalls.CGROUP_SUPER_MAGIC);
        populate(p, files);
        return p;
    }

    /** Writes to any file named {@code fileName} fail with {@code errno}. */
    public void fail(String fileName, int errno) {
        failures.put(fileName, errno);
    }

    /** The next write to a file named {@code fileName} fails with {@code errno}. */
    public void failOnce(String fileName, int errno) {
        failOnce.put(fileName, errno);
    }

    public void set(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String content(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recorded writes whose path ends with {@code suffix} (a file name or dir/file). */
    public List<String> writesTo(String suffix) {
        List<String> out = new ArrayList<>();
        for (String w : writes) {
            String path = w.substring(0, w.indexOf('='));
            if (path.endsWith("/" + suffix) || path.equals(suffix)) {
                out.add(w.substring(w.indexOf('=') + 1));
            }
        }
        return out;
    }

    private static void populate(Path dir, Map<String, String> files) {
        files.forEach((name, value) -> {
            try {
                Files.writeString(dir.resolve(name), value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void write(Path file, String value) throws ErrnoException {
        String name = file.getFileName().toString();
        Integer once = failOnce.remove(name);
        if (once != null) {
            throw new ErrnoException("write", once);
        }
        if (failures.containsKey(name)) {
            throw new ErrnoException("write", failures.get(name));
        }
        if (!Files.isRegularFile(file)) {
            throw new ErrnoException("open", Errno.ENOENT);
        }
        set(file, value);
        writes.add(root.relativize(file) + "=" + value);
    }

    @Override
    public String read(Path file) throws ErrnoException {
        if (!Files.isRegularFile(file)) {
            throw new ErrnoException("open", Errno.ENOENT);
        }
        return content(file);
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void mkdir(Path dir) throws ErrnoException {
        if (Files.exists(dir)) {
            throw new ErrnoException("mkdir", Errno.EEXIST);
        }
        if (!Files.isDirectory(dir.getParent())) {
            throw new ErrnoException("mkdir", Errno.ENOENT);
        }
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<Path, Map<String, String>> t : templates.entrySet()) {
            if (dir.startsWith(t.getKey())) {
                populate(dir, t.getValue());
            }
        }
    }

    @Override
    public void rmdir(Path dir) throws ErrnoException {
        if (!Files.isDirectory(dir)) {
            throw new ErrnoException("rmdir", Errno.ENOENT);
        }
        if (!subdirectories(dir).isEmpty()) {
            throw new ErrnoException("rmdir", Errno.EBUSY);
        }
        String procs = Files.exists(dir.resolve("cgroup.procs")) ? content(dir.resolve("cgroup.procs")) : "";
        if (!procs.isBlank()) {
            throw new ErrnoException("rmdir", Errno.EBUSY);
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> subdirectories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long statfsType(Path path) throws ErrnoException {
        Long m = magic.get(path);
        if (m == null) {
            throw new ErrnoException("statfs", Errno.ENOENT);
        }
        return m;
    }

    /** A fresh cgroup directory with {@code files} (for single-controller tests). */
    public CgroupDir dir(String rel, Map<String, String> files) {
        Path p = root.resolve(rel);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        populate(p, files);
        return new CgroupDir(p, this);
    }
}
