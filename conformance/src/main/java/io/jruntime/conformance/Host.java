package io.jruntime.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Facts about the host the suite runs on, read from /proc and /sys (never changed). */
public final class Host {
    private Host() {}

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name")) || statusField("Uid").startsWith("0\t");
    }

    /** e.g. {@code net:[4026531840]}, or null when the kernel lacks that namespace type. */
    public static String namespace(String type) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/" + type)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    public static String namespaceOf(long pid, String type) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + type)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    public static boolean timeNamespaces() {
        return Files.exists(Path.of("/proc/self/ns/time"));
    }

    public static boolean apparmorEnabled() {
        return readTrim(Path.of("/sys/module/apparmor/parameters/enabled")).startsWith("Y");
    }

    public static boolean selinuxEnabled() {
        return Files.exists(Path.of("/sys/fs/selinux/enforce"));
    }

    /**
     * The first of {@code types} that makes a valid context {@code system_u:ROLE:TYPE} (with categories
     * s0:c1,c2 where the policy has MCS/MLS) in the loaded policy, or null: policies differ in their
     * container types (Fedora's container_t, Debian's refpolicy has none), and the kernel says which it knows.
     */
    public static String selinuxContext(String role, String... types) {
        String level = readTrim(Path.of("/sys/fs/selinux/mls")).equals("1") ? ":s0:c1,c2" : "";
        for (String type : types) {
            String context = "system_u:" + role + ":" + type + level;
            try {
                Files.writeString(Path.of("/sys/fs/selinux/context"), context); // EINVAL when not valid
                return context;
            } catch (IOException e) {
                // not in this policy
            }
        }
        return null;
    }

    /**
     * The AppArmor profile the AppArmor rows confine the probe with: {@code -Dconformance.apparmorProfile},
     * which must be loaded (a runtime that ignored the field would leave the probe unconfined, so an
     * "unconfined" default could not fail); null otherwise.
     */
    public static String apparmorTestProfile() {
        String name = System.getProperty("conformance.apparmorProfile");
        if (name == null || name.isEmpty()) {
            return null;
        }
        for (String line : readTrim(Path.of("/sys/kernel/security/apparmor/profiles")).split("\n")) {
            if (line.startsWith(name + " (")) {
                return name;
            }
        }
        return null;
    }

    public static String statusField(String name) {
        for (String line : readTrim(Path.of("/proc/self/status")).split("\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return "";
    }

    public static String readTrim(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    // ---- processes ----

    /** The process state letter from /proc/PID/stat, or empty when there is no such process. */
    public static Optional<Character> procState(long pid) {
        String stat = readTrim(Path.of("/proc/" + pid + "/stat"));
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return Optional.empty();
        }
        return Optional.of(stat.charAt(close + 2));
    }

    /** Alive means: exists and is not a zombie. */
    public static boolean alive(long pid) {
        Optional<Character> s = procState(pid);
        return s.isPresent() && s.get() != 'Z' && s.get() != 'X';
    }

    /** Field 22 of /proc/PID/stat: start time in clock ticks; tells a reused pid from the original. */
    public static String startTime(long pid) {
        String stat = readTrim(Path.of("/proc/" + pid + "/stat"));
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return "";
        }
        String[] f = stat.substring(close + 2).split(" ");
        return f.length > 19 ? f[19] : "";
    }

    // ---- mounts ----

    /** Mount points in this (the runtime's) mount namespace at or below {@code dir}. */
    public static List<String> mountPointsUnder(Path dir) {
        String prefix = dir.toAbsolutePath().normalize().toString();
        List<String> found = new ArrayList<>();
        for (String line : readTrim(Path.of("/proc/self/mountinfo")).split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 4) {
                String mp = unescape(f[4]);
                if (mp.equals(prefix) || mp.startsWith(prefix + "/")) {
                    found.add(mp);
                }
            }
        }
        return found;
    }

    /** The mountinfo line of the mount that holds {@code p} in this mount namespace. */
    public static String[] mountOf(Path p) {
        String path = p.toAbsolutePath().normalize().toString();
        String[] best = null;
        int bestLen = -1;
        for (String line : readTrim(Path.of("/proc/self/mountinfo")).split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 5) {
                continue;
            }
            String mp = unescape(f[4]);
            boolean covers = mp.equals("/") || path.equals(mp) || path.startsWith(mp + "/");
            if (covers && mp.length() >= bestLen) {
                best = f;
                bestLen = mp.length();
            }
        }
        return best;
    }

    static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    // ---- cgroups ----

    public static boolean cgroupV2() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
    }

    /** Where a v1 controller's hierarchy is mounted (e.g. memory), from mountinfo. */
    public static Optional<Path> cgroupV1Mount(String controller) {
        for (String line : readTrim(Path.of("/proc/self/mountinfo")).split("\n")) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 0 || dash + 3 >= f.length || !f[dash + 1].equals("cgroup")) {
                continue;
            }
            for (String o : f[dash + 3].split(",")) {
                if (o.equals(controller)) {
                    return Optional.of(Path.of(unescape(f[4])));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The directory of cgroup {@code path} (absolute, relative to the hierarchy root) for a
     * controller: on v2 the unified hierarchy, on v1 that controller's hierarchy.
     */
    public static Optional<Path> cgroupDir(String controller, String path) {
        String rel = path.startsWith("/") ? path.substring(1) : path;
        if (cgroupV2()) {
            return Optional.of(Path.of("/sys/fs/cgroup").resolve(rel));
        }
        return cgroupV1Mount(controller).map(m -> m.resolve(rel));
    }

    /** All directories a cgroup path may have been created at, v1 controllers and v2. */
    public static List<Path> allCgroupDirs(String path) {
        String rel = path.startsWith("/") ? path.substring(1) : path;
        List<Path> dirs = new ArrayList<>();
        if (cgroupV2()) {
            dirs.add(Path.of("/sys/fs/cgroup").resolve(rel));
            return dirs;
        }
        for (String line : readTrim(Path.of("/proc/self/mountinfo")).split("\n")) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash >= 0 && dash + 1 < f.length && (f[dash + 1].equals("cgroup") || f[dash + 1].equals("cgroup2"))) {
                dirs.add(Path.of(unescape(f[4])).resolve(rel));
            }
        }
        return dirs;
    }

    /** Where the cgroup2 (unified) hierarchy is mounted: /sys/fs/cgroup on a v2 host, e.g. /sys/fs/cgroup/unified on a hybrid one. */
    public static Optional<Path> cgroup2Mount() {
        Path found = null;
        for (String line : readTrim(Path.of("/proc/self/mountinfo")).split("\n")) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash >= 0 && dash + 1 < f.length && f[dash + 1].equals("cgroup2")) {
                Path mp = Path.of(unescape(f[4]));
                if (found == null || mp.equals(Path.of("/sys/fs/cgroup")) || mp.equals(Path.of("/sys/fs/cgroup/unified"))) {
                    found = mp;
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** The controllers the cgroup2 hierarchy offers (its root's cgroup.controllers); empty without one. */
    public static List<String> cgroup2Controllers() {
        return cgroup2Mount().map(m -> List.of(readTrim(m.resolve("cgroup.controllers")).split("\\s+"))).orElse(List.of());
    }

    /**
     * The directory of process {@code pid}'s cgroup for {@code controller}, from /proc/PID/cgroup: its
     * v1 hierarchy when that controller is mounted as v1, else the cgroup2 hierarchy when that offers it.
     */
    public static Optional<Path> cgroupDirOf(long pid, String controller) {
        String v2Path = null;
        for (String line : readTrim(Path.of("/proc/" + pid + "/cgroup")).split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length != 3) {
                continue;
            }
            String rel = f[2].startsWith("/") ? f[2].substring(1) : f[2];
            if (f[1].isEmpty()) {
                v2Path = rel;
            } else if (List.of(f[1].split(",")).contains(controller)) {
                Optional<Path> m = cgroupV1Mount(controller);
                if (m.isPresent()) {
                    return Optional.of(m.get().resolve(rel));
                }
            }
        }
        if (v2Path != null && cgroup2Controllers().contains(controller)) {
            String p = v2Path;
            return cgroup2Mount().map(m -> m.resolve(p));
        }
        return Optional.empty();
    }

    /** The cgroup2 directory of process {@code pid} (the "0::" line of /proc/PID/cgroup), if there is a cgroup2 hierarchy. */
    public static Optional<Path> cgroup2DirOf(long pid) {
        for (String line : readTrim(Path.of("/proc/" + pid + "/cgroup")).split("\n")) {
            if (line.startsWith("0::")) {
                String rel = line.substring(3);
                String p = rel.startsWith("/") ? rel.substring(1) : rel;
                return cgroup2Mount().map(m -> m.resolve(p));
            }
        }
        return Optional.empty();
    }

    /** Whether a v1 controller or a v2 controller is available for containers. */
    public static boolean cgroupController(String controller) {
        if (cgroupV2()) {
            return readTrim(Path.of("/sys/fs/cgroup/cgroup.subtree_control")).contains(controller)
                    || readTrim(Path.of("/sys/fs/cgroup/cgroup.controllers")).contains(controller);
        }
        return cgroupV1Mount(controller).isPresent();
    }
}
