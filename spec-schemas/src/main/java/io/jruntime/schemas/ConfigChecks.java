package io.jruntime.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules of config.json that a JSON Schema cannot say, where the spec requires an error:
 * <ul>
 *   <li>config.md: "If rlimits contains duplicated entries with same type, the runtime MUST generate an error."
 *   <li>config-linux.md: "If a namespaces field contains duplicated namespaces with same type, the runtime
 *       MUST generate an error."
 * </ul>
 * Entries of the wrong shape are left to the schema, which reports them.
 */
final class ConfigChecks {
    private ConfigChecks() {}

    static List<SchemaError> check(JsonNode config) {
        List<SchemaError> errors = new ArrayList<>();
        duplicates(config.path("linux").path("namespaces"), "linux.namespaces", "namespace type", errors);
        duplicates(config.path("process").path("rlimits"), "process.rlimits", "rlimit", errors);
        return errors;
    }

    private static void duplicates(JsonNode array, String arrayPath, String what, List<SchemaError> errors) {
        if (!array.isArray()) {
            return;
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode type = array.get(i).path("type");
            if (!type.isTextual()) {
                continue;
            }
            Integer first = firstIndex.putIfAbsent(type.asText(), i);
            if (first != null) {
                String path = JsonPaths.child(JsonPaths.child(arrayPath, i), "type");
                String earlier = JsonPaths.child(arrayPath, first);
                errors.add(new SchemaError(SchemaKind.CONFIG, path,
                        "duplicate " + what + " " + JsonPaths.quote(type.asText()) + " (already at " + earlier + ")"));
            }
        }
    }
}
