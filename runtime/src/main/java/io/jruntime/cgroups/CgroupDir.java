package io.jruntime.cgroups;

import io.jruntime.sys.Errno;
import io.jruntime.sys.ErrnoException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One cgroup directory in one hierarchy, and the only way the controllers touch it. Every write goes through
 * {@link #write(String, String, String)}, whose error names the value, the file and the reason, plus the spec
 * field that asked for it: {@code write 1000 to /sys/fs/cgroup/memory/x/memory.limit_in_bytes: device or resource
 * busy (linux.resources.memory.limit)}.
 */
public final class CgroupDir {
    private final Path path;
    private final CgroupFs fs;

    public CgroupDir(Path path, CgroupFs fs) {
        this.path = path;
        this.fs = fs;
    }

    public Path path() {
        return path;
    }

    public CgroupFs fs() {
        return fs;
    }

    public Path file(String name) {
        return path.resolve(name);
    }

    public boolean has(String file) {
        return fs.exists(path.resolve(file));
    }

    public boolean exists() {
        return fs.exists(path);
    }

    /** Writes {@code value} to {@code file}; the error names value, file and reason. */
    public void write(String file, String value) {
        write(file, value, null);
    }

    /** Writes {@code value} to {@code file}; the error also names the spec {@code field} that asked for it. */
    public void write(String file, String value, String field) {
        int errno = tryWrite(file, value);
        if (errno != 0) {
            throw writeError(file, value, errno, field);
        }
    }

    /** Writes and returns 0, or the errno without throwing (for the few writes that are retried or tolerated). */
    public int tryWrite(String file, String value) {
        try {
            fs.write(path.resolve(file), value);
            return 0;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    public CgroupException writeError(String file, String value, int errno, String field) {
        String shown = value.replace("\n", "\\n");
        return new CgroupException("write " + shown + " to " + path.resolve(file) + ": " + Errno.describe(errno)
                + (field == null ? "" : " (" + field + ")"), errno);
    }

    /** The content of {@code file} without surrounding white space. */
    public String read(String file) {
        try {
            return fs.read(path.resolve(file)).strip();
        } catch (ErrnoException e) {
            throw new CgroupException("read " + path.resolve(file) + ": " + e.reason(), e.errno());
        }
    }

    /** Like {@link #read(String)}, but {@code null} when the file does not exist. */
    public String readOrNull(String file) {
        try {
            return fs.read(path.resolve(file)).strip();
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw new CgroupException("read " + path.resolve(file) + ": " + e.reason(), e.errno());
        }
    }

    /** An unsigned number file; {@code max} reads as -1 (all bits set, the kernel's "unlimited"). */
    public long readUint(String file) {
        return parseUint(read(file), file);
    }

    /** Like {@link #readUint(String)} but 0 when the file does not exist. */
    public long readUintOrZero(String file) {
        String s = readOrNull(file);
        return s == null ? 0 : parseUint(s, file);
    }

    long parseUint(String s, String file) {
        if (s.equals("max")) {
            return -1L;
        }
        try {
            // Some kernels report -1 or values beyond the signed range for "unlimited".
            if (s.startsWith("-")) {
                return Long.parseLong(s) < 0 ? -1L : Long.parseLong(s);
            }
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new CgroupException("parse " + path.resolve(file) + ": not a number: " + s);
        }
    }

    /** A flat keyed file ({@code key value} per line, as memory.stat, cpu.stat, memory.events); {@code {}} if absent. */
    public Map<String, Long> readKeyValues(String file) {
        Map<String, Long> out = new LinkedHashMap<>();
        String content = readOrNull(file);
        if (content == null) {
            return out;
        }
        for (String line : content.split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                out.put(kv[0], parseUint(kv[1], file));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
