package io.jruntime.conformance.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jruntime.conformance.Bundle;
import io.jruntime.conformance.Probe;
import io.jruntime.conformance.Requirement;
import io.jruntime.conformance.SpecFile;
import io.jruntime.conformance.SpecTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/** runtime-linux.md: file descriptors and /dev symbolic links. */
@SpecFile("runtime-linux.md")
class RuntimeLinuxTest extends SpecTest {

    @Test
    @Requirement(id = "runtime-linux.md#file-descriptors", text = "by default, only the stdin, stdout and stderr file descriptors are kept open for the application")
    void onlyStandardFileDescriptors() {
        Probe p = run(bundle());
        List<String> extra = new ArrayList<>();
        p.json().path("fds").properties().forEach(e -> {
            if (!List.of("0", "1", "2").contains(e.getKey())) {
                extra.add(e.getKey() + " -> " + e.getValue().asText());
            }
        });
        assertTrue(extra.isEmpty(), "file descriptors open in the container process besides 0, 1, 2: " + extra);
    }

    @TestFactory
    @Requirement(id = "runtime-linux.md#dev-symbolic-links", text = "runtimes MUST create the /dev symlink when the source exists after processing mounts")
    List<DynamicTest> devSymlinks() {
        Bundle b = bundle();
        Probe[] p = {null};
        Map<String, String> links = new LinkedHashMap<>();
        links.put("/dev/fd", "/proc/self/fd");
        links.put("/dev/stdin", "/proc/self/fd/0");
        links.put("/dev/stdout", "/proc/self/fd/1");
        links.put("/dev/stderr", "/proc/self/fd/2");
        Map<String, Executable> checks = new LinkedHashMap<>();
        links.forEach((dest, src) -> checks.put(dest.substring(5) + ": /dev symlink " + dest + " -> " + src, () -> {
            JsonNode d = p[0].device(dest);
            assertTrue(d.path("exists").asBoolean(), dest + " does not exist");
            assertEquals("l", d.path("type").asText(), dest + " is not a symlink: " + d);
            assertEquals(src, d.path("link").asText(), dest + " target");
        }));
        return checks(() -> p[0] = run(b), checks);
    }
}
