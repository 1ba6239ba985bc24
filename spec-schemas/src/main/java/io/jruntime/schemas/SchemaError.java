package io.jruntime.schemas;

/**
 * One violation: {@code path} is the JSON location in dotted form ({@code linux.namespaces[2].type},
 * empty for the document root) and {@code message} says what is wrong with the value there.
 * {@link #toString()} is the line shown to a person.
 */
public record SchemaError(SchemaKind kind, String path, String message) {
    @Override
    public String toString() {
        return path.isEmpty() ? kind.fileName() + ": " + message : kind.fileName() + ": " + path + ": " + message;
    }
}
