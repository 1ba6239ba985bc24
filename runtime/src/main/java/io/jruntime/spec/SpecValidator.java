package io.jruntime.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Semantic checks of a {@link Spec} beyond what the JSON schema can say, run by {@code create},
 * {@code run} and {@code validate}. Every check is a small unit per spec section; all problems are
 * collected (not only the first), each naming the field it is about. Pure: no file system, no kernel.
 *
 * <p>Choices where the spec leaves room, following runc:
 * <ul>
 *   <li>unknown capability names are warnings (config.md: MUST be logged as a warning, SHOULD NOT fail);</li>
 *   <li>a relative mount destination is a warning and means relative to "/" (deprecated by the spec);</li>
 *   <li>mount options are not judged here: unknown ones are filesystem data;</li>
 *   <li>sysctls are allowed only when namespaced by a namespace the container has (runc's table);</li>
 *   <li>hostname/domainname need a uts namespace, masked/read-only paths a mount namespace.</li>
 * </ul>
 */
public final class SpecValidator {
    private SpecValidator() {}

    /** Runtime settings that change what is valid. */
    public record Options(boolean systemdCgroup) {
        public static final Options DEFAULT = new Options(false);
    }

    /** All problems of {@code spec} (errors and warnings), in document order of the sections. */
    public static List<SpecProblem> validate(Spec spec) {
        return validate(spec, Options.DEFAULT);
    }

    public static List<SpecProblem> validate(Spec spec, Options options) {
        List<SpecProblem> out = new ArrayList<>();
        ociVersion(spec.ociVersion(), out);
        root(spec.root(), out);
        if (spec.process() != null) {
            process(spec.process(), "process.", out);
        }
        mounts(spec, out);
        hooks(spec.hooks(), out);
        annotations(spec.annotations(), out);
        Linux linux = spec.linux() != null ? spec.linux() : Linux.of(null, null, null, null);
        uts(spec, linux, out);
        namespaces(linux, out);
        idMappings(linux, out);
        timeOffsets(linux, out);
        devices(linux, out);
        netDevices(linux, out);
        sysctl(linux, out);
        cgroupsPath(linux.cgroupsPath(), options, out);
        if (linux.resources() != null) {
            resources(linux.resources(), "linux.resources.", out);
        }
        if (linux.seccomp() != null) {
            seccomp(linux.seccomp(), out);
        }
        rootfsPropagation(linux.rootfsPropagation(), out);
        maskedAndReadonlyPaths(linux, out);
        intelRdt(linux.intelRdt(), out);
        memoryPolicy(linux.memoryPolicy(), out);
        personality(linux.personality(), out);
        return out;
    }

    /** Problems of a process document given to {@code exec --process}; paths are relative to that document. */
    public static List<SpecProblem> validateProcess(Process process) {
        List<SpecProblem> out = new ArrayList<>();
        process(process, "", out);
        return out;
    }

    /** Problems of a resources document given to {@code update --resources}. */
    public static List<SpecProblem> validateResources(LinuxResources resources) {
        List<SpecProblem> out = new ArrayList<>();
        resources(resources, "", out);
        return out;
    }

    /** Only the errors of {@code problems}. */
    public static List<SpecProblem> errors(List<SpecProblem> problems) {
        return problems.stream().filter(SpecProblem::isError).toList();
    }

    // ---------------------------------------------------------------- ociVersion

    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    /** Null when {@code version} is accepted (SemVer, 1.0.0 to 1.3.x), else why not. */
    public static String ociVersionProblem(String version) {
        if (version == null || version.isEmpty()) {
            return "is required";
        }
        var m = SEMVER.matcher(version);
        if (!m.matches()) {
            return quote(version) + " is not a valid SemVer version";
        }
        BigInteger major = new BigInteger(m.group(1));
        BigInteger minor = new BigInteger(m.group(2));
        if (!major.equals(BigInteger.ONE) || minor.compareTo(BigInteger.valueOf(3)) > 0) {
            return quote(version) + " is not supported (jruntime supports " + KnownValues.OCI_VERSION_MIN
                    + " to 1.3.x)";
        }
        return null;
    }

    static void ociVersion(String version, List<SpecProblem> out) {
        String why = ociVersionProblem(version);
        if (why != null) {
            out.add(SpecProblem.error("ociVersion", why));
        }
    }

    // ---------------------------------------------------------------- root

    static void root(Root root, List<SpecProblem> out) {
        if (root == null) {
            out.add(SpecProblem.error("root", "is required on Linux"));
        } else if (root.path() == null || root.path().isEmpty()) {
            out.add(SpecProblem.error("root.path", "is required"));
        }
    }

    // ---------------------------------------------------------------- process

    static void process(Process p, String prefix, List<SpecProblem> out) {
        if (p.args() == null || p.args().isEmpty()) {
            out.add(SpecProblem.error(prefix + "args", "must contain at least one entry"));
        } else if (p.args().get(0) == null || p.args().get(0).isEmpty()) {
            out.add(SpecProblem.error(prefix + "args[0]", "must not be empty"));
        }
        if (p.cwd() == null || p.cwd().isEmpty()) {
            out.add(SpecProblem.error(prefix + "cwd", "is required"));
        } else {
            absolute(p.cwd(), prefix + "cwd", out);
        }
        if (p.user() != null) {
            List<Long> gids = p.user().additionalGidList();
            for (int i = 0; i < gids.size(); i++) {
                Long g = gids.get(i);
                if (g != null && (g < 0 || g > Unsigned.UINT32_MAX)) {
                    out.add(SpecProblem.error(prefix + "user.additionalGids[" + i + "]", g + " is out of range for uint32"));
                }
            }
        }
        if (p.capabilities() != null) {
            LinuxCapabilities c = p.capabilities();
            capabilitySet(c.bounding(), prefix + "capabilities.bounding", out);
            capabilitySet(c.effective(), prefix + "capabilities.effective", out);
            capabilitySet(c.inheritable(), prefix + "capabilities.inheritable", out);
            capabilitySet(c.permitted(), prefix + "capabilities.permitted", out);
            capabilitySet(c.ambient(), prefix + "capabilities.ambient", out);
        }
        rlimits(p.rlimitList(), prefix + "rlimits", out);
        if (p.oomScoreAdj() != null && (p.oomScoreAdj() < -1000 || p.oomScoreAdj() > 1000)) {
            out.add(SpecProblem.error(prefix + "oomScoreAdj", p.oomScoreAdj() + " is out of range (-1000 to 1000)"));
        }
        if (p.scheduler() != null) {
            scheduler(p.scheduler(), prefix + "scheduler", out);
        }
        if (p.ioPriority() != null) {
            IOPriority io = p.ioPriority();
            if (io.ioClass() == null) {
                out.add(SpecProblem.error(prefix + "ioPriority.class", "is required"));
            } else if (!KnownValues.IOPRIO_CLASSES.contains(io.ioClass())) {
                out.add(SpecProblem.error(prefix + "ioPriority.class", "unknown class " + quote(io.ioClass())
                        + " (IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE)"));
            }
            if (io.priority() != null && (io.priority() < 0 || io.priority() > 7)) {
                out.add(SpecProblem.error(prefix + "ioPriority.priority", io.priority() + " is out of range (0 to 7)"));
            }
        }
        if (p.execCPUAffinity() != null) {
            cpuList(p.execCPUAffinity().initial(), prefix + "execCPUAffinity.initial", out);
            cpuList(p.execCPUAffinity().finalCpus(), prefix + "execCPUAffinity.final", out);
        }
    }

    static void capabilitySet(List<String> caps, String path, List<SpecProblem> out) {
        if (caps == null) {
            return;
        }
        for (int i = 0; i < caps.size(); i++) {
            if (KnownValues.capability(caps.get(i)) < 0) {
                out.add(SpecProblem.warning(path + "[" + i + "]", "unknown capability " + quote(caps.get(i)) + ", ignored"));
            }
        }
    }

    static void rlimits(List<PosixRlimit> rlimits, String path, List<SpecProblem> out) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rlimits.size(); i++) {
            PosixRlimit r = rlimits.get(i);
            String at = path + "[" + i + "]";
            if (r.type() == null) {
                out.add(SpecProblem.error(at + ".type", "is required"));
            } else if (!KnownValues.RLIMITS.containsKey(r.type())) {
                out.add(SpecProblem.error(at + ".type", "unknown rlimit " + quote(r.type())));
            } else {
                Integer first = seen.putIfAbsent(r.type(), i);
                if (first != null) {
                    out.add(SpecProblem.error(at + ".type", "duplicate rlimit " + quote(r.type())
                            + " (first at " + path + "[" + first + "])"));
                }
            }
            if (r.soft() == null) {
                out.add(SpecProblem.error(at + ".soft", "is required"));
            }
            if (r.hard() == null) {
                out.add(SpecProblem.error(at + ".hard", "is required"));
            }
            if (r.soft() != null && r.hard() != null && Long.compareUnsigned(r.soft(), r.hard()) > 0) {
                out.add(SpecProblem.error(at, "soft limit " + Long.toUnsignedString(r.soft())
                        + " is greater than hard limit " + Long.toUnsignedString(r.hard())));
            }
        }
    }

    static void scheduler(Scheduler s, String path, List<SpecProblem> out) {
        String policy = s.policy();
        if (policy == null || policy.isEmpty()) {
            out.add(SpecProblem.error(path + ".policy", "is required"));
        } else if (!KnownValues.SCHEDULER_POLICIES.contains(policy)) {
            out.add(SpecProblem.error(path + ".policy", "unknown policy " + quote(policy)));
        }
        if (s.nice() != null && (s.nice() < -20 || s.nice() > 19)) {
            out.add(SpecProblem.error(path + ".nice", s.nice() + " is out of range (-20 to 19)"));
        }
        if (s.priority() != null && s.priority() != 0 && !"SCHED_FIFO".equals(policy) && !"SCHED_RR".equals(policy)) {
            out.add(SpecProblem.error(path + ".priority", "can only be set for SCHED_FIFO or SCHED_RR"));
        }
        boolean deadlineParams = nonZero(s.runtime()) || nonZero(s.deadline()) || nonZero(s.period());
        if (deadlineParams && !"SCHED_DEADLINE".equals(policy)) {
            out.add(SpecProblem.error(path, "runtime, deadline and period can only be set for SCHED_DEADLINE"));
        }
        names(s.flags(), KnownValues.SCHEDULER_FLAGS, "flag", path + ".flags", out);
    }

    // ---------------------------------------------------------------- mounts

    static void mounts(Spec spec, List<SpecProblem> out) {
        List<Mount> mounts = spec.mountList();
        Linux linux = spec.linux();
        LinuxNamespace userns = linux == null ? null : linux.namespace(LinuxNamespace.USER);
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            String at = "mounts[" + i + "]";
            if (m.destination() == null || m.destination().isEmpty()) {
                out.add(SpecProblem.error(at + ".destination", "is required"));
            } else if (!m.destination().startsWith("/")) {
                out.add(SpecProblem.warning(at + ".destination", "relative destination " + quote(m.destination())
                        + " is deprecated, using it as relative to \"/\""));
            }
            boolean uid = m.uidMappings() != null && !m.uidMappings().isEmpty();
            boolean gid = m.gidMappings() != null && !m.gidMappings().isEmpty();
            if (uid != gid) {
                out.add(SpecProblem.error(at, "uidMappings and gidMappings must be set together"));
            }
            if (uid) {
                idMappingList(m.uidMappings(), at + ".uidMappings", out);
            }
            if (gid) {
                idMappingList(m.gidMappings(), at + ".gidMappings", out);
            }
            List<String> options = m.optionList();
            for (String idmap : List.of("idmap", "ridmap")) {
                if (options.contains(idmap) && !uid && !gid && userns == null) {
                    out.add(SpecProblem.error(at + ".options", quote(idmap)
                            + " needs uidMappings and gidMappings on the mount or a user namespace"));
                }
            }
        }
    }

    // ---------------------------------------------------------------- hooks

    static void hooks(Hooks hooks, List<SpecProblem> out) {
        if (hooks == null) {
            return;
        }
        for (Map.Entry<String, List<Hook>> e : hooks.byName().entrySet()) {
            List<Hook> list = e.getValue();
            for (int i = 0; i < list.size(); i++) {
                Hook h = list.get(i);
                String at = "hooks." + e.getKey() + "[" + i + "]";
                if (h.path() == null || h.path().isEmpty()) {
                    out.add(SpecProblem.error(at + ".path", "is required"));
                } else {
                    absolute(h.path(), at + ".path", out);
                }
                if (h.timeout() != null && h.timeout() <= 0) {
                    out.add(SpecProblem.error(at + ".timeout", "must be greater than zero, got " + h.timeout()));
                }
            }
        }
    }

    // ---------------------------------------------------------------- annotations

    static void annotations(Map<String, String> annotations, List<SpecProblem> out) {
        if (annotations != null && annotations.containsKey("")) {
            out.add(SpecProblem.error("annotations", "keys must not be empty"));
        }
    }

    // ---------------------------------------------------------------- hostname, domainname

    static void uts(Spec spec, Linux linux, List<SpecProblem> out) {
        boolean uts = linux.hasNamespace(LinuxNamespace.UTS);
        if (spec.hostname() != null && !spec.hostname().isEmpty() && !uts) {
            out.add(SpecProblem.error("hostname", "unable to set hostname without a private UTS namespace"));
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty() && !uts) {
            out.add(SpecProblem.error("domainname", "unable to set domainname without a private UTS namespace"));
        }
    }

    // ---------------------------------------------------------------- namespaces

    static void namespaces(Linux linux, List<SpecProblem> out) {
        List<LinuxNamespace> list = linux.namespaceList();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            LinuxNamespace ns = list.get(i);
            String at = "linux.namespaces[" + i + "]";
            if (ns.type() == null || ns.type().isEmpty()) {
                out.add(SpecProblem.error(at + ".type", "is required"));
                continue;
            }
            if (!KnownValues.NAMESPACES.contains(ns.type())) {
                out.add(SpecProblem.error(at + ".type", "unknown namespace type " + quote(ns.type())));
            } else {
                Integer first = seen.putIfAbsent(ns.type(), i);
                if (first != null) {
                    out.add(SpecProblem.error(at + ".type", "duplicate namespace " + quote(ns.type())
                            + " (first at linux.namespaces[" + first + "])"));
                }
            }
            if (ns.joins()) {
                absolute(ns.path(), at + ".path", out);
            }
        }
    }

    static void idMappings(Linux linux, List<SpecProblem> out) {
        boolean uid = linux.uidMappings() != null && !linux.uidMappings().isEmpty();
        boolean gid = linux.gidMappings() != null && !linux.gidMappings().isEmpty();
        if (uid) {
            idMappingList(linux.uidMappings(), "linux.uidMappings", out);
        }
        if (gid) {
            idMappingList(linux.gidMappings(), "linux.gidMappings", out);
        }
        int index = indexOf(linux, LinuxNamespace.USER);
        if (index < 0) {
            for (String field : mappingFields(uid, gid)) {
                out.add(SpecProblem.error(field,
                        "user namespace mappings specified, but there is no user namespace in linux.namespaces"));
            }
            return;
        }
        LinuxNamespace userns = linux.namespaceList().get(index);
        if (userns.joins()) {
            for (String field : mappingFields(uid, gid)) {
                out.add(SpecProblem.error(field, "cannot be set when joining an existing user namespace (linux.namespaces["
                        + index + "].path)"));
            }
        } else {
            if (!uid) {
                out.add(SpecProblem.error("linux.uidMappings", "required to create a new user namespace (linux.namespaces["
                        + index + "])"));
            }
            if (!gid) {
                out.add(SpecProblem.error("linux.gidMappings", "required to create a new user namespace (linux.namespaces["
                        + index + "])"));
            }
        }
    }

    private static List<String> mappingFields(boolean uid, boolean gid) {
        List<String> l = new ArrayList<>(2);
        if (uid) {
            l.add("linux.uidMappings");
        }
        if (gid) {
            l.add("linux.gidMappings");
        }
        return l;
    }

    /** The kernel's limit of extents per uid_map/gid_map (UID_GID_MAP_MAX_EXTENTS). */
    static final int MAX_ID_MAP_EXTENTS = 340;

    static void idMappingList(List<LinuxIdMapping> list, String path, List<SpecProblem> out) {
        if (list.size() > MAX_ID_MAP_EXTENTS) {
            out.add(SpecProblem.error(path, list.size() + " ranges, the kernel accepts at most " + MAX_ID_MAP_EXTENTS));
        }
        for (int i = 0; i < list.size(); i++) {
            LinuxIdMapping m = list.get(i);
            String at = path + "[" + i + "]";
            boolean complete = true;
            if (m.containerID() == null) {
                out.add(SpecProblem.error(at + ".containerID", "is required"));
                complete = false;
            }
            if (m.hostID() == null) {
                out.add(SpecProblem.error(at + ".hostID", "is required"));
                complete = false;
            }
            if (m.size() == null || m.size() == 0) {
                out.add(SpecProblem.error(at + ".size", "must be at least 1"));
                complete = false;
            }
            if (!complete) {
                continue;
            }
            if (m.containerID() + m.size() - 1 > Unsigned.UINT32_MAX || m.hostID() + m.size() - 1 > Unsigned.UINT32_MAX) {
                out.add(SpecProblem.error(at, "range goes beyond the largest id 4294967295"));
                continue;
            }
            for (int j = 0; j < i; j++) {
                LinuxIdMapping o = list.get(j);
                if (o.containerID() == null || o.hostID() == null || o.size() == null || o.size() == 0) {
                    continue;
                }
                if (overlap(m.containerID(), m.size(), o.containerID(), o.size())
                        || overlap(m.hostID(), m.size(), o.hostID(), o.size())) {
                    out.add(SpecProblem.error(at, "overlaps " + path + "[" + j + "]"));
                    break;
                }
            }
        }
    }

    private static boolean overlap(long a, long aSize, long b, long bSize) {
        return a < b + bSize && b < a + aSize;
    }

    static void timeOffsets(Linux linux, List<SpecProblem> out) {
        Map<String, LinuxTimeOffset> offsets = linux.timeOffsets();
        if (offsets == null || offsets.isEmpty()) {
            return;
        }
        int index = indexOf(linux, LinuxNamespace.TIME);
        if (index < 0) {
            out.add(SpecProblem.error("linux.timeOffsets",
                    "time namespace offsets specified, but there is no time namespace in linux.namespaces"));
        } else if (linux.namespaceList().get(index).joins()) {
            out.add(SpecProblem.error("linux.timeOffsets",
                    "cannot be set when joining an existing time namespace (linux.namespaces[" + index + "].path)"));
        }
        for (Map.Entry<String, LinuxTimeOffset> e : offsets.entrySet()) {
            String at = "linux.timeOffsets" + key(e.getKey());
            if (!e.getKey().equals("monotonic") && !e.getKey().equals("boottime")) {
                out.add(SpecProblem.error(at, "unknown clock (monotonic or boottime)"));
            }
            Long ns = e.getValue().nanosecs();
            if (ns != null && ns >= 1_000_000_000L) {
                out.add(SpecProblem.error(at + ".nanosecs", ns + " is out of range (0 to 999999999)"));
            }
        }
    }

    // ---------------------------------------------------------------- devices

    static void devices(Linux linux, List<SpecProblem> out) {
        List<LinuxDevice> devices = linux.devices() == null ? List.of() : linux.devices();
        for (int i = 0; i < devices.size(); i++) {
            LinuxDevice d = devices.get(i);
            String at = "linux.devices[" + i + "]";
            if (d.path() == null || d.path().isEmpty()) {
                out.add(SpecProblem.error(at + ".path", "is required"));
            } else {
                absolute(d.path(), at + ".path", out);
            }
            String type = d.type();
            if (type == null || type.isEmpty()) {
                out.add(SpecProblem.error(at + ".type", "is required"));
            } else if (!List.of("c", "b", "u", "p").contains(type)) {
                out.add(SpecProblem.error(at + ".type", quote(type) + " is not a device type (c, b, u or p)"));
            } else if (!type.equals("p")) {
                if (d.major() == null) {
                    out.add(SpecProblem.error(at + ".major", "is required for type " + quote(type)));
                }
                if (d.minor() == null) {
                    out.add(SpecProblem.error(at + ".minor", "is required for type " + quote(type)));
                }
            }
        }
    }

    // ---------------------------------------------------------------- netDevices

    static void netDevices(Linux linux, List<SpecProblem> out) {
        Map<String, LinuxNetDevice> devices = linux.netDevices();
        if (devices == null || devices.isEmpty()) {
            return;
        }
        if (!linux.hasNamespace(LinuxNamespace.NETWORK)) {
            out.add(SpecProblem.error("linux.netDevices",
                    "network devices can only be moved into a network namespace, but there is none in linux.namespaces"));
        }
        Map<String, String> targets = new HashMap<>();
        for (Map.Entry<String, LinuxNetDevice> e : devices.entrySet()) {
            String at = "linux.netDevices" + key(e.getKey());
            if (!validInterfaceName(e.getKey(), false)) {
                out.add(SpecProblem.error(at, quote(e.getKey()) + " is not a valid interface name"));
            }
            String target = e.getValue().name() == null || e.getValue().name().isEmpty()
                    ? e.getKey() : e.getValue().name();
            if (e.getValue().name() != null && !e.getValue().name().isEmpty()
                    && !validInterfaceName(e.getValue().name(), true)) {
                out.add(SpecProblem.error(at + ".name", quote(e.getValue().name()) + " is not a valid interface name"));
            }
            String other = target.contains("%d") ? null : targets.putIfAbsent(target, e.getKey());
            if (other != null) {
                out.add(SpecProblem.error(at, "name " + quote(target) + " is also used for linux.netDevices" + key(other)));
            }
        }
    }

    /** The kernel's dev_valid_name(): 1 to 15 bytes, not "." or "..", no '/', ':' or white space. */
    static boolean validInterfaceName(String name, boolean template) {
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15
                || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c == 0) {
                return false;
            }
        }
        return template || !name.contains("%");
    }

    // ---------------------------------------------------------------- sysctl

    private static final Set<String> IPC_SYSCTLS = Set.of(
            "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    static void sysctl(Linux linux, List<SpecProblem> out) {
        Map<String, String> sysctl = linux.sysctl();
        if (sysctl == null) {
            return;
        }
        for (String raw : sysctl.keySet()) {
            String why = sysctlProblem(dotted(raw), linux);
            if (why != null) {
                out.add(SpecProblem.error("linux.sysctl", why));
            }
        }
    }

    /** Why sysctl {@code name} (dotted form) cannot be set in this container, or null. Wording is runc's. */
    static String sysctlProblem(String name, Linux linux) {
        if (IPC_SYSCTLS.contains(name) || name.startsWith("fs.mqueue.")) {
            return linux.hasNamespace(LinuxNamespace.IPC) ? null
                    : "sysctl " + quote(name) + " is not allowed in the hosts ipc namespace";
        }
        if (name.startsWith("net.")) {
            // A joined network namespace (path) is accepted here; whether that path is the host's
            // own network namespace can only be told at create time, by comparing the files.
            return linux.hasNamespace(LinuxNamespace.NETWORK) ? null
                    : "sysctl " + quote(name) + " not allowed in host network namespace";
        }
        if (linux.hasNamespace(LinuxNamespace.UTS)) {
            if (name.equals("kernel.domainname")) {
                return null;
            }
            if (name.equals("kernel.hostname")) {
                return "sysctl " + quote(name) + " is not allowed as it conflicts with the OCI \"hostname\" field";
            }
        }
        return "sysctl " + quote(name) + " is not in a separate kernel namespace";
    }

    /**
     * sysctl(8) accepts '/' as separator in place of '.': {@code net/ipv4/conf/eno2.100/rp_filter} is
     * {@code net.ipv4.conf.eno2/100.rp_filter}. Returns the dotted form.
     */
    public static String dotted(String name) {
        int first = -1;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.' || c == '/') {
                first = i;
                break;
            }
        }
        if (first < 0 || name.charAt(first) == '.') {
            return name;
        }
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(c == '.' ? '/' : c == '/' ? '.' : c);
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- cgroupsPath

    static void cgroupsPath(String path, Options options, List<SpecProblem> out) {
        if (path == null || path.isEmpty()) {
            return;
        }
        if (options.systemdCgroup()) {
            String[] parts = path.split(":", -1);
            if (parts.length != 3) {
                out.add(SpecProblem.error("linux.cgroupsPath", "expected \"slice:prefix:name\" for systemd cgroups, got "
                        + quote(path)));
                return;
            }
            String slice = parts[0];
            if (!slice.isEmpty() && (!slice.endsWith(".slice") || slice.contains("/"))) {
                out.add(SpecProblem.error("linux.cgroupsPath", "invalid slice name " + quote(slice)));
            }
            if (parts[2].isEmpty() || parts[2].contains("/")) {
                out.add(SpecProblem.error("linux.cgroupsPath", "invalid unit name " + quote(parts[2])));
            }
            return;
        }
        for (String component : path.split("/")) {
            if (component.equals("..")) {
                out.add(SpecProblem.error("linux.cgroupsPath", "\"..\" is not allowed in " + quote(path)));
                return;
            }
        }
    }

    // ---------------------------------------------------------------- resources

    static void resources(LinuxResources r, String prefix, List<SpecProblem> out) {
        List<LinuxDeviceCgroup> devices = r.devices() == null ? List.of() : r.devices();
        for (int i = 0; i < devices.size(); i++) {
            LinuxDeviceCgroup d = devices.get(i);
            String at = prefix + "devices[" + i + "]";
            if (d.allow() == null) {
                out.add(SpecProblem.error(at + ".allow", "is required"));
            }
            if (d.type() != null && !d.type().isEmpty() && !List.of("a", "c", "b").contains(d.type())) {
                out.add(SpecProblem.error(at + ".type", quote(d.type()) + " is not a device type (a, c or b)"));
            }
            if (d.access() != null && !d.access().matches("[rwm]*")) {
                out.add(SpecProblem.error(at + ".access", quote(d.access()) + " is not made of r, w and m"));
            }
        }
        if (r.memory() != null) {
            LinuxMemory m = r.memory();
            memoryLimit(m.limit(), prefix + "memory.limit", out);
            memoryLimit(m.reservation(), prefix + "memory.reservation", out);
            memoryLimit(m.swap(), prefix + "memory.swap", out);
            memoryLimit(m.kernel(), prefix + "memory.kernel", out);
            memoryLimit(m.kernelTCP(), prefix + "memory.kernelTCP", out);
            if (m.swappiness() != null && Long.compareUnsigned(m.swappiness(), 100) > 0) {
                out.add(SpecProblem.error(prefix + "memory.swappiness",
                        Long.toUnsignedString(m.swappiness()) + " is out of range (0 to 100)"));
            }
        }
        if (r.cpu() != null) {
            LinuxCpu c = r.cpu();
            if (c.burst() != null && c.quota() != null && c.quota() > 0 && Long.compareUnsigned(c.burst(), c.quota()) > 0) {
                out.add(SpecProblem.error(prefix + "cpu.burst", Long.toUnsignedString(c.burst())
                        + " is larger than quota " + c.quota()));
            }
            if (c.idle() != null && c.idle() != 0 && c.idle() != 1) {
                out.add(SpecProblem.error(prefix + "cpu.idle", c.idle() + " is not 0 or 1"));
            }
            cpuList(c.cpus(), prefix + "cpu.cpus", out);
            cpuList(c.mems(), prefix + "cpu.mems", out);
        }
        if (r.pids() != null && r.pids().limit() != null && r.pids().limit() < -1) {
            out.add(SpecProblem.error(prefix + "pids.limit", r.pids().limit() + " is not valid (a count, or -1 for no limit)"));
        }
        if (r.blockIO() != null) {
            blockIO(r.blockIO(), prefix + "blockIO", out);
        }
        List<LinuxHugepageLimit> huge = r.hugepageLimits() == null ? List.of() : r.hugepageLimits();
        for (int i = 0; i < huge.size(); i++) {
            LinuxHugepageLimit h = huge.get(i);
            String at = prefix + "hugepageLimits[" + i + "]";
            if (h.pageSize() == null) {
                out.add(SpecProblem.error(at + ".pageSize", "is required"));
            } else if (!h.pageSize().matches("[1-9][0-9]*[KMG]B")) {
                out.add(SpecProblem.error(at + ".pageSize", quote(h.pageSize()) + " is not a page size such as 2MB"));
            }
            if (h.limit() == null) {
                out.add(SpecProblem.error(at + ".limit", "is required"));
            }
        }
        if (r.network() != null && r.network().priorities() != null) {
            List<LinuxInterfacePriority> prios = r.network().priorities();
            for (int i = 0; i < prios.size(); i++) {
                String at = prefix + "network.priorities[" + i + "]";
                if (prios.get(i).name() == null || prios.get(i).name().isEmpty()) {
                    out.add(SpecProblem.error(at + ".name", "is required"));
                }
                if (prios.get(i).priority() == null) {
                    out.add(SpecProblem.error(at + ".priority", "is required"));
                }
            }
        }
        if (r.rdma() != null) {
            for (Map.Entry<String, LinuxRdma> e : r.rdma().entrySet()) {
                if (e.getValue().hcaHandles() == null && e.getValue().hcaObjects() == null) {
                    out.add(SpecProblem.error(prefix + "rdma" + key(e.getKey()),
                            "at least one of hcaHandles and hcaObjects is required"));
                }
            }
        }
        if (r.unified() != null) {
            for (String file : r.unified().keySet()) {
                int dot = file.indexOf('.');
                if (file.contains("/") || dot <= 0 || dot == file.length() - 1 || file.contains("\0")) {
                    out.add(SpecProblem.error(prefix + "unified" + key(file),
                            "must be a cgroup file name in the form CONTROLLER.PARAMETER"));
                }
            }
        }
    }

    private static void memoryLimit(Long v, String path, List<SpecProblem> out) {
        if (v != null && v < -1) {
            out.add(SpecProblem.error(path, v + " is not valid (bytes, or -1 for unlimited)"));
        }
    }

    private static void blockIO(LinuxBlockIO b, String path, List<SpecProblem> out) {
        List<LinuxWeightDevice> weights = b.weightDevice() == null ? List.of() : b.weightDevice();
        for (int i = 0; i < weights.size(); i++) {
            LinuxWeightDevice w = weights.get(i);
            String at = path + ".weightDevice[" + i + "]";
            majorMinor(w.major(), w.minor(), at, out);
            if (w.weight() == null && w.leafWeight() == null) {
                out.add(SpecProblem.error(at, "at least one of weight and leafWeight is required"));
            }
        }
        throttle(b.throttleReadBpsDevice(), path + ".throttleReadBpsDevice", out);
        throttle(b.throttleWriteBpsDevice(), path + ".throttleWriteBpsDevice", out);
        throttle(b.throttleReadIOPSDevice(), path + ".throttleReadIOPSDevice", out);
        throttle(b.throttleWriteIOPSDevice(), path + ".throttleWriteIOPSDevice", out);
    }

    private static void throttle(List<LinuxThrottleDevice> list, String path, List<SpecProblem> out) {
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String at = path + "[" + i + "]";
            majorMinor(list.get(i).major(), list.get(i).minor(), at, out);
            if (list.get(i).rate() == null) {
                out.add(SpecProblem.error(at + ".rate", "is required"));
            }
        }
    }

    private static void majorMinor(Long major, Long minor, String at, List<SpecProblem> out) {
        if (major == null) {
            out.add(SpecProblem.error(at + ".major", "is required"));
        }
        if (minor == null) {
            out.add(SpecProblem.error(at + ".minor", "is required"));
        }
    }

    // ---------------------------------------------------------------- seccomp

    static void seccomp(LinuxSeccomp s, List<SpecProblem> out) {
        String p = "linux.seccomp";
        boolean notify = false;
        if (s.defaultAction() == null || s.defaultAction().isEmpty()) {
            out.add(SpecProblem.error(p + ".defaultAction", "is required"));
        } else if (!KnownValues.SECCOMP_ACTIONS.contains(s.defaultAction())) {
            out.add(SpecProblem.error(p + ".defaultAction", "unknown action " + quote(s.defaultAction())));
        } else if (s.defaultAction().equals("SCMP_ACT_NOTIFY")) {
            out.add(SpecProblem.error(p + ".defaultAction", "SCMP_ACT_NOTIFY cannot be the default action"));
        }
        errnoRet(s.defaultErrnoRet(), s.defaultAction(), p + ".defaultErrnoRet", out);
        names(s.architectures(), KnownValues.SECCOMP_ARCHS, "architecture", p + ".architectures", out);
        names(s.flags(), KnownValues.SECCOMP_FLAGS, "flag", p + ".flags", out);
        List<LinuxSyscall> syscalls = s.syscallList();
        for (int i = 0; i < syscalls.size(); i++) {
            LinuxSyscall sc = syscalls.get(i);
            String at = p + ".syscalls[" + i + "]";
            if (sc.names() == null || sc.names().isEmpty()) {
                out.add(SpecProblem.error(at + ".names", "must contain at least one entry"));
            } else {
                for (int j = 0; j < sc.names().size(); j++) {
                    if (sc.names().get(j).isEmpty()) {
                        out.add(SpecProblem.error(at + ".names[" + j + "]", "must not be empty"));
                    }
                }
            }
            if (sc.action() == null || sc.action().isEmpty()) {
                out.add(SpecProblem.error(at + ".action", "is required"));
            } else if (!KnownValues.SECCOMP_ACTIONS.contains(sc.action())) {
                out.add(SpecProblem.error(at + ".action", "unknown action " + quote(sc.action())));
            } else if (sc.action().equals("SCMP_ACT_NOTIFY")) {
                notify = true;
            }
            errnoRet(sc.errnoRet(), sc.action(), at + ".errnoRet", out);
            List<LinuxSeccompArg> args = sc.args() == null ? List.of() : sc.args();
            for (int k = 0; k < args.size(); k++) {
                LinuxSeccompArg a = args.get(k);
                String aat = at + ".args[" + k + "]";
                if (a.index() == null) {
                    out.add(SpecProblem.error(aat + ".index", "is required"));
                } else if (a.index() > 5) {
                    out.add(SpecProblem.error(aat + ".index", a.index() + " is out of range (0 to 5)"));
                }
                if (a.value() == null) {
                    out.add(SpecProblem.error(aat + ".value", "is required"));
                }
                if (a.op() == null || a.op().isEmpty()) {
                    out.add(SpecProblem.error(aat + ".op", "is required"));
                } else if (!KnownValues.SECCOMP_OPERATORS.contains(a.op())) {
                    out.add(SpecProblem.error(aat + ".op", "unknown operator " + quote(a.op())));
                }
            }
        }
        boolean listener = s.listenerPath() != null && !s.listenerPath().isEmpty();
        if (!listener && s.listenerMetadata() != null && !s.listenerMetadata().isEmpty()) {
            out.add(SpecProblem.error(p + ".listenerMetadata", "must not be set without listenerPath"));
        }
        if (notify && !listener) {
            out.add(SpecProblem.error(p + ".listenerPath", "is required when SCMP_ACT_NOTIFY is used"));
        } else if (notify && !s.listenerPath().startsWith("/")) {
            // The spec ignores listenerPath without SCMP_ACT_NOTIFY, so only a path that will be used is checked.
            out.add(SpecProblem.error(p + ".listenerPath", quote(s.listenerPath()) + " must be an absolute path"));
        }
    }

    private static void errnoRet(Long errnoRet, String action, String path, List<SpecProblem> out) {
        if (errnoRet != null && action != null && KnownValues.SECCOMP_ACTIONS.contains(action)
                && !KnownValues.SECCOMP_ERRNO_ACTIONS.contains(action)) {
            out.add(SpecProblem.error(path, "only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not " + action));
        }
    }

    // ---------------------------------------------------------------- rootfsPropagation, paths

    static void rootfsPropagation(String value, List<SpecProblem> out) {
        if (value == null || value.isEmpty()) {
            return;
        }
        String plain = value.startsWith("r") ? value.substring(1) : value;
        if (!KnownValues.ROOTFS_PROPAGATIONS.contains(plain)) {
            out.add(SpecProblem.error("linux.rootfsPropagation", quote(value)
                    + " is not valid (shared, slave, private or unbindable)"));
        }
    }

    static void maskedAndReadonlyPaths(Linux linux, List<SpecProblem> out) {
        List<String> masked = linux.maskedPaths() == null ? List.of() : linux.maskedPaths();
        List<String> readonly = linux.readonlyPaths() == null ? List.of() : linux.readonlyPaths();
        for (int i = 0; i < masked.size(); i++) {
            absolute(masked.get(i), "linux.maskedPaths[" + i + "]", out);
        }
        for (int i = 0; i < readonly.size(); i++) {
            absolute(readonly.get(i), "linux.readonlyPaths[" + i + "]", out);
        }
        if ((!masked.isEmpty() || !readonly.isEmpty()) && !linux.hasNamespace(LinuxNamespace.MOUNT)) {
            out.add(SpecProblem.error(masked.isEmpty() ? "linux.readonlyPaths" : "linux.maskedPaths",
                    "unable to restrict sys entries without a private MNT namespace"));
        }
    }

    // ---------------------------------------------------------------- intelRdt, memoryPolicy, personality

    static void intelRdt(LinuxIntelRdt rdt, List<SpecProblem> out) {
        if (rdt == null) {
            return;
        }
        String clos = rdt.closID();
        if (clos != null && !clos.equals("/") && (clos.isEmpty() || clos.equals(".") || clos.equals("..")
                || clos.contains("/") || clos.contains("\n"))) {
            out.add(SpecProblem.error("linux.intelRdt.closID", quote(clos) + " is not a valid class of service name"));
        }
        if (rdt.l3CacheSchema() != null && rdt.l3CacheSchema().contains("\n")) {
            out.add(SpecProblem.error("linux.intelRdt.l3CacheSchema", "must not contain newlines"));
        }
        if (rdt.memBwSchema() != null && (!rdt.memBwSchema().startsWith("MB:") || rdt.memBwSchema().contains("\n"))) {
            out.add(SpecProblem.error("linux.intelRdt.memBwSchema", "must start with \"MB:\" and not contain newlines"));
        }
        if (rdt.schemata() != null) {
            for (int i = 0; i < rdt.schemata().size(); i++) {
                if (rdt.schemata().get(i).contains("\n")) {
                    out.add(SpecProblem.error("linux.intelRdt.schemata[" + i + "]", "must not contain newlines"));
                }
            }
        }
    }

    static void memoryPolicy(LinuxMemoryPolicy mp, List<SpecProblem> out) {
        if (mp == null) {
            return;
        }
        String p = "linux.memoryPolicy";
        String mode = mp.mode();
        if (mode == null || mode.isEmpty()) {
            out.add(SpecProblem.error(p + ".mode", "is required"));
        } else if (!KnownValues.MEMORY_POLICY_MODES.contains(mode)) {
            out.add(SpecProblem.error(p + ".mode", "unknown mode " + quote(mode)));
        }
        names(mp.flags(), KnownValues.MEMORY_POLICY_FLAGS, "flag", p + ".flags", out);
        List<String> flags = mp.flags() == null ? List.of() : mp.flags();
        if (flags.contains("MPOL_F_STATIC_NODES") && flags.contains("MPOL_F_RELATIVE_NODES")) {
            out.add(SpecProblem.error(p + ".flags", "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES cannot be used together"));
        }
        boolean nodes = mp.nodes() != null && !mp.nodes().isEmpty();
        if (nodes) {
            cpuList(mp.nodes(), p + ".nodes", out);
        }
        if (mode != null) {
            switch (mode) {
                case "MPOL_DEFAULT", "MPOL_LOCAL" -> {
                    if (nodes) {
                        out.add(SpecProblem.error(p + ".nodes", "must be empty for " + mode));
                    }
                }
                case "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED_MANY" -> {
                    if (!nodes) {
                        out.add(SpecProblem.error(p + ".nodes", "is required for " + mode));
                    }
                }
                default -> { }
            }
        }
    }

    static void personality(LinuxPersonality personality, List<SpecProblem> out) {
        if (personality == null) {
            return;
        }
        if (personality.domain() == null || personality.domain().isEmpty()) {
            out.add(SpecProblem.error("linux.personality.domain", "is required"));
        } else if (!KnownValues.PERSONALITY_DOMAINS.contains(personality.domain())) {
            out.add(SpecProblem.error("linux.personality.domain", "unknown domain " + quote(personality.domain())
                    + " (LINUX or LINUX32)"));
        }
        if (personality.flags() != null) {
            for (int i = 0; i < personality.flags().size(); i++) {
                out.add(SpecProblem.error("linux.personality.flags[" + i + "]", "unknown flag "
                        + quote(personality.flags().get(i)) + " (no flags are supported)"));
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static final Pattern CPU_LIST = Pattern.compile("\\s*\\d+(\\s*-\\s*\\d+)?(\\s*,\\s*\\d+(\\s*-\\s*\\d+)?)*\\s*");

    /** A list such as {@code "0-3,7"}; empty or absent is fine. Ranges must not run backwards. */
    static void cpuList(String list, String path, List<SpecProblem> out) {
        if (list == null || list.isBlank()) {
            return;
        }
        boolean ok = CPU_LIST.matcher(list).matches();
        if (ok) {
            for (String part : list.split(",")) {
                String[] ends = part.trim().split("\\s*-\\s*");
                if (ends.length == 2 && new BigInteger(ends[0]).compareTo(new BigInteger(ends[1])) > 0) {
                    ok = false;
                }
            }
        }
        if (!ok) {
            out.add(SpecProblem.error(path, quote(list) + " is not a valid list such as \"0-3,7\""));
        }
    }

    private static void names(List<String> values, List<String> known, String what, String path, List<SpecProblem> out) {
        if (values == null) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if (!known.contains(values.get(i))) {
                out.add(SpecProblem.error(path + "[" + i + "]", "unknown " + what + " " + quote(values.get(i))));
            }
        }
    }

    private static void absolute(String path, String field, List<SpecProblem> out) {
        if (path == null || !path.startsWith("/")) {
            out.add(SpecProblem.error(field, quote(path) + " is not an absolute path"));
        }
    }

    private static boolean nonZero(Long v) {
        return v != null && v != 0;
    }

    private static int indexOf(Linux linux, String type) {
        List<LinuxNamespace> list = linux.namespaceList();
        for (int i = 0; i < list.size(); i++) {
            if (type.equals(list.get(i).type())) {
                return i;
            }
        }
        return -1;
    }

    /** {@code ["key"]} for a map key in a problem path. */
    static String key(String key) {
        return "[" + quote(key) + "]";
    }

    /** A Go-like %q: the value in double quotes, with quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
