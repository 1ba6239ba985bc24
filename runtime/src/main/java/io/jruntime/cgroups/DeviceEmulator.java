package io.jruntime.cgroups;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The semantics of the cgroup v1 devices controller, computed in Java: a default (allow-all or deny-all) plus
 * exceptions, where an "a" rule resets everything and other rules add or remove exceptions. Applying the
 * configured rules in order to an emulator gives the container's effective device policy; the v1 controller
 * writes the minimal transition from the cgroup's current devices.list to it, and the v2 controller compiles
 * the same policy into its eBPF program, so both versions agree (runc does the same with its emulator).
 *
 * <p>Like runc, removing permissions from inside a wildcard exception ("punching a hole", e.g. allow c *:* rwm
 * then deny c 1:3 rwm) is refused: cgroup v1 would silently ignore it.
 */
public final class DeviceEmulator {

    /** The match part of a rule: type 'c' or 'b' and major/minor ({@link DeviceRule#WILDCARD} for *). */
    record Meta(char type, long major, long minor) {}

    private static final Comparator<Meta> ORDER = Comparator.comparingLong(Meta::major)
            .thenComparingLong(Meta::minor).thenComparing(Meta::type);

    private boolean defaultAllow;
    private final TreeMap<Meta, String> exceptions = new TreeMap<>(ORDER);

    /** A new emulator in deny-all mode: the base the configured rules are applied to (as runc). */
    public DeviceEmulator() {
        this(false);
    }

    private DeviceEmulator(boolean defaultAllow) {
        this.defaultAllow = defaultAllow;
    }

    public static DeviceEmulator of(List<DeviceRule> rules) {
        DeviceEmulator e = new DeviceEmulator();
        for (DeviceRule r : rules) {
            e.apply(r);
        }
        return e;
    }

    /**
     * The state of a v1 cgroup from its devices.list: "a *:* rwm" means allow-all (whose deny exceptions the
     * kernel does not list), anything else is the allow list of a deny-all cgroup.
     */
    public static DeviceEmulator fromList(String devicesList) {
        DeviceEmulator e = new DeviceEmulator(false);
        for (String line : devicesList.split("\n")) {
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("[ :]");
            if (f.length != 4) {
                throw new CgroupException("malformed devices.list rule \"" + line + "\"");
            }
            char type = f[0].charAt(0);
            long major = f[1].equals("*") ? DeviceRule.WILDCARD : Long.parseLong(f[1]);
            long minor = f[2].equals("*") ? DeviceRule.WILDCARD : Long.parseLong(f[2]);
            e.apply(new DeviceRule(true, type, major, minor, f[3]));
        }
        return e;
    }

    public boolean defaultAllow() {
        return defaultAllow;
    }

    /** The exceptions to the default, sorted by (major, minor, type). */
    public Map<Meta, String> exceptions() {
        return exceptions;
    }

    public void apply(DeviceRule rule) {
        if (rule.type() == 'a') {
            defaultAllow = rule.allow();
            exceptions.clear();
            return;
        }
        Meta meta = new Meta(rule.type(), rule.major(), rule.minor());
        if (rule.allow() == defaultAllow) {
            remove(meta, rule);
        } else {
            exceptions.merge(meta, union(rule.access(), ""), DeviceEmulator::union);
        }
    }

    private void remove(Meta meta, DeviceRule rule) {
        for (Meta partial : List.of(new Meta(meta.type(), DeviceRule.WILDCARD, meta.minor()),
                new Meta(meta.type(), meta.major(), DeviceRule.WILDCARD),
                new Meta(meta.type(), DeviceRule.WILDCARD, DeviceRule.WILDCARD))) {
            if (partial.equals(meta)) {
                continue;
            }
            String held = exceptions.get(partial);
            if (held != null && !intersection(held, rule.access()).isEmpty()) {
                throw new CgroupException("device rule " + (rule.allow() ? "allow " : "deny ") + rule.cgroupString()
                        + " is not supported by the devices cgroup (cannot punch a hole in the wildcard rule "
                        + new DeviceRule(!defaultAllow, partial.type(), partial.major(), partial.minor(), held).cgroupString()
                        + ")");
            }
        }
        String left = difference(exceptions.getOrDefault(meta, ""), rule.access());
        if (left.isEmpty()) {
            exceptions.remove(meta);
        } else {
            exceptions.put(meta, left);
        }
    }

    /**
     * The rules that turn a cgroup in state {@code this} into {@code target} with the least disruption: a
     * disruptive "a" rule only when the default changes or this is allow-all (whose deny list cannot be read
     * back), then the exceptions to drop and the ones to add. Written in order to devices.allow/deny.
     */
    public List<DeviceRule> transitionTo(DeviceEmulator target) {
        List<DeviceRule> out = new ArrayList<>();
        Map<Meta, String> old = exceptions;
        if (defaultAllow || defaultAllow != target.defaultAllow) {
            out.add(new DeviceRule(target.defaultAllow, 'a', DeviceRule.WILDCARD, DeviceRule.WILDCARD, "rwm"));
            old = Map.of();
        }
        TreeMap<Meta, String> sortedOld = new TreeMap<>(ORDER);
        sortedOld.putAll(old);
        for (Map.Entry<Meta, String> e : sortedOld.entrySet()) {
            String dropped = difference(e.getValue(), target.exceptions.getOrDefault(e.getKey(), ""));
            if (!dropped.isEmpty()) {
                Meta m = e.getKey();
                out.add(new DeviceRule(target.defaultAllow, m.type(), m.major(), m.minor(), dropped));
            }
        }
        for (Map.Entry<Meta, String> e : target.exceptions.entrySet()) {
            String gained = difference(e.getValue(), old.getOrDefault(e.getKey(), ""));
            if (!gained.isEmpty()) {
                Meta m = e.getKey();
                out.add(new DeviceRule(!target.defaultAllow, m.type(), m.major(), m.minor(), gained));
            }
        }
        return out;
    }

    /** The rules that build this state from a deny-all cgroup (the input of the eBPF compiler). */
    public List<DeviceRule> rules() {
        return new DeviceEmulator(false).transitionTo(this);
    }

    static String union(String a, String b) {
        StringBuilder s = new StringBuilder();
        for (char c : "rwm".toCharArray()) {
            if (a.indexOf(c) >= 0 || b.indexOf(c) >= 0) {
                s.append(c);
            }
        }
        return s.toString();
    }

    static String intersection(String a, String b) {
        StringBuilder s = new StringBuilder();
        for (char c : "rwm".toCharArray()) {
            if (a.indexOf(c) >= 0 && b.indexOf(c) >= 0) {
                s.append(c);
            }
        }
        return s.toString();
    }

    static String difference(String a, String b) {
        StringBuilder s = new StringBuilder();
        for (char c : "rwm".toCharArray()) {
            if (a.indexOf(c) >= 0 && b.indexOf(c) < 0) {
                s.append(c);
            }
        }
        return s.toString();
    }
}
