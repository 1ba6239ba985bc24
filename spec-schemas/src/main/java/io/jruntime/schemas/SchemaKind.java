package io.jruntime.schemas;

/** The documents jruntime validates, each with its own schema and file name in messages. */
public enum SchemaKind {
    CONFIG("config.json"),
    STATE("state.json"),
    FEATURES("features.json");

    private final String fileName;

    SchemaKind(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }
}
