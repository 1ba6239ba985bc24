package io.jruntime.conformance;

import java.util.List;

/** One finished (or timed out) command: what ran, its exit status and what it printed. */
public record CommandResult(List<String> command, int exit, String stdout, String stderr, long millis, boolean timedOut) {

    public boolean ok() {
        return exit == 0 && !timedOut;
    }

    /** The command without the runtime path and global flags, e.g. {@code create --bundle B ID}. */
    public String shortCommand() {
        int i = command.indexOf("--root");
        List<String> tail = i >= 0 && i + 2 <= command.size() ? command.subList(i + 2, command.size()) : command;
        return String.join(" ", tail);
    }

    /** A one-line account for failure messages: the command, its status and the last stderr line. */
    public String describe() {
        String what = timedOut ? "timed out after " + millis + " ms" : "exited " + exit;
        String err = lastLine(stderr);
        if (err.isEmpty()) {
            err = lastLine(stdout);
        }
        return "`" + shortCommand() + "` " + what + (err.isEmpty() ? "" : ": " + err);
    }

    public static String lastLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.lastIndexOf('\n');
        String line = nl >= 0 ? t.substring(nl + 1) : t;
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
