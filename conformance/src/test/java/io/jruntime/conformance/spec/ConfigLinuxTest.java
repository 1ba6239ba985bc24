package io.jruntime.conformance.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.conformance.Bundle;
import io.jruntime.conformance.CommandResult;
import io.jruntime.conformance.Exec;
import io.jruntime.conformance.Host;
import io.jruntime.conformance.Json;
import io.jruntime.conformance.Level;
import io.jruntime.conformance.Probe;
import io.jruntime.conformance.Requirement;
import io.jruntime.conformance.Settings;
import io.jruntime.conformance.SpecFile;
import io.jruntime.conformance.SpecTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * config-linux.md: namespaces (new, inherited, joined by path), user namespace mappings, time
 * offsets, devices and default devices, sysctl, seccomp, masked and read-only paths, rootfs
 * propagation, mount label, personality, AppArmor and SELinux labels.
 */
@SpecFile("config-linux.md")
class ConfigLinuxTest extends SpecTest {
    /** spec namespace type -> /proc/PID/ns name */
    static final Map<String, String> NS = new LinkedHashMap<>();

    static {
        NS.put("pid", "pid");
        NS.put("network", "net");
        NS.put("ipc", "ipc");
        NS.put("uts", "uts");
        NS.put("mount", "mnt");
        NS.put("cgroup", "cgroup");
        NS.put("user", "user");
        NS.put("time", "time");
    }

    private static ObjectNode mapping(long container, long host, long size) {
        return Json.object().put("containerID", container).put("hostID", host).put("size", size);
    }

    private static void userMappings(Bundle b) {
        b.linux().putArray("uidMappings").add(mapping(0, 100000, 65536));
        b.linux().putArray("gidMappings").add(mapping(0, 100000, 65536));
    }

    private static void expectCheck(JsonNode check, boolean ok, String errno, String what) {
        assertFalse(check.isMissingNode(), "the probe did not report " + what);
        if (ok) {
            assertTrue(check.path("ok").asBoolean(), what + " failed: " + check.path("error").asText());
        } else {
            assertFalse(check.path("ok").asBoolean(), what + " succeeded");
            if (errno != null) {
                assertEquals(errno, check.path("error").asText(), what + ": errno");
            }
        }
    }

    // ---------------------------------------------------------------- namespaces

    @TestFactory
    @Requirement(id = "config-linux.md#namespaces/new", text = "if path is not specified, the runtime MUST create a new container namespace of type")
    List<DynamicTest> newNamespaces() {
        Map<String, Executable> checks = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : NS.entrySet()) {
            String type = e.getKey();
            String proc = e.getValue();
            checks.put(type + ": a namespace entry without path MUST create a new " + type + " namespace", () -> {
                assumeTrue(Host.namespace(proc) != null, "the kernel has no " + type + " namespaces");
                Bundle b = bundle();
                b.namespace(type, null);
                if (type.equals("user")) {
                    userMappings(b);
                }
                Probe p = run(b);
                assertNotEquals(Host.namespace(proc), p.ns(proc), type + " namespace is the runtime's");
                if (type.equals("pid")) {
                    assertEquals(1, p.pid(), "pid of the container process in its new pid namespace");
                }
                if (type.equals("cgroup")) {
                    for (String line : p.cgroupLines()) {
                        assertTrue(line.endsWith(":/"), "in a new cgroup namespace the container's cgroup is its root: " + line);
                    }
                }
            });
        }
        return checks(() -> {}, checks);
    }

    @TestFactory
    @Requirement(id = "config-linux.md#namespaces/inherit", text = "if a namespace type is not specified, the container MUST inherit the runtime namespace of that type")
    List<DynamicTest> inheritedNamespaces() {
        Probe[] p = {null};
        List<String> types = List.of("network", "ipc", "uts", "cgroup", "time", "user");
        Map<String, Executable> checks = new LinkedHashMap<>();
        for (String type : types) {
            String proc = NS.get(type);
            checks.put(type + ": with no " + type + " entry the container MUST be in the runtime's " + type + " namespace", () -> {
                assumeTrue(Host.namespace(proc) != null, "the kernel has no " + type + " namespaces");
                assertEquals(Host.namespace(proc), p[0].ns(proc), type + " namespace");
            });
        }
        return checks(() -> {
            Bundle b = bundle();
            types.forEach(b::withoutNamespace);
            b.config().remove("hostname");
            p[0] = run(b);
        }, checks);
    }

    /** A host process (ours) in new namespaces of the given unshare(1) flags; returns the pid inside them. */
    private long holder(String... unshareFlags) {
        boolean fork = List.of(unshareFlags).contains("--fork");
        List<String> c = new java.util.ArrayList<>(List.of("unshare"));
        c.addAll(List.of(unshareFlags));
        if (fork) {
            c.add("--kill-child"); // the forked sleep dies with unshare, which cleanup stops by pid
        }
        c.add("sleep");
        c.add("120");
        String[] cmd = c.toArray(String[]::new);
        Process p = helper(cmd);
        long[] pid = {p.pid()};
        waitFor(() -> {
            if (fork) {
                String children = Host.readTrim(Path.of("/proc/" + p.pid() + "/task/" + p.pid() + "/children"));
                if (children.isEmpty()) {
                    return false;
                }
                pid[0] = Long.parseLong(children.split(" ")[0]);
            }
            return Exec.read(Path.of("/proc/" + pid[0] + "/cmdline")).startsWith("sleep");
        }, "the namespace holder " + String.join(" ", cmd));
        return pid[0];
    }

    @TestFactory
    @Requirement(id = "config-linux.md#namespaces/path", text = "the runtime MUST place the container process in the namespace associated with path")
    List<DynamicTest> joinNamespaces() {
        Map<String, String[]> flags = new LinkedHashMap<>();
        flags.put("network", new String[] {"--net"});
        flags.put("ipc", new String[] {"--ipc"});
        flags.put("uts", new String[] {"--uts"});
        flags.put("pid", new String[] {"--pid", "--fork"});
        flags.put("mount", new String[] {"--mount"});
        flags.put("cgroup", new String[] {"--cgroup"});
        flags.put("time", new String[] {"--time", "--fork"});
        Map<String, Executable> checks = new LinkedHashMap<>();
        flags.forEach((type, f) -> checks.put(type + ": with path, the container MUST join that " + type + " namespace", () -> {
            String proc = NS.get(type);
            assumeTrue(Host.namespace(proc) != null, "the kernel has no " + type + " namespaces");
            long pid = holder(f);
            String target = Host.namespaceOf(pid, proc);
            Bundle b = bundle();
            b.namespace(type, "/proc/" + pid + "/ns/" + proc);
            if (type.equals("uts")) {
                b.config().remove("hostname");
            }
            Probe p = run(b);
            assertEquals(target, p.ns(proc), type + " namespace of the container");
        }));
        return checks(() -> {}, checks);
    }

    @Test
    @Requirement(id = "config-linux.md#namespaces/path-wrong-type", text = "the runtime MUST generate an error if path is not associated with a namespace of type")
    void namespacePathOfWrongTypeFails() {
        long pid = holder("--uts");
        Bundle b = bundle();
        b.namespace("network", "/proc/" + pid + "/ns/uts");
        expectError(container(b).create(), "create joining a uts namespace file as the network namespace");
    }

    @Test
    @Requirement(id = "config-linux.md#namespaces/path-absolute", text = "namespace path MUST be an absolute path in the runtime mount namespace (runtimes MUST generate an error on invalid values)")
    void relativeNamespacePathFails() {
        long pid = holder("--net");
        Bundle b = bundle();
        b.namespace("network", "proc/" + pid + "/ns/net");
        expectError(container(b).create(), "create with a relative namespace path");
    }

    @Test
    @Requirement(id = "config-linux.md#namespaces/duplicate", text = "if namespaces contains duplicated namespaces with the same type, the runtime MUST generate an error")
    void duplicateNamespaceFails() {
        Bundle b = bundle();
        b.namespaces().addObject().put("type", "network");
        expectError(container(b).create(), "create with two network namespace entries");
    }

    // ---------------------------------------------------------------- user namespace mappings

    @Test
    @Requirement(id = "config-linux.md#user-namespace-mappings", text = "uidMappings/gidMappings describe the user namespace mappings from the host to the container")
    void userNamespaceMappings() {
        Bundle b = bundle();
        b.namespace("user", null);
        userMappings(b);
        Probe p = run(b);
        assertEquals(List.of("0", "100000", "65536"), List.of(p.text("uid_map").strip().split("\\s+")), "uid_map");
        assertEquals(List.of("0", "100000", "65536"), List.of(p.text("gid_map").strip().split("\\s+")), "gid_map");
        assertEquals(0, p.json().path("uid").path("effective").asInt(), "uid in the container");
    }

    @Test
    @Requirement(id = "config-linux.md#user-namespace-mappings/ownership", level = Level.SHOULD, text = "the runtime SHOULD NOT modify the ownership of referenced filesystems to realize the mapping")
    void userNamespaceKeepsOwnership() throws Exception {
        Bundle b = bundle();
        b.namespace("user", null);
        userMappings(b);
        run(b);
        assertEquals(0, Files.getAttribute(b.rootfs(), "unix:uid"), "owner of the rootfs after the run");
        assertEquals(0, Files.getAttribute(b.rootfs().resolve("bin/probe"), "unix:uid"), "owner of /bin/probe after the run");
    }

    // ---------------------------------------------------------------- time offsets

    private static long[] hostClocks() {
        CommandResult r = Exec.run(List.of(Settings.probe().toString()), Settings.workDir(), Duration.ofSeconds(10));
        JsonNode j = Json.parseOrNull(r.stdout());
        if (j == null) {
            fail("cannot read the host's clocks with the probe: " + r.describe());
        }
        return new long[] {j.path("clocks").path("monotonic").path("secs").asLong(), j.path("clocks").path("boottime").path("secs").asLong()};
    }

    @Test
    @Requirement(id = "config-linux.md#time-offsets", text = "timeOffsets set the offsets of the monotonic and boottime clocks in the time namespace")
    void timeOffsets() {
        assumeTrue(Host.timeNamespaces(), "the kernel has no time namespaces");
        Bundle b = bundle();
        b.namespace("time", null);
        ObjectNode off = b.linux().putObject("timeOffsets");
        off.putObject("monotonic").put("secs", 172800).put("nanosecs", 0);
        off.putObject("boottime").put("secs", 604800).put("nanosecs", 0);
        long[] before = hostClocks();
        Probe p = run(b);
        long[] after = hostClocks();
        long mono = p.json().path("clocks").path("monotonic").path("secs").asLong();
        long boot = p.json().path("clocks").path("boottime").path("secs").asLong();
        assertTrue(mono >= before[0] + 172800 - 1 && mono <= after[0] + 172800 + 1,
                "monotonic clock in the container " + mono + " s, host " + before[0] + ".." + after[0] + " s, offset 172800 s");
        assertTrue(boot >= before[1] + 604800 - 1 && boot <= after[1] + 604800 + 1,
                "boottime clock in the container " + boot + " s, host " + before[1] + ".." + after[1] + " s, offset 604800 s");
    }

    // ---------------------------------------------------------------- devices

    @Test
    @Requirement(id = "config-linux.md#devices", text = "devices MUST be available in the container, with type, major, minor, fileMode, uid and gid, anywhere in the filesystem")
    void devices() {
        Bundle b = bundle();
        ArrayNode d = b.linux().putArray("devices");
        d.addObject().put("path", "/dev/conformance-null").put("type", "c").put("major", 1).put("minor", 3)
                .put("fileMode", 416).put("uid", 1000).put("gid", 1001);
        d.addObject().put("path", "/dev/conformance-loop").put("type", "b").put("major", 7).put("minor", 0)
                .put("fileMode", 432).put("uid", 0).put("gid", 0);
        d.addObject().put("path", "/dev/conformance-fifo").put("type", "p").put("fileMode", 420);
        d.addObject().put("path", "/opt/outside-dev").put("type", "c").put("major", 1).put("minor", 5);
        Probe p = run(b.args("/bin/probe", "--stat", "/dev/conformance-null", "--stat", "/dev/conformance-loop",
                "--stat", "/dev/conformance-fifo", "--stat", "/opt/outside-dev"));
        expectDevice(p, "/dev/conformance-null", "c", 1, 3, 416, 1000, 1001);
        expectDevice(p, "/dev/conformance-loop", "b", 7, 0, 432, 0, 0);
        expectDevice(p, "/dev/conformance-fifo", "p", -1, -1, 420, -1, -1);
        expectDevice(p, "/opt/outside-dev", "c", 1, 5, -1, -1, -1);
    }

    private static void expectDevice(Probe p, String path, String type, int major, int minor, int mode, int uid, int gid) {
        JsonNode s = p.check("--stat", path).path("stat");
        assertTrue(s.path("exists").asBoolean(), path + " does not exist in the container");
        assertEquals(type, s.path("type").asText(), path + " type");
        if (major >= 0) {
            assertEquals(major + ":" + minor, s.path("major").asInt() + ":" + s.path("minor").asInt(), path + " major:minor");
        }
        if (mode >= 0) {
            assertEquals(Integer.toOctalString(mode), Integer.toOctalString(s.path("mode").asInt()), path + " file mode (octal)");
        }
        if (uid >= 0) {
            assertEquals(uid + ":" + gid, s.path("uid").asInt() + ":" + s.path("gid").asInt(), path + " owner");
        }
    }

    @Test
    @Requirement(id = "config-linux.md#devices/existing-file", text = "if a file already exists at path that does not match the requested device, the runtime MUST generate an error")
    void deviceOverMismatchingFileFails() throws Exception {
        Bundle b = bundle();
        Files.createDirectories(b.rootfs().resolve("opt"));
        Files.writeString(b.rootfs().resolve("opt/existing"), "a regular file");
        b.linux().putArray("devices").addObject().put("path", "/opt/existing").put("type", "c").put("major", 1).put("minor", 3);
        expectError(container(b).create(), "create with a device over an existing regular file");
    }

    @TestFactory
    @Requirement(id = "config-linux.md#default-devices", text = "the runtime MUST supply the default device")
    List<DynamicTest> defaultDevices() {
        Probe[] p = {null};
        Map<String, int[]> devs = new LinkedHashMap<>();
        devs.put("/dev/null", new int[] {1, 3});
        devs.put("/dev/zero", new int[] {1, 5});
        devs.put("/dev/full", new int[] {1, 7});
        devs.put("/dev/random", new int[] {1, 8});
        devs.put("/dev/urandom", new int[] {1, 9});
        devs.put("/dev/tty", new int[] {5, 0});
        Map<String, Executable> checks = new LinkedHashMap<>();
        devs.forEach((path, mm) -> checks.put(path.substring(5) + ": the runtime MUST supply " + path + " (char " + mm[0] + ":" + mm[1] + ", usable)", () -> {
            JsonNode d = p[0].device(path);
            assertTrue(d.path("exists").asBoolean(), path + " is missing");
            assertEquals("c", d.path("type").asText(), path + " is not a character device: " + d);
            assertEquals(mm[0] + ":" + mm[1], d.path("major").asInt() + ":" + d.path("minor").asInt(), path + " major:minor");
            if (!path.equals("/dev/tty")) { // opening /dev/tty without a controlling terminal fails with ENXIO
                expectCheck(p[0].check("--open", path), true, null, "opening " + path);
            }
        }));
        checks.put("ptmx: the runtime MUST supply /dev/ptmx, a bind-mount or symlink of the container's /dev/pts/ptmx", () -> {
            JsonNode d = p[0].device("/dev/ptmx");
            assertTrue(d.path("exists").asBoolean(), "/dev/ptmx is missing");
            if (d.path("type").asText().equals("l")) {
                assertTrue(List.of("pts/ptmx", "/dev/pts/ptmx").contains(d.path("link").asText()), "/dev/ptmx links to " + d.path("link"));
            } else {
                assertEquals("c", d.path("type").asText(), "/dev/ptmx type");
                assertEquals("5:2", d.path("major").asInt() + ":" + d.path("minor").asInt(), "/dev/ptmx major:minor");
                JsonNode m = p[0].mountAt("/dev/ptmx");
                assertNotNull(m, "/dev/ptmx is a device node, neither a symlink nor a bind mount of /dev/pts/ptmx");
            }
        });
        return checks(() -> {
            String[] args = devs.keySet().stream().flatMap(d -> java.util.stream.Stream.of("--open", d)).toArray(String[]::new);
            p[0] = run(bundle(args));
        }, checks);
    }

    @Test
    @Requirement(id = "config-linux.md#default-devices/console", text = "/dev/console is set up if terminal is enabled, by bind mounting the pseudoterminal pty to /dev/console")
    void consoleWithTerminal() {
        Probe p = Terminal.run(bundle(), work, this::helper, this::container,
                sock -> waitFor(() -> Files.exists(Path.of(sock)), "the console socket"));
        JsonNode c = p.device("/dev/console");
        assertTrue(c.path("exists").asBoolean(), "/dev/console is missing");
        assertEquals("c", c.path("type").asText(), "/dev/console type");
        assertEquals(136, c.path("major").asInt(), "/dev/console is not a pseudoterminal (major 136): " + c);
        assertNotNull(p.mountAt("/dev/console"), "/dev/console is not a bind mount");
    }

    // ---------------------------------------------------------------- sysctl

    @Test
    @Requirement(id = "config-linux.md#sysctl", text = "sysctl: kernel parameters are modified at runtime for the container")
    void sysctl() {
        String hostForward = Host.readTrim(Path.of("/proc/sys/net/ipv4/ip_forward"));
        String hostShmmni = Host.readTrim(Path.of("/proc/sys/kernel/shmmni"));
        Bundle b = bundle("--sysctl", "net.ipv4.ip_forward", "--sysctl", "kernel.shmmni");
        String forward = hostForward.equals("1") ? "0" : "1";
        b.linux().putObject("sysctl").put("net.ipv4.ip_forward", forward).put("kernel.shmmni", "1234");
        Probe p = run(b);
        assertEquals(forward, p.check("--sysctl", "net.ipv4.ip_forward").path("value").asText(), "net.ipv4.ip_forward in the container");
        assertEquals("1234", p.check("--sysctl", "kernel.shmmni").path("value").asText(), "kernel.shmmni in the container");
        assertEquals(hostForward, Host.readTrim(Path.of("/proc/sys/net/ipv4/ip_forward")), "the host's net.ipv4.ip_forward changed");
        assertEquals(hostShmmni, Host.readTrim(Path.of("/proc/sys/kernel/shmmni")), "the host's kernel.shmmni changed");
    }

    // ---------------------------------------------------------------- seccomp

    private static ObjectNode seccomp(Bundle b) {
        ObjectNode s = b.linux().putObject("seccomp");
        s.put("defaultAction", "SCMP_ACT_ALLOW");
        s.set("architectures", Json.array("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"));
        return s;
    }

    @TestFactory
    @Requirement(id = "config-linux.md#seccomp", text = "seccomp")
    List<DynamicTest> seccompErrno() {
        Probe[] p = {null};
        Map<String, Executable> checks = new LinkedHashMap<>();
        checks.put("errno-ret: a syscall rule with SCMP_ACT_ERRNO and errnoRet makes the syscall fail with that errno", () -> {
            expectCheck(p[0].check("--mkdir", "/tmp/seccomp-dir"), false, "EXDEV", "mkdir under an SCMP_ACT_ERRNO rule with errnoRet 18");
            assertEquals("2", p[0].status("Seccomp"), "Seccomp mode in /proc/self/status (2 = filter)");
        });
        checks.put("errno-default: without errnoRet, SCMP_ACT_ERRNO returns EPERM (the default)", () ->
                expectCheck(p[0].check("--symlink", "/tmp/seccomp-link"), false, "EPERM", "symlink under an SCMP_ACT_ERRNO rule without errnoRet"));
        return checks(() -> {
            Bundle b = bundle("--mkdir", "/tmp/seccomp-dir", "--symlink", "/tmp/seccomp-link");
            ArrayNode rules = seccomp(b).putArray("syscalls");
            ObjectNode r1 = rules.addObject();
            r1.set("names", Json.array("mkdir", "mkdirat"));
            r1.put("action", "SCMP_ACT_ERRNO").put("errnoRet", 18);
            ObjectNode r2 = rules.addObject();
            r2.set("names", Json.array("symlink", "symlinkat"));
            r2.put("action", "SCMP_ACT_ERRNO");
            p[0] = run(b);
        }, checks);
    }

    @Test
    @Requirement(id = "config-linux.md#seccomp/errno-unsupported", text = "when the action doesn't support an errno, the runtime MUST print an error and fail")
    void errnoRetWithKillFails() {
        Bundle b = bundle();
        ObjectNode r = seccomp(b).putArray("syscalls").addObject();
        r.set("names", Json.array("mkdirat"));
        r.put("action", "SCMP_ACT_KILL").put("errnoRet", 1);
        expectError(container(b).create(), "create with errnoRet on an SCMP_ACT_KILL rule");
    }

    @Test
    @Requirement(id = "config-linux.md#seccomp/names-non-empty", text = "syscall names MUST contain at least one entry (runtimes MUST generate an error on invalid values)")
    void emptySyscallNamesFails() {
        Bundle b = bundle();
        ObjectNode r = seccomp(b).putArray("syscalls").addObject();
        r.putArray("names");
        r.put("action", "SCMP_ACT_ERRNO");
        expectError(container(b).create(), "create with a seccomp rule with no names");
    }

    // ---------------------------------------------------------------- masked and read-only paths

    @Test
    @Requirement(id = "config-linux.md#masked-paths", text = "maskedPaths will mask over the provided paths inside the container so that they cannot be read")
    void maskedPaths() throws Exception {
        Bundle b = bundle("--read", "/opt/masked-file", "--read", "/opt/masked-dir", "--read", "/opt/masked-dir/secret.txt");
        Files.createDirectories(b.rootfs().resolve("opt/masked-dir"));
        Files.writeString(b.rootfs().resolve("opt/masked-file"), "secret");
        Files.writeString(b.rootfs().resolve("opt/masked-dir/secret.txt"), "secret");
        b.linux().set("maskedPaths", Json.array("/opt/masked-file", "/opt/masked-dir", "/proc/kcore"));
        Probe p = run(b);
        for (String path : List.of("/opt/masked-file", "/opt/masked-dir/secret.txt")) {
            JsonNode c = p.check("--read", path);
            assertFalse(c.path("ok").asBoolean() && c.path("text").asText().contains("secret"), path + " can still be read: " + c);
        }
        JsonNode dir = p.check("--read", "/opt/masked-dir");
        assertFalse(dir.path("ok").asBoolean() && dir.path("entries").size() > 0, "/opt/masked-dir can still be listed: " + dir);
    }

    @Test
    @Requirement(id = "config-linux.md#readonly-paths", text = "readonlyPaths will set the provided paths as readonly inside the container")
    void readonlyPaths() throws Exception {
        Bundle b = bundle("--write", "/opt/ro-dir", "--write", "/opt/ro-file", "--write", "/proc/sys/kernel/hostname", "--write", "/opt/rw-dir");
        Files.createDirectories(b.rootfs().resolve("opt/ro-dir"));
        Files.createDirectories(b.rootfs().resolve("opt/rw-dir"));
        Files.writeString(b.rootfs().resolve("opt/ro-file"), "data");
        b.linux().set("readonlyPaths", Json.array("/opt/ro-dir", "/opt/ro-file", "/proc/sys"));
        Probe p = run(b);
        expectCheck(p.check("--write", "/opt/ro-dir"), false, "EROFS", "creating a file in /opt/ro-dir");
        expectCheck(p.check("--write", "/opt/ro-file"), false, "EROFS", "opening /opt/ro-file for writing");
        expectCheck(p.check("--write", "/proc/sys/kernel/hostname"), false, "EROFS", "opening /proc/sys/kernel/hostname for writing");
        expectCheck(p.check("--write", "/opt/rw-dir"), true, null, "creating a file in /opt/rw-dir (not listed)");
    }

    // ---------------------------------------------------------------- rootfs propagation

    @TestFactory
    @Requirement(id = "config-linux.md#rootfs-propagation", text = "rootfsPropagation sets the rootfs's mount propagation")
    List<DynamicTest> rootfsPropagation() {
        Map<String, Executable> checks = new LinkedHashMap<>();
        checks.put("shared: the rootfs mount belongs to a new peer group", () -> {
            JsonNode root = rootWith("shared");
            assertTrue(Probe.optional(root).stream().anyMatch(o -> o.startsWith("shared:")), "/ propagation " + Probe.optional(root));
        });
        checks.put("slave: the rootfs mount receives propagation events from the host but not the other way around", () -> {
            JsonNode root = rootWith("slave");
            assertFalse(Probe.optional(root).stream().anyMatch(o -> o.startsWith("shared:")), "/ is shared: " + Probe.optional(root));
            String[] hostMount = Host.mountOf(work);
            boolean hostShared = hostMount != null && List.of(hostMount).stream().anyMatch(f -> f.startsWith("shared:"));
            assumeTrue(hostShared, "only 'not shared' verified: the host mount holding the bundle is private, so a slave has no master to show");
            assertTrue(Probe.optional(root).stream().anyMatch(o -> o.startsWith("master:")), "/ is not a slave: " + Probe.optional(root));
        });
        checks.put("private: the rootfs mount doesn't receive mount propagation events from the host", () -> {
            JsonNode root = rootWith("private");
            assertTrue(Probe.optional(root).stream().noneMatch(o -> o.startsWith("shared:") || o.startsWith("master:")), "/ propagation " + Probe.optional(root));
        });
        checks.put("unbindable: the rootfs mount is a private mount that cannot be bind-mounted", () -> {
            JsonNode root = rootWith("unbindable");
            assertTrue(Probe.optional(root).contains("unbindable"), "/ propagation " + Probe.optional(root));
        });
        return checks(() -> {}, checks);
    }

    private JsonNode rootWith(String propagation) {
        Bundle b = bundle();
        b.linux().put("rootfsPropagation", propagation);
        JsonNode root = run(b).mountAt("/");
        assertNotNull(root, "no mount at /");
        return root;
    }

    // ---------------------------------------------------------------- labels, personality

    @Test
    @Requirement(id = "config-linux.md#mount-label", text = "mountLabel will set the SELinux context for the mounts in the container")
    void mountLabel() {
        assumeTrue(Host.selinuxEnabled(), "SELinux is not enabled on this host");
        String label = Host.selinuxContext("object_r", "container_file_t", "tmpfs_t");
        assumeTrue(label != null, "no container file type in the loaded SELinux policy");
        Bundle b = bundle();
        b.linux().put("mountLabel", label);
        b.addMount("/opt/labelled", "tmpfs", "tmpfs", "size=1m");
        JsonNode m = run(b).mountAt("/opt/labelled");
        assertNotNull(m, "no mount at /opt/labelled");
        String options = m.path("superOptions").asText();
        assertTrue(options.contains("context=\"" + label + "\"") || options.contains("context=" + label + ","), "mount options " + options);
    }

    @Test
    @Requirement(id = "config.md#linux-process/apparmor-profile", text = "apparmorProfile specifies the name of the AppArmor profile for the process")
    void apparmorProfile() {
        assumeTrue(Host.apparmorEnabled(), "AppArmor is not enabled on this host");
        String profile = Host.apparmorTestProfile();
        assumeTrue(profile != null, "no test profile loaded (-Dconformance.apparmorProfile=NAME of a loaded, permissive profile)");
        Bundle b = bundle();
        b.process().put("apparmorProfile", profile);
        JsonNode l = run(b).json().path("labels").path("/proc/self/attr/apparmor/current");
        assertEquals(profile + " (enforce)", l.path("value").asText().strip(), "AppArmor label of the process");
    }

    @Test
    @Requirement(id = "config.md#linux-process/selinux-label", text = "selinuxLabel specifies the SELinux label for the process")
    void selinuxLabel() {
        assumeTrue(Host.selinuxEnabled(), "SELinux is not enabled on this host");
        String label = Host.selinuxContext("system_r", "container_t", "spc_t", "initrc_t");
        assumeTrue(label != null, "no container process type in the loaded SELinux policy");
        Bundle b = bundle();
        b.process().put("selinuxLabel", label);
        JsonNode l = run(b).json().path("labels").path("/proc/self/attr/current");
        assertEquals(label, l.path("value").asText().replace("\u0000", "").strip(), "SELinux label of the process");
    }

    @TestFactory
    @Requirement(id = "config-linux.md#personality", text = "personality sets the Linux execution personality")
    List<DynamicTest> personality() {
        Map<String, Executable> checks = new LinkedHashMap<>();
        checks.put("LINUX32: LINUX32 sets uname to show a 32 bit CPU type", () -> {
            String machine = Host.readTrim(Path.of("/proc/sys/kernel/arch"));
            assumeTrue(List.of("x86_64", "aarch64", "").contains(machine), "no 32-bit personality on " + machine);
            Bundle b = bundle();
            b.linux().putObject("personality").put("domain", "LINUX32");
            Probe p = run(b);
            assertEquals(8, p.json().path("personality").asInt() & 0xff, "personality (PER_LINUX32 = 8)");
            assertTrue(List.of("i686", "i386", "armv8l", "armv7l").contains(p.text("machine")), "uname machine " + p.text("machine"));
        });
        checks.put("LINUX: LINUX is the standard execution domain", () -> {
            Bundle b = bundle();
            b.linux().putObject("personality").put("domain", "LINUX");
            Probe p = run(b);
            assertEquals(0, p.json().path("personality").asInt() & 0xff, "personality (PER_LINUX = 0)");
        });
        return checks(() -> {}, checks);
    }
}
