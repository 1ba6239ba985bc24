package io.jruntime.container;

import io.jruntime.JRuntimeException;

/** Signal names and numbers as runc's kill takes them: {@code TERM}, {@code SIGTERM}, {@code 15}. */
public final class Signals {
    public static final int SIGKILL = 9, SIGTERM = 15;

    private static final String[] NAMES = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
            "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
            "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};

    private Signals() {}

    public static int parse(String s) {
        if (s == null || s.isEmpty()) {
            return SIGTERM;
        }
        if (Character.isDigit(s.charAt(0))) {
            try {
                int n = Integer.parseInt(s);
                if (n >= 1 && n <= 64) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
            throw new JRuntimeException("unknown signal \"" + s + "\"");
        }
        String name = s.toUpperCase(java.util.Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        switch (name) {
            case "IOT":
                return 6;
            case "POLL":
                return 29;
            case "CLD":
                return 17;
            default:
                break;
        }
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        if (name.startsWith("RTMIN") || name.startsWith("RTMAX")) {
            return realtime(name, s);
        }
        throw new JRuntimeException("unknown signal \"" + s + "\"");
    }

    /** RTMIN(+n) and RTMAX(-n); glibc's SIGRTMIN is 34 and SIGRTMAX 64. */
    private static int realtime(String name, String original) {
        int base = name.startsWith("RTMIN") ? 34 : 64;
        String rest = name.substring(5);
        try {
            int n = rest.isEmpty() ? base : base + Integer.parseInt(rest);
            if (n >= 34 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new JRuntimeException("unknown signal \"" + original + "\"");
    }
}
