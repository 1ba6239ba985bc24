package io.jruntime.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateTest {
    @Test
    void idsKeepTheirHashAndCommentsAreDropped(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("known.txt");
        Files.writeString(f, "# a comment line\nconfig.md#mounts/idmap    # why it fails\n\n  runtime.md#state/pid\n");
        assertEquals(Set.of("config.md#mounts/idmap", "runtime.md#state/pid"), Gate.read(f));
    }
}
