package io.jruntime.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Validates config.json, state and features documents against jruntime's own JSON Schemas (written
 * from the runtime-spec v1.3.0 text) and returns readable errors.
 *
 * <p>Start-up cost: the schema library (networknt) and the schemas are loaded on the first call to a
 * {@code validate} method that gets as far as schema validation, never before; this class and
 * {@link SchemaError} do not reference the library. A document that is not valid JSON is reported
 * without loading it.
 *
 * <p>Errors come back sorted by path (array indexes numerically), then by message, with duplicates
 * removed, so the same document always gives the same lines in the same order.
 */
public final class SchemaValidator {
    private SchemaValidator() {}

    /** Validates {@code document} against the schema of {@code kind}; empty when valid. */
    public static List<SchemaError> validate(SchemaKind kind, JsonNode document) {
        Objects.requireNonNull(kind, "kind");
        if (document == null || document.isMissingNode()) {
            return List.of(new SchemaError(kind, "", "is empty: expected a JSON object"));
        }
        List<SchemaError> errors = new ArrayList<>(SchemaEngine.validate(kind, document));
        if (kind == SchemaKind.CONFIG) {
            errors.addAll(ConfigChecks.check(document));
        }
        return ErrorOrder.sortAndDedupe(errors);
    }

    /**
     * Parses {@code json} and validates it. Text that is not valid JSON gives a single error naming
     * the line and column where parsing stopped.
     */
    public static List<SchemaError> validate(SchemaKind kind, String json) {
        return validate(kind, json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8));
    }

    /** Like {@link #validate(SchemaKind, String)} for the raw bytes of a file (UTF-8). */
    public static List<SchemaError> validate(SchemaKind kind, byte[] json) {
        Objects.requireNonNull(kind, "kind");
        JsonText.Parsed parsed = JsonText.parse(kind, json);
        if (parsed.error() != null) {
            return List.of(parsed.error());
        }
        return validate(kind, parsed.node());
    }

    /**
     * Parses {@code json} without validating it against a schema: the tree, or the parse error
     * (with line and column) as a {@link SchemaError}. Callers that need both the tree and the
     * validation can parse once with this and then call {@link #validate(SchemaKind, JsonNode)}.
     */
    public static ParseResult parse(SchemaKind kind, byte[] json) {
        Objects.requireNonNull(kind, "kind");
        JsonText.Parsed parsed = JsonText.parse(kind, json);
        return new ParseResult(parsed.node(), parsed.error());
    }

    /** The result of {@link #parse}: exactly one of {@code node} and {@code error} is non-null. */
    public record ParseResult(JsonNode node, SchemaError error) {
        public boolean ok() {
            return error == null;
        }
    }
}
