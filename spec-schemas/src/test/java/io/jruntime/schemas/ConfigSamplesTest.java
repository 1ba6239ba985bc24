package io.jruntime.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every bundle in config-samples/ (at the repository root, beside this module) has a valid config.json. */
class ConfigSamplesTest {

    private static final List<String> EXPECTED = List.of("hooks", "minimal", "resources", "seccomp", "userns");

    private static Path samplesDir() {
        return Fixtures.repoRoot().resolve("config-samples");
    }

    private static List<Path> bundles() throws IOException {
        Path dir = samplesDir();
        assertTrue(Files.isDirectory(dir), "no config-samples at " + dir);
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isRegularFile(p.resolve("config.json"))).sorted().toList();
        }
    }

    @Test
    void theDocumentedSamplesExist() throws IOException {
        List<String> names = bundles().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(EXPECTED), "samples found: " + names);
    }

    @TestFactory
    Stream<DynamicTest> everySampleConfigIsValid() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path bundle : bundles()) {
            tests.add(DynamicTest.dynamicTest(bundle.getFileName() + "/config.json", () -> {
                List<String> errors = SchemaValidator.validate(SchemaKind.CONFIG,
                                Files.readAllBytes(bundle.resolve("config.json"))).stream()
                        .map(SchemaError::toString)
                        .toList();
                assertEquals(List.of(), errors);
            }));
        }
        return tests.stream();
    }

    /** The bundles share one root filesystem, built by build-rootfs.sh next to them. */
    @Test
    void everySampleUsesTheSharedRootfs() throws IOException {
        for (Path bundle : bundles()) {
            String config = Files.readString(bundle.resolve("config.json"));
            assertTrue(config.contains("\"path\": \"../rootfs\""), bundle.getFileName() + " root.path");
        }
    }
}
