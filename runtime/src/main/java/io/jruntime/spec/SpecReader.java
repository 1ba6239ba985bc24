package io.jruntime.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the model from JSON text with jackson-core's streaming parser, one method per spec type, without
 * databind or the schema library (both cost more than a whole {@code create} may take on a cold JVM).
 * With {@code schema} on it enforces what the JSON schema of {@code spec-schemas} enforces on config.json
 * (types, integer widths, required properties, enums, patterns, ranges, minItems, the duplicate namespace
 * and rlimit types) and what the databind mapping enforced ({@link Json}); unknown properties are ignored.
 * The schema's wording is used for the schema's own rules ({@code is required}, {@code "x" is not one
 * of ...}), the mapping's for types and widths ({@code expected an integer, got string "abc"}). Paths are
 * the schema messages' ({@code linux.namespaces[2].type}, {@code annotations["com.example"]}).
 *
 * <p>Platforms other than Linux are not read: {@link #platformOtherThanLinux()} tells the caller that the
 * document has one, and the caller reads such a document the slow way (they hold raw JSON trees).
 */
final class SpecReader implements JsonCursor.Elements {

    static final List<String> OTHER_PLATFORMS = List.of("solaris", "windows", "vm", "zos", "freebsd");

    private static final Pattern SEMVER = Pattern.compile("^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)"
            + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$");
    private static final Pattern ABSOLUTE = Pattern.compile("^/");
    private static final Pattern CWD = Pattern.compile("^(/|[A-Za-z]:[\\\\/]|\\\\\\\\)");
    private static final Pattern CPU_LIST = Pattern.compile("^([0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*)?$");
    private static final Pattern RLIMIT_TYPE = Pattern.compile("^RLIMIT_[A-Z_]+$");
    private static final Pattern MEM_BW = Pattern.compile("^MB:[^\\n]*$");
    private static final Pattern ONE_LINE = Pattern.compile("^[^\\n]*$");
    private static final Pattern ACCESS = Pattern.compile("^[rwm]*$");
    private static final Pattern PAGE_SIZE = Pattern.compile("^[1-9][0-9]*[KMGTPE]B$");

    private static final String ABSOLUTE_PATH = "an absolute path (starting with /)";
    private static final String CPU_LIST_TEXT = "a list of CPUs or nodes such as 0-3,7 (comma-separated numbers and ranges)";

    private static final List<String> SECCOMP_ACTIONS = List.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
            "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",
            "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY");
    private static final List<String> SECCOMP_ARCHS = List.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
            "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
            "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
            "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
            "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");
    private static final List<String> SECCOMP_FLAGS = List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
    private static final List<String> SECCOMP_OPS = List.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",
            "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");
    private static final List<String> NAMESPACES = List.of("pid", "network", "mount", "ipc", "uts", "user",
            "cgroup", "time");
    private static final List<String> MPOL_MODES = List.of("MPOL_DEFAULT", "MPOL_BIND", "MPOL_INTERLEAVE",
            "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL");
    private static final List<String> MPOL_FLAGS = List.of("MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES",
            "MPOL_F_STATIC_NODES");
    private static final List<String> SCHED_POLICIES = List.of("SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",
            "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE");
    private static final List<String> SCHED_FLAGS = List.of("SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM",
            "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY", "SCHED_FLAG_KEEP_PARAMS",
            "SCHED_FLAG_UTIL_CLAMP_MIN", "SCHED_FLAG_UTIL_CLAMP_MAX");
    private static final List<String> IO_CLASSES = List.of("IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE");
    private static final List<String> PROPAGATIONS = List.of("shared", "slave", "private", "unbindable",
            "rshared", "rslave", "rprivate", "runbindable");
    private static final List<String> CLOCKS = List.of("monotonic", "boottime");

    // Element kinds of lists and maps (and whole documents), read by element(): an int and a switch rather than lambdas, which
    // a cold JVM (or an AOT cache trained on another config) pays a generated class for, each.
    static final int MOUNT = 0;
    static final int ID_MAPPING = 1;
    static final int STRING = 2;
    static final int HOOK = 3;
    static final int RLIMIT = 4;
    static final int DEVICE = 5;
    static final int NET_DEVICE = 6;
    static final int NAMESPACE = 7;
    static final int TIME_OFFSET = 8;
    static final int SYSCALL = 9;
    static final int SECCOMP_ARG = 10;
    static final int DEVICE_RULE = 11;
    static final int HUGEPAGE_LIMIT = 12;
    static final int RDMA = 13;
    static final int WEIGHT_DEVICE = 14;
    static final int THROTTLE_DEVICE = 15;
    static final int INTERFACE_PRIORITY = 16;
    static final int ADDITIONAL_GID = 17;
    static final int SCHED_FLAG = 18;
    static final int ABSOLUTE_PATH_STRING = 19;
    static final int SCHEMATA_LINE = 20;
    static final int MPOL_FLAG = 21;
    static final int SECCOMP_ARCH = 22;
    static final int SECCOMP_FLAG = 23;
    // whole documents
    static final int CONFIG = 24;
    static final int EXEC_PROCESS = 25;
    static final int RESOURCES = 26;
    static final int HOOKS = 27;

    @Override
    public Object element(int kind) {
        return switch (kind) {
            case MOUNT -> mount();
            case ID_MAPPING -> idMapping();
            case STRING -> c.string();
            case HOOK -> hook();
            case RLIMIT -> rlimit();
            case DEVICE -> device();
            case NET_DEVICE -> netDevice();
            case NAMESPACE -> namespace();
            case TIME_OFFSET -> timeOffset();
            case SYSCALL -> syscall();
            case SECCOMP_ARG -> seccompArg();
            case DEVICE_RULE -> deviceRule();
            case HUGEPAGE_LIMIT -> hugepageLimit();
            case RDMA -> rdma();
            case WEIGHT_DEVICE -> weightDevice();
            case THROTTLE_DEVICE -> throttleDevice();
            case INTERFACE_PRIORITY -> interfacePriority();
            case ADDITIONAL_GID -> nonNegative(c.int64());
            case SCHED_FLAG -> c.oneOf(c.string(), SCHED_FLAGS);
            case ABSOLUTE_PATH_STRING -> c.matching(c.string(), ABSOLUTE, ABSOLUTE_PATH);
            case SCHEMATA_LINE -> c.matching(c.string(), ONE_LINE, "a single line (no newline)");
            case MPOL_FLAG -> c.oneOf(c.string(), MPOL_FLAGS);
            case SECCOMP_ARCH -> c.oneOf(c.string(), SECCOMP_ARCHS);
            case SECCOMP_FLAG -> c.oneOf(c.string(), SECCOMP_FLAGS);
            case CONFIG -> spec();
            case EXEC_PROCESS -> process(false);
            case RESOURCES -> resources();
            case HOOKS -> hooks();
            default -> throw new IllegalArgumentException("element kind " + kind);
        };
    }

    private final JsonCursor c;
    private boolean otherPlatform;

    SpecReader(JsonCursor cursor) {
        this.c = cursor;
    }

    /** True when the document has a platform section other than linux (read it as a tree instead). */
    boolean platformOtherThanLinux() {
        return otherPlatform;
    }

    // ---------------------------------------------------------------- config.json

    Spec spec() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String ociVersion = null;
        Process process = null;
        Root root = null;
        String hostname = null;
        String domainname = null;
        List<Mount> mounts = null;
        Hooks hooks = null;
        Map<String, String> annotations = null;
        Linux linux = null;
        while (o.next()) {
            switch (o.name()) {
                case "ociVersion" -> ociVersion = c.matching(c.string(), SEMVER, "a SemVer 2.0.0 version such as 1.3.0");
                case "process" -> process = process(true);
                case "root" -> root = root();
                case "hostname" -> hostname = c.string();
                case "domainname" -> domainname = c.string();
                case "mounts" -> mounts = c.list(this, MOUNT);
                case "hooks" -> hooks = hooks();
                case "annotations" -> annotations = annotations();
                case "linux" -> linux = linux();
                default -> {
                    if (OTHER_PLATFORMS.contains(o.name())) {
                        otherPlatform = true;
                    }
                    o.skip();
                }
            }
        }
        o.require("ociVersion", "root");
        return new Spec(ociVersion, process, root, hostname, domainname, mounts, hooks, annotations, linux,
                null, null, null, null, null);
    }

    private Root root() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String path = null;
        Boolean readonly = null;
        while (o.next()) {
            switch (o.name()) {
                case "path" -> path = c.string();
                case "readonly" -> readonly = c.bool();
                default -> o.skip();
            }
        }
        o.require("path");
        return new Root(path, readonly);
    }

    private Mount mount() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String destination = null;
        String type = null;
        String source = null;
        List<String> options = null;
        List<LinuxIdMapping> uidMappings = null;
        List<LinuxIdMapping> gidMappings = null;
        while (o.next()) {
            switch (o.name()) {
                case "destination" -> destination = c.string();
                case "type" -> type = c.string();
                case "source" -> source = c.string();
                case "options" -> options = c.list(this, STRING);
                case "uidMappings" -> uidMappings = c.list(this, ID_MAPPING);
                case "gidMappings" -> gidMappings = c.list(this, ID_MAPPING);
                default -> o.skip();
            }
        }
        o.require("destination");
        o.dependent("gidMappings", "uidMappings");
        o.dependent("uidMappings", "gidMappings");
        return new Mount(destination, type, source, options, uidMappings, gidMappings);
    }

    private Map<String, String> annotations() {
        Map<String, String> annotations = c.map(this, STRING);
        if (c.schema && annotations != null && annotations.containsKey("")) {
            c.problem("keys must not be empty");
        }
        return annotations;
    }

    // ---------------------------------------------------------------- hooks

    Hooks hooks() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        List<Hook> prestart = null;
        List<Hook> createRuntime = null;
        List<Hook> createContainer = null;
        List<Hook> startContainer = null;
        List<Hook> poststart = null;
        List<Hook> poststop = null;
        while (o.next()) {
            switch (o.name()) {
                case "prestart" -> prestart = c.list(this, HOOK);
                case "createRuntime" -> createRuntime = c.list(this, HOOK);
                case "createContainer" -> createContainer = c.list(this, HOOK);
                case "startContainer" -> startContainer = c.list(this, HOOK);
                case "poststart" -> poststart = c.list(this, HOOK);
                case "poststop" -> poststop = c.list(this, HOOK);
                default -> o.skip();
            }
        }
        return new Hooks(prestart, createRuntime, createContainer, startContainer, poststart, poststop);
    }

    private Hook hook() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String path = null;
        List<String> args = null;
        List<String> env = null;
        Integer timeout = null;
        while (o.next()) {
            switch (o.name()) {
                case "path" -> path = c.matching(c.string(), ABSOLUTE, ABSOLUTE_PATH);
                case "args" -> args = c.list(this, STRING);
                case "env" -> env = c.list(this, STRING);
                case "timeout" -> timeout = c.within(c.int32(), 1, Integer.MAX_VALUE);
                default -> o.skip();
            }
        }
        o.require("path");
        return new Hook(path, args, env, timeout);
    }

    // ---------------------------------------------------------------- process

    /** {@code process}; {@code inConfig}: the config.json rules for a POSIX process (args, uid and gid required). */
    Process process(boolean inConfig) {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Boolean terminal = null;
        ConsoleSize consoleSize = null;
        User user = null;
        List<String> args = null;
        String commandLine = null;
        List<String> env = null;
        String cwd = null;
        LinuxCapabilities capabilities = null;
        List<PosixRlimit> rlimits = null;
        Boolean noNewPrivileges = null;
        String apparmorProfile = null;
        Integer oomScoreAdj = null;
        Scheduler scheduler = null;
        String selinuxLabel = null;
        IOPriority ioPriority = null;
        CPUAffinity execCPUAffinity = null;
        while (o.next()) {
            switch (o.name()) {
                case "terminal" -> terminal = c.bool();
                case "consoleSize" -> consoleSize = consoleSize();
                case "user" -> user = user(inConfig);
                case "args" -> args = c.atLeastOne(c.list(this, STRING));
                case "commandLine" -> commandLine = c.string();
                case "env" -> env = c.list(this, STRING);
                case "cwd" -> cwd = c.matching(c.string(), CWD, "an absolute path");
                case "capabilities" -> capabilities = capabilities();
                case "rlimits" -> rlimits = rlimits();
                case "noNewPrivileges" -> noNewPrivileges = c.bool();
                case "apparmorProfile" -> apparmorProfile = c.string();
                case "oomScoreAdj" -> oomScoreAdj = c.within(c.int32(), -1000, 1000);
                case "scheduler" -> scheduler = scheduler();
                case "selinuxLabel" -> selinuxLabel = c.string();
                case "ioPriority" -> ioPriority = ioPriority();
                case "execCPUAffinity" -> execCPUAffinity = cpuAffinity();
                default -> o.skip();
            }
        }
        o.require("cwd");
        if (inConfig) {
            o.require("args");
        }
        return new Process(terminal, consoleSize, user, args, commandLine, env, cwd, capabilities, rlimits,
                noNewPrivileges, apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity);
    }

    private ConsoleSize consoleSize() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Long height = null;
        Long width = null;
        while (o.next()) {
            switch (o.name()) {
                case "height" -> height = c.withinUnsigned(c.uint(64), 0xFFFF_FFFFL);
                case "width" -> width = c.withinUnsigned(c.uint(64), 0xFFFF_FFFFL);
                default -> o.skip();
            }
        }
        o.require("height", "width");
        return new ConsoleSize(height, width);
    }

    private User user(boolean inConfig) {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Long uid = null;
        Long gid = null;
        Long umask = null;
        List<Long> additionalGids = null;
        String username = null;
        while (o.next()) {
            switch (o.name()) {
                case "uid" -> uid = c.uint(32);
                case "gid" -> gid = c.uint(32);
                case "umask" -> umask = c.uint(32);
                // List<Long> without @Unsigned: a long for the mapping, a uint32 for the schema
                case "additionalGids" -> additionalGids = c.list(this, ADDITIONAL_GID);
                case "username" -> username = c.string();
                default -> o.skip();
            }
        }
        if (inConfig) {
            o.require("uid", "gid");
        }
        return new User(uid, gid, umask, additionalGids, username);
    }

    /** Schema {@code minimum: 0} on a value the mapping reads as a signed long. */
    private Long nonNegative(Long v) {
        if (c.schema && v != null && v < 0) {
            c.problem("must be at least 0, got " + v);
            return v;
        }
        return c.withinUnsigned(v, 0xFFFF_FFFFL);
    }

    private LinuxCapabilities capabilities() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        List<String> bounding = null;
        List<String> effective = null;
        List<String> inheritable = null;
        List<String> permitted = null;
        List<String> ambient = null;
        while (o.next()) {
            switch (o.name()) {
                case "bounding" -> bounding = c.list(this, STRING);
                case "effective" -> effective = c.list(this, STRING);
                case "inheritable" -> inheritable = c.list(this, STRING);
                case "permitted" -> permitted = c.list(this, STRING);
                case "ambient" -> ambient = c.list(this, STRING);
                default -> o.skip();
            }
        }
        return new LinuxCapabilities(bounding, effective, inheritable, permitted, ambient);
    }

    private List<PosixRlimit> rlimits() {
        List<PosixRlimit> rlimits = c.list(this, RLIMIT);
        if (rlimits != null) {
            List<String> types = new ArrayList<>();
            for (PosixRlimit r : rlimits) {
                types.add(r == null ? null : r.type());
            }
            duplicates(types, "process.rlimits", "rlimit");
        }
        return rlimits;
    }

    private PosixRlimit rlimit() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String type = null;
        Long hard = null;
        Long soft = null;
        while (o.next()) {
            switch (o.name()) {
                case "type" -> type = c.matching(c.string(), RLIMIT_TYPE, "a resource name such as RLIMIT_NOFILE");
                case "hard" -> hard = c.uint(64);
                case "soft" -> soft = c.uint(64);
                default -> o.skip();
            }
        }
        o.require("type", "soft", "hard");
        return new PosixRlimit(type, hard, soft);
    }

    private Scheduler scheduler() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String policy = null;
        Integer nice = null;
        Integer priority = null;
        List<String> flags = null;
        Long runtime = null;
        Long deadline = null;
        Long period = null;
        while (o.next()) {
            switch (o.name()) {
                case "policy" -> policy = c.oneOf(c.string(), SCHED_POLICIES);
                case "nice" -> nice = c.int32();
                case "priority" -> priority = c.int32();
                case "flags" -> flags = c.list(this, SCHED_FLAG);
                case "runtime" -> runtime = c.uint(64);
                case "deadline" -> deadline = c.uint(64);
                case "period" -> period = c.uint(64);
                default -> o.skip();
            }
        }
        o.require("policy");
        return new Scheduler(policy, nice, priority, flags, runtime, deadline, period);
    }

    private IOPriority ioPriority() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String ioClass = null;
        Integer priority = null;
        while (o.next()) {
            switch (o.name()) {
                case "class" -> ioClass = c.oneOf(c.string(), IO_CLASSES);
                case "priority" -> priority = c.within(c.int32(), 0, 7);
                default -> o.skip();
            }
        }
        o.require("class", "priority");
        return new IOPriority(ioClass, priority);
    }

    private CPUAffinity cpuAffinity() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String initial = null;
        String finalCpus = null;
        while (o.next()) {
            switch (o.name()) {
                case "initial" -> initial = c.matching(c.string(), CPU_LIST, CPU_LIST_TEXT);
                case "final" -> finalCpus = c.matching(c.string(), CPU_LIST, CPU_LIST_TEXT);
                default -> o.skip();
            }
        }
        return new CPUAffinity(initial, finalCpus);
    }

    // ---------------------------------------------------------------- linux

    private Linux linux() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        List<LinuxIdMapping> uidMappings = null;
        List<LinuxIdMapping> gidMappings = null;
        Map<String, String> sysctl = null;
        LinuxResources resources = null;
        String cgroupsPath = null;
        List<LinuxNamespace> namespaces = null;
        List<LinuxDevice> devices = null;
        Map<String, LinuxNetDevice> netDevices = null;
        LinuxSeccomp seccomp = null;
        String rootfsPropagation = null;
        List<String> maskedPaths = null;
        List<String> readonlyPaths = null;
        String mountLabel = null;
        LinuxIntelRdt intelRdt = null;
        LinuxMemoryPolicy memoryPolicy = null;
        LinuxPersonality personality = null;
        Map<String, LinuxTimeOffset> timeOffsets = null;
        while (o.next()) {
            switch (o.name()) {
                case "uidMappings" -> uidMappings = c.list(this, ID_MAPPING);
                case "gidMappings" -> gidMappings = c.list(this, ID_MAPPING);
                case "sysctl" -> sysctl = c.map(this, STRING);
                case "resources" -> resources = resources();
                case "cgroupsPath" -> cgroupsPath = c.string();
                case "namespaces" -> namespaces = namespaces();
                case "devices" -> devices = c.list(this, DEVICE);
                case "netDevices" -> netDevices = c.map(this, NET_DEVICE);
                case "seccomp" -> seccomp = seccomp();
                case "rootfsPropagation" -> rootfsPropagation = c.oneOf(c.string(), PROPAGATIONS);
                case "maskedPaths" -> maskedPaths = c.list(this, ABSOLUTE_PATH_STRING);
                case "readonlyPaths" -> readonlyPaths = c.list(this, ABSOLUTE_PATH_STRING);
                case "mountLabel" -> mountLabel = c.string();
                case "intelRdt" -> intelRdt = intelRdt();
                case "memoryPolicy" -> memoryPolicy = memoryPolicy();
                case "personality" -> personality = personality();
                case "timeOffsets" -> timeOffsets = timeOffsets();
                default -> o.skip();
            }
        }
        return new Linux(uidMappings, gidMappings, sysctl, resources, cgroupsPath, namespaces, devices, netDevices,
                seccomp, rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, memoryPolicy,
                personality, timeOffsets);
    }

    private LinuxIdMapping idMapping() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Long containerID = null;
        Long hostID = null;
        Long size = null;
        while (o.next()) {
            switch (o.name()) {
                case "containerID" -> containerID = c.uint(32);
                case "hostID" -> hostID = c.uint(32);
                case "size" -> size = c.uint(32);
                default -> o.skip();
            }
        }
        o.require("containerID", "hostID", "size");
        return new LinuxIdMapping(containerID, hostID, size);
    }

    private List<LinuxNamespace> namespaces() {
        List<LinuxNamespace> namespaces = c.list(this, NAMESPACE);
        if (namespaces != null) {
            List<String> types = new ArrayList<>();
            for (LinuxNamespace n : namespaces) {
                types.add(n == null ? null : n.type());
            }
            duplicates(types, "linux.namespaces", "namespace type");
        }
        return namespaces;
    }

    private LinuxNamespace namespace() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String type = null;
        String path = null;
        while (o.next()) {
            switch (o.name()) {
                case "type" -> type = c.oneOf(c.string(), NAMESPACES);
                case "path" -> path = c.matching(c.string(), ABSOLUTE, ABSOLUTE_PATH);
                default -> o.skip();
            }
        }
        o.require("type");
        return new LinuxNamespace(type, path);
    }

    /**
     * The schema's duplicate check (spec: "MUST generate an error") on entries read so far; list indexes
     * are the entries' positions, which holds because a list with a skipped entry already has a problem.
     */
    private void duplicates(List<String> types, String arrayPath, String what) {
        if (!c.schema) {
            return;
        }
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            if (type == null) {
                continue;
            }
            Integer earlier = first.putIfAbsent(type, i);
            if (earlier != null) {
                c.problemAt(i, "duplicate " + what + " " + JsonCursor.quoteJson(type) + " (already at " + arrayPath
                        + "[" + earlier + "])");
                // the problem belongs to the entry's type
                List<JsonCursor.Problem> problems = c.problems();
                JsonCursor.Problem last = problems.removeLast();
                List<Object> at = new ArrayList<>(last.path());
                at.add("type");
                problems.add(new JsonCursor.Problem(List.copyOf(at), last.message(), last.mappingOnly()));
            }
        }
    }

    private LinuxDevice device() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String path = null;
        String type = null;
        Long major = null;
        Long minor = null;
        Long fileMode = null;
        Long uid = null;
        Long gid = null;
        while (o.next()) {
            switch (o.name()) {
                case "path" -> path = c.matching(c.string(), ABSOLUTE, ABSOLUTE_PATH);
                case "type" -> type = c.oneOf(c.string(), List.of("c", "b", "u", "p"));
                case "major" -> major = c.int64();
                case "minor" -> minor = c.int64();
                case "fileMode" -> fileMode = c.uint(32);
                case "uid" -> uid = c.uint(32);
                case "gid" -> gid = c.uint(32);
                default -> o.skip();
            }
        }
        o.require("path", "type");
        if (!"p".equals(type)) {
            o.requireWhen(" unless type is p", "major", "minor");
        }
        return new LinuxDevice(path, type, major, minor, fileMode, uid, gid);
    }

    private LinuxNetDevice netDevice() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String name = null;
        while (o.next()) {
            if (o.name().equals("name")) {
                name = c.string();
            } else {
                o.skip();
            }
        }
        return new LinuxNetDevice(name);
    }

    private LinuxIntelRdt intelRdt() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String closID = null;
        String l3CacheSchema = null;
        String memBwSchema = null;
        List<String> schemata = null;
        Boolean enableMonitoring = null;
        while (o.next()) {
            switch (o.name()) {
                case "closID" -> closID = c.string();
                case "l3CacheSchema" -> l3CacheSchema = c.string();
                case "memBwSchema" -> memBwSchema = c.matching(c.string(), MEM_BW,
                        "a memory bandwidth schema starting with MB: on a single line");
                case "schemata" -> schemata = c.list(this, SCHEMATA_LINE);
                case "enableMonitoring" -> enableMonitoring = c.bool();
                default -> o.skip();
            }
        }
        return new LinuxIntelRdt(closID, l3CacheSchema, memBwSchema, schemata, enableMonitoring);
    }

    private LinuxMemoryPolicy memoryPolicy() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String mode = null;
        String nodes = null;
        List<String> flags = null;
        while (o.next()) {
            switch (o.name()) {
                case "mode" -> mode = c.oneOf(c.string(), MPOL_MODES);
                case "nodes" -> nodes = c.matching(c.string(), CPU_LIST, CPU_LIST_TEXT);
                case "flags" -> flags = c.list(this, MPOL_FLAG);
                default -> o.skip();
            }
        }
        o.require("mode");
        return new LinuxMemoryPolicy(mode, nodes, flags);
    }

    private LinuxPersonality personality() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String domain = null;
        List<String> flags = null;
        while (o.next()) {
            switch (o.name()) {
                case "domain" -> domain = c.oneOf(c.string(), List.of("LINUX", "LINUX32"));
                case "flags" -> flags = c.list(this, STRING);
                default -> o.skip();
            }
        }
        o.require("domain");
        return new LinuxPersonality(domain, flags);
    }

    private Map<String, LinuxTimeOffset> timeOffsets() {
        Map<String, LinuxTimeOffset> offsets = c.map(this, TIME_OFFSET);
        if (c.schema && offsets != null) {
            for (String clock : offsets.keySet()) {
                if (!CLOCKS.contains(clock)) {
                    c.problem("key " + JsonCursor.quoteJson(clock) + " is not one of monotonic, boottime");
                }
            }
        }
        return offsets;
    }

    private LinuxTimeOffset timeOffset() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Long secs = null;
        Long nanosecs = null;
        while (o.next()) {
            switch (o.name()) {
                case "secs" -> secs = c.int64();
                case "nanosecs" -> nanosecs = c.uint(32);
                default -> o.skip();
            }
        }
        return new LinuxTimeOffset(secs, nanosecs);
    }

    // ---------------------------------------------------------------- seccomp

    private LinuxSeccomp seccomp() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String defaultAction = null;
        Long defaultErrnoRet = null;
        List<String> architectures = null;
        List<String> flags = null;
        String listenerPath = null;
        String listenerMetadata = null;
        List<LinuxSyscall> syscalls = null;
        while (o.next()) {
            switch (o.name()) {
                case "defaultAction" -> defaultAction = c.oneOf(c.string(), SECCOMP_ACTIONS);
                case "defaultErrnoRet" -> defaultErrnoRet = c.uint(32);
                case "architectures" -> architectures = c.list(this, SECCOMP_ARCH);
                case "flags" -> flags = c.list(this, SECCOMP_FLAG);
                case "listenerPath" -> listenerPath = c.string();
                case "listenerMetadata" -> listenerMetadata = c.string();
                case "syscalls" -> syscalls = c.list(this, SYSCALL);
                default -> o.skip();
            }
        }
        o.require("defaultAction");
        o.dependent("listenerPath", "listenerMetadata");
        return new LinuxSeccomp(defaultAction, defaultErrnoRet, architectures, flags, listenerPath, listenerMetadata,
                syscalls);
    }

    private LinuxSyscall syscall() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        List<String> names = null;
        String action = null;
        Long errnoRet = null;
        List<LinuxSeccompArg> args = null;
        while (o.next()) {
            switch (o.name()) {
                case "names" -> names = c.atLeastOne(c.list(this, STRING));
                case "action" -> action = c.oneOf(c.string(), SECCOMP_ACTIONS);
                case "errnoRet" -> errnoRet = c.uint(32);
                case "args" -> args = c.list(this, SECCOMP_ARG);
                default -> o.skip();
            }
        }
        o.require("names", "action");
        return new LinuxSyscall(names, action, errnoRet, args);
    }

    private LinuxSeccompArg seccompArg() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Long index = null;
        Long value = null;
        Long valueTwo = null;
        String op = null;
        while (o.next()) {
            switch (o.name()) {
                case "index" -> index = c.withinUnsigned(c.uint(32), 5);
                case "value" -> value = c.uint(64);
                case "valueTwo" -> valueTwo = c.uint(64);
                case "op" -> op = c.oneOf(c.string(), SECCOMP_OPS);
                default -> o.skip();
            }
        }
        o.require("index", "value", "op");
        return new LinuxSeccompArg(index, value, valueTwo, op);
    }

    // ---------------------------------------------------------------- resources

    LinuxResources resources() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        List<LinuxDeviceCgroup> devices = null;
        LinuxMemory memory = null;
        LinuxCpu cpu = null;
        LinuxPids pids = null;
        LinuxBlockIO blockIO = null;
        List<LinuxHugepageLimit> hugepageLimits = null;
        LinuxNetwork network = null;
        Map<String, LinuxRdma> rdma = null;
        Map<String, String> unified = null;
        while (o.next()) {
            switch (o.name()) {
                case "devices" -> devices = c.list(this, DEVICE_RULE);
                case "memory" -> memory = memory();
                case "cpu" -> cpu = cpu();
                case "pids" -> pids = pids();
                case "blockIO" -> blockIO = blockIO();
                case "hugepageLimits" -> hugepageLimits = c.list(this, HUGEPAGE_LIMIT);
                case "network" -> network = network();
                case "rdma" -> rdma = c.map(this, RDMA);
                case "unified" -> unified = c.map(this, STRING);
                default -> o.skip();
            }
        }
        return new LinuxResources(devices, memory, cpu, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    private LinuxDeviceCgroup deviceRule() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Boolean allow = null;
        String type = null;
        Long major = null;
        Long minor = null;
        String access = null;
        while (o.next()) {
            switch (o.name()) {
                case "allow" -> allow = c.bool();
                case "type" -> type = c.oneOf(c.string(), List.of("a", "c", "b"));
                case "major" -> major = c.int64();
                case "minor" -> minor = c.int64();
                case "access" -> access = c.matching(c.string(), ACCESS, "a combination of r, w and m");
                default -> o.skip();
            }
        }
        o.require("allow");
        return new LinuxDeviceCgroup(allow, type, major, minor, access);
    }

    private LinuxMemory memory() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Long limit = null;
        Long reservation = null;
        Long swap = null;
        Long kernel = null;
        Long kernelTCP = null;
        Long swappiness = null;
        Boolean disableOOMKiller = null;
        Boolean useHierarchy = null;
        Boolean checkBeforeUpdate = null;
        while (o.next()) {
            switch (o.name()) {
                case "limit" -> limit = c.int64();
                case "reservation" -> reservation = c.int64();
                case "swap" -> swap = c.int64();
                case "kernel" -> kernel = c.int64();
                case "kernelTCP" -> kernelTCP = c.int64();
                case "swappiness" -> swappiness = c.withinUnsigned(c.uint(64), 100);
                case "disableOOMKiller" -> disableOOMKiller = c.bool();
                case "useHierarchy" -> useHierarchy = c.bool();
                case "checkBeforeUpdate" -> checkBeforeUpdate = c.bool();
                default -> o.skip();
            }
        }
        return new LinuxMemory(limit, reservation, swap, kernel, kernelTCP, swappiness, disableOOMKiller,
                useHierarchy, checkBeforeUpdate);
    }

    private LinuxCpu cpu() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Long shares = null;
        Long quota = null;
        Long burst = null;
        Long period = null;
        Long realtimeRuntime = null;
        Long realtimePeriod = null;
        String cpus = null;
        String mems = null;
        Long idle = null;
        while (o.next()) {
            switch (o.name()) {
                case "shares" -> shares = c.uint(64);
                case "quota" -> quota = c.int64();
                case "burst" -> burst = c.uint(64);
                case "period" -> period = c.uint(64);
                case "realtimeRuntime" -> realtimeRuntime = c.int64();
                case "realtimePeriod" -> realtimePeriod = c.uint(64);
                case "cpus" -> cpus = c.matching(c.string(), CPU_LIST, CPU_LIST_TEXT);
                case "mems" -> mems = c.matching(c.string(), CPU_LIST, CPU_LIST_TEXT);
                case "idle" -> idle = c.int64();
                default -> o.skip();
            }
        }
        return new LinuxCpu(shares, quota, burst, period, realtimeRuntime, realtimePeriod, cpus, mems, idle);
    }

    private LinuxPids pids() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Long limit = null;
        while (o.next()) {
            if (o.name().equals("limit")) {
                limit = c.int64();
            } else {
                o.skip();
            }
        }
        return new LinuxPids(limit);
    }

    private LinuxBlockIO blockIO() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Long weight = null;
        Long leafWeight = null;
        List<LinuxWeightDevice> weightDevice = null;
        List<LinuxThrottleDevice> readBps = null;
        List<LinuxThrottleDevice> writeBps = null;
        List<LinuxThrottleDevice> readIops = null;
        List<LinuxThrottleDevice> writeIops = null;
        while (o.next()) {
            switch (o.name()) {
                case "weight" -> weight = c.uint(16);
                case "leafWeight" -> leafWeight = c.uint(16);
                case "weightDevice" -> weightDevice = c.list(this, WEIGHT_DEVICE);
                case "throttleReadBpsDevice" -> readBps = c.list(this, THROTTLE_DEVICE);
                case "throttleWriteBpsDevice" -> writeBps = c.list(this, THROTTLE_DEVICE);
                case "throttleReadIOPSDevice" -> readIops = c.list(this, THROTTLE_DEVICE);
                case "throttleWriteIOPSDevice" -> writeIops = c.list(this, THROTTLE_DEVICE);
                default -> o.skip();
            }
        }
        return new LinuxBlockIO(weight, leafWeight, weightDevice, readBps, writeBps, readIops, writeIops);
    }

    private LinuxWeightDevice weightDevice() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Long major = null;
        Long minor = null;
        Long weight = null;
        Long leafWeight = null;
        while (o.next()) {
            switch (o.name()) {
                case "major" -> major = c.int64();
                case "minor" -> minor = c.int64();
                case "weight" -> weight = c.uint(16);
                case "leafWeight" -> leafWeight = c.uint(16);
                default -> o.skip();
            }
        }
        o.require("major", "minor");
        o.requireOne("weight", "leafWeight");
        return new LinuxWeightDevice(major, minor, weight, leafWeight);
    }

    private LinuxThrottleDevice throttleDevice() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Long major = null;
        Long minor = null;
        Long rate = null;
        while (o.next()) {
            switch (o.name()) {
                case "major" -> major = c.int64();
                case "minor" -> minor = c.int64();
                case "rate" -> rate = c.uint(64);
                default -> o.skip();
            }
        }
        o.require("major", "minor", "rate");
        return new LinuxThrottleDevice(major, minor, rate);
    }

    private LinuxHugepageLimit hugepageLimit() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String pageSize = null;
        Long limit = null;
        while (o.next()) {
            switch (o.name()) {
                case "pageSize" -> pageSize = c.matching(c.string(), PAGE_SIZE,
                        "a page size such as 64KB, 2MB or 1GB (a number, then K, M, G, T, P or E, then B)");
                case "limit" -> limit = c.uint(64);
                default -> o.skip();
            }
        }
        o.require("pageSize", "limit");
        return new LinuxHugepageLimit(pageSize, limit);
    }

    private LinuxNetwork network() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Long classID = null;
        List<LinuxInterfacePriority> priorities = null;
        while (o.next()) {
            switch (o.name()) {
                case "classID" -> classID = c.uint(32);
                case "priorities" -> priorities = c.list(this, INTERFACE_PRIORITY);
                default -> o.skip();
            }
        }
        return new LinuxNetwork(classID, priorities);
    }

    private LinuxInterfacePriority interfacePriority() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        String name = null;
        Long priority = null;
        while (o.next()) {
            switch (o.name()) {
                case "name" -> name = c.string();
                case "priority" -> priority = c.uint(32);
                default -> o.skip();
            }
        }
        o.require("name", "priority");
        return new LinuxInterfacePriority(name, priority);
    }

    private LinuxRdma rdma() {
        JsonCursor.Obj o = c.object();
        if (o == null) {
            return null;
        }
        Long hcaHandles = null;
        Long hcaObjects = null;
        while (o.next()) {
            switch (o.name()) {
                case "hcaHandles" -> hcaHandles = c.uint(32);
                case "hcaObjects" -> hcaObjects = c.uint(32);
                default -> o.skip();
            }
        }
        o.requireOne("hcaHandles", "hcaObjects");
        return new LinuxRdma(hcaHandles, hcaObjects);
    }
}
