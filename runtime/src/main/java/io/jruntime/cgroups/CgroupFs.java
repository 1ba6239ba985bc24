package io.jruntime.cgroups;

import io.jruntime.sys.ErrnoException;
import java.nio.file.Path;
import java.util.List;

/**
 * File operations on a cgroup filesystem, as the kernel sees them: one write(2) per value (cgroup files parse
 * each write on its own), errno kept on failure. Production uses {@link #native_()}; unit tests use a tree of
 * ordinary files in a temporary directory that records every write.
 */
public interface CgroupFs {

    /** Opens {@code file} write-only (never creating it: a missing file is ENOENT) and writes {@code value} once. */
    void write(Path file, String value) throws ErrnoException;

    /** The whole content of {@code file}. */
    String read(Path file) throws ErrnoException;

    boolean exists(Path path);

    /** mkdir(2) with mode 0755; EEXIST is reported as such. */
    void mkdir(Path dir) throws ErrnoException;

    /** rmdir(2): a cgroup directory goes away with rmdir although it "contains" control files. */
    void rmdir(Path dir) throws ErrnoException;

    /** Names of the sub-directories (child cgroups) of {@code dir}; empty when {@code dir} does not exist. */
    List<String> subdirectories(Path dir);

    /** statfs(2) f_type of {@code path}. */
    long statfsType(Path path) throws ErrnoException;

    static CgroupFs native_() {
        return NativeCgroupFs.INSTANCE;
    }
}
