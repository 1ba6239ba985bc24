package io.jruntime.conformance;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Removes temporary trees without ever crossing into a mount point: if a runtime left a mount
 * in a bundle on the host, deleting through it could remove host files. Such a directory is
 * left in place and reported.
 */
public final class TempDirs {
    private static final Set<Path> ON_EXIT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ON_EXIT.forEach(TempDirs::delete)));
    }

    private TempDirs() {}

    public static void deleteOnExit(Path dir) {
        ON_EXIT.add(dir);
    }

    /** Deletes {@code dir}; returns the mount points found below it, which were left alone. */
    public static List<String> delete(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<String> mounts = Host.mountPointsUnder(dir);
        List<String> skipped = new ArrayList<>(mounts);
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    String s = d.toAbsolutePath().normalize().toString();
                    for (String m : mounts) {
                        if (m.equals(s)) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    try {
                        Files.deleteIfExists(d);
                    } catch (IOException ignored) {
                        // not empty: something below was a mount point and stays
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            skipped.add(dir + " (" + e.getMessage() + ")");
        }
        return skipped;
    }
}
