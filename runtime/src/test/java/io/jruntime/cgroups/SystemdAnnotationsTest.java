package io.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jruntime.cgroups.Systemd.Property;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemdAnnotationsTest {

    static List<Property> of(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return SystemdAnnotations.properties(m);
    }

    @Test
    void runcsDocumentedExamples() {
        assertEquals(List.of(new Property("TimeoutStopUSec", "t", 123456789L), new Property("CollectMode", "s", "inactive-or-failed")),
                of("org.systemd.property.TimeoutStopUSec", "uint64 123456789",
                        "org.systemd.property.CollectMode", "'inactive-or-failed'",
                        "io.podman.other", "ignored"));
    }

    @Test
    void gvariantTextTypes() {
        assertEquals(new Property("Xa", "b", true), SystemdAnnotations.parse("Xa", "true"));
        assertEquals(new Property("Xa", "i", 42), SystemdAnnotations.parse("Xa", "42"), "a bare integer is an int32");
        assertEquals(new Property("Xa", "t", -1L), SystemdAnnotations.parse("Xa", "@t 18446744073709551615"));
        assertEquals(new Property("Xa", "u", 7), SystemdAnnotations.parse("Xa", "uint32 7"));
        assertEquals(new Property("Xa", "d", 1.5), SystemdAnnotations.parse("Xa", "1.5"));
        assertEquals(new Property("Xa", "s", "it's"), SystemdAnnotations.parse("Xa", "\"it's\""));
        assertEquals(new Property("Xa", "as", List.of("a.service", "b.service")), SystemdAnnotations.parse("Xa", "['a.service', 'b.service']"));
        assertEquals(new Property("Xa", "as", List.of()), SystemdAnnotations.parse("Xa", "@as []"));
    }

    @Test
    void secondsAreConvertedForTheSecSpelling() {
        assertEquals(List.of(new Property("TimeoutStopUSec", "t", 2_500_000L)), of("org.systemd.property.TimeoutStopSec", "2.5"));
        assertEquals(List.of(new Property("RuntimeMaxUSec", "t", 30_000_000L)), of("org.systemd.property.RuntimeMaxSec", "30"));
    }

    @Test
    void badNamesAndValuesNameTheAnnotation() {
        assertEquals("annotation org.systemd.property.Ti-me name incorrect: a systemd property name is three or more letters",
                assertThrows(CgroupException.class, () -> of("org.systemd.property.Ti-me", "1")).getMessage());
        assertEquals("annotation org.systemd.property.CollectMode=inactive value parse error: \"inactive\" is not a value (a string needs quotes)",
                assertThrows(CgroupException.class, () -> of("org.systemd.property.CollectMode", "inactive")).getMessage());
        assertThrows(CgroupException.class, () -> of("org.systemd.property.TimeoutStopSec", "'soon'"));
        assertThrows(CgroupException.class, () -> of("org.systemd.property.Wants", "[]"));
        assertThrows(CgroupException.class, () -> of("org.systemd.property.Wants", "['a'"));
        assertThrows(CgroupException.class, () -> of("org.systemd.property.Tasks", "uint32 -1"));
        assertEquals("annotation org.systemd.property.Tasks=uint32 x value parse error: \"x\" is not a value (a string needs quotes)",
                assertThrows(CgroupException.class, () -> of("org.systemd.property.Tasks", "uint32 x")).getMessage());
        assertEquals("annotation org.systemd.property.Tasks=int64 1.5 value parse error: \"1.5\" is not an int64 (a string needs quotes)",
                assertThrows(CgroupException.class, () -> of("org.systemd.property.Tasks", "int64 1.5")).getMessage());
    }
}
