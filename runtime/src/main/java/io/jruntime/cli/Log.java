package io.jruntime.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * runc's log lines (logrus): {@code --log-format text} writes
 * {@code time="2026-01-02T03:04:05Z" level=error msg="container \"x\" does not exist"}, {@code json} writes
 * {@code {"level":"error","msg":"...","time":"..."}}; one line per message, to {@code --log FILE}
 * (appended) or stderr. containerd shows the last error line of the json log to the user.
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    private final boolean json;
    private final boolean debug;
    private final String file;
    private final PrintStream stderr;
    private OutputStream out;

    public Log(String file, String format, boolean debug, PrintStream stderr) {
        this.file = file;
        this.json = "json".equals(format);
        this.debug = debug;
        this.stderr = stderr;
    }

    /** Whether messages go to a file: then errors are also printed plainly on stderr, as runc does. */
    public boolean toFile() {
        return file != null && !file.isEmpty();
    }

    public void debug(String msg) {
        if (debug) {
            write(Level.DEBUG, msg);
        }
    }

    /** Marks a line given to a plain {@code Consumer<String>} (code outside cli/ has no Log) as debug-only. */
    public static final String DEBUG_PREFIX = "debug: ";

    /**
     * An info line; one starting with {@link #DEBUG_PREFIX} is a debug line. The seccomp compiler's
     * {@code unknown seccomp syscall "x" ignored} is runc's debug message: at info level it reached
     * podman users on every `podman run` (conmon relays the runtime's stderr).
     */
    public void info(String msg) {
        if (msg.startsWith(DEBUG_PREFIX)) {
            debug(msg.substring(DEBUG_PREFIX.length()));
            return;
        }
        write(Level.INFO, msg);
    }

    public void warn(String msg) {
        write(Level.WARN, msg);
    }

    public void error(String msg) {
        write(Level.ERROR, msg);
    }

    public synchronized void write(Level level, String msg) {
        String lvl = level == Level.WARN ? "warning" : level.name().toLowerCase(java.util.Locale.ROOT);
        String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String line = json
                ? "{\"level\":\"" + lvl + "\",\"msg\":" + quote(msg) + ",\"time\":\"" + time + "\"}\n"
                : "time=\"" + time + "\" level=" + lvl + " msg=" + quote(msg) + "\n";
        try {
            target().write(line.getBytes(StandardCharsets.UTF_8));
            target().flush();
        } catch (IOException e) {
            stderr.print(line);
        }
    }

    private OutputStream target() throws IOException {
        if (out == null) {
            out = toFile() ? new FileOutputStream(file, true) : stderr;
        }
        return out;
    }

    /** A JSON string literal; also valid as logrus' quoted text value. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
