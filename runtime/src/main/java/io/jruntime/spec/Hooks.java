package io.jruntime.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code hooks}: the six lifecycle hook lists, each run in the listed order. */
public record Hooks(
        List<Hook> prestart,
        List<Hook> createRuntime,
        List<Hook> createContainer,
        List<Hook> startContainer,
        List<Hook> poststart,
        List<Hook> poststop) {

    /** The hook list names in the spec's order (also what {@code features} lists). */
    public static final List<String> NAMES = List.of(
            "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");

    /** Every list by its JSON name, in the spec's order; absent lists are empty. */
    public Map<String, List<Hook>> byName() {
        Map<String, List<Hook>> m = new LinkedHashMap<>();
        m.put("prestart", orEmpty(prestart));
        m.put("createRuntime", orEmpty(createRuntime));
        m.put("createContainer", orEmpty(createContainer));
        m.put("startContainer", orEmpty(startContainer));
        m.put("poststart", orEmpty(poststart));
        m.put("poststop", orEmpty(poststop));
        return m;
    }

    /** All hooks of all lists (for checks that apply to every hook). */
    public List<Hook> all() {
        List<Hook> all = new ArrayList<>();
        byName().values().forEach(all::addAll);
        return all;
    }

    /**
     * Compact JSON of the hooks (absent lists and fields left out), with jackson-core only, so that
     * {@code create} can save hooks for {@code start}/{@code delete} without loading databind.
     */
    public byte[] toJson() {
        var out = new ByteArrayOutputStream();
        try (JsonGenerator g = JsonCore.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            List<List<Hook>> lists = Arrays.asList(prestart, createRuntime, createContainer,
                    startContainer, poststart, poststop);
            for (int i = 0; i < NAMES.size(); i++) {
                if (lists.get(i) == null) {
                    continue;
                }
                g.writeArrayFieldStart(NAMES.get(i));
                for (Hook h : lists.get(i)) {
                    g.writeStartObject();
                    if (h.path() != null) {
                        g.writeStringField("path", h.path());
                    }
                    writeStrings(g, "args", h.args());
                    writeStrings(g, "env", h.env());
                    if (h.timeout() != null) {
                        g.writeNumberField("timeout", h.timeout());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads what {@link #toJson()} wrote (the model's type rules; errors name {@code name} and the field). */
    public static Hooks fromJson(byte[] json, String name) {
        SpecLoader.Read<Hooks> read = SpecLoader.read(json, name, false, SpecReader.HOOKS);
        read.throwProblems();
        return read.value();
    }

    private static void writeStrings(JsonGenerator g, String field, List<String> values)
            throws IOException {
        if (values != null) {
            g.writeArrayFieldStart(field);
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        }
    }

    private static List<Hook> orEmpty(List<Hook> l) {
        return l == null ? List.of() : l;
    }
}
