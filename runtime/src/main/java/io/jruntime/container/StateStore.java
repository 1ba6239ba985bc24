package io.jruntime.container;

import io.jruntime.JRuntimeException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The state directory under --root: one directory per container holding state.json, the exec fifo
 * and a lock file. Creating the directory is the atomic claim on an id (mkdir fails when it exists), so
 * concurrent creates of one id yield exactly one container. state.json is replaced atomically
 * (temp file, fsync, rename), so readers never see a partial file.
 */
public final class StateStore {
    public static final String STATE_FILE = "state.json";
    public static final String EXEC_FIFO = "exec.fifo";
    public static final String LOCK_FILE = ".lock";

    private final Path root;

    public StateStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    public Path root() {
        return root;
    }

    public Path dir(String id) {
        return root.resolve(ContainerId.check(id));
    }

    public boolean exists(String id) {
        return Files.isDirectory(dir(id));
    }

    /** Claims {@code id}: creates its directory, or fails with runc's wording when it exists. */
    public Path claim(String id) {
        Path dir = dir(id);
        try {
            ensureRoot();
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            return dir;
        } catch (FileAlreadyExistsException e) {
            throw new JRuntimeException("container with id exists: " + id);
        } catch (IOException e) {
            throw fsError("create state directory", dir, e);
        }
    }

    private void ensureRoot() throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /** The container's record, or runc's "does not exist" error. */
    public ContainerRecord load(String id) {
        Path file = dir(id).resolve(STATE_FILE);
        try {
            return ContainerRecord.fromJson(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw notExist(id);
        } catch (IOException e) {
            throw fsError("read", file, e);
        }
    }

    /** null when the container has no state file (deleted, or a create that has not written it yet). */
    public ContainerRecord loadIfPresent(String id) {
        try {
            return ContainerRecord.fromJson(Files.readAllBytes(dir(id).resolve(STATE_FILE)));
        } catch (IOException e) {
            return null;
        }
    }

    public static JRuntimeException notExist(String id) {
        return new JRuntimeException("container \"" + id + "\" does not exist");
    }

    public void save(ContainerRecord record) {
        Path dir = dir(record.id());
        writeAtomically(dir.resolve(STATE_FILE), record.toJson());
    }

    /** temp file in the same directory, fsync, rename over the target. */
    public static void writeAtomically(Path target, byte[] content) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(false);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is what matters
            }
            throw fsError("write", target, e);
        }
    }

    /** Ids of every container directory, sorted. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(p)) {
                    ids.add(name);
                }
            }
        } catch (IOException e) {
            throw fsError("list", root, e);
        }
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    /** Removes the container's directory and everything in it. Missing is fine. */
    public void remove(String id) {
        Path dir = dir(id);
        for (int attempt = 1; ; attempt++) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (NoSuchFileException e) {
                return; // already gone
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // A command that arrived meanwhile created the lock file again (lock() opens it with CREATE):
                // walk again rather than fail the delete and leave the directory.
                if (attempt == 5) {
                    throw fsError("remove", dir, e);
                }
            } catch (IOException e) {
                throw fsError("remove", dir, e);
            }
        }
    }

    /**
     * An exclusive lock on one container, so two commands on it never interleave. The lock lives in the
     * container's directory; a holder that removes the directory leaves waiters to find it gone.
     */
    public Lock lock(String id) {
        Path file = dir(id).resolve(LOCK_FILE);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new Lock(ch, ch.lock());
        } catch (NoSuchFileException e) {
            throw notExist(id);
        } catch (IOException e) {
            throw fsError("lock", file, e);
        }
    }

    public record Lock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing releases the lock; nothing else to do
            }
        }
    }

    static JRuntimeException fsError(String doing, Path path, IOException e) {
        String why;
        if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            why = "no such file or directory";
        } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
            why = fse.getReason().toLowerCase(java.util.Locale.ROOT);
        } else {
            why = String.valueOf(e.getMessage());
        }
        return new JRuntimeException(doing + " " + path + ": " + why, e);
    }
}
