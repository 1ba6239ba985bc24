package io.jruntime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jruntime.JRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** hooks.json as create saves it and start/delete read it back, with jackson-core only. */
class HooksJsonTest {

    @Test
    void writesWhatDatabindWroteAndReadsItBack() {
        Hooks hooks = Specs.parse(Specs.resource("full-config.json")).hooks();
        byte[] json = hooks.toJson();
        assertEquals(Specs.tree(Json.write(hooks)), Specs.tree(json));
        assertEquals(hooks, Hooks.fromJson(json, "hooks.json"));
        Hooks some = new Hooks(null, null, null, List.of(new Hook("/bin/a", List.of("a", "1"), null, null)), null,
                List.of(new Hook("/bin/b", null, List.of("X=1"), 3)));
        assertEquals(some, Hooks.fromJson(some.toJson(), "hooks.json"));
        assertEquals("{\"startContainer\":[{\"path\":\"/bin/a\",\"args\":[\"a\",\"1\"]}],"
                + "\"poststop\":[{\"path\":\"/bin/b\",\"env\":[\"X=1\"],\"timeout\":3}]}",
                new String(some.toJson(), StandardCharsets.UTF_8));
    }

    @Test
    void aDamagedFileNamesTheField() {
        assertEquals("hooks.json: poststop[0].timeout: expected an integer, got string \"3\"",
                assertThrows(JRuntimeException.class, () -> Hooks.fromJson(
                        "{\"poststop\": [{\"path\": \"/b\", \"timeout\": \"3\"}]}".getBytes(StandardCharsets.UTF_8),
                        "hooks.json")).getMessage());
    }
}
