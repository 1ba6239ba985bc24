package io.jruntime.spec;

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

    private static List<Hook> orEmpty(List<Hook> l) {
        return l == null ? List.of() : l;
    }
}
