package io.jruntime.schemas;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** Parses JSON text into a tree, turning a syntax error into a {@link SchemaError} with its position. */
final class JsonText {
    private JsonText() {}

    record Parsed(JsonNode node, SchemaError error) {}

    private static final class Holder {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    static Parsed parse(SchemaKind kind, byte[] json) {
        if (json == null || json.length == 0) {
            return new Parsed(null, new SchemaError(kind, "", "is empty: expected a JSON object"));
        }
        try {
            JsonNode node = Holder.MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                return new Parsed(null, new SchemaError(kind, "", "is empty: expected a JSON object"));
            }
            return new Parsed(node, null);
        } catch (JsonProcessingException e) {
            return new Parsed(null, new SchemaError(kind, "", describe(e)));
        } catch (IOException e) {
            // Reading from a byte array does no I/O; keep a readable line all the same.
            return new Parsed(null, new SchemaError(kind, "", "cannot be read: " + e.getMessage()));
        }
    }

    /** "invalid JSON at line 1, column 2: Unexpected close marker ']': expected '}'" */
    static String describe(JsonProcessingException e) {
        String what = e.getOriginalMessage();
        if (what == null || what.isBlank()) {
            what = e.getClass().getSimpleName();
        }
        // Jackson appends where an enclosing object or array started, "(for Object starting at
        // [Source: ...])" or "(start marker at [Source: ...])"; the position below says enough.
        int source = what.indexOf("[Source:");
        if (source > 0) {
            int open = what.lastIndexOf(" (", source);
            what = what.substring(0, open > 0 ? open : source);
        }
        int cut = what.indexOf("\n");
        if (cut > 0) {
            what = what.substring(0, cut);
        }
        what = what.strip();
        JsonLocation at = e.getLocation();
        if (at == null || at.getLineNr() < 1) {
            return "invalid JSON: " + what;
        }
        return "invalid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + what;
    }
}
