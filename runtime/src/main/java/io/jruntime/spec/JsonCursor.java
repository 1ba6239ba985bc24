package io.jruntime.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A jackson-core {@link JsonParser} with the path of the value it stands on and the problems found so
 * far: what {@link SpecReader} reads the model with. Every value reader starts on the value's first
 * token and leaves the parser on its last one; a value of the wrong kind is recorded as a problem at
 * its path, skipped, and read as absent, so reading goes on and every problem of a document is found
 * (the caller reports them in {@link #ORDER}, as the schema validator does).
 *
 * <p>Two modes. The mapping rules hold in both: no coercion between strings, numbers and booleans,
 * no float for an integer, integers within their Java or unsigned type, no null inside an array or a
 * map. With {@code schema} on (config.json) the JSON schema's rules hold too: null is not absent but
 * a wrong kind, required properties, enums, patterns, minimum/maximum, minItems.
 */
final class JsonCursor {

    /**
     * One problem: path elements (String keys, Integer indexes) and the sentence. {@code mappingOnly}: the
     * schema allows the value but the model's type does not (an integral float such as {@code 1.0} for an
     * integer: JSON Schema counts it as an integer, the mapping refuses floats); such a problem is only
     * reported when there is no other, as the schema step used to run first.
     */
    record Problem(List<Object> path, String message, boolean mappingOnly) {
        Problem(List<Object> path, String message) {
            this(path, message, false);
        }

        /** Map keys in brackets for a mapping problem (as databind wrote them), as the schema does otherwise. */
        String pathText() {
            return formatPath(path, mappingOnly);
        }

        @Override
        public String toString() {
            String at = pathText();
            return at.isEmpty() ? message : at + ": " + message;
        }
    }

    /** A map key in a path (a property name is a plain String). */
    record Key(String name) {}

    /** Raised for broken JSON text: reading stops there. */
    static final class Syntax extends RuntimeException {
        Syntax(String message) {
            super(message, null, false, false);
        }
    }

    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
    private static final int MAX_SHOWN = 60;

    final boolean schema;
    private final JsonParser p;
    private final List<Object> path = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();

    JsonCursor(JsonParser parser, boolean schema) {
        this.p = parser;
        this.schema = schema;
    }

    List<Problem> problems() {
        return problems;
    }

    JsonToken token() {
        return p.currentToken();
    }

    JsonToken next() {
        try {
            return p.nextToken();
        } catch (IOException e) {
            throw syntax(e);
        }
    }

    static Syntax syntax(IOException e) {
        return new Syntax(e instanceof JsonProcessingException j
                ? "invalid JSON" + at(j.getLocation()) + ": " + j.getOriginalMessage()
                : e.getMessage());
    }

    private static String at(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 0) {
            return "";
        }
        return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /** Skips the value the parser stands on (with its children). */
    void skip() {
        try {
            p.skipChildren();
        } catch (IOException e) {
            throw syntax(e);
        }
    }

    // ---------------------------------------------------------------- problems

    /** A problem at the current path; without the schema rules every problem is the mapping's. */
    void problem(String message) {
        problems.add(new Problem(List.copyOf(path), message, !schema));
    }

    private void mappingProblem(String message) {
        problems.add(new Problem(List.copyOf(path), message, true));
    }

    void problemAt(Object child, String message) {
        List<Object> at = new ArrayList<>(path);
        at.add(child);
        problems.add(new Problem(List.copyOf(at), message, !schema));
    }

    /** The value is of the wrong kind: a problem naming what was expected; the value is skipped. */
    private <T> T mismatch(String expected) {
        if (token() == JsonToken.VALUE_NULL) {
            problem(element ? "must not be null" : "expected " + expected + ", got null");
        } else {
            problem("expected " + expected + ", got " + describe());
            skip();
        }
        return null;
    }

    /**
     * True while reading an array element or a map value, where null is never allowed (databind's
     * content nulls FAIL); a property's null is absent unless the schema rules are on.
     */
    private boolean element;

    /** Set by {@link #list} and {@link #map} before reading an element; each value reader takes it. */
    private boolean nextIsElement;

    private void takeElement() {
        element = nextIsElement;
        nextIsElement = false;
    }

    private boolean nullValue(String expected) {
        if (token() != JsonToken.VALUE_NULL) {
            return false;
        }
        if (schema || element) {
            mismatch(expected);
        }
        return true;
    }

    private String describe() {
        try {
            return switch (token()) {
                case VALUE_STRING -> "string " + SpecValidator.quote(p.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + p.getText();
                case VALUE_TRUE, VALUE_FALSE -> "boolean " + p.getText();
                case VALUE_NULL -> "null";
                case START_ARRAY -> "an array";
                default -> "an object";
            };
        } catch (IOException e) {
            throw syntax(e);
        }
    }

    // ---------------------------------------------------------------- scalars

    String string() {
        takeElement();
        if (nullValue("a string")) {
            return null;
        }
        if (token() != JsonToken.VALUE_STRING) {
            return mismatch("a string");
        }
        try {
            return p.getText();
        } catch (IOException e) {
            throw syntax(e);
        }
    }

    Boolean bool() {
        takeElement();
        if (nullValue("a boolean")) {
            return null;
        }
        JsonToken t = token();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        return mismatch("a boolean");
    }

    /**
     * A float where an integer is expected: a mapping problem. When its value is integral (1.0, 1e3) the
     * schema counts it as an integer, so the problem is {@code mappingOnly} and the integer is returned for
     * the schema's range checks; out of the type's range it is a plain problem.
     */
    private BigInteger integralFloat() {
        if (token() != JsonToken.VALUE_NUMBER_FLOAT || !schema) {
            return null;
        }
        try {
            double d = p.getDoubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
                return null;
            }
            return BigDecimal.valueOf(d).toBigInteger();
        } catch (IOException e) {
            throw syntax(e);
        }
    }

    /** The integral float {@code v}, if within [min, max]: a mapping-only problem and the value; else a problem. */
    private Long floatAsInteger(BigInteger v, BigInteger min, BigInteger max, String type) {
        String text;
        try {
            text = p.getText();
        } catch (IOException e) {
            throw syntax(e);
        }
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            problem(text + " is out of range for " + type);
            return null;
        }
        mappingProblem("expected an integer, got number " + text);
        return v.longValue();
    }

    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** A signed 64-bit integer. */
    Long int64() {
        takeElement();
        if (nullValue("an integer")) {
            return null;
        }
        BigInteger integral = integralFloat();
        if (integral != null) {
            // networknt compares an integral float with int64's bounds as a saturated long, so the schema
            // never refuses one here: only the mapping does
            floatAsInteger(integral, integral, integral, "int64");
            return integral.max(INT64_MIN).min(INT64_MAX).longValue();
        }
        if (token() != JsonToken.VALUE_NUMBER_INT) {
            return mismatch("an integer");
        }
        try {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                problem(p.getText() + " is out of range for int64");
                return null;
            }
            return p.getLongValue();
        } catch (IOException e) {
            throw syntax(e);
        }
    }

    /** A signed 32-bit integer. */
    Integer int32() {
        takeElement();
        if (nullValue("an integer")) {
            return null;
        }
        BigInteger integral = integralFloat();
        if (integral != null) {
            Long v = floatAsInteger(integral, BigInteger.valueOf(Integer.MIN_VALUE),
                    BigInteger.valueOf(Integer.MAX_VALUE), "int32");
            return v == null ? null : v.intValue();
        }
        if (token() != JsonToken.VALUE_NUMBER_INT) {
            return mismatch("an integer");
        }
        try {
            if (p.getNumberType() != JsonParser.NumberType.INT) {
                problem(p.getText() + " is out of range for int32");
                return null;
            }
            return p.getIntValue();
        } catch (IOException e) {
            throw syntax(e);
        }
    }

    /** An unsigned integer of {@code bits} width, as {@link Unsigned} reads it (uint64 above 2^63 as its bit pattern). */
    Long uint(int bits) {
        takeElement();
        if (nullValue("an integer")) {
            return null;
        }
        BigInteger integral = integralFloat();
        if (integral != null) {
            return floatAsInteger(integral, BigInteger.ZERO, BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE),
                    "uint" + bits);
        }
        if (token() != JsonToken.VALUE_NUMBER_INT) {
            return mismatch("an integer");
        }
        String type = "uint" + bits;
        try {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                BigInteger big = p.getBigIntegerValue();
                if (big.signum() < 0 || big.compareTo(TWO_TO_64) >= 0 || bits < 64) {
                    problem(big + " is out of range for " + type);
                    return null;
                }
                return big.longValue();
            }
            long v = p.getLongValue();
            if (v < 0) {
                problem(v + " is out of range for " + type + " (must not be negative)");
                return null;
            }
            long max = bits >= 64 ? -1L : (1L << bits) - 1;
            if (bits < 64 && v > max) {
                problem(v + " is out of range for " + type + " (at most " + max + ")");
                return null;
            }
            return v;
        } catch (IOException e) {
            throw syntax(e);
        }
    }

    // ---------------------------------------------------------------- containers

    /** Reads one element of a list or map, by kind (see {@link SpecReader#element}). */
    interface Elements {
        Object element(int kind);
    }

    /** An array whose elements {@code reader} reads as {@code kind}; null when absent or of the wrong kind. */
    @SuppressWarnings("unchecked")
    <T> List<T> list(Elements reader, int kind) {
        takeElement();
        if (nullValue("an array")) {
            return null;
        }
        if (token() != JsonToken.START_ARRAY) {
            return mismatch("an array");
        }
        List<T> out = new ArrayList<>();
        path.add(0);
        int index = 0;
        while (next() != JsonToken.END_ARRAY) {
            path.set(path.size() - 1, index++);
            nextIsElement = true;
            // kept even when null (a problem is recorded then), so indexes stay the document's
            out.add((T) reader.element(kind));
        }
        path.removeLast();
        return out;
    }

    /** An object used as a map: keys to what {@code reader} reads as {@code kind}; null when absent or of the wrong kind. */
    @SuppressWarnings("unchecked")
    <T> Map<String, T> map(Elements reader, int kind) {
        takeElement();
        if (nullValue("an object")) {
            return null;
        }
        if (token() != JsonToken.START_OBJECT) {
            return mismatch("an object");
        }
        Map<String, T> out = new LinkedHashMap<>();
        path.add("");
        try {
            while (next() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                path.set(path.size() - 1, new Key(key));
                next();
                nextIsElement = true;
                out.put(key, (T) reader.element(kind));
            }
        } catch (IOException e) {
            throw syntax(e);
        }
        path.removeLast();
        return out;
    }

    /** Opens an object; null (nothing to read) when absent or of the wrong kind. */
    Obj object() {
        takeElement();
        if (nullValue("an object")) {
            return null;
        }
        if (token() != JsonToken.START_OBJECT) {
            return mismatch("an object");
        }
        return new Obj();
    }

    /** Reading one object: {@link #next()} moves to each property's value in turn. */
    final class Obj {
        private final Set<String> seen = new HashSet<>();
        private final int depth = path.size();
        private String name;

        boolean next() {
            if (path.size() > depth) {
                path.removeLast();
            }
            if (JsonCursor.this.next() != JsonToken.FIELD_NAME) {
                return false;
            }
            try {
                name = p.currentName();
            } catch (IOException e) {
                throw syntax(e);
            }
            seen.add(name);
            path.add(name);
            JsonCursor.this.next();
            return true;
        }

        String name() {
            return name;
        }

        /** An unknown property: ignored, as the spec requires. */
        void skip() {
            JsonCursor.this.skip();
        }

        boolean has(String property) {
            return seen.contains(property);
        }

        /** Schema {@code required}: each absent property is a problem at its own path. */
        void require(String... properties) {
            requireWhen("", properties);
        }

        void requireWhen(String note, String... properties) {
            if (!schema) {
                return;
            }
            for (String property : properties) {
                if (!seen.contains(property)) {
                    problemAt(property, "is required" + note);
                }
            }
        }

        /** Schema {@code anyOf} of single {@code required}s. */
        void requireOne(String... properties) {
            if (!schema) {
                return;
            }
            for (String property : properties) {
                if (seen.contains(property)) {
                    return;
                }
            }
            problem("must set at least one of " + String.join(", ", properties));
        }

        /** Schema {@code dependentRequired}: {@code needed} is required when {@code when} is set. */
        void dependent(String needed, String when) {
            if (schema && seen.contains(when) && !seen.contains(needed)) {
                problemAt(needed, "is required when " + when + " is set");
            }
        }
    }

    // ---------------------------------------------------------------- schema rules on values read

    /** Schema rules are checked right after the value is read, while the cursor still stands on its path. */
    String oneOf(String value, List<String> allowed) {
        if (schema && value != null && !allowed.contains(value)) {
            problem(show(value) + " is not one of " + String.join(", ", allowed));
        }
        return value;
    }

    String matching(String value, Pattern pattern, String description) {
        if (schema && value != null && !pattern.matcher(value).find()) {
            problem(show(value) + " is not " + description);
        }
        return value;
    }

    <N extends Number> N within(N value, long min, long max) {
        if (schema && value != null) {
            long v = value.longValue();
            if (v < min) {
                problem("must be at least " + min + ", got " + v);
            } else if (v > max) {
                problem("must be at most " + max + ", got " + v);
            }
        }
        return value;
    }

    /** {@code within} for an unsigned value kept as a bit pattern. */
    Long withinUnsigned(Long value, long max) {
        if (schema && value != null && Long.compareUnsigned(value, max) > 0) {
            problem("must be at most " + max + ", got " + Long.toUnsignedString(value));
        }
        return value;
    }

    <T> List<T> atLeastOne(List<T> list) {
        if (schema && list != null && list.isEmpty()) {
            problem("must have at least one entry");
        }
        return list;
    }

    /** The value as written in JSON, shortened when long (as the schema messages show it). */
    static String show(String value) {
        String text = quoteJson(value);
        return text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN - 3) + "..." : text;
    }

    // ---------------------------------------------------------------- paths

    /**
     * The dotted path of the schema messages: {@code linux.namespaces[2].type}; keys that are not plain
     * names in brackets, {@code annotations["com.example"]}; with {@code bracketKeys} every map key in
     * brackets, as the databind mapping's messages.
     */
    static String formatPath(List<Object> elements, boolean bracketKeys) {
        StringBuilder out = new StringBuilder();
        for (Object element : elements) {
            if (element instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else if (element instanceof Key key && bracketKeys) {
                out.append('[').append(quoteJson(key.name())).append(']');
            } else {
                String name = element instanceof Key key ? key.name() : (String) element;
                if (plain(name)) {
                    if (!out.isEmpty()) {
                        out.append('.');
                    }
                    out.append(name);
                } else {
                    out.append('[').append(quoteJson(name)).append(']');
                }
            }
        }
        return out.toString();
    }

    private static boolean plain(String name) {
        if (name.isEmpty()) {
            return false;
        }
        char first = name.charAt(0);
        if (!(Character.isLetter(first) && first < 128 || first == '_' || first == '$')) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '-'))) {
                return false;
            }
        }
        return true;
    }

    /** A JSON string literal, quoted as the schema validator's messages quote it. */
    static String quoteJson(String s) {
        return io.jruntime.schemas.JsonPaths.quote(s);
    }

    /** The schema validator's order: by path element by element (indexes numerically, before keys), then message. */
    static final Comparator<Problem> ORDER = (a, b) -> {
        List<Object> x = a.path();
        List<Object> y = b.path();
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            Object u = x.get(i) instanceof Key k ? k.name() : x.get(i);
            Object v = y.get(i) instanceof Key k ? k.name() : y.get(i);
            int c;
            if (u instanceof Integer ui && v instanceof Integer vi) {
                c = Integer.compare(ui, vi);
            } else if (u instanceof Integer) {
                c = -1;
            } else if (v instanceof Integer) {
                c = 1;
            } else {
                c = ((String) u).compareTo((String) v);
            }
            if (c != 0) {
                return c;
            }
        }
        int bySize = Integer.compare(x.size(), y.size());
        return bySize != 0 ? bySize : a.message().compareTo(b.message());
    };
}
