package io.jruntime.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API around the schemas: inputs, error shape, order, paths. */
class SchemaValidatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<String> lines(SchemaKind kind, String json) {
        return SchemaValidator.validate(kind, json).stream().map(SchemaError::toString).toList();
    }

    @Test
    void validTreeGivesNoErrors() throws Exception {
        JsonNode config = MAPPER.readTree("""
                {"ociVersion": "1.3.0", "root": {"path": "rootfs"}, "process": {"cwd": "/", "args": ["sh"]}}
                """);
        assertEquals(List.of(), SchemaValidator.validate(SchemaKind.CONFIG, config));
    }

    @Test
    void errorCarriesKindPathAndMessage() {
        List<SchemaError> errors = SchemaValidator.validate(SchemaKind.CONFIG, """
                {"ociVersion": "1.3.0", "root": {"path": "rootfs"},
                 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "netx"}]}}
                """);
        assertEquals(1, errors.size());
        SchemaError error = errors.getFirst();
        assertEquals(SchemaKind.CONFIG, error.kind());
        assertEquals("linux.namespaces[2].type", error.path());
        assertEquals("\"netx\" is not one of pid, network, mount, ipc, uts, user, cgroup, time", error.message());
        assertEquals("config.json: linux.namespaces[2].type: \"netx\" is not one of pid, network, mount, ipc, uts,"
                + " user, cgroup, time", error.toString());
    }

    @Test
    void rootErrorsHaveAnEmptyPath() {
        List<SchemaError> errors = SchemaValidator.validate(SchemaKind.STATE, "\"just a string\"");
        assertEquals(List.of(new SchemaError(SchemaKind.STATE, "", "must be an object")), errors);
        assertEquals("state.json: must be an object", errors.getFirst().toString());
    }

    @Test
    void invalidJsonIsOneErrorWithItsPosition() {
        assertEquals(List.of("config.json: invalid JSON at line 2, column 17: Unrecognized token 'x': was expecting"
                        + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
                lines(SchemaKind.CONFIG, "{\n  \"ociVersion\": x\n}"));
    }

    @Test
    void trailingContentIsInvalidJson() {
        List<String> errors = lines(SchemaKind.STATE, "{} {}");
        assertEquals(1, errors.size());
        assertTrue(errors.getFirst().startsWith("state.json: invalid JSON at line 1, column "), errors.getFirst());
    }

    @Test
    void emptyInputIsReported() {
        assertEquals(List.of("features.json: is empty: expected a JSON object"),
                SchemaValidator.validate(SchemaKind.FEATURES, new byte[0]).stream().map(SchemaError::toString).toList());
        assertEquals(List.of("features.json: is empty: expected a JSON object"),
                SchemaValidator.validate(SchemaKind.FEATURES, (JsonNode) null).stream().map(SchemaError::toString).toList());
    }

    @Test
    void parseGivesTreeOrPositionedError() {
        SchemaValidator.ParseResult ok = SchemaValidator.parse(SchemaKind.CONFIG,
                "{\"ociVersion\": \"1.3.0\"}".getBytes(StandardCharsets.UTF_8));
        assertTrue(ok.ok());
        assertNotNull(ok.node());
        assertNull(ok.error());
        SchemaValidator.ParseResult bad = SchemaValidator.parse(SchemaKind.CONFIG, "{]".getBytes(StandardCharsets.UTF_8));
        assertFalse(bad.ok());
        assertNull(bad.node());
        assertEquals("config.json: invalid JSON at line 1, column 2: Unexpected close marker ']': expected '}'",
                bad.error().toString());
    }

    @Test
    void errorsAreSortedByPathWithIndexesInNumericOrder() {
        StringBuilder namespaces = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            namespaces.append(i == 0 ? "" : ",").append("{\"type\": \"bad").append(i).append("\"}");
        }
        List<SchemaError> errors = SchemaValidator.validate(SchemaKind.CONFIG,
                "{\"root\": {}, \"linux\": {\"namespaces\": [" + namespaces + "]}, \"annotations\": {\"a\": 1}}");
        List<String> paths = errors.stream().map(SchemaError::path).toList();
        assertEquals(List.of(
                "annotations.a",
                "linux.namespaces[0].type", "linux.namespaces[1].type", "linux.namespaces[2].type",
                "linux.namespaces[3].type", "linux.namespaces[4].type", "linux.namespaces[5].type",
                "linux.namespaces[6].type", "linux.namespaces[7].type", "linux.namespaces[8].type",
                "linux.namespaces[9].type", "linux.namespaces[10].type", "linux.namespaces[11].type",
                "ociVersion",
                "root.path"), paths);
        // Same input, same output: nothing depends on hash order.
        assertEquals(errors, SchemaValidator.validate(SchemaKind.CONFIG,
                "{\"root\": {}, \"linux\": {\"namespaces\": [" + namespaces + "]}, \"annotations\": {\"a\": 1}}"));
    }

    @Test
    void keysThatAreNotPlainNamesAreQuoted() {
        assertEquals(List.of("config.json: annotations[\"com.example/key with space\"]: must be a string",
                        "config.json: linux.sysctl[\"net.ipv4.ip_forward\"]: must be a string"),
                lines(SchemaKind.CONFIG, """
                        {"ociVersion": "1.3.0", "root": {"path": "r"},
                         "annotations": {"com.example/key with space": false},
                         "linux": {"sysctl": {"net.ipv4.ip_forward": 1}}}
                        """));
    }

    @Test
    void pathsRoundTrip() {
        List<Object> elements = List.of("linux", "sysctl", "net.ipv4.ip_forward", "a\"b\\c\nd", 3, "x-y", "$z");
        String formatted = JsonPaths.format(elements);
        assertEquals("linux.sysctl[\"net.ipv4.ip_forward\"][\"a\\\"b\\\\c\\nd\"][3].x-y.$z", formatted);
        assertEquals(elements, JsonPaths.parse(formatted));
        assertEquals("", JsonPaths.format(List.of()));
        assertEquals("[0].a", JsonPaths.format(List.of(0, "a")));
    }

    @Test
    void unknownPropertiesAreAcceptedEverywhere() {
        assertEquals(List.of(), lines(SchemaKind.CONFIG, """
                {"ociVersion": "1.3.0", "root": {"path": "r", "new": 1}, "future": {"x": [1]},
                 "process": {"cwd": "/", "args": ["sh"], "newField": true},
                 "linux": {"newSection": {}, "resources": {"newController": {"limit": 1}}}}
                """));
        assertEquals(List.of(), lines(SchemaKind.STATE, """
                {"ociVersion": "1.3.0", "id": "c", "status": "stopped", "bundle": "/b", "extra": {}}
                """));
    }

    @Test
    void duplicateNamespacesAndRlimitsAreErrors() {
        assertEquals(List.of(
                        "config.json: linux.namespaces[1].type: duplicate namespace type \"uts\" (already at linux.namespaces[0])",
                        "config.json: process.rlimits[1].type: duplicate rlimit \"RLIMIT_CORE\" (already at process.rlimits[0])"),
                lines(SchemaKind.CONFIG, """
                        {"ociVersion": "1.3.0", "root": {"path": "r"},
                         "process": {"cwd": "/", "args": ["sh"], "rlimits": [
                            {"type": "RLIMIT_CORE", "soft": 0, "hard": 0}, {"type": "RLIMIT_CORE", "soft": 1, "hard": 1}]},
                         "linux": {"namespaces": [{"type": "uts"}, {"type": "uts"}]}}
                        """));
    }

    @Test
    void windowsConfigsNeedNoRootNorPosixUser() {
        assertEquals(List.of(), lines(SchemaKind.CONFIG, """
                {"ociVersion": "1.3.0", "process": {"cwd": "C:\\\\", "commandLine": "cmd", "user": {"username": "u"}},
                 "windows": {"layerFolders": []}}
                """));
    }

    @Test
    void largestUnsignedValuesAreAccepted() {
        assertEquals(List.of(), lines(SchemaKind.CONFIG, """
                {"ociVersion": "1.3.0", "root": {"path": "r"},
                 "process": {"cwd": "/", "args": ["sh"],
                   "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 18446744073709551615, "hard": 18446744073709551615}]},
                 "linux": {"resources": {"memory": {"limit": 9223372036854775807, "swap": -9223372036854775808}},
                   "uidMappings": [{"containerID": 4294967295, "hostID": 0, "size": 1}]}}
                """));
    }
}
