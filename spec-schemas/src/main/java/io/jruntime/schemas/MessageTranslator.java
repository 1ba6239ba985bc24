package io.jruntime.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns networknt's messages into our own wording. The library is only asked for facts (which
 * keyword failed, where in the document, where in the schema, with which arguments); the sentence is
 * ours. Where a sentence needs more than the keyword's value (the expected type of an array's items,
 * the human name of a pattern), the schema around the keyword is read from our own parsed schema
 * files. A {@code description} next to a {@code pattern}, or on a {@code then}/{@code else} branch,
 * is part of the message, so it is written to read well there.
 */
final class MessageTranslator {
    private MessageTranslator() {}

    private static final int MAX_VALUE_CHARS = 60;

    static List<SchemaError> translate(SchemaKind kind, Set<ValidationMessage> messages, Map<String, JsonNode> schemas) {
        // A value of the wrong type also fails the keywords that describe the right value (a null in
        // an array of enum strings fails "type" and "enum"): only the type error is worth reading.
        Set<String> typeErrorPaths = new LinkedHashSet<>();
        for (ValidationMessage m : messages) {
            if ("type".equals(m.getType())) {
                typeErrorPaths.add(path(m.getInstanceLocation()));
            }
        }
        List<SchemaError> out = new ArrayList<>();
        // anyOf: the library reports every failed branch; ours are alternatives of required
        // properties ("at least one of weight, leafWeight"), reported as one line.
        Map<String, List<ValidationMessage>> anyOfGroups = new LinkedHashMap<>();
        for (ValidationMessage m : messages) {
            String eval = String.valueOf(m.getEvaluationPath());
            int at = eval.indexOf("/anyOf/");
            if (at >= 0) {
                String key = eval.substring(0, at) + "|" + m.getInstanceLocation();
                anyOfGroups.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
            } else if (FOLLOW_UPS.contains(m.getType()) && typeErrorPaths.contains(path(m.getInstanceLocation()))) {
                continue;
            } else {
                out.add(translate(kind, m, schemas));
            }
        }
        for (List<ValidationMessage> group : anyOfGroups.values()) {
            if (group.stream().allMatch(m -> "required".equals(m.getType()))) {
                Set<String> names = new LinkedHashSet<>();
                group.forEach(m -> names.add(m.getProperty()));
                String path = path(group.getFirst().getInstanceLocation());
                out.add(new SchemaError(kind, path, names.size() == 1
                        ? "must set " + names.iterator().next()
                        : "must set at least one of " + String.join(", ", names)));
            } else {
                group.forEach(m -> out.add(translate(kind, m, schemas)));
            }
        }
        return out;
    }

    private static final Set<String> FOLLOW_UPS = Set.of(
            "enum", "const", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "minLength", "maxLength", "minItems", "maxItems", "uniqueItems");

    static SchemaError translate(SchemaKind kind, ValidationMessage m, Map<String, JsonNode> schemas) {
        String path = path(m.getInstanceLocation());
        JsonNode value = m.getInstanceNode();
        JsonNode keywordValue = m.getSchemaNode();
        Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
        SchemaPlace place = SchemaPlace.of(String.valueOf(m.getSchemaLocation()), schemas);
        String type = m.getType() == null ? "" : m.getType();
        return switch (type) {
            case "required" -> {
                String note = conditionNote(m, place);
                yield new SchemaError(kind, JsonPaths.child(path, m.getProperty()), "is required" + note);
            }
            case "dependentRequired" -> new SchemaError(kind, JsonPaths.child(path, String.valueOf(args[0])),
                    "is required when " + args[1] + " is set");
            case "type" -> new SchemaError(kind, path, "must be " + place.describeType());
            case "enum" -> new SchemaError(kind, path, show(value) + " is not one of " + list(keywordValue));
            case "const" -> new SchemaError(kind, path, "must be " + keywordValue);
            case "pattern" -> {
                String description = place.parent().path("description").asText("");
                yield new SchemaError(kind, path, description.isEmpty()
                        ? show(value) + " does not match the pattern " + keywordValue.asText()
                        : show(value) + " is not " + description);
            }
            case "minimum" -> new SchemaError(kind, path, "must be at least " + keywordValue + ", got " + show(value));
            case "maximum" -> new SchemaError(kind, path, "must be at most " + keywordValue + ", got " + show(value));
            case "exclusiveMinimum" -> new SchemaError(kind, path,
                    "must be greater than " + keywordValue + ", got " + show(value));
            case "exclusiveMaximum" -> new SchemaError(kind, path,
                    "must be less than " + keywordValue + ", got " + show(value));
            case "minItems" -> new SchemaError(kind, path, keywordValue.asInt() == 1
                    ? "must have at least one entry"
                    : "must have at least " + keywordValue + " entries");
            case "maxItems" -> new SchemaError(kind, path, "must have at most " + keywordValue + " entries");
            case "minLength" -> new SchemaError(kind, path, keywordValue.asInt() == 1
                    ? "must not be empty"
                    : "must be at least " + keywordValue + " characters long");
            case "maxLength" -> new SchemaError(kind, path, "must be at most " + keywordValue + " characters long");
            case "uniqueItems" -> new SchemaError(kind, path, "must not contain duplicate entries");
            case "propertyNames" -> {
                String key = m.getProperty() != null ? m.getProperty() : String.valueOf(args.length > 0 ? args[0] : "");
                if (keywordValue.has("enum")) {
                    yield new SchemaError(kind, path,
                            "key " + JsonPaths.quote(key) + " is not one of " + list(keywordValue.get("enum")));
                }
                if (key.isEmpty() && keywordValue.has("minLength")) {
                    yield new SchemaError(kind, path, "keys must not be empty");
                }
                yield new SchemaError(kind, path, "key " + JsonPaths.quote(key) + " is not allowed");
            }
            case "additionalProperties", "unevaluatedProperties" ->
                    new SchemaError(kind, JsonPaths.child(path, String.valueOf(m.getProperty())), "is not allowed here");
            case "false", "not" -> new SchemaError(kind, path, "is not allowed");
            default -> new SchemaError(kind, path, m.getError() != null ? m.getError() : m.getMessage());
        };
    }

    /** " when ..." from the description of the then/else branch a required came from, else "". */
    private static String conditionNote(ValidationMessage m, SchemaPlace place) {
        String eval = String.valueOf(m.getEvaluationPath());
        if (eval.endsWith("/then/required") || eval.endsWith("/else/required")) {
            String description = place.parent().path("description").asText("");
            if (!description.isEmpty()) {
                return " " + description;
            }
        }
        return "";
    }

    static String path(JsonNodePath location) {
        List<Object> elements = new ArrayList<>();
        if (location != null) {
            for (int i = 0; i < location.getNameCount(); i++) {
                elements.add(location.getElement(i));
            }
        }
        return JsonPaths.format(elements);
    }

    /** The value as it was written, shortened when long: "netx", 42, {...}. */
    static String show(JsonNode value) {
        if (value == null) {
            return "the value";
        }
        String text = value.toString();
        if (text.length() > MAX_VALUE_CHARS) {
            text = text.substring(0, MAX_VALUE_CHARS - 3) + "...";
        }
        return text;
    }

    /** An enum as the person would type the values: pid, network, mount. */
    static String list(JsonNode values) {
        List<String> items = new ArrayList<>();
        if (values != null) {
            values.forEach(v -> items.add(v.isTextual() ? v.asText() : v.toString()));
        }
        return String.join(", ", items);
    }
}
