package io.jruntime.linux;

import java.util.ArrayList;
import java.util.List;

/** The lines of /proc/PID/mountinfo that jruntime reads. */
public record MountInfo(String mountPoint, String optionalFields, String fsType, String source, String superOptions) {

    public static List<MountInfo> parse(String text) {
        List<MountInfo> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 7 || dash < 6 || dash + 3 >= f.length) {
                continue;
            }
            String optional = String.join(" ", List.of(f).subList(6, dash));
            out.add(new MountInfo(unescape(f[4]), optional, f[dash + 1], unescape(f[dash + 2]), f[dash + 3]));
        }
        return out;
    }

    public boolean shared() {
        return optionalFields.contains("shared:");
    }

    /** The mount whose mount point is the longest prefix of {@code path} (the last one mounted wins). */
    public static MountInfo containing(List<MountInfo> mounts, String path) {
        MountInfo best = null;
        for (MountInfo m : mounts) {
            String mp = m.mountPoint();
            boolean under = path.equals(mp) || mp.equals("/") || path.startsWith(mp + "/");
            if (under && (best == null || mp.length() >= best.mountPoint().length())) {
                best = m;
            }
        }
        return best;
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 4 <= s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
