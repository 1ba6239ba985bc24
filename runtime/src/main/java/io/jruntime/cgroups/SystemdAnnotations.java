package io.jruntime.cgroups;

import io.jruntime.cgroups.Systemd.Property;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * runc's {@code org.systemd.property.NAME} annotations: extra properties of the container's unit, with values
 * in GVariant text ({@code "uint64 123456789"}, {@code "'inactive-or-failed'"}, {@code "true"}). A name that
 * ends in a lowercase letter and "Sec" is systemd's documented spelling of a "USec" property: the value, in
 * seconds, is converted (runc's rule). The GVariant subset read here: booleans, strings, numbers with or
 * without a type (a bare integer is an int32, as in GVariant), and arrays of those.
 */
final class SystemdAnnotations {

    static final String PREFIX = "org.systemd.property.";

    private SystemdAnnotations() {}

    static List<Property> properties(Map<String, String> annotations) {
        List<Property> out = new ArrayList<>();
        if (annotations == null) {
            return out;
        }
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            if (!e.getKey().startsWith(PREFIX)) {
                continue;
            }
            String name = e.getKey().substring(PREFIX.length());
            if (name.length() < 3 || !name.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                throw new CgroupException("annotation " + e.getKey() + " name incorrect: a systemd property name is three or more letters");
            }
            Property p;
            try {
                p = parse(name, e.getValue());
                if (name.endsWith("Sec") && name.length() > 3 && Character.isLowerCase(name.charAt(name.length() - 4))) {
                    p = new Property(name.substring(0, name.length() - 3) + "USec", "t", secondsToMicros(p));
                }
            } catch (IllegalArgumentException ex) {
                throw new CgroupException("annotation " + e.getKey() + "=" + e.getValue() + " value parse error: " + ex.getMessage());
            }
            out.add(p);
        }
        return out;
    }

    private static long secondsToMicros(Property p) {
        return switch (p.signature()) {
            case "d" -> Math.round((Double) p.value() * 1e6);
            case "i", "u" -> ((Integer) p.value()).longValue() * 1_000_000;
            case "x", "t" -> (Long) p.value() * 1_000_000;
            default -> throw new IllegalArgumentException("a number of seconds is needed, not " + p.signature());
        };
    }

    /** One GVariant text value, as the property {@code name}. */
    static Property parse(String name, String text) {
        Parser p = new Parser(text.strip());
        Typed v = p.value(null);
        p.skipSpaces();
        if (p.pos != p.s.length()) {
            throw new IllegalArgumentException("unexpected \"" + p.s.substring(p.pos) + "\"");
        }
        return new Property(name, v.signature, v.value);
    }

    private record Typed(String signature, Object value) {}

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        /** A value; {@code type} is the signature it must have (from a keyword, "@t" or its array), or null. */
        Typed value(String type) {
            skipSpaces();
            if (s.startsWith("@", pos)) {
                int end = pos + 1;
                while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
                    end++;
                }
                String t = s.substring(pos + 1, end);
                pos = end;
                return value(t);
            }
            for (String[] kw : KEYWORDS) {
                if (s.startsWith(kw[0], pos) && pos + kw[0].length() < s.length()
                        && Character.isWhitespace(s.charAt(pos + kw[0].length()))) {
                    pos += kw[0].length();
                    return value(kw[1]);
                }
            }
            if (pos >= s.length()) {
                throw new IllegalArgumentException("no value");
            }
            char c = s.charAt(pos);
            if (c == '[') {
                return array(type);
            }
            if (c == '\'' || c == '"') {
                return typed(type, "s", string(c));
            }
            int end = pos;
            while (end < s.length() && ",] \t".indexOf(s.charAt(end)) < 0) {
                end++;
            }
            String word = s.substring(pos, end);
            pos = end;
            if (word.equals("true") || word.equals("false")) {
                return typed(type, "b", Boolean.parseBoolean(word));
            }
            return number(type, word);
        }

        Typed typed(String type, String natural, Object v) {
            if (type != null && !type.equals(natural)) {
                throw new IllegalArgumentException("a " + natural + " value where " + type + " is wanted");
            }
            return new Typed(natural, v);
        }

        Typed number(String type, String word) {
            if (word.isEmpty() || "0123456789-+.".indexOf(word.charAt(0)) < 0) {
                throw new IllegalArgumentException("\"" + word + "\" is not a value (a string needs quotes)");
            }
            boolean real = word.contains(".") || word.contains("e") || word.contains("E");
            String t = type != null ? type : real ? "d" : "i";
            try {
                return switch (t) {
                    case "d" -> new Typed("d", Double.parseDouble(word));
                    case "i" -> new Typed("i", Integer.parseInt(word));
                    case "u" -> new Typed("u", (int) checkRange(Long.parseLong(word), 0, 0xffffffffL));
                    case "x" -> new Typed("x", Long.parseLong(word));
                    case "t" -> new Typed("t", Long.parseUnsignedLong(word));
                    case "y" -> new Typed("y", (byte) checkRange(Long.parseLong(word), 0, 255));
                    default -> throw new IllegalArgumentException("type " + t + " is not supported");
                };
            } catch (NumberFormatException e) {
                String what = switch (t) {
                    case "i" -> "an int32";
                    case "u" -> "a uint32";
                    case "x" -> "an int64";
                    case "t" -> "a uint64";
                    case "y" -> "a byte";
                    default -> "a double";
                };
                throw new IllegalArgumentException("\"" + word + "\" is not " + what + " (a string needs quotes)");
            }
        }

        static long checkRange(long v, long min, long max) {
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        }

        String string(char quote) {
            StringBuilder b = new StringBuilder();
            pos++;
            while (pos < s.length() && s.charAt(pos) != quote) {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                b.append(c);
            }
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unterminated string");
            }
            pos++;
            return b.toString();
        }

        Typed array(String type) {
            if (type != null && !type.startsWith("a")) {
                throw new IllegalArgumentException("an array where " + type + " is wanted");
            }
            String element = type == null ? null : type.substring(1);
            pos++; // [
            List<Object> items = new ArrayList<>();
            skipSpaces();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                if (element == null) {
                    throw new IllegalArgumentException("an empty array needs a type, e.g. @as []");
                }
                return new Typed(type, items);
            }
            while (true) {
                Typed t = value(element);
                element = t.signature;
                items.add(t.value);
                skipSpaces();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                } else if (pos < s.length() && s.charAt(pos) == ']') {
                    pos++;
                    return new Typed("a" + element, items);
                } else {
                    throw new IllegalArgumentException("unterminated array");
                }
            }
        }

        static final String[][] KEYWORDS = {{"boolean", "b"}, {"byte", "y"}, {"int32", "i"}, {"uint32", "u"},
            {"int64", "x"}, {"uint64", "t"}, {"double", "d"}, {"string", "s"}};
    }
}
