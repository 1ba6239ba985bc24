package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerListTest {
    @Test
    void tableMatchesGoTabwriterAsRuncUsesIt() {
        String t = ContainerList.table(List.<String[]>of(
                new String[] {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"},
                new String[] {"a-long-container-id", "42", "running", "/b", "2026-01-01T00:00:00Z", "root"}));
        // widths: 19+3 for the id column, 12 minimum, 20+3 for created; the last column unpadded
        String sp = " ";
        assertEquals("ID" + sp.repeat(20) + "PID" + sp.repeat(9) + "STATUS" + sp.repeat(6) + "BUNDLE" + sp.repeat(6)
                        + "CREATED" + sp.repeat(16) + "OWNER\n"
                        + "a-long-container-id" + sp.repeat(3) + "42" + sp.repeat(10) + "running" + sp.repeat(5) + "/b"
                        + sp.repeat(10) + "2026-01-01T00:00:00Z" + sp.repeat(3) + "root\n",
                t);
    }

    @Test
    void headerOnlyTableHasMinimumWidths() {
        assertEquals("ID          PID         STATUS      BUNDLE      CREATED     OWNER\n",
                ContainerList.table(List.<String[]>of(new String[] {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"})));
    }

    @Test
    void emptyJsonListIsNullAsRunc() {
        assertEquals("null", ContainerList.json(List.of()));
    }
}
