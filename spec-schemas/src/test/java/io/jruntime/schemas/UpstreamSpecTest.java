package io.jruntime.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The runtime-spec's own test documents (schema/test/{config,state,features}/{good,bad}): our schemas
 * must accept every good one and reject every bad one, as the upstream schemas do. Skipped when the
 * spec is not on disk (see {@link Fixtures#specDir()}).
 */
class UpstreamSpecTest {

    private static Path testDir() {
        Optional<Path> spec = Fixtures.specDir();
        assumeTrue(spec.isPresent(), "runtime-spec v1.3.0 not found (set SPEC_DIR)");
        Path dir = spec.get().resolve("schema").resolve("test");
        assumeTrue(Files.isDirectory(dir), "no schema/test in " + spec.get());
        return dir;
    }

    @TestFactory
    Stream<DynamicTest> upstreamGoodDocumentsAreAccepted() throws IOException {
        Path dir = testDir();
        List<DynamicTest> tests = new ArrayList<>();
        for (SchemaKind kind : SchemaKind.values()) {
            for (Path file : Fixtures.jsonFiles(dir.resolve(Fixtures.dirName(kind)).resolve("good"))) {
                tests.add(DynamicTest.dynamicTest(Fixtures.dirName(kind) + "/good/" + file.getFileName(), () ->
                        assertEquals(List.of(), SchemaValidator.validate(kind, Files.readAllBytes(file)).stream()
                                .map(SchemaError::toString)
                                .toList())));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> upstreamBadDocumentsAreRejected() throws IOException {
        Path dir = testDir();
        List<DynamicTest> tests = new ArrayList<>();
        for (SchemaKind kind : SchemaKind.values()) {
            for (Path file : Fixtures.jsonFiles(dir.resolve(Fixtures.dirName(kind)).resolve("bad"))) {
                tests.add(DynamicTest.dynamicTest(Fixtures.dirName(kind) + "/bad/" + file.getFileName(), () ->
                        assertFalse(SchemaValidator.validate(kind, Files.readAllBytes(file)).isEmpty(),
                                file + " was accepted")));
            }
        }
        return tests.stream();
    }

    /** The three Linux bad cases are rejected for the rule they exist to test, not by accident. */
    @Test
    void upstreamLinuxBadCasesFailForTheirRule() throws IOException {
        Path bad = testDir().resolve("config").resolve("bad");
        assertEquals(List.of("config.json: linux.resources.hugepageLimits[0].pageSize: \"64kB\" is not a page size"
                        + " such as 64KB, 2MB or 1GB (a number, then K, M, G, T, P or E, then B)"),
                lines(bad.resolve("linux-hugepage.json")));
        assertEquals(List.of("config.json: linux.netDevices.eth0.name: must be a string"),
                lines(bad.resolve("linux-netdevice.json")));
        assertEquals(List.of("config.json: linux.resources.rdma.mlx5_1.hcaHandles: must be an unsigned 32-bit integer"),
                lines(bad.resolve("linux-rdma.json")));
    }

    /** Guards against a silently empty run: the upstream suite has documents of every kind. */
    @Test
    void upstreamSuiteIsNotEmpty() throws IOException {
        Path dir = testDir();
        for (SchemaKind kind : SchemaKind.values()) {
            assertFalse(Fixtures.jsonFiles(dir.resolve(Fixtures.dirName(kind)).resolve("good")).isEmpty(), kind + " good");
            assertFalse(Fixtures.jsonFiles(dir.resolve(Fixtures.dirName(kind)).resolve("bad")).isEmpty(), kind + " bad");
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return SchemaValidator.validate(SchemaKind.CONFIG, Files.readAllBytes(file)).stream()
                .map(SchemaError::toString)
                .toList();
    }
}
