package io.jruntime.schemas;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The schema object around a failed keyword, found in our own parsed schema files from the keyword's
 * absolute location ({@code https://jruntime.io/schemas/defs.json#/$defs/uint32/maximum}). Used to
 * phrase messages: the expected type with the type of an array's items, a pattern's description.
 */
record SchemaPlace(String file, JsonNode parent, Map<String, JsonNode> schemas) {

    private static final BigInteger U16 = BigInteger.valueOf(65535);
    private static final BigInteger U32 = BigInteger.valueOf(4294967295L);
    private static final BigInteger U64 = new BigInteger("18446744073709551615");
    private static final BigInteger I32_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger I32_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger I64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger I64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    static SchemaPlace of(String keywordLocation, Map<String, JsonNode> schemas) {
        int hash = keywordLocation.indexOf('#');
        String file = hash < 0 ? keywordLocation : keywordLocation.substring(0, hash);
        String pointer = hash < 0 ? "" : keywordLocation.substring(hash + 1);
        int lastSlash = pointer.lastIndexOf('/');
        String parentPointer = lastSlash <= 0 ? "" : pointer.substring(0, lastSlash);
        return new SchemaPlace(file, at(schemas.get(file), parentPointer), schemas);
    }

    private static JsonNode at(JsonNode document, String pointer) {
        if (document == null) {
            return MissingNode.getInstance();
        }
        try {
            return pointer.isEmpty() ? document : document.at(JsonPointer.compile(pointer));
        } catch (IllegalArgumentException e) {
            return MissingNode.getInstance();
        }
    }

    /** "an array of strings", "an unsigned 32-bit integer", "an object or null" ... */
    String describeType() {
        return describe(file, parent, 0);
    }

    private String describe(String base, JsonNode schema, int depth) {
        JsonNode type = schema.path("type");
        List<String> names = new ArrayList<>();
        if (type.isTextual()) {
            names.add(type.asText());
        } else if (type.isArray()) {
            type.forEach(t -> names.add(t.asText()));
        }
        if (names.isEmpty()) {
            return "of another type";
        }
        List<String> phrases = new ArrayList<>();
        for (String name : names) {
            phrases.add(switch (name) {
                case "array" -> describeArray(base, schema, depth);
                case "integer" -> describeInteger(schema);
                case "object" -> "an object";
                case "string" -> "a string";
                case "boolean" -> "a boolean (true or false)";
                case "number" -> "a number";
                case "null" -> "null";
                default -> name;
            });
        }
        return String.join(" or ", phrases);
    }

    private String describeArray(String base, JsonNode schema, int depth) {
        JsonNode items = schema.path("items");
        String itemBase = base;
        // Follow $ref chains (bounded) to find the items' declared type.
        for (int hops = 0; items.has("$ref") && !items.has("type") && hops < 8; hops++) {
            String ref = items.get("$ref").asText();
            int hash = ref.indexOf('#');
            String file = hash < 0 ? ref : ref.substring(0, hash);
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            if (!file.isEmpty()) {
                int slash = itemBase.lastIndexOf('/');
                itemBase = itemBase.substring(0, slash + 1) + file;
            }
            items = at(schemas.get(itemBase), pointer);
        }
        String itemType = items.path("type").asText("");
        return switch (itemType) {
            case "string" -> "an array of strings";
            case "integer" -> "an array of integers";
            case "object" -> "an array of objects";
            case "boolean" -> "an array of booleans";
            case "array" -> "an array of arrays";
            case "number" -> "an array of numbers";
            default -> "an array";
        };
    }

    private static String describeInteger(JsonNode schema) {
        JsonNode min = schema.path("minimum");
        JsonNode max = schema.path("maximum");
        if (!min.isIntegralNumber() || !max.isIntegralNumber()) {
            return "an integer";
        }
        BigInteger lo = min.bigIntegerValue();
        BigInteger hi = max.bigIntegerValue();
        if (lo.signum() == 0 && hi.equals(U16)) {
            return "an unsigned 16-bit integer";
        }
        if (lo.signum() == 0 && hi.equals(U32)) {
            return "an unsigned 32-bit integer";
        }
        if (lo.signum() == 0 && hi.equals(U64)) {
            return "an unsigned 64-bit integer";
        }
        if (lo.equals(I32_MIN) && hi.equals(I32_MAX)) {
            return "a 32-bit integer";
        }
        if (lo.equals(I64_MIN) && hi.equals(I64_MAX)) {
            return "a 64-bit integer";
        }
        return "an integer from " + lo + " to " + hi;
    }
}
