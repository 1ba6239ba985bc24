package io.jruntime.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.jruntime.JRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link State}'s hand-written jackson-core JSON against databind's, and its parser. */
class StateTest {

    private static State full() {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("myKey", "myValue");
        annotations.put("io.kubernetes.cri.sandbox-id", "a\"b\\c\n");
        return new State("1.3.0", "oci-container1", 4422, State.RUNNING, "/containers/redis",
                "/containers/redis/rootfs", "2024-05-01T10:00:00.123456789Z", annotations, "root");
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void compactJsonEqualsDatabind() {
        for (State s : new State[] {full(), new State("1.3.0", "c", 0, State.STOPPED, "/b", null, null, Map.of(), null),
                new State("1.3.0", "c", 7, State.CREATING, "/b", null, null, null, "")}) {
            assertEquals(text(Json.write(s)), text(s.toJson()));
        }
    }

    @Test
    void prettyJsonEqualsDatabindWithTheSameIndent() throws Exception {
        ObjectWriter w = Json.mapper().writer(JsonCore.prettyPrinter("  "));
        assertEquals(w.writeValueAsString(full()), text(full().toJson(true)));
    }

    @Test
    void fieldsInRuncOrder() {
        assertEquals("{\"ociVersion\":\"1.3.0\",\"id\":\"c\",\"pid\":0,\"status\":\"stopped\",\"bundle\":\"/b\","
                + "\"rootfs\":\"/b/rootfs\",\"created\":\"2024-01-01T00:00:00Z\",\"owner\":\"\"}",
                text(new State("1.3.0", "c", 0, State.STOPPED, "/b", "/b/rootfs", "2024-01-01T00:00:00Z", Map.of(), "")
                        .toJson()));
        assertEquals("{\n  \"ociVersion\": \"1.3.0\",\n  \"id\": \"c\",\n  \"pid\": 1,\n  \"status\": \"created\",\n"
                + "  \"bundle\": \"/b\",\n  \"annotations\": {\n    \"k\": \"v\"\n  }\n}",
                text(new State("1.3.0", "c", 1, State.CREATED, "/b", null, null, Map.of("k", "v"), null).toJson(true)));
    }

    @Test
    void fromJsonReadsWhatToJsonWrote() {
        assertEquals(full(), State.fromJson(full().toJson()));
        assertEquals(full(), State.fromJson(full().toJson(true)));
        assertEquals(full(), Json.mapper().convertValue(Specs.tree(full().toJson()), State.class));
    }

    @Test
    void fromJsonReadsTheSpecExampleAndIgnoresUnknownFields() {
        State s = State.fromJson(("{\"ociVersion\": \"0.2.0\", \"id\": \"oci-container1\", \"status\": \"running\","
                + " \"pid\": 4422, \"bundle\": \"/containers/redis\", \"annotations\": {\"myKey\": \"myValue\"},"
                + " \"future\": {\"a\": [1, {\"b\": 2}]}, \"created\": null}").getBytes(StandardCharsets.UTF_8));
        assertEquals(new State("0.2.0", "oci-container1", 4422, "running", "/containers/redis", null, null,
                Map.of("myKey", "myValue"), null), s);
        assertNull(State.fromJson("{\"id\": \"x\"}".getBytes(StandardCharsets.UTF_8)).annotations());
    }

    @Test
    void fromJsonErrorsNameTheField() {
        assertEquals("state.json: pid: expected an integer, got string \"12\"", assertThrows(JRuntimeException.class,
                () -> State.fromJson("{\"pid\": \"12\"}".getBytes(StandardCharsets.UTF_8))).getMessage());
        assertEquals("state.json: annotations[\"k\"]: expected a string, got number 1", assertThrows(JRuntimeException.class,
                () -> State.fromJson("{\"annotations\": {\"k\": 1}}".getBytes(StandardCharsets.UTF_8))).getMessage());
        assertEquals("state.json: id: expected a string, got an array", assertThrows(JRuntimeException.class,
                () -> State.fromJson("{\"id\": []}".getBytes(StandardCharsets.UTF_8))).getMessage());
        assertEquals("state.json: expected an object", assertThrows(JRuntimeException.class,
                () -> State.fromJson("[]".getBytes(StandardCharsets.UTF_8))).getMessage());
        assertEquals("state.json: unexpected data after the object", assertThrows(JRuntimeException.class,
                () -> State.fromJson("{} {}".getBytes(StandardCharsets.UTF_8))).getMessage());
        String truncated = assertThrows(JRuntimeException.class,
                () -> State.fromJson("{\"id\": \"x\"".getBytes(StandardCharsets.UTF_8))).getMessage();
        assertEquals(true, truncated.startsWith("state.json: invalid JSON at line 1, column 11: "), truncated);
    }

    @Test
    void rfc3339LikeGo() {
        assertEquals("2024-05-01T10:00:00Z", State.rfc3339(Instant.parse("2024-05-01T10:00:00Z")));
        assertEquals("2024-05-01T10:00:00.5Z", State.rfc3339(Instant.parse("2024-05-01T10:00:00.500Z")));
        assertEquals("2024-05-01T10:00:00.000000001Z", State.rfc3339(Instant.parse("2024-05-01T10:00:00.000000001Z")));
    }

    /** state, kill, list ... must not load databind: State and JsonCore refer to no databind class. */
    @Test
    void stateNeedsOnlyJacksonCore() throws Exception {
        for (Class<?> c : new Class<?>[] {State.class, JsonCore.class}) {
            try (var in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                String classFile = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertEquals(-1, classFile.indexOf("jackson/databind"), c + " refers to databind");
            }
        }
    }

    @Test
    void withStatus() {
        State s = full().withStatus(State.STOPPED, 0);
        assertEquals(State.STOPPED, s.status());
        assertEquals(0, s.pid());
        assertArrayEquals(full().withStatus(State.RUNNING, 4422).toJson(), full().toJson());
    }
}
