package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTest {
    @Test
    void textFormatIsLogrusWithQuotedMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new Log(null, "text", false, new PrintStream(err)).error("container \"x\" does not exist");
        String line = err.toString();
        assertTrue(line.matches("time=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\" level=error msg=\"container \\\\\"x\\\\\" does not exist\"\n"), line);
    }

    @Test
    void jsonFormatGoesToTheLogFileOneObjectPerLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("log.json");
        Log log = new Log(file.toString(), "json", true, new PrintStream(new ByteArrayOutputStream()));
        log.debug("d");
        log.warn("w\nx");
        log.error("e");
        var lines = Files.readAllLines(file);
        assertTrue(lines.get(0).startsWith("{\"level\":\"debug\",\"msg\":\"d\",\"time\":\""), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"level\":\"warning\",\"msg\":\"w\\nx\","), lines.get(1));
        assertTrue(lines.get(2).startsWith("{\"level\":\"error\",\"msg\":\"e\","), lines.get(2));
    }

    @Test
    void debugIsDroppedWithoutDebugFlag() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new Log(null, "json", false, new PrintStream(err)).debug("hidden");
        assertTrue(err.toString().isEmpty());
    }

    @Test
    void infoWithTheDebugPrefixIsADebugLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new Log(null, "text", false, new PrintStream(err)).info(Log.DEBUG_PREFIX + "seccomp: unknown seccomp syscall \"x\" ignored");
        assertTrue(err.toString().isEmpty(), err.toString());
        ByteArrayOutputStream dbg = new ByteArrayOutputStream();
        new Log(null, "text", true, new PrintStream(dbg)).info(Log.DEBUG_PREFIX + "seen");
        assertTrue(dbg.toString().contains("level=debug msg=\"seen\""), dbg.toString());
    }
}
