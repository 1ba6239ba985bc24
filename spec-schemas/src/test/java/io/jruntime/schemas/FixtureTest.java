package io.jruntime.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Our own fixtures under src/test/resources/fixtures/{config,state,features}/{good,bad}: every good
 * document validates clean; every bad document gives exactly the lines of its .expected file, in order.
 */
class FixtureTest {

    @TestFactory
    Stream<DynamicTest> goodDocumentsAreAccepted() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (SchemaKind kind : SchemaKind.values()) {
            for (Path file : Fixtures.jsonFiles(Fixtures.ours().resolve(Fixtures.dirName(kind)).resolve("good"))) {
                tests.add(DynamicTest.dynamicTest(Fixtures.dirName(kind) + "/good/" + file.getFileName(), () -> {
                    List<SchemaError> errors = SchemaValidator.validate(kind, Files.readAllBytes(file));
                    assertEquals(List.of(), errors.stream().map(SchemaError::toString).toList());
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> badDocumentsGiveTheExpectedMessages() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (SchemaKind kind : SchemaKind.values()) {
            for (Path file : Fixtures.jsonFiles(Fixtures.ours().resolve(Fixtures.dirName(kind)).resolve("bad"))) {
                tests.add(DynamicTest.dynamicTest(Fixtures.dirName(kind) + "/bad/" + file.getFileName(), () -> {
                    Path expectedFile = file.resolveSibling(file.getFileName().toString().replaceAll("\\.json$", ".expected"));
                    assertTrue(Files.exists(expectedFile), "missing " + expectedFile.getFileName());
                    List<String> expected = Files.readAllLines(expectedFile, StandardCharsets.UTF_8);
                    assertFalse(expected.isEmpty(), expectedFile.getFileName() + " lists no error");
                    List<String> actual = SchemaValidator.validate(kind, Files.readAllBytes(file)).stream()
                            .map(SchemaError::toString)
                            .toList();
                    assertEquals(expected, actual);
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void everyBadFixtureHasItsExpectedFileAndNoStrays() throws IOException {
        for (SchemaKind kind : SchemaKind.values()) {
            Path bad = Fixtures.ours().resolve(Fixtures.dirName(kind)).resolve("bad");
            try (Stream<Path> files = Files.list(bad)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".expected")) {
                        assertTrue(Files.exists(f.resolveSibling(name.replaceAll("\\.expected$", ".json"))),
                                "stray " + kind + " " + name);
                    }
                }
            }
        }
    }
}
