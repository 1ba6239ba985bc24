package io.jruntime.cgroups;

import io.jruntime.sys.CgroupSyscalls;
import io.jruntime.sys.ErrnoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What this host's cgroups look like, probed from {@code /proc/self/mountinfo} (every {@code cgroup} and
 * {@code cgroup2} mount, each confirmed by its statfs magic) and {@code /proc/self/cgroup} (where the runtime
 * itself sits, the base of relative cgroup paths). Never configured: a pure v2 host has one cgroup2 mount, a
 * legacy host only v1 mounts, a hybrid host both (v1 controllers, plus a cgroup2 mount such as
 * /sys/fs/cgroup/unified holding whatever controllers v1 did not take).
 */
public final class CgroupHost {

    public enum Mode {
        /** cgroup v1 only. */
        LEGACY,
        /** cgroup v1 controllers plus a cgroup2 hierarchy. */
        HYBRID,
        /** cgroup v2 only. */
        UNIFIED
    }

    /**
     * A mounted v1 hierarchy.
     *
     * @param mountPoint  where it is mounted
     * @param root        the cgroup shown at the mount point (field 4 of mountinfo; "/" unless bind-mounted)
     * @param controllers its controllers, and {@code name=...} for a named hierarchy such as name=systemd
     */
    public record V1Hierarchy(Path mountPoint, String root, Set<String> controllers) {
        /** The key of this hierarchy in {@link CgroupManager#paths()}: its controllers joined by ','. */
        public String key() {
            return String.join(",", controllers);
        }
    }

    private final Mode mode;
    private final List<V1Hierarchy> v1;
    private final Path unifiedMount;
    private final String unifiedRoot;
    private final Map<String, String> self;
    private final CgroupFs fs;

    CgroupHost(Mode mode, List<V1Hierarchy> v1, Path unifiedMount, String unifiedRoot, Map<String, String> self,
               CgroupFs fs) {
        this.mode = mode;
        this.v1 = List.copyOf(v1);
        this.unifiedMount = unifiedMount;
        this.unifiedRoot = unifiedRoot;
        this.self = Map.copyOf(self);
        this.fs = fs;
    }

    /** Probes the running host. */
    public static CgroupHost probe() {
        try {
            return parse(Files.readString(Path.of("/proc/self/mountinfo")), Files.readString(Path.of("/proc/self/cgroup")),
                    CgroupFs.native_());
        } catch (IOException e) {
            throw new CgroupException("read /proc/self/mountinfo or /proc/self/cgroup: " + e.getMessage());
        }
    }

    /**
     * Builds the host view from the text of a mountinfo and a /proc/PID/cgroup file; each mount point is
     * kept only if {@code fs} reports the matching statfs magic (a covered or stale mount is skipped).
     */
    public static CgroupHost parse(String mountinfo, String selfCgroup, CgroupFs fs) {
        List<V1Hierarchy> v1 = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Path unified = null;
        String unifiedRoot = "/";
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 3) {
                continue;
            }
            String fstype = post[0];
            if (!fstype.equals("cgroup") && !fstype.equals("cgroup2")) {
                continue;
            }
            String root = unescape(pre[3]);
            Path mountPoint = Path.of(unescape(pre[4]));
            if (fstype.equals("cgroup2")) {
                if (!hasMagic(fs, mountPoint, CgroupSyscalls.CGROUP2_SUPER_MAGIC)) {
                    continue;
                }
                // Prefer the well-known places when cgroup2 is mounted more than once.
                if (unified == null || mountPoint.equals(Path.of("/sys/fs/cgroup"))
                        || (mountPoint.equals(Path.of("/sys/fs/cgroup/unified")) && !unified.equals(Path.of("/sys/fs/cgroup")))) {
                    unified = mountPoint;
                    unifiedRoot = root;
                }
                continue;
            }
            Set<String> controllers = new LinkedHashSet<>();
            for (String opt : post[2].split(",")) {
                if (V1_CONTROLLERS.contains(opt) || opt.startsWith("name=")) {
                    controllers.add(opt);
                }
            }
            if (controllers.isEmpty() || !seen.add(String.join(",", controllers))) {
                continue; // unknown, or a second mount of a hierarchy already found
            }
            if (!hasMagic(fs, mountPoint, CgroupSyscalls.CGROUP_SUPER_MAGIC)) {
                seen.remove(String.join(",", controllers));
                continue;
            }
            v1.add(new V1Hierarchy(mountPoint, root, controllers));
        }
        Mode mode;
        if (v1.isEmpty() && unified != null) {
            mode = Mode.UNIFIED;
        } else if (!v1.isEmpty() && unified != null) {
            mode = Mode.HYBRID;
        } else if (!v1.isEmpty()) {
            mode = Mode.LEGACY;
        } else {
            throw new CgroupException("no cgroup filesystem is mounted (looked for cgroup and cgroup2 in /proc/self/mountinfo)");
        }
        return new CgroupHost(mode, v1, unified, unifiedRoot, parseProcCgroup(selfCgroup), fs);
    }

    /** The v1 controllers jruntime knows; other mount options (rw, relatime, clone_children ...) are not. */
    static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
            "blkio", "pids", "hugetlb", "net_cls", "net_prio", "perf_event", "rdma", "misc");

    private static boolean hasMagic(CgroupFs fs, Path p, long magic) {
        try {
            return fs.statfsType(p) == magic;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 4 <= s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** /proc/PID/cgroup: "ID:controllers:path"; key per controller (and name=...), "" for the v2 line. */
    static Map<String, String> parseProcCgroup(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length != 3) {
                continue;
            }
            if (f[1].isEmpty()) {
                out.put("", f[2]);
            } else {
                for (String c : f[1].split(",")) {
                    out.put(c, f[2]);
                }
            }
        }
        return out;
    }

    public Mode mode() {
        return mode;
    }

    public List<V1Hierarchy> v1Hierarchies() {
        return v1;
    }

    /** The v1 hierarchy holding {@code controller}, if mounted. */
    public Optional<V1Hierarchy> v1(String controller) {
        return v1.stream().filter(h -> h.controllers().contains(controller)).findFirst();
    }

    /** The cgroup2 mount point (pure v2: usually /sys/fs/cgroup; hybrid: usually /sys/fs/cgroup/unified), or null. */
    public Path unifiedMount() {
        return unifiedMount;
    }

    /** The controllers available in the cgroup2 hierarchy (its root's cgroup.controllers). */
    public Set<String> unifiedControllers() {
        if (unifiedMount == null) {
            return Set.of();
        }
        try {
            String s = fs.read(unifiedMount.resolve("cgroup.controllers")).strip();
            return s.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(s.split("\\s+")));
        } catch (ErrnoException e) {
            return Set.of();
        }
    }

    public CgroupFs fs() {
        return fs;
    }

    // ---- path resolution (runc's semantics) ----

    /**
     * runc's CleanPath: lexically cleaned; a relative path is cleaned as if rooted at "/" and then made
     * relative again, so ".." can never climb above the base it will be joined to. "" stays "".
     */
    public static String cleanPath(String path) {
        if (path == null || path.isEmpty()) {
            return "";
        }
        boolean absolute = path.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(p);
        }
        String joined = String.join("/", parts);
        if (absolute) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /**
     * The container's cgroup path inside each hierarchy, before joining a mount point: {@code cgroupsPath}
     * cleaned, or for an absent/empty one the container id as a relative path (runc: cgroup name = id).
     */
    public static String innerPath(String id, String cgroupsPath) {
        String p = cleanPath(cgroupsPath);
        return p.isEmpty() ? cleanPath(id) : p;
    }

    /**
     * The directory of {@code inner} in the v1 hierarchy {@code h}: absolute paths hang under the mount point;
     * relative ones under the runtime's own cgroup in that hierarchy (as runc).
     */
    public Path v1Dir(V1Hierarchy h, String inner) {
        if (inner.startsWith("/")) {
            return join(h.mountPoint(), inner);
        }
        String own = h.controllers().stream().map(self::get).filter(s -> s != null).findFirst().orElse("/");
        return join(join(h.mountPoint(), relativeTo(h.root(), own)), inner);
    }

    /**
     * The directory of {@code inner} in the cgroup2 hierarchy. Relative paths: pure v2 uses the parent of the
     * runtime's own cgroup (runc: the own cgroup has processes, so controllers could not be enabled below
     * it); hybrid uses the own cgroup, as runc's v1 manager does for its unified entry.
     */
    public Path unifiedDir(String inner) {
        if (unifiedMount == null) {
            return null;
        }
        if (inner.startsWith("/")) {
            return join(unifiedMount, inner);
        }
        String own = self.getOrDefault("", "/");
        if (mode == Mode.UNIFIED) {
            own = parentOf(own);
        }
        return join(join(unifiedMount, relativeTo(unifiedRoot, own)), inner);
    }

    static String parentOf(String p) {
        int i = p.lastIndexOf('/');
        return i <= 0 ? "/" : p.substring(0, i);
    }

    /** {@code path} relative to {@code root} ("/" based cgroup paths); a path outside root is used as is. */
    static String relativeTo(String root, String path) {
        String r = cleanPath(root), p = cleanPath(path);
        if (r.equals("/") || r.isEmpty()) {
            return p;
        }
        if (p.equals(r)) {
            return "/";
        }
        if (p.startsWith(r + "/")) {
            return p.substring(r.length());
        }
        return p;
    }

    static Path join(Path base, String rel) {
        String r = rel;
        while (r.startsWith("/")) {
            r = r.substring(1);
        }
        return r.isEmpty() || r.equals(".") ? base : base.resolve(r);
    }
}
