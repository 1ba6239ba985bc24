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
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads {@code config.json} (and the {@code exec --process} and {@code update --resources} documents)
 * into the model, in this order, stopping at the first step that fails:
 * <ol>
 *   <li>read the file: {@code JSON specification file /b/config.json not found} (runc's wording), or the I/O error;</li>
 *   <li>parse JSON: {@code config.json: invalid JSON at line 3, column 7: ...};</li>
 *   <li>check {@code ociVersion} (1.0.0 to 1.3.x) so a future config fails on its version, not on a detail;</li>
 *   <li>JSON schema validation ({@link SchemaValidator}), every violation one line;</li>
 *   <li>databind mapping: {@code config.json: process.user.uid: expected an integer, got string "abc"};</li>
 *   <li>semantic validation ({@link SpecValidator}), every error one line; warnings go to the given sink.</li>
 * </ol>
 * All failures are {@link JRuntimeException}s whose message is one or more lines starting with the file name.
 */
public final class SpecLoader {
    private SpecLoader() {}

    public static final String CONFIG_JSON = "config.json";

    /** The schema step: the real validator in production, replaceable in tests of the other steps. */
    static final Function<JsonNode, List<SchemaError>> SCHEMA = node -> SchemaValidator.validate(SchemaKind.CONFIG, node);

    /** Warnings printed on stderr, for callers that do not route them into their own log. */
    public static final Consumer<SpecProblem> STDERR_WARNINGS =
            p -> System.err.println("warning: " + CONFIG_JSON + ": " + p);

    /** {@code bundleDir/config.json}, validated with default options; warnings go to stderr. */
    public static Spec load(Path bundleDir) {
        return load(bundleDir, SpecValidator.Options.DEFAULT, STDERR_WARNINGS);
    }

    /** {@code bundleDir/config.json}, validated with {@code options}; each warning goes to {@code warnings}. */
    public static Spec load(Path bundleDir, SpecValidator.Options options, Consumer<SpecProblem> warnings) {
        Path file = bundleDir.resolve(CONFIG_JSON);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new JRuntimeException("JSON specification file " + file + " not found");
        } catch (IOException e) {
            throw new JRuntimeException(CONFIG_JSON + ": read " + file + ": " + ioReason(e));
        }
        return parse(bytes, CONFIG_JSON, options, warnings, SCHEMA);
    }

    /** A config document from memory, named {@code name} in messages; warnings go to stderr. */
    public static Spec parse(byte[] json, String name) {
        return parse(json, name, SpecValidator.Options.DEFAULT, STDERR_WARNINGS, SCHEMA);
    }

    public static Spec parse(byte[] json, String name, SpecValidator.Options options, Consumer<SpecProblem> warnings) {
        return parse(json, name, options, warnings, SCHEMA);
    }

    /** The whole pipeline with an explicit schema step (tests pass one while the real validator is not there). */
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
        report(name, SpecValidator.validate(spec, options), warnings);
        return spec;
    }

    /** The {@code exec --process} document: a {@link Process} alone; paths in messages are relative to it. */
    public static Process loadProcess(Path file) {
        return parseProcess(readFile(file), file.getFileName().toString(), STDERR_WARNINGS);
    }

    public static Process parseProcess(byte[] json, String name, Consumer<SpecProblem> warnings) {
        Process process = map(tree(json, name), Process.class, name);
        report(name, SpecValidator.validateProcess(process), warnings);
        return process;
    }

    /** The {@code update --resources} document: a {@link LinuxResources} alone. */
    public static LinuxResources loadResources(Path file) {
        return parseResources(readFile(file), file.getFileName().toString());
    }

    public static LinuxResources parseResources(byte[] json, String name) {
        LinuxResources resources = map(tree(json, name), LinuxResources.class, name);
        report(name, SpecValidator.validateResources(resources), STDERR_WARNINGS);
        return resources;
    }

    /**
     * The root filesystem directory: {@code root.path}, relative to {@code bundleDir} unless absolute.
     * It MUST exist and be a directory (config.md); the error wording is runc's ({@code invalid rootfs: ...}).
     */
    public static Path rootfs(Spec spec, Path bundleDir) {
        if (spec.root() == null || spec.root().path() == null || spec.root().path().isEmpty()) {
            throw new JRuntimeException("invalid rootfs: root.path is not set");
        }
        Path rootfs = bundleDir.toAbsolutePath().resolve(spec.root().path()).normalize();
        if (!Files.exists(rootfs)) {
            throw new JRuntimeException("invalid rootfs: stat " + rootfs + ": no such file or directory");
        }
        if (!Files.isDirectory(rootfs)) {
            throw new JRuntimeException("invalid rootfs: " + rootfs + ": not a directory");
        }
        return rootfs;
    }

    // ---------------------------------------------------------------- steps

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new JRuntimeException("read " + file + ": " + ioReason(e));
        }
    }

    private static String ioReason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String m = e.getMessage();
        if (m != null && m.toLowerCase().contains("is a directory")) {
            return "is a directory";
        }
        return m == null ? e.getClass().getSimpleName() : m;
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

    private static void report(String name, List<SpecProblem> problems, Consumer<SpecProblem> warnings) {
        List<String> errors = new ArrayList<>();
        for (SpecProblem problem : problems) {
            if (problem.isError()) {
                errors.add(name + ": " + problem);
            } else {
                warnings.accept(problem);
            }
        }
        if (!errors.isEmpty()) {
            throw new JRuntimeException(String.join("\n", errors));
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
