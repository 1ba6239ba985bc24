package io.jruntime.cli;

import io.jruntime.container.Container;
import java.util.List;

/** The two shapes of {@code list}: Go tabwriter's table and runc's compact JSON array. */
final class ContainerList {
    private ContainerList() {}

    /**
     * Like Go's tabwriter.NewWriter(out, 12, 1, 3, ' ', 0) as runc uses it: each column as wide as its
     * widest cell plus 3, at least 12; the last column is not padded.
     */
    static String table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] row : rows) {
            for (int i = 0; i < cols - 1; i++) {
                width[i] = Math.max(width[i], Math.max(12, row[i].length() + 3));
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < cols; i++) {
                b.append(row[i]);
                if (i < cols - 1) {
                    b.append(" ".repeat(width[i] - row[i].length()));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** runc prints {@code null} for no containers; callers accept it. Compact, one line, as runc's. */
    static String json(List<Container> containers) {
        if (containers.isEmpty()) {
            return "null";
        }
        StringBuilder b = new StringBuilder("[");
        for (Container c : containers) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(new String(c.state().toJson(false), java.nio.charset.StandardCharsets.UTF_8));
        }
        return b.append(']').toString();
    }
}
