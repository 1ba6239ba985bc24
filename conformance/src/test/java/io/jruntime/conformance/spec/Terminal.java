package io.jruntime.conformance.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.jruntime.conformance.Bundle;
import io.jruntime.conformance.Container;
import io.jruntime.conformance.Exec;
import io.jruntime.conformance.Json;
import io.jruntime.conformance.Probe;
import io.jruntime.conformance.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Runs a container with process.terminal, the console socket served on the host by the probe. */
final class Terminal {
    private Terminal() {}

    static Probe run(Bundle b, Path work, Function<String[], Process> helper, Function<Bundle, Container> container,
            java.util.function.Consumer<String> waitForSocket) {
        b.process().put("terminal", true);
        Path sock = work.resolve("console.sock");
        Path console = work.resolve("console.out");
        Process server = helper.apply(new String[] {Settings.probe().toString(), "--console-socket", sock.toString(), console.toString()});
        waitForSocket.accept(sock.toString());
        Container c = container.apply(b);
        var r = c.create("--console-socket", sock.toString());
        if (!r.ok()) {
            fail("create --console-socket failed: " + r.describe());
        }
        var s = c.start();
        if (!s.ok()) {
            fail("start failed: " + s.describe());
        }
        assertTrue(c.awaitStopped(), "did not stop");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String text = Exec.read(console).replace("\r", "");
        int brace = text.indexOf('{');
        JsonNode j = brace < 0 ? null : Json.parseOrNull(text.substring(brace));
        if (j == null || !j.has("probe")) {
            fail("no probe report on the terminal: '" + text.strip() + "'" + (Files.exists(console) ? "" : " (nothing received)"));
        }
        return new Probe(j);
    }
}
