package io.jruntime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: resources, JSON edits, and the loader with the schema step switched off. */
final class Specs {
    private Specs() {}

    static byte[] resource(String name) {
        try (InputStream in = Specs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resourceText(String name) {
        return new String(resource(name), StandardCharsets.UTF_8);
    }

    static ObjectNode tree(String json) {
        try {
            return (ObjectNode) Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode tree(byte[] json) {
        try {
            return (ObjectNode) Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode node) {
        return Json.write(node);
    }

    /** The full loader pipeline with the model's type rules only (no schema rules: null is absent, nothing required). */
    static Spec parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static Spec parse(byte[] json) {
        return SpecLoader.parse(json, "config.json", SpecValidator.Options.DEFAULT, p -> { }, false);
    }

    /** Parse and collect warnings. */
    static List<SpecProblem> warnings(String json) {
        List<SpecProblem> w = new ArrayList<>();
        SpecLoader.parse(json.getBytes(StandardCharsets.UTF_8), "config.json", SpecValidator.Options.DEFAULT, w::add,
                false);
        return w;
    }

    /** A small valid config, as text, to edit in tests. */
    static final String MINIMAL = """
            {
              "ociVersion": "1.3.0",
              "process": {"user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": "/"},
              "root": {"path": "rootfs"},
              "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}]}
            }
            """;

    static ObjectNode minimal() {
        return tree(MINIMAL);
    }
}
