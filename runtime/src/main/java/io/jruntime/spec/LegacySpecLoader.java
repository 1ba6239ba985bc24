package io.jruntime.spec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.jruntime.JRuntimeException;
import io.jruntime.schemas.SchemaError;
import io.jruntime.schemas.SchemaKind;
import io.jruntime.schemas.SchemaValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The pipeline {@link SpecLoader} used before it had its own reader, kept for what the reader does not
 * model and as the reference the equivalence tests compare the reader with: databind tree, {@code ociVersion},
 * the JSON schema ({@link SchemaValidator}, networknt), databind mapping into the records, then
 * {@link SpecValidator}. Loading this class loads databind; {@link SpecLoader} only comes here for a
 * config with a platform section other than linux (those sections are raw {@code JsonNode}s).
 */
final class LegacySpecLoader {
    private LegacySpecLoader() {}

    /** The schema step: the real validator in production, replaceable in tests of the other steps. */
    static final Function<JsonNode, List<SchemaError>> SCHEMA = node -> SchemaValidator.validate(SchemaKind.CONFIG, node);

    /** No schema step: the mapping's rules only. */
    static final Function<JsonNode, List<SchemaError>> NO_SCHEMA = node -> List.of();

    /** The whole pipeline with an explicit schema step. */
    static Spec parse(byte[] json, String name, SpecValidator.Options options, Consumer<SpecProblem> warnings,
            Function<JsonNode, List<SchemaError>> schema) {
        JsonNode tree = tree(json, name);
        JsonNode version = tree.get("ociVersion");
        if (version != null && version.isTextual()) {
            String why = SpecValidator.ociVersionProblem(version.textValue());
            if (why != null) {
                throw new JRuntimeException(name + ": ociVersion: " + why);
            }
        }
        List<SchemaError> schemaErrors = schema.apply(tree);
        if (!schemaErrors.isEmpty()) {
            throw new JRuntimeException(schemaErrors.stream().map(SchemaError::toString).collect(Collectors.joining("\n")));
        }
        Spec spec = map(tree, Spec.class, name);
        SpecLoader.report(name, SpecValidator.validate(spec, options), warnings);
        return spec;
    }

    static Process parseProcess(byte[] json, String name, Consumer<SpecProblem> warnings) {
        Process process = map(tree(json, name), Process.class, name);
        SpecLoader.report(name, SpecValidator.validateProcess(process), warnings);
        return process;
    }

    static LinuxResources parseResources(byte[] json, String name) {
        LinuxResources resources = map(tree(json, name), LinuxResources.class, name);
        SpecLoader.report(name, SpecValidator.validateResources(resources), SpecLoader.STDERR_WARNINGS);
        return resources;
    }

    static JsonNode tree(byte[] json, String name) {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new JRuntimeException(name + ": invalid JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new JRuntimeException(name + ": " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new JRuntimeException(name + ": invalid JSON: the file is empty");
        }
        if (!tree.isObject()) {
            throw new JRuntimeException(name + ": expected a JSON object, got " + kindOf(tree));
        }
        return tree;
    }

    private static String at(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 0) {
            return "";
        }
        return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /** Tree to record; a type error names the field with its path and says what was expected. */
    static <T> T map(JsonNode tree, Class<T> type, String name) {
        JsonParser p = tree.traverse(Json.mapper());
        try {
            return Json.mapper().readValue(p, type);
        } catch (InvalidNullException e) {
            throw new JRuntimeException(name + ": " + path(e.getPath(), p) + "must not be null");
        } catch (MismatchedInputException e) {
            throw new JRuntimeException(name + ": " + path(e.getPath(), p) + mismatch(e, p));
        } catch (DatabindException e) {
            String why = e.getCause() instanceof InputCoercionException ic ? outOfRange(ic, p) : e.getOriginalMessage();
            throw new JRuntimeException(name + ": " + path(((JsonMappingException) e).getPath(), p) + why);
        } catch (InputCoercionException e) {
            // Number overflow reported by the parser before databind knew the property: the parser's
            // context still says where it is.
            throw new JRuntimeException(name + ": " + contextPath(p) + outOfRange(e, p));
        } catch (JacksonException e) {
            throw new JRuntimeException(name + ": " + contextPath(p) + e.getOriginalMessage());
        } catch (IOException e) {
            throw new JRuntimeException(name + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- error wording

    /** {@code process.user.uid: } from databind's reference chain; parser context if the chain is empty. */
    private static String path(List<JsonMappingException.Reference> refs, JsonParser p) {
        if (refs == null || refs.isEmpty()) {
            return contextPath(p);
        }
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                boolean map = r.getFrom() instanceof Map<?, ?>;
                appendField(sb, r.getFieldName(), map);
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "" : sb.append(": ").toString();
    }

    private static String contextPath(JsonParser p) {
        List<String> parts = new ArrayList<>();
        JsonStreamContext ctx = p.getParsingContext();
        // When the parser stands on a value inside an object, the context is that object and its current name
        // is the field; inside an array, the current index is the element.
        for (; ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) {
            if (ctx.inObject() && ctx.getCurrentName() != null) {
                parts.add(0, "." + ctx.getCurrentName());
            } else if (ctx.inArray()) {
                parts.add(0, "[" + Math.max(ctx.getCurrentIndex(), 0) + "]");
            }
        }
        String s = String.join("", parts);
        if (s.startsWith(".")) {
            s = s.substring(1);
        }
        return s.isEmpty() ? "" : s + ": ";
    }

    private static void appendField(StringBuilder sb, String field, boolean mapKey) {
        boolean plain = !mapKey && field.matches("[A-Za-z_][A-Za-z0-9_]*");
        if (plain) {
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(field);
        } else {
            sb.append(SpecValidator.key(field));
        }
    }

    private static String mismatch(MismatchedInputException e, JsonParser p) {
        String expected = expectedKind(e.getTargetType());
        String got = gotKind(p);
        if (expected != null && got != null && !expected.equals(got)) {
            return "expected " + article(expected) + ", got " + describe(p);
        }
        return e.getOriginalMessage();
    }

    /** {@code 99999999999 is out of range for int32}: an integer too large for the field's Java type. */
    private static String outOfRange(InputCoercionException e, JsonParser p) {
        Class<?> target = e.getTargetType();
        String type = target == Integer.class || target == int.class ? "int32"
                : target == Long.class || target == long.class ? "int64" : null;
        try {
            if (type != null && p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return p.getText() + " is out of range for " + type;
            }
        } catch (IOException ignored) {
            // fall back to the parser's own words
        }
        return e.getOriginalMessage();
    }

    private static String expectedKind(Class<?> target) {
        if (target == null) {
            return null;
        }
        if (target == Long.class || target == long.class || target == Integer.class || target == int.class
                || target == Short.class || target == short.class) {
            return "integer";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "boolean";
        }
        if (target == String.class) {
            return "string";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "array";
        }
        if (target == JsonNode.class || Number.class.isAssignableFrom(target)) {
            return null;
        }
        return "object";
    }

    private static String gotKind(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == null) {
            return null;
        }
        return switch (t) {
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT -> "integer";
            case VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case START_ARRAY, END_ARRAY -> "array";
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "object";
            case VALUE_NULL -> "null";
            default -> null;
        };
    }

    private static String describe(JsonParser p) {
        try {
            JsonToken t = p.currentToken();
            return switch (t) {
                case VALUE_STRING -> "string " + SpecValidator.quote(p.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + p.getText();
                case VALUE_TRUE, VALUE_FALSE -> "boolean " + p.getText();
                case VALUE_NULL -> "null";
                case START_ARRAY, END_ARRAY -> "an array";
                default -> "an object";
            };
        } catch (IOException e) {
            return "something else";
        }
    }

    private static String kindOf(JsonNode n) {
        if (n.isArray()) {
            return "an array";
        }
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        return n.isNull() ? "null" : "something else";
    }

    private static String article(String kind) {
        return (kind.startsWith("a") || kind.startsWith("i") || kind.startsWith("o") ? "an " : "a ") + kind;
    }
}
