package io.jruntime.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two fields of /proc/PID/stat that tell whether a pid is still our init: its state letter and its
 * start time (clock ticks since boot). A reused pid has another start time; a zombie or dead init is stopped.
 */
public record ProcStat(char state, long startTime) {

    /** null when the process does not exist. */
    public static ProcStat read(int pid) {
        if (pid <= 0) {
            return null;
        }
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "stat"));
        } catch (IOException e) {
            return null;
        }
        return parse(new String(raw, StandardCharsets.US_ASCII));
    }

    /** Parses a stat line; the command name may hold spaces and parentheses, so fields count from the last ')'. */
    static ProcStat parse(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = line.substring(close + 2).trim().split(" ");
        // After ")": field 3 is state (index 0), field 22 is starttime (index 19).
        if (f.length < 20) {
            return null;
        }
        return new ProcStat(f[0].charAt(0), Long.parseLong(f[19]));
    }

    public boolean isDead() {
        return state == 'Z' || state == 'X' || state == 'x';
    }

    /** True when the process {@code pid} is alive and is the one that started at {@code startTime}. */
    public static boolean isAlive(int pid, long startTime) {
        ProcStat s = read(pid);
        return s != null && !s.isDead() && s.startTime == startTime;
    }

    /**
     * The pid of {@code pid} as its own pid namespace sees it (the last NSpid field of /proc/PID/status):
     * runtime.md gives hooks that run in the container namespace the pid as the container sees it.
     */
    public static int pidInOwnNamespace(int pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Integer.parseInt(f[f.length - 1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall back to the host pid
        }
        return pid;
    }
}
