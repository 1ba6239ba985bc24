package io.jruntime.linux;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.Linux;
import io.jruntime.spec.LinuxNamespace;
import io.jruntime.spec.Spec;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamespacePathsTest {
    static Spec withNamespace(String type, String path) {
        LinuxNamespace ns = io.jruntime.spec.Json.mapper().convertValue(
                java.util.Map.of("type", type, "path", path), LinuxNamespace.class);
        return new Spec("1.3.0", null, null, null, null, null, null, null, Linux.of(List.of(ns), null, null, null), null,
                null, null, null, null);
    }

    @Test
    void aPathOfAnotherTypeIsAnErrorNamingTheField() {
        JRuntimeException e = assertThrows(JRuntimeException.class,
                () -> NamespacePaths.check(withNamespace("network", "/proc/self/ns/uts")));
        assertEquals("config.json: linux.namespaces[0].path: /proc/self/ns/uts is a uts namespace, not network", e.getMessage());
    }

    @Test
    void aMatchingPathPassesAndAMissingOneIsReported() {
        assertDoesNotThrow(() -> NamespacePaths.check(withNamespace("network", "/proc/self/ns/net")));
        assertThrows(JRuntimeException.class, () -> NamespacePaths.check(withNamespace("ipc", "/nonexistent/ns")));
    }
}
