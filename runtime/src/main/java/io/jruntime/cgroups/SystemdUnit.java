package io.jruntime.cgroups;

/**
 * The systemd unit that holds a container's cgroup with {@code --systemd-cgroup}, from {@code linux.cgroupsPath}
 * in runc's "slice:prefix:name" form: a scope {@code prefix-name.scope} in {@code slice} (a name that ends in
 * ".slice" makes the unit that slice itself). An empty slice is system.slice; an absent cgroupsPath is
 * {@code system.slice:jruntime:<id>}, as runc's default with its own name.
 *
 * @param slice the parent slice (e.g. "system.slice", "machine-a.slice")
 * @param name  the unit (e.g. "docker-1234.scope", or a ".slice")
 */
public record SystemdUnit(String slice, String name) {

    static final String DEFAULT_SLICE = "system.slice";
    static final String DEFAULT_PREFIX = "jruntime";

    /** runc's parse of cgroupsPath, with its words; null/empty cgroupsPath gives the default unit for {@code id}. */
    public static SystemdUnit parse(String id, String cgroupsPath) {
        String slice, prefix, name;
        if (cgroupsPath == null || cgroupsPath.isEmpty()) {
            slice = "";
            prefix = DEFAULT_PREFIX;
            name = id;
        } else {
            String[] parts = cgroupsPath.split(":", -1);
            if (parts.length != 3) {
                throw new CgroupException("expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got \""
                        + cgroupsPath + "\" instead");
            }
            slice = parts[0];
            prefix = parts[1];
            name = parts[2];
        }
        if (slice.isEmpty()) {
            slice = DEFAULT_SLICE;
        }
        expandSlice(slice); // validates
        if (name.isEmpty() || name.contains("/")) {
            throw new CgroupException("invalid systemd unit name \"" + name + "\" in cgroupsPath");
        }
        String unit = name.endsWith(".slice") ? name : prefix + "-" + name + ".scope"; // runc's naming, even for an empty prefix
        if (unit.endsWith(".slice")) {
            expandSlice(unit);
        }
        return new SystemdUnit(slice, unit);
    }

    /**
     * The cgroup path of a slice: systemd nests slices by their dashes, so "a-b-c.slice" is
     * /a.slice/a-b.slice/a-b-c.slice, and "-.slice" is the root.
     */
    public static String expandSlice(String slice) {
        String suffix = ".slice";
        if (slice.length() <= suffix.length() || !slice.endsWith(suffix) || slice.contains("/")) {
            throw new CgroupException("invalid slice name: " + slice);
        }
        String base = slice.substring(0, slice.length() - suffix.length());
        if (base.equals("-")) {
            return "/";
        }
        StringBuilder path = new StringBuilder();
        StringBuilder prefix = new StringBuilder();
        for (String component : base.split("-", -1)) {
            if (component.isEmpty()) { // "a--b.slice", "-a.slice", "a-.slice"
                throw new CgroupException("invalid slice name: " + slice);
            }
            path.append('/').append(prefix).append(component).append(suffix);
            prefix.append(component).append('-');
        }
        return path.toString();
    }

    public boolean isSlice() {
        return name.endsWith(".slice");
    }

    /**
     * The unit's cgroup below each hierarchy's root: for a scope, its slice's path and the scope; for a slice,
     * its own expanded path (systemd places a slice by its name, whatever the parent given).
     */
    public String cgroupPath() {
        if (isSlice()) {
            return expandSlice(name);
        }
        String parent = expandSlice(slice);
        return (parent.equals("/") ? "" : parent) + "/" + name;
    }
}
