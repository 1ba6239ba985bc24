package io.jruntime.cgroups;

/**
 * One device cgroup rule, as in {@code linux.resources.devices}: allow or deny {@code access} (a subset of "rwm")
 * to devices of {@code type} 'a' (all), 'c' or 'b', with {@code major}/{@code minor} {@link #WILDCARD} for "*".
 */
public record DeviceRule(boolean allow, char type, long major, long minor, String access) {

    public static final long WILDCARD = -1;

    public DeviceRule {
        if (type != 'a' && type != 'c' && type != 'b') {
            throw new CgroupException("invalid device rule type '" + type + "' (want a, c or b)");
        }
        if (access == null || access.isEmpty()) {
            access = "rwm";
        }
        for (char ch : access.toCharArray()) {
            if (ch != 'r' && ch != 'w' && ch != 'm') {
                throw new CgroupException("invalid device rule access \"" + access + "\" (want a combination of r, w, m)");
            }
        }
        if (major < WILDCARD || minor < WILDCARD) {
            throw new CgroupException("invalid device rule number " + major + ":" + minor);
        }
    }

    public static DeviceRule allow(char type, long major, long minor, String access) {
        return new DeviceRule(true, type, major, minor, access);
    }

    public static DeviceRule deny(char type, long major, long minor, String access) {
        return new DeviceRule(false, type, major, minor, access);
    }

    /** The v1 devices.allow / devices.deny line: {@code c 1:3 rwm}, {@code a *:* rwm}. */
    public String cgroupString() {
        return type + " " + (major == WILDCARD ? "*" : Long.toString(major)) + ":"
                + (minor == WILDCARD ? "*" : Long.toString(minor)) + " " + access;
    }
}
