package io.jruntime.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The dotted path form used in messages: {@code linux.namespaces[2].type}. Object keys that are not
 * plain names are quoted in brackets, so {@code annotations["com.example.key"]} and
 * {@code linux.sysctl["net.ipv4.ip_forward"]} stay unambiguous. The document root is "".
 */
public final class JsonPaths {
    private JsonPaths() {}

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

    /** Formats path elements: {@link String} for object keys, {@link Integer} for array indexes. */
    static String format(List<?> elements) {
        StringBuilder out = new StringBuilder();
        for (Object element : elements) {
            append(out, element);
        }
        return out.toString();
    }

    static String child(String parent, Object element) {
        StringBuilder out = new StringBuilder(parent);
        append(out, element);
        return out.toString();
    }

    private static void append(StringBuilder out, Object element) {
        if (element instanceof Integer index) {
            out.append('[').append(index).append(']');
        } else {
            String name = String.valueOf(element);
            if (PLAIN.matcher(name).matches()) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(name);
            } else {
                out.append('[').append(quote(name)).append(']');
            }
        }
    }

    /** A JSON string literal for {@code s} (the runtime's config reader quotes with it too: same messages). */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * Splits a formatted path back into elements (keys as strings, indexes as integers), for sorting.
     * Inverse of {@link #format} for every path it produces.
     */
    static List<Object> parse(String path) {
        List<Object> elements = new ArrayList<>();
        int i = 0;
        int n = path.length();
        while (i < n) {
            char c = path.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[' && i + 1 < n && path.charAt(i + 1) == '"') {
                StringBuilder key = new StringBuilder();
                i += 2;
                while (i < n && path.charAt(i) != '"') {
                    char k = path.charAt(i);
                    if (k == '\\' && i + 1 < n) {
                        char e = path.charAt(++i);
                        switch (e) {
                            case 'n' -> key.append('\n');
                            case 'r' -> key.append('\r');
                            case 't' -> key.append('\t');
                            case 'u' -> {
                                key.append((char) Integer.parseInt(path.substring(i + 1, Math.min(n, i + 5)), 16));
                                i += 4;
                            }
                            default -> key.append(e);
                        }
                    } else {
                        key.append(k);
                    }
                    i++;
                }
                i += 2; // closing quote and bracket
                elements.add(key.toString());
            } else if (c == '[') {
                int end = path.indexOf(']', i);
                if (end < 0) {
                    end = n;
                }
                String digits = path.substring(i + 1, end);
                try {
                    elements.add(Integer.parseInt(digits));
                } catch (NumberFormatException e) {
                    elements.add(digits);
                }
                i = end + 1;
            } else {
                int end = i;
                while (end < n && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                elements.add(path.substring(i, end));
                i = end;
            }
        }
        return elements;
    }
}
