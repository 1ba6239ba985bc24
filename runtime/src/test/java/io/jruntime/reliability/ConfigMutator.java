package io.jruntime.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Seeded random edits of a config.json tree, for tests that feed broken configs to jruntime:
 * {@link #mutate} breaks it the ways callers and fuzzers do (wrong types, missing fields, huge numbers,
 * unicode, deep nesting, paths with "..", unknown enum values, nulls); {@link #mutateLeaf} makes the
 * near-miss edits a schema is about (a value of another type, numbers at and past the integer widths'
 * bounds, enum and pattern near-misses, a removed property, an unknown property, junk nested in an
 * array), so each rule of the schema gets hit.
 */
public final class ConfigMutator {
    private ConfigMutator() {}

    static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Every container node (object or array) of the tree with the path to it, for picking a target. */
    static void containers(JsonNode n, List<JsonNode> acc) {
        if (n.isContainerNode()) {
            acc.add(n);
            for (JsonNode c : n) {
                containers(c, acc);
            }
        }
    }

    static final String[] STRANGE_STRINGS = {"", "..", "../../../etc", "/../../proc/self", "a/../../b", "\u0000",
            "ünïcødé-容器-🐳", "\uD800", "RLIMIT_BOGUS", "CAP_NOT_A_CAP", "SCMP_ACT_BOGUS", "bogus-namespace",
            "x".repeat(70_000), "-1", "1e309", "null", "{}", "\n\t\r", "%s%n", "${jndi:ldap://x}"};

    static JsonNode strangeValue(Random r, int depth) {
        return switch (r.nextInt(14)) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(r.nextBoolean());
            case 2 -> F.numberNode(Long.MAX_VALUE);
            case 3 -> F.numberNode(Long.MIN_VALUE);
            case 4 -> F.numberNode(new java.math.BigInteger("123456789012345678901234567890123456789"));
            case 5 -> F.numberNode(-1);
            case 6 -> F.numberNode(1.5e300);
            case 7 -> F.numberNode(r.nextInt());
            case 8 -> F.textNode(STRANGE_STRINGS[r.nextInt(STRANGE_STRINGS.length)]);
            case 9 -> F.objectNode();
            case 10 -> F.arrayNode();
            case 11 -> {
                ArrayNode a = F.arrayNode();
                int n = r.nextInt(4);
                for (int i = 0; i < n && depth < 3; i++) {
                    a.add(strangeValue(r, depth + 1));
                }
                yield a;
            }
            case 12 -> deep(r.nextInt(900) + 10, r.nextBoolean()); // the writer stops at 1000; deeper text is its own test
            default -> {
                ObjectNode o = F.objectNode();
                o.set(STRANGE_STRINGS[r.nextInt(STRANGE_STRINGS.length)].substring(0, 0) + "k" + r.nextInt(9), strangeValue(r, depth + 1));
                yield o;
            }
        };
    }

    static JsonNode deep(int depth, boolean arrays) {
        JsonNode n = F.textNode("bottom");
        for (int i = 0; i < depth; i++) {
            n = arrays ? F.arrayNode().add(n) : F.objectNode().set("d", n);
        }
        return n;
    }

    /** One random edit somewhere in the tree: replace, remove, add, or change a value's kind. */
    public static void mutate(JsonNode tree, Random r) {
        List<JsonNode> nodes = new ArrayList<>();
        containers(tree, nodes);
        JsonNode target = nodes.get(r.nextInt(nodes.size()));
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
                names.add(it.next());
            }
            int op = r.nextInt(4);
            if (names.isEmpty() || op == 0) {
                String[] known = {"ociVersion", "process", "root", "hostname", "mounts", "linux", "hooks", "annotations",
                        "type", "path", "options", "args", "uid", "gid", "namespaces", "resources", "rlimits", "seccomp"};
                o.set(known[r.nextInt(known.length)], strangeValue(r, 0));
            } else if (op == 1) {
                o.remove(names.get(r.nextInt(names.size())));
            } else {
                o.set(names.get(r.nextInt(names.size())), strangeValue(r, 0));
            }
        } else if (target instanceof ArrayNode a) {
            int op = r.nextInt(3);
            if (a.isEmpty() || op == 0) {
                a.add(strangeValue(r, 0));
            } else if (op == 1) {
                a.remove(r.nextInt(a.size()));
            } else {
                a.set(r.nextInt(a.size()), strangeValue(r, 0));
            }
        }
    }

    /** Numbers at and around the bounds of int32, uint16, uint32, int64, uint64, and floats. */
    static final String[] NUMBERS = {"-1", "0", "1", "5", "6", "7", "8", "100", "101", "1000", "1001", "-1000", "-1001",
            "65535", "65536", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "18446744073709551615", "18446744073709551616", "1.0", "1.5", "-0.5", "1e3", "1E400"};

    /** Strings near enum values and patterns of the schema, and plain junk. */
    static final String[] STRINGS = {"", "bogus", "pid", "network", "PID", "c", "p", "x", "a", "rwm", "rwx", "/", "/abs",
            "relative/path", "C:\\x", "0-3,7", "1-", "0,,1", "MB:0=100", "MB:x\ny", "L3:0=f", "2MB", "2mb", "0MB",
            "RLIMIT_NOFILE", "RLIMIT_nofile", "1.3.0", "1.3", "1.0.0-rc.1", "2.0.0", "1.4.0", "CAP_SYS_ADMIN",
            "SCMP_ACT_ALLOW", "SCMP_ACT_BOGUS", "SCMP_ARCH_X86_64", "SCMP_CMP_EQ", "SCHED_FIFO", "IOPRIO_CLASS_BE",
            "MPOL_BIND", "LINUX32", "rprivate", "monotonic", "realtime", "ünïcødé"};

    /** Every value node (leaf or container) with its parent and the name or index it has there. */
    record Slot(JsonNode parent, String field, int index, JsonNode value) {}

    static void slots(JsonNode n, List<Slot> acc) {
        if (n instanceof ObjectNode o) {
            for (var it = o.fields(); it.hasNext();) {
                var e = it.next();
                acc.add(new Slot(o, e.getKey(), -1, e.getValue()));
                slots(e.getValue(), acc);
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                acc.add(new Slot(a, null, i, a.get(i)));
                slots(a.get(i), acc);
            }
        }
    }

    /**
     * One near-miss edit: a value replaced by another of a different type or by a boundary number or near
     * enum/pattern string; a property removed (required ones too); an unknown property added; junk in an array.
     */
    public static void mutateLeaf(JsonNode tree, Random r) {
        List<Slot> all = new ArrayList<>();
        slots(tree, all);
        Slot s = all.get(r.nextInt(all.size()));
        JsonNode replacement = switch (r.nextInt(6)) {
            case 0 -> {
                String n = NUMBERS[r.nextInt(NUMBERS.length)];
                yield n.contains(".") || n.contains("e") || n.contains("E")
                        ? F.numberNode(new java.math.BigDecimal(n)) : F.numberNode(new BigInteger(n));
            }
            case 1 -> F.textNode(STRINGS[r.nextInt(STRINGS.length)]);
            case 2 -> r.nextBoolean() ? F.nullNode() : F.booleanNode(r.nextBoolean());
            case 3 -> r.nextBoolean() ? F.objectNode().put("unknown" + r.nextInt(3), 1) : F.arrayNode();
            default -> null; // remove
        };
        if (s.parent() instanceof ObjectNode o) {
            if (replacement == null) {
                if (r.nextInt(4) == 0) {
                    o.set("x-unknown-" + r.nextInt(5), strangeValue(r, 1));
                } else {
                    o.remove(s.field());
                }
            } else {
                o.set(s.field(), replacement);
            }
        } else if (s.parent() instanceof ArrayNode a) {
            if (replacement == null) {
                if (r.nextBoolean()) {
                    a.remove(s.index());
                } else {
                    a.add(strangeValue(r, 1));
                }
            } else {
                a.set(s.index(), replacement);
            }
        }
    }
}
