package io.jruntime.schemas;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** Where test inputs live: our fixtures on the test classpath, the upstream spec and config-samples on disk. */
final class Fixtures {
    private Fixtures() {}

    static Path ours() {
        URL url = Fixtures.class.getResource("/fixtures");
        if (url == null) {
            throw new IllegalStateException("fixtures missing from the test classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String dirName(SchemaKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Sorted *.json files of a directory (none when it does not exist). */
    static List<Path> jsonFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    /** The module directory: surefire runs tests there; fall back to the current directory. */
    static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        return Path.of(basedir != null ? basedir : "").toAbsolutePath().normalize();
    }

    static Path repoRoot() {
        Path module = moduleDir();
        return Files.isDirectory(module.resolve("src")) && module.getParent() != null ? module.getParent() : module;
    }

    /**
     * The runtime-spec v1.3.0 directory: the system property or environment variable SPEC_DIR, else
     * {@code shared/runtime-spec-v1.3.0} beside the repository root (../shared from the root of the
     * main checkout) or beside one of its ancestors (git worktrees live one level further down).
     */
    static Optional<Path> specDir() {
        for (String configured : new String[] {System.getProperty("SPEC_DIR"), System.getenv("SPEC_DIR")}) {
            if (configured != null && !configured.isBlank()) {
                Path dir = Path.of(configured).toAbsolutePath().normalize();
                return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
            }
        }
        for (Path at = repoRoot().getParent(); at != null; at = at.getParent()) {
            Path candidate = at.resolve("shared").resolve("runtime-spec-v1.3.0");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
