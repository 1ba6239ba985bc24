package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.jruntime.JRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of a container (runtime.md "State") as {@code state} prints it and hooks read it on
 * stdin, plus runc's extra fields {@code rootfs}, {@code created} (RFC 3339) and {@code owner}.
 * Fields are in runc's order. {@code pid} is always written (0 once stopped, as runc does);
 * {@code annotations} only when not empty; other absent ({@code null}) fields are not written.
 *
 * <p>{@link #toJson(boolean)} and {@link #fromJson(byte[])} use jackson-core only, so the
 * {@code state}, {@code kill}, {@code list} ... commands never load databind; the record is still
 * databind-friendly and both produce the same JSON.
 */
public record State(
        String ociVersion,
        String id,
        int pid,
        String status,
        String bundle,
        String rootfs,
        String created,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> annotations,
        String owner) {

    public static final String CREATING = "creating";
    public static final String CREATED = "created";
    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    public static final String STOPPED = "stopped";

    /** The same state with another {@code status} and {@code pid}. */
    public State withStatus(String newStatus, int newPid) {
        return new State(ociVersion, id, newPid, newStatus, bundle, rootfs, created, annotations, owner);
    }

    /**
     * {@code instant} as Go's {@code time.RFC3339Nano} in UTC, the format of runc's {@code created}:
     * {@code 2024-05-01T10:00:00.12345Z} (trailing zeros of the fraction dropped, no fraction if 0).
     */
    public static String rfc3339(Instant instant) {
        // By hand: DateTimeFormatter and String.format load the locale providers (several ms on a cold JVM).
        var utc = instant.atOffset(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(32);
        pad(sb, utc.getYear(), 4).append('-');
        pad(sb, utc.getMonthValue(), 2).append('-');
        pad(sb, utc.getDayOfMonth(), 2).append('T');
        pad(sb, utc.getHour(), 2).append(':');
        pad(sb, utc.getMinute(), 2).append(':');
        pad(sb, utc.getSecond(), 2);
        int nanos = utc.getNano();
        if (nanos != 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            pad(sb.append('.'), nanos, digits);
        }
        return sb.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits);
    }

    /** Compact JSON ({@code pretty} false, for state files) or two-space indented like {@code runc state}. */
    public byte[] toJson(boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JsonCore.FACTORY.createGenerator(out)) {
            if (pretty) {
                g.setPrettyPrinter(JsonCore.prettyPrinter("  "));
            }
            g.writeStartObject();
            writeString(g, "ociVersion", ociVersion);
            writeString(g, "id", id);
            g.writeNumberField("pid", pid);
            writeString(g, "status", status);
            writeString(g, "bundle", bundle);
            writeString(g, "rootfs", rootfs);
            writeString(g, "created", created);
            if (annotations != null && !annotations.isEmpty()) {
                g.writeObjectFieldStart("annotations");
                for (Map.Entry<String, String> e : annotations.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            writeString(g, "owner", owner);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Compact JSON. */
    public byte[] toJson() {
        return toJson(false);
    }

    private static void writeString(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /**
     * Reads a state document; unknown fields are skipped. Errors name the field:
     * {@code state.json: pid: expected an integer, got a string}.
     */
    public static State fromJson(byte[] json) {
        String ociVersion = null, id = null, status = null, bundle = null, rootfs = null, created = null, owner = null;
        int pid = 0;
        Map<String, String> annotations = null;
        try (JsonParser p = JsonCore.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad("", "expected an object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "ociVersion" -> ociVersion = string(p, name);
                    case "id" -> id = string(p, name);
                    case "status" -> status = string(p, name);
                    case "bundle" -> bundle = string(p, name);
                    case "rootfs" -> rootfs = string(p, name);
                    case "created" -> created = string(p, name);
                    case "owner" -> owner = string(p, name);
                    case "pid" -> {
                        if (v == JsonToken.VALUE_NULL) {
                            pid = 0;
                        } else if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                            throw bad(name, "expected an integer, got " + describe(p));
                        } else {
                            pid = p.getIntValue();
                        }
                    }
                    case "annotations" -> annotations = stringMap(p, name);
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw bad("", "malformed object");
            }
            if (p.nextToken() != null) {
                throw bad("", "unexpected data after the object");
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new JRuntimeException("state.json: invalid JSON" + (loc == null ? "" : " at line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new State(ociVersion, id, pid, status, bundle, rootfs, created,
                annotations == null ? null : Collections.unmodifiableMap(annotations), owner);
    }

    private static String string(JsonParser p, String name) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            default -> throw bad(name, "expected a string, got " + describe(p));
        };
    }

    private static Map<String, String> stringMap(JsonParser p, String name) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad(name, "expected an object, got " + describe(p));
        }
        Map<String, String> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw bad(name + "[\"" + key + "\"]", "expected a string, got " + describe(p));
            }
            m.put(key, p.getText());
        }
        return m;
    }

    private static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case VALUE_STRING -> "string \"" + p.getText() + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + p.getText();
            case VALUE_TRUE, VALUE_FALSE -> "boolean " + p.getText();
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private static JRuntimeException bad(String field, String why) {
        return new JRuntimeException(field.isEmpty() ? "state.json: " + why : "state.json: " + field + ": " + why);
    }
}
