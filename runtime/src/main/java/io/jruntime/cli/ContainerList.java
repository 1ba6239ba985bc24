package io.jruntime.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.jruntime.container.Container;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

    /** runc prints {@code null} for no containers; callers accept it. */
    static String json(List<Container> containers) {
        if (containers.isEmpty()) {
            return "null";
        }
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(w)) {
            g.writeStartArray();
            for (Container c : containers) {
                g.writeStartObject();
                c.writeStateFields(g, c.status());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
