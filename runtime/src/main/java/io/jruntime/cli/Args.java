package io.jruntime.cli;

import io.jruntime.JRuntimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsed flags and positional arguments with the rules of Go's flag package, which runc's CLI uses and
 * its callers rely on: {@code -f} and {@code --f} are the same flag; values as {@code --f v} or
 * {@code --f=v}; booleans take no separate value ({@code --f=false} is allowed); parsing stops at the
 * first positional argument or at {@code --}, so {@code exec ID sh -c 'x --y'} keeps the command intact.
 *
 * Hand-written rather than picocli: every command starts a JVM, and picocli's annotation scan and
 * Java 5 class files cost 60-110 ms a start on this machine (see README, "Start-up").
 */
public final class Args {
    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positionals;

    private Args(List<String> positionals) {
        this.positionals = positionals;
    }

    public static Args parse(List<Flag> flags, List<String> argv) {
        Args a = new Args(new ArrayList<>());
        int i = 0;
        for (; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                break;
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            String inline = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                inline = body.substring(eq + 1);
                body = body.substring(0, eq);
            }
            Flag flag = find(flags, body);
            if (flag == null) {
                throw new JRuntimeException("flag provided but not defined: -" + body);
            }
            String value;
            if (flag.takesValue()) {
                if (inline != null) {
                    value = inline;
                } else if (i + 1 < argv.size()) {
                    value = argv.get(++i);
                } else {
                    throw new JRuntimeException("flag needs an argument: -" + body);
                }
            } else {
                value = inline == null ? "true" : parseBool(body, inline);
            }
            List<String> list = a.values.computeIfAbsent(flag.name(), k -> new ArrayList<>());
            if (!flag.repeatable()) {
                list.clear();
            }
            list.add(value);
        }
        a.positionals.addAll(argv.subList(i, argv.size()));
        return a;
    }

    private static Flag find(List<Flag> flags, String name) {
        for (Flag f : flags) {
            if (f.matches(name)) {
                return f;
            }
        }
        return null;
    }

    private static String parseBool(String name, String v) {
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> "true";
            case "0", "f", "F", "false", "FALSE", "False" -> "false";
            default -> throw new JRuntimeException("invalid boolean value \"" + v + "\" for -" + name);
        };
    }

    public boolean bool(String name) {
        List<String> v = values.get(name);
        return v != null && v.get(v.size() - 1).equals("true");
    }

    public String value(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    public String value(String name, String fallback) {
        String v = value(name);
        return v == null ? fallback : v;
    }

    public List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    public int intValue(String name, int fallback) {
        String v = value(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new JRuntimeException("invalid value \"" + v + "\" for flag -" + name + ": parse error");
        }
    }

    public List<String> positionals() {
        return positionals;
    }
}
