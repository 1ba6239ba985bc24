package io.jruntime.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.Hook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookRunnerTest {
    @TempDir
    Path tmp;

    static final byte[] STATE = "{\"ociVersion\":\"1.3.0\",\"id\":\"x\",\"status\":\"creating\",\"pid\":42,\"bundle\":\"/b\"}"
            .getBytes(StandardCharsets.UTF_8);

    static Hook sh(String script, List<String> env, Integer timeout) {
        return new Hook("/bin/sh", List.of("sh", "-c", script), env, timeout);
    }

    @Test
    void hooksRunInOrderWithStateOnStdinAndOnlyTheirEnv() throws Exception {
        Path out = tmp.resolve("out");
        List<String> log = new ArrayList<>();
        HookRunner.run("prestart", List.of(
                sh("cat > " + out + "; echo first >> " + out + ".order", List.of("A=1"), null),
                sh("echo second >> " + out + ".order", null, 5),
                new Hook("/usr/bin/env", List.of("env"), List.of("B=2"), null)), STATE, log::add);
        assertEquals(new String(STATE, StandardCharsets.UTF_8), Files.readString(out));
        assertEquals(List.of("first", "second"), Files.readAllLines(Path.of(out + ".order")));
        // env prints its whole environment: exactly the hook's env, nothing inherited
        assertEquals(List.of("prestart hook #2: B=2"), log);
    }

    @Test
    void aFailingHookStopsTheListWithRuncWording() throws Exception {
        Path marker = tmp.resolve("never");
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> HookRunner.run("createRuntime", List.of(
                sh("echo out; echo err >&2; exit 3", null, null), sh("touch " + marker, null, null)), STATE, s -> {}));
        assertEquals("error running createRuntime hook #0: exit status 3, stdout: out, stderr: err", e.getMessage());
        assertTrue(!Files.exists(marker), "hooks after a failure do not run");
    }

    @Test
    void aHookPastItsTimeoutIsKilled() {
        long t0 = System.nanoTime();
        JRuntimeException e = assertThrows(JRuntimeException.class,
                () -> HookRunner.run("poststart", List.of(sh("sleep 30", null, 1)), STATE, s -> {}));
        assertTrue(e.getMessage().contains("timeout after 1s"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L);
    }

    @Test
    void aMissingHookBinaryIsAnError() {
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> HookRunner.run("prestart",
                List.of(new Hook(tmp.resolve("nope").toString(), null, null, null)), STATE, s -> {}));
        assertTrue(e.getMessage().startsWith("error running prestart hook #0: fork/exec "), e.getMessage());
    }

    @Test
    void poststopFailuresAreWarningsAndTheRestStillRun() throws Exception {
        Path marker = tmp.resolve("ran");
        List<String> warnings = new ArrayList<>();
        HookRunner.runAll("poststop", List.of(sh("exit 1", null, null), sh("touch " + marker, null, null)), STATE,
                s -> {}, warnings::add);
        assertEquals(1, warnings.size());
        assertTrue(Files.exists(marker));
    }
}
