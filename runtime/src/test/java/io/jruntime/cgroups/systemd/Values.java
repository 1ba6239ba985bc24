package io.jruntime.cgroups.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Test helpers: comparing decoded values (byte[] by content, maps in order) and writing expected bytes by hand. */
final class Values {
    private Values() {
    }

    /** Asserts that two values are equal, byte arrays by content and maps entry by entry in their order. */
    static void assertSameValue(Object expected, Object actual) {
        assertEquals(canonical(expected), canonical(actual));
    }

    private static Object canonical(Object v) {
        if (v instanceof byte[] b) {
            return "bytes" + Arrays.toString(b);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(canonical(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.add(List.of("entry", canonical(e.getKey()), canonical(e.getValue())));
            }
            return out;
        }
        if (v instanceof Variant var) {
            return new Variant(var.signature(), canonical(var.value()));
        }
        if (v instanceof Struct s) {
            return List.of("struct", canonical(s.members()));
        }
        return v;
    }

    /** Bytes written by hand: each part is either hex ("6c 01 00") or, quoted with a leading ', ASCII text. */
    static byte[] bytes(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) {
            if (p.startsWith("'")) {
                out.writeBytes(p.substring(1).getBytes(StandardCharsets.US_ASCII));
                continue;
            }
            for (String h : p.trim().split("\\s+")) {
                out.write(Integer.parseInt(h, 16));
            }
        }
        return out.toByteArray();
    }
}
