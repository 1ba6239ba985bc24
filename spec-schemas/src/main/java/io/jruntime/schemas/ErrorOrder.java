package io.jruntime.schemas;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/** The one order errors are reported in: by path element by element (indexes numerically), then message. */
final class ErrorOrder {
    private ErrorOrder() {}

    static final Comparator<SchemaError> ORDER = (a, b) -> {
        int byPath = comparePaths(JsonPaths.parse(a.path()), JsonPaths.parse(b.path()));
        return byPath != 0 ? byPath : a.message().compareTo(b.message());
    };

    static List<SchemaError> sortAndDedupe(List<SchemaError> errors) {
        List<SchemaError> sorted = new ArrayList<>(new LinkedHashSet<>(errors));
        sorted.sort(ORDER);
        return List.copyOf(sorted);
    }

    private static int comparePaths(List<Object> a, List<Object> b) {
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            int c;
            if (x instanceof Integer xi && y instanceof Integer yi) {
                c = Integer.compare(xi, yi);
            } else if (x instanceof Integer) {
                c = -1;
            } else if (y instanceof Integer) {
                c = 1;
            } else {
                c = ((String) x).compareTo((String) y);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
