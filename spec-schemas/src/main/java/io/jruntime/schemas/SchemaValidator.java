package io.jruntime.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** API placeholder: the spec-schemas work replaces the body with the real validator. */
public final class SchemaValidator {
    private SchemaValidator() {}

    /** Validates {@code document} against the schema of {@code kind}; empty when valid. */
    public static List<SchemaError> validate(SchemaKind kind, JsonNode document) {
        throw new UnsupportedOperationException("not written yet");
    }
}
