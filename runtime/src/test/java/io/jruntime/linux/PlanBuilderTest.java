package io.jruntime.linux;

import static io.jruntime.linux.MountOptions.*;
import static io.jruntime.linux.Namespaces.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jruntime.JRuntimeException;
import io.jruntime.init.Launch;
import io.jruntime.init.LaunchRequest;
import io.jruntime.init.Op;
import io.jruntime.init.Plan;
import io.jruntime.spec.Json;
import io.jruntime.spec.Process;
import io.jruntime.spec.Spec;
import io.jruntime.sys.RecordingSyscalls;
import org.junit.jupiter.api.Test;

/** The plan a config.json turns into, with a recording fake instead of the kernel. */
class PlanBuilderTest {
    static final String CONFIG = """
            {
              "ociVersion": "1.3.0",
              "process": {
                "user": {"uid": 1000, "gid": 1000, "additionalGids": [5, 6]},
                "args": ["sh", "-c", "echo hi"],
                "env": ["PATH=/usr/bin:/bin", "A=b"],
                "cwd": "/work",
                "capabilities": {"bounding": ["CAP_KILL", "CAP_CHOWN"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]},
                "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 2048, "soft": 1024}],
                "noNewPrivileges": true
              },
              "root": {"path": "rootfs"},
              "hostname": "h",
              "mounts": [
                {"destination": "/proc", "type": "proc", "source": "proc"},
                {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755"]},
                {"destination": "/etc/hosts", "type": "bind", "source": "hosts", "options": ["rbind", "ro", "rprivate"]},
                {"destination": "/data", "source": "/srv/data", "options": ["bind", "nosuid"]}
              ],
              "linux": {
                "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "cgroup"}],
                "sysctl": {"net.ipv4.ip_forward": "1"},
                "maskedPaths": ["/proc/kcore"],
                "readonlyPaths": ["/proc/sys"]
              }
            }
            """;

    static final String V1_MOUNTINFO = """
            27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            33 31 0:30 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            34 31 0:31 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    final RecordingSyscalls sys = new RecordingSyscalls()
            .file("/proc/sys/kernel/cap_last_cap", "40\n")
            .file("/proc/self/mountinfo", V1_MOUNTINFO)
            .regular("/b/hosts")
            .dir("/srv/data");

    static ObjectNode config() throws Exception {
        return (ObjectNode) Json.mapper().readTree(CONFIG);
    }

    Launch build(ObjectNode config) throws Exception {
        return build(config, r -> {});
    }

    Launch build(ObjectNode config, Consumer<PlanBuilder> setup) throws Exception {
        Spec spec = Json.mapper().treeToValue(config, Spec.class);
        PlanBuilder b = new PlanBuilder(sys);
        setup.accept(b);
        return b.build(new LaunchRequest("c1", Path.of("/b"), spec, Path.of("/run/jr/c1"), Path.of("/run/jr/c1/exec.fifo"),
                null, 0, false, false));
    }

    static int index(Plan p, Op op) {
        return p.ops().indexOf(op);
    }

    @Test
    void personalityIsSetAfterTheFifoWaitAndUnknownDomainsAreRefused() throws Exception {
        ObjectNode c = config();
        c.with("linux").putObject("personality").put("domain", "LINUX32");
        Plan p = build(c).plan();
        assertEquals(8L, p.first(Op.PERSONALITY).num(0));
        assertTrue(index(p, Op.FIFO_WAIT) < index(p, Op.PERSONALITY) && index(p, Op.PERSONALITY) < index(p, Op.EXEC));
        c.with("linux").putObject("personality").put("domain", "AMIGAOS");
        assertThrows(JRuntimeException.class, () -> build(c));
    }

    @Test
    void opsComeInTheHandshakeOrder() throws Exception {
        Plan p = build(config()).plan();
        List<Op> ops = p.ops();
        assertEquals(Op.OPEN_FIFO, ops.get(0), "the stage opens the fifo as host root, before any setns or clone");
        assertEquals(Op.CLONE, ops.get(1));
        assertEquals(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS, p.steps().get(1).num(0),
                "cgroup is unshared later, by the init");
        assertEquals(List.of(Op.WAIT_CONTINUE, Op.UNSHARE, Op.SETSID, Op.SETHOSTNAME, Op.MOUNT_HOST, Op.ROOTFS), ops.subList(2, 8));
        assertEquals(CLONE_NEWCGROUP, p.steps().get(3).num(0));
        Plan.Step root = p.first(Op.MOUNT_HOST);
        assertEquals("/", root.str(1));
        assertEquals(MS_SLAVE | MS_REC, root.num(3), "runc's default: rslave");
        assertEquals("/b/rootfs", p.first(Op.ROOTFS).str(0));
        assertTrue(index(p, Op.ROOTFS) < index(p, Op.MOUNT));
        assertTrue(index(p, Op.MKNOD) > p.ops().lastIndexOf(Op.MOUNT), "devices after the mounts (/dev is a tmpfs)");
        assertTrue(index(p, Op.SYNC) < index(p, Op.MASK) && index(p, Op.MASK) < index(p, Op.READONLY));
        assertTrue(index(p, Op.READONLY) < index(p, Op.PIVOT_ROOT));
        // rlimits (and the affinity reset) before READY, as runc: a limit that cannot be set fails create, not start
        assertEquals(List.of(Op.PIVOT_ROOT, Op.CHDIR, Op.RESOLVE_EXEC, Op.HOME, Op.SETRLIMIT, Op.SCHED_SETAFFINITY, Op.SESSION_KEYRING, Op.READY, Op.FIFO_WAIT, Op.CAPS_BOUNDING,
                Op.SETGROUPS, Op.SETRESID, Op.CAPS, Op.CLOSE_FDS, Op.NO_NEW_PRIVS, Op.EXEC),
                ops.subList(index(p, Op.PIVOT_ROOT), ops.size()));
    }

    /** runc sets HOME from the container's /etc/passwd when the process has none; the stage reads it. */
    @Test
    void homeIsLookedUpForTheProcessUidOnlyWhenTheEnvironmentHasNone() throws Exception {
        ObjectNode c = config();
        c.with("process").putObject("user").put("uid", 1000).put("gid", 1000);
        c.with("process").putArray("env").add("PATH=/bin").add("HOMEWORK=x");
        assertEquals(1000L, build(c).plan().first(Op.HOME).num(0));
        c.with("process").putArray("env").add("PATH=/bin").add("HOME=/somewhere");
        assertNull(build(c).plan().first(Op.HOME), "an explicit HOME is kept as it is");
    }

    @Test
    void tmpcopyupCopiesOnTmpfsOnlyAndIsNoLongerAWarning() throws Exception {
        ObjectNode c = config();
        c.withArray("mounts").addObject().put("destination", "/etc/app").put("type", "tmpfs").put("source", "tmpfs")
                .putArray("options").add("tmpcopyup").add("ro");
        c.withArray("mounts").addObject().put("destination", "/opt").put("type", "bind").put("source", "/tmp")
                .putArray("options").add("rbind").add("tmpcopyup");
        sys.dir("/tmp");
        PlanBuilder b = new PlanBuilder(sys);
        Spec spec = Json.mapper().treeToValue(c, Spec.class);
        Plan p = b.build(new LaunchRequest("c1", Path.of("/b"), spec, Path.of("/s"), Path.of("/s/f"), null, 0, false, false)).plan();
        Plan.Step app = p.all(Op.MOUNT).stream().filter(m -> m.str(1).equals("/etc/app")).findFirst().orElseThrow();
        assertEquals(Op.CREATE_DIR | Op.MOUNT_DEST_MODE | Op.MOUNT_COPYUP, app.num(5));
        assertEquals(MS_RDONLY, app.num(3) & MS_RDONLY, "ro stays a mount flag: the stage lifts it until the copy is done");
        assertEquals(List.of("mount /opt: tmpcopyup applies to tmpfs mounts only: ignored"), b.warnings());
    }

    @Test
    void mountsKeepConfigOrderWithFlagsAndData() throws Exception {
        List<Plan.Step> mounts = build(config()).plan().all(Op.MOUNT);
        assertEquals(4, mounts.size());
        Plan.Step proc = mounts.get(0);
        assertEquals(List.of("proc", "/proc", "proc"), List.of(proc.str(0), proc.str(1), proc.str(2)));
        assertEquals(0, proc.num(3));
        assertEquals(Op.CREATE_ORDINARY_DIR, proc.num(5), "proc never through a symlink (CVE-2019-16884, as runc)");
        Plan.Step dev = mounts.get(1);
        assertEquals(MS_NOSUID | MS_STRICTATIME, dev.num(3));
        assertEquals("mode=755", dev.str(4));
        assertEquals(Op.CREATE_DIR | Op.MOUNT_DEST_MODE, dev.num(5), "a tmpfs keeps an existing directory's mode, as runc");
        Plan.Step hosts = mounts.get(2);
        assertEquals("/b/hosts", hosts.str(0), "relative bind sources are relative to the bundle");
        assertEquals("", hosts.str(2));
        assertEquals(MS_BIND | MS_REC, hosts.num(3));
        assertEquals(Op.CREATE_FILE, hosts.num(5), "a file bind creates an empty file");
        assertEquals(MS_RDONLY, hosts.num(6), "ro on a bind is a remount");
        assertEquals(MS_PRIVATE | MS_REC, hosts.num(7));
        Plan.Step data = mounts.get(3);
        assertEquals(MS_BIND, data.num(3));
        assertEquals(Op.CREATE_DIR, data.num(5));
        assertEquals(MS_NOSUID, data.num(6));
    }

    @Test
    void missingBindSourceIsAnErrorBeforeAnythingRuns() throws Exception {
        sys.stats.remove("/srv/data");
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> build(config()));
        assertEquals("mount /srv/data to /data: no such file or directory", e.getMessage());
    }

    @Test
    void defaultDevicesSymlinksSysctlMaskedAndReadonly() throws Exception {
        Plan p = build(config()).plan();
        assertEquals(6, p.all(Op.MKNOD).size());
        Plan.Step nul = p.first(Op.MKNOD);
        assertEquals("/dev/null", nul.str(0));
        assertEquals(Devices.S_IFCHR | 0666, nul.num(1));
        assertEquals(List.of(1L, 3L), List.of(nul.num(2), nul.num(3)));
        assertEquals(List.of("/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/ptmx"),
                p.all(Op.SYMLINK).stream().map(s -> s.str(1)).toList());
        assertTrue(p.all(Op.WRITE_PROC).stream().anyMatch(s -> s.str(0).equals("sys/net/ipv4/ip_forward") && s.str(1).equals("1")));
        assertEquals("/proc/kcore", p.first(Op.MASK).str(0));
        assertEquals("/proc/sys", p.first(Op.READONLY).str(0));
        assertEquals("/run/jr/c1/exec.fifo", p.first(Op.OPEN_FIFO).str(0));
    }

    @Test
    void processUserCapsRlimitsAndExec() throws Exception {
        Plan p = build(config()).plan();
        assertEquals(List.of(7L, 1024L, 2048L), List.of(p.first(Op.SETRLIMIT).num(0), p.first(Op.SETRLIMIT).num(1), p.first(Op.SETRLIMIT).num(2)));
        assertEquals(List.of((1L << 5) | 1L, 40L), List.of(p.first(Op.CAPS_BOUNDING).num(0), p.first(Op.CAPS_BOUNDING).num(1)));
        Plan.Step caps = p.first(Op.CAPS);
        assertEquals(List.of(1L << 5, 1L << 5, 0L, 0L, 40L), List.of(caps.num(0), caps.num(1), caps.num(2), caps.num(3), caps.num(4)));
        assertEquals(List.of(5L, 6L), List.of(p.first(Op.SETGROUPS).num(0), p.first(Op.SETGROUPS).num(1)));
        Plan.Step user = p.all(Op.SETRESID).getLast();
        assertEquals(List.of(1000L, 1000L), List.of(user.num(0), user.num(1)));
        assertTrue(p.all(Op.UMASK).isEmpty(), "config.md: without process.user.umask the caller's umask is kept");
        assertEquals(3, p.first(Op.CLOSE_FDS).num(0));
        assertEquals(List.of("sh", "/usr/bin:/bin"), List.of(p.first(Op.RESOLVE_EXEC).str(0), p.first(Op.RESOLVE_EXEC).str(1)));
        assertEquals(List.of("/work", 1L), List.of(p.first(Op.CHDIR).str(0), p.first(Op.CHDIR).num(1)));
        Plan.Step exec = p.first(Op.EXEC);
        assertEquals(3, exec.num(0));
        assertEquals(List.of("sh", "-c", "echo hi", "PATH=/usr/bin:/bin", "A=b"),
                exec.args().subList(1, 6).stream().map(a -> ((Plan.Arg.Str) a).value()).toList());
    }

    @Test
    void userNamespaceMapsBecomeRootAndBindsDevices() throws Exception {
        ObjectNode c = config();
        c.with("linux").withArray("namespaces").addObject().put("type", "user");
        c.with("linux").putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        var gid = c.with("linux").putArray("gidMappings");
        gid.addObject().put("containerID", 0).put("hostID", 100000).put("size", 1000);
        gid.addObject().put("containerID", 1000).put("hostID", 300000).put("size", 1);
        Launch l = build(c);
        Plan p = l.plan();
        assertEquals("0 100000 65536\n", l.uidMap());
        assertEquals("0 100000 1000\n1000 300000 1\n", l.gidMap());
        assertFalse(l.denySetgroups(), "root writes the maps: setgroups stays allowed");
        assertTrue((p.first(Op.CLONE).num(0) & CLONE_NEWUSER) != 0);
        assertEquals(Op.SETRESID, p.ops().get(index(p, Op.WAIT_CONTINUE) + 1), "become root in the new namespace first");
        assertEquals(0, p.first(Op.MKNOD) == null ? 0 : 1, "no mknod in a user namespace");
        assertEquals(6, p.all(Op.BIND_DEVICE).size());
        assertNotNull(p.first(Op.SETGROUPS));
    }

    @Test
    void rootlessWriterDeniesSetgroupsAndSkipsThem() throws Exception {
        sys.uid = 1000;
        ObjectNode c = config();
        c.with("linux").withArray("namespaces").addObject().put("type", "user");
        c.with("linux").putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 1000).put("size", 1);
        c.with("linux").putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 1000).put("size", 1);
        Launch l = build(c);
        assertTrue(l.denySetgroups());
        assertNull(l.plan().first(Op.SETGROUPS));
        Plan p = l.plan();
        assertEquals(List.of(Op.DUMPABLE, Op.CLONE), p.ops().subList(index(p, Op.CLONE) - 1, index(p, Op.CLONE) + 1),
                "dumpable from birth, so the user may write the maps into /proc/PID");
        assertEquals(1L, p.steps().get(index(p, Op.CLONE) - 1).num(0));
        assertEquals(Op.DUMPABLE, p.ops().get(index(p, Op.WAIT_CONTINUE) + 1), "and not a moment longer");
        assertEquals(0L, p.steps().get(index(p, Op.WAIT_CONTINUE) + 1).num(0));
        sys.uid = 0;
        assertNull(build(c).plan().first(Op.DUMPABLE), "root writes the maps of a non-dumpable init");
    }

    @Test
    void rootlessRangesGoThroughTheShadowToolsAndKeepSetgroups() throws Exception {
        sys.uid = 1000;
        sys.gid = 1000;
        sys.regular("/usr/bin/newuidmap").regular("/usr/bin/newgidmap");
        ObjectNode c = config();
        c.with("linux").withArray("namespaces").addObject().put("type", "user");
        for (String field : List.of("uidMappings", "gidMappings")) {
            var maps = c.with("linux").putArray(field);
            maps.addObject().put("containerID", 0).put("hostID", 1000).put("size", 1);
            maps.addObject().put("containerID", 1).put("hostID", 100000).put("size", 65535);
        }
        Launch l = build(c);
        assertEquals(List.of("/usr/bin/newuidmap", "/usr/bin/newgidmap"), List.of(l.newuidmap(), l.newgidmap()));
        assertFalse(l.denySetgroups(), "newgidmap may write gid_map with setgroups allowed");

        ObjectNode own = config();
        own.with("linux").withArray("namespaces").addObject().put("type", "user");
        own.with("linux").putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 1000).put("size", 1);
        own.with("linux").putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 1000).put("size", 1);
        Launch self = build(own);
        assertNull(self.newuidmap(), "the user's own id: written directly");
        assertNull(self.newgidmap());
        assertTrue(self.denySetgroups());
    }

    @Test
    void joinedNamespacesGoToTheStageAndTimeIsUnsharedBeforeClone() throws Exception {
        ObjectNode c = config();
        var ns = c.with("linux").putArray("namespaces");
        ns.addObject().put("type", "mount");
        ns.addObject().put("type", "network").put("path", "/var/run/netns/a");
        ns.addObject().put("type", "time");
        c.remove("hostname");
        c.with("linux").putObject("timeOffsets").putObject("monotonic").put("secs", 5).put("nanosecs", 7);
        Plan p = build(c).plan();
        assertEquals(List.of(Op.OPEN_FIFO, Op.JOIN_NAMESPACES, Op.UNSHARE, Op.WRITE_PROC, Op.CLONE), p.ops().subList(0, 5));
        assertEquals(List.of(CLONE_NEWNET, "/var/run/netns/a"),
                List.of(p.steps().get(1).num(0), p.steps().get(1).str(1)));
        assertEquals(CLONE_NEWTIME, p.steps().get(2).num(0));
        assertEquals(List.of("self/timens_offsets", "monotonic 5 7\n"), List.of(p.steps().get(3).str(0), p.steps().get(3).str(1)));
        assertEquals(CLONE_NEWNS, p.first(Op.CLONE).num(0));
    }

    @Test
    void cgroupMountOnAV1HostIsATmpfsOfHierarchies() throws Exception {
        ObjectNode c = config();
        c.withArray("mounts").addObject().put("destination", "/sys/fs/cgroup").put("type", "cgroup").put("source", "cgroup")
                .putArray("options").add("ro").add("nosuid");
        List<Plan.Step> mounts = build(c).plan().all(Op.MOUNT);
        List<Plan.Step> cg = mounts.subList(4, mounts.size());
        assertEquals(List.of("tmpfs", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"),
                cg.stream().map(s -> s.str(0).equals("tmpfs") ? "tmpfs" : s.str(1)).toList());
        assertEquals("memory", cg.get(1).str(4));
        assertEquals("name=systemd", cg.get(2).str(4));
        assertEquals("cgroup2", cg.get(3).str(2));
        assertEquals(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, cg.get(4).num(6), "read-only at the end");
    }

    @Test
    void withoutACgroupNamespaceV1HierarchiesBindTheContainersOwnCgroup() throws Exception {
        // podman on a v1 host: no cgroup namespace. As runc, the container must see its own cgroup (its limits)
        // at /sys/fs/cgroup/memory, not the host's root; found by conformance/engines/podman-e2e.sh.
        ObjectNode c = config();
        var ns = (com.fasterxml.jackson.databind.node.ArrayNode) c.get("linux").get("namespaces");
        assertEquals("cgroup", ns.get(ns.size() - 1).get("type").asText());
        ns.remove(ns.size() - 1);
        c.withArray("mounts").addObject().put("destination", "/sys/fs/cgroup").put("type", "cgroup").put("source", "cgroup")
                .putArray("options").add("ro");
        List<String> dirs = List.of("/sys/fs/cgroup/memory/pod/c1", "/sys/fs/cgroup/systemd/pod/c1", "/sys/fs/cgroup/unified/pod/c1");
        List<Plan.Step> mounts = build(c, b -> b.cgroupDirs(dirs)).plan().all(Op.MOUNT);
        List<Plan.Step> cg = mounts.subList(4, mounts.size());
        assertEquals(List.of("/sys/fs/cgroup/memory/pod/c1", "/sys/fs/cgroup/memory"), List.of(cg.get(1).str(0), cg.get(1).str(1)));
        assertEquals(MS_BIND | MS_REC, cg.get(1).num(3));
        assertEquals("/sys/fs/cgroup/systemd/pod/c1", cg.get(2).str(0));
        assertEquals("/sys/fs/cgroup/unified/pod/c1", cg.get(3).str(0), "a hybrid host's cgroup2 too (runc omits it)");
        // With a cgroup namespace the hierarchies are mounted fresh: the namespace roots them at the container.
        ObjectNode withCgroupNs = config();
        withCgroupNs.withArray("mounts").addObject().put("destination", "/sys/fs/cgroup").put("type", "cgroup").put("source", "cgroup");
        List<Plan.Step> withNs = build(withCgroupNs, b -> b.cgroupDirs(dirs)).plan().all(Op.MOUNT);
        assertEquals("cgroup", withNs.get(5).str(0));
        assertEquals("memory", withNs.get(5).str(4));
    }

    @Test
    void cgroupMountOnAUnifiedHostIsCgroup2() throws Exception {
        sys.file("/proc/self/mountinfo", "31 23 0:28 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n");
        ObjectNode c = config();
        c.withArray("mounts").addObject().put("destination", "/sys/fs/cgroup").put("type", "cgroup").put("source", "cgroup");
        Plan.Step cg = build(c).plan().all(Op.MOUNT).getLast();
        assertEquals(List.of("cgroup2", "/sys/fs/cgroup", "cgroup2"), List.of(cg.str(0), cg.str(1), cg.str(2)));
    }

    @Test
    void seccompIsLastWithNoNewPrivsAndEarlyWithout() throws Exception {
        byte[] bpf = new byte[8];
        Plan with = build(config(), b -> b.seccomp(bpf, 0)).plan();
        assertEquals(List.of(Op.NO_NEW_PRIVS, Op.SECCOMP, Op.EXEC), with.ops().subList(with.ops().size() - 3, with.ops().size()));
        ObjectNode c = config();
        c.with("process").put("noNewPrivileges", false);
        Plan without = build(c, b -> b.seccomp(bpf, 0)).plan();
        assertTrue(index(without, Op.SECCOMP) < index(without, Op.CAPS_BOUNDING), "needs CAP_SYS_ADMIN: before the drop");
        assertNull(without.first(Op.NO_NEW_PRIVS));
    }

    @Test
    void aFilterWithAListenerIsLoadedBeforeReadySoItsFdReachesTheRuntime() throws Exception {
        byte[] bpf = new byte[8];
        long flags = io.jruntime.seccomp.SeccompAbi.FILTER_FLAG_NEW_LISTENER;
        Plan with = build(config(), b -> b.seccomp(bpf, flags)).plan();
        List<Op> ops = with.ops();
        assertEquals(List.of(Op.SETRLIMIT, Op.SCHED_SETAFFINITY, Op.SESSION_KEYRING, Op.NO_NEW_PRIVS, Op.SECCOMP_LISTENER, Op.READY, Op.FIFO_WAIT, Op.CAPS_BOUNDING,
                Op.SETGROUPS, Op.SETRESID, Op.CAPS, Op.CLOSE_FDS, Op.EXEC), ops.subList(index(with, Op.SETRLIMIT), ops.size()));
        assertEquals(flags, with.first(Op.SECCOMP_LISTENER).num(1));
        assertNull(with.first(Op.SECCOMP), "loaded once");

        ObjectNode c = config();
        c.with("process").put("noNewPrivileges", false);
        Plan without = build(c, b -> b.seccomp(bpf, flags)).plan();
        assertNull(without.first(Op.NO_NEW_PRIVS));
        assertEquals(index(without, Op.READY) - 1, index(without, Op.SECCOMP_LISTENER),
                "with CAP_SYS_ADMIN still held: before READY, the fifo and every uid or capability change");
        assertNull(without.first(Op.SECCOMP));

        Spec spec = Json.mapper().treeToValue(config(), Spec.class);
        Plan exec = new PlanBuilder(sys).seccomp(bpf, flags)
                .buildExec(new io.jruntime.init.ExecRequest(77, spec, spec.process(), null, 0, "c1", false)).plan();
        assertEquals(List.of(Op.SETRLIMIT, Op.SESSION_KEYRING, Op.NO_NEW_PRIVS, Op.SECCOMP_LISTENER, Op.READY),
                exec.ops().subList(index(exec, Op.SETRLIMIT), index(exec, Op.READY) + 1), "exec: same, one listener per process");
        assertNull(exec.first(Op.SECCOMP));
        assertEquals(1, exec.all(Op.NO_NEW_PRIVS).size());
    }

    @Test
    void rootfsPropagationTerminalAndReadonlyRoot() throws Exception {
        ObjectNode c = config();
        c.with("linux").put("rootfsPropagation", "shared");
        c.with("root").put("readonly", true);
        c.with("process").put("terminal", true).putObject("consoleSize").put("height", 40).put("width", 120);
        JRuntimeException noSocket = assertThrows(JRuntimeException.class, () -> build(c));
        assertEquals("cannot allocate tty if jruntime will detach without setting console socket", noSocket.getMessage());
        Spec spec = Json.mapper().treeToValue(c, Spec.class);
        Launch l = new PlanBuilder(sys).build(new LaunchRequest("c1", Path.of("/b"), spec, Path.of("/s"), Path.of("/s/f"),
                "/run/console.sock", 2, true, false));
        Plan p = l.plan();
        assertEquals("/run/console.sock", l.consoleSocket());
        assertEquals(List.of(6L, 40L, 120L), List.of(p.first(Op.CONSOLE).num(0), p.first(Op.CONSOLE).num(1), p.first(Op.CONSOLE).num(2)),
                "console socket fd is sync fd + 1 = 3 + preserveFds + 1");
        assertEquals(MS_SHARED, p.first(Op.MOUNT_HOST).num(3));
        assertTrue(p.all(Op.MOUNT_HOST).stream().anyMatch(s -> s.str(1).equals("/") && s.num(3) == MS_PRIVATE),
                "the rootfs's parent mount is made private for pivot_root");
        assertNotNull(p.first(Op.MOVE_ROOT), "--no-pivot");
        assertNull(p.first(Op.PIVOT_ROOT));
        assertEquals(MS_RDONLY, p.first(Op.REMOUNT).num(1));
        assertEquals(5, p.first(Op.CLOSE_FDS).num(0), "fds 3 and 4 are preserved");
    }

    @Test
    void execJoinsEveryNamespaceOfTheInitAndHasNoFifo() throws Exception {
        ObjectNode c = config();
        c.with("linux").withArray("namespaces").addObject().put("type", "user");
        Spec spec = Json.mapper().treeToValue(c, Spec.class);
        Launch l = new PlanBuilder(sys).buildExec(new io.jruntime.init.ExecRequest(77, spec, spec.process(), null, 0, "c1", false));
        Plan p = l.plan();
        Plan.Step join = p.first(Op.JOIN_NAMESPACES);
        assertEquals(List.of("/proc/77/ns/pid", "/proc/77/ns/net", "/proc/77/ns/ipc", "/proc/77/ns/uts", "/proc/77/ns/mnt",
                "/proc/77/ns/cgroup", "/proc/77/ns/user"),
                java.util.stream.IntStream.range(0, join.args().size() / 2).mapToObj(i -> join.str(2 * i + 1)).toList());
        assertEquals(List.of(Op.JOIN_NAMESPACES, Op.CLONE, Op.WAIT_CONTINUE, Op.SCHED_SETAFFINITY, Op.CHDIR, Op.RESOLVE_EXEC,
                Op.HOME, Op.SETRLIMIT, Op.SESSION_KEYRING, Op.READY), p.ops().subList(0, 10), "rlimits before READY, as for create; the affinity reset in the cgroup");
        assertEquals(0, p.first(Op.CLONE).num(0), "no new namespaces");
        assertNull(p.first(Op.FIFO_WAIT));
        assertNull(p.first(Op.MOUNT));
        assertNull(l.uidMap());
        assertEquals(Op.EXEC, p.ops().getLast());
    }

    @Test
    void configErrors() throws Exception {
        ObjectNode dup = config();
        dup.with("linux").withArray("namespaces").addObject().put("type", "pid");
        assertEquals("config: linux.namespaces: duplicate namespace type \"pid\"",
                assertThrows(JRuntimeException.class, () -> build(dup)).getMessage());
        ObjectNode rl = config();
        rl.with("process").withArray("rlimits").addObject().put("type", "RLIMIT_NOPE").put("soft", 1).put("hard", 1);
        assertThrows(JRuntimeException.class, () -> build(rl));
        ObjectNode uts = config();
        uts.with("linux").putArray("namespaces").addObject().put("type", "mount");
        assertEquals("unable to set hostname without a private UTS namespace",
                assertThrows(JRuntimeException.class, () -> build(uts)).getMessage());
        ObjectNode noArgs = config();
        noArgs.with("process").putArray("args");
        assertEquals("args must not be empty", assertThrows(JRuntimeException.class, () -> build(noArgs)).getMessage());
    }

    @Test
    void unknownCapabilitiesAreWarningsNotErrors() throws Exception {
        ObjectNode c = config();
        c.with("process").with("capabilities").withArray("bounding").add("CAP_FUTURE");
        Spec spec = Json.mapper().treeToValue(c, Spec.class);
        PlanBuilder b = new PlanBuilder(sys);
        b.build(new LaunchRequest("c1", Path.of("/b"), spec, Path.of("/s"), Path.of("/s/f"), null, 0, false, false));
        assertEquals(List.of("capability CAP_FUTURE is not known to the kernel: skipped"), b.warnings());
    }

    // ---- AppArmor and SELinux (Lsm): the host facts come from the fake ----------------------------

    static ObjectNode labelled() throws Exception {
        ObjectNode c = config();
        c.with("process").put("apparmorProfile", "jrt-profile").put("selinuxLabel", "system_u:system_r:container_t:s0:c1,c2");
        c.with("linux").put("mountLabel", "system_u:object_r:container_file_t:s0:c1,c2");
        c.withArray("mounts").addObject().put("destination", "/dev/mqueue").put("type", "mqueue").put("source", "mqueue");
        c.withArray("mounts").addObject().put("destination", "/dev/pts").put("type", "devpts").put("source", "devpts")
                .putArray("options").add("newinstance").add("gid=5");
        c.withArray("mounts").addObject().put("destination", "/sys").put("type", "sysfs").put("source", "sysfs");
        c.withArray("mounts").addObject().put("destination", "/sys/fs/cgroup").put("type", "cgroup").put("source", "cgroup");
        return c;
    }

    @Test
    void whereBothLsmsAreEnabledTheLabelsAreWrittenBeforeReadyAndTheMountsGetTheContext() throws Exception {
        sys.file(Lsm.APPARMOR_ENABLED, "Y\n").regular(Lsm.SELINUX_ENFORCE);
        byte[] bpf = new byte[8];
        Plan p = build(labelled(), b -> b.seccomp(bpf, 0)).plan();
        assertEquals("jrt-profile", p.first(Op.APPARMOR_EXEC).str(0));
        assertEquals("system_u:system_r:container_t:s0:c1,c2", p.first(Op.SELINUX_EXEC_LABEL).str(0));
        assertEquals("system_u:system_r:container_t:s0:c1,c2", p.first(Op.SELINUX_KEY_LABEL).str(0));
        List<Op> ops = p.ops();
        assertEquals(List.of(Op.SELINUX_KEY_LABEL, Op.SESSION_KEYRING, Op.APPARMOR_EXEC, Op.SELINUX_EXEC_LABEL, Op.READY),
                ops.subList(index(p, Op.SELINUX_KEY_LABEL), index(p, Op.READY) + 1),
                "as runc: before READY, so before seccomp, no_new_privs and the uid and capability changes");
        assertTrue(index(p, Op.READY) < index(p, Op.SECCOMP) && index(p, Op.READY) < index(p, Op.NO_NEW_PRIVS));

        String ctx = "context=\"system_u:object_r:container_file_t:s0:c1,c2\"";
        java.util.Map<String, String> data = new java.util.HashMap<>();
        p.all(Op.MOUNT).forEach(m -> data.putIfAbsent(m.str(1), String.valueOf(m.str(4))));
        assertEquals("mode=755," + ctx, data.get("/dev"), "tmpfs");
        assertEquals("newinstance,gid=5," + ctx, data.get("/dev/pts"), "devpts");
        assertEquals("mode=755," + ctx, data.get("/sys/fs/cgroup"), "the tmpfs under v1 hierarchies, as runc");
        assertFalse(data.get("/proc").contains("context="), "proc is not labelled");
        assertFalse(data.get("/sys").contains("context="), "sysfs is not labelled");
        assertFalse(data.get("/dev/mqueue").contains("context="), "mqueue takes no context=");
        assertEquals(List.of("/dev/mqueue", "system_u:object_r:container_file_t:s0:c1,c2"),
                List.of(p.first(Op.SELINUX_FILE_LABEL).str(0), p.first(Op.SELINUX_FILE_LABEL).str(1)), "its root is labelled, as runc");
        Plan.Step before = p.steps().get(index(p, Op.SELINUX_FILE_LABEL) - 1);
        assertEquals(List.of(Op.MOUNT, "/dev/mqueue"), List.of(before.op(), before.str(1)), "right after mqueue's mount");
        assertEquals(ctx, p.first(Op.MASK).str(1), "a masked directory's tmpfs is labelled too, as runc");
        assertFalse(data.get("/etc/hosts").contains("context="), "bind mounts are not labelled");
        assertFalse(data.get("/sys/fs/cgroup/memory").contains("context="), "cgroup hierarchies are not labelled");

        Spec spec = Json.mapper().treeToValue(labelled(), Spec.class);
        Plan exec = new PlanBuilder(sys).buildExec(new io.jruntime.init.ExecRequest(77, spec, spec.process(), null, 0, "c1", false)).plan();
        assertEquals(List.of(Op.SELINUX_KEY_LABEL, Op.SESSION_KEYRING, Op.APPARMOR_EXEC, Op.SELINUX_EXEC_LABEL, Op.READY),
                exec.ops().subList(index(exec, Op.SELINUX_KEY_LABEL), index(exec, Op.READY) + 1),
                "exec: the same (runc labels the keyring an exec'd process joins too)");
        assertEquals("jrt-profile", exec.first(Op.APPARMOR_EXEC).str(0));

        Process bare = Json.mapper().treeToValue(config().get("process"), Process.class);
        Plan inherited = new PlanBuilder(sys).buildExec(new io.jruntime.init.ExecRequest(77, spec, bare, null, 0, "c1", false)).plan();
        assertEquals("jrt-profile", inherited.first(Op.APPARMOR_EXEC).str(0), "a --process without a profile gets the container's");
        assertEquals("system_u:system_r:container_t:s0:c1,c2", inherited.first(Op.SELINUX_EXEC_LABEL).str(0));
        Process own = bare.withApparmorProfile("other").withSelinuxLabel("system_u:system_r:other_t:s0");
        Plan given = new PlanBuilder(sys).buildExec(new io.jruntime.init.ExecRequest(77, spec, own, null, 0, "c1", false)).plan();
        assertEquals("other", given.first(Op.APPARMOR_EXEC).str(0));
        assertEquals("system_u:system_r:other_t:s0", given.first(Op.SELINUX_EXEC_LABEL).str(0));
    }

    @Test
    void whereNoLsmIsEnabledTheSelinuxLabelsAreIgnoredAndAnApparmorProfileIsRefused() throws Exception {
        sys.file(Lsm.APPARMOR_ENABLED, "N\n");
        ObjectNode c = labelled();
        c.with("process").remove("apparmorProfile");
        Plan labels = build(c).plan();
        ObjectNode plain = labelled();
        plain.with("process").remove("apparmorProfile");
        plain.with("process").remove("selinuxLabel");
        plain.with("linux").remove("mountLabel");
        assertEquals(build(plain).plan().toString(), labels.toString(), "the plan is the one without labels");
        assertNull(labels.first(Op.SELINUX_EXEC_LABEL));

        Spec spec = Json.mapper().treeToValue(labelled(), Spec.class);
        JRuntimeException e = assertThrows(JRuntimeException.class,
                () -> new PlanBuilder(sys).buildExec(new io.jruntime.init.ExecRequest(77, spec, spec.process(), null, 0, "c1", false)));
        assertEquals("process.apparmorProfile: \"jrt-profile\" cannot be applied: AppArmor is not enabled on this host", e.getMessage());
    }

    @Test
    void theInitAndExecdProcessesJoinTheContainersOwnSessionKeyringUnlessNoNewKeyring() throws Exception {
        Plan p = build(config()).plan();
        Plan.Step keyring = p.first(Op.SESSION_KEYRING);
        assertEquals("_ses.c1", keyring.str(0), "runc's name: exec'd processes find it by it");
        assertEquals(SessionKeyring.KEY_USR_SEARCH, keyring.num(1), "searchable by its owner, as runc without a user namespace");
        assertTrue(index(p, Op.PIVOT_ROOT) < index(p, Op.SESSION_KEYRING) && index(p, Op.SESSION_KEYRING) < index(p, Op.READY)
                && index(p, Op.READY) < index(p, Op.SETRESID), "as container root, before READY and the uid change");

        ObjectNode userns = config();
        userns.with("linux").withArray("namespaces").addObject().put("type", "user");
        userns.with("linux").putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        userns.with("linux").putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        assertEquals(SessionKeyring.KEY_OTH_SEARCH, build(userns).plan().first(Op.SESSION_KEYRING).num(1),
                "with a user namespace: searchable by others, as runc");

        Spec spec = Json.mapper().treeToValue(config(), Spec.class);
        Plan none = new PlanBuilder(sys).build(new LaunchRequest("c1", Path.of("/b"), spec, Path.of("/s"), Path.of("/s/f"), null, 0,
                false, true)).plan();
        assertNull(none.first(Op.SESSION_KEYRING), "--no-new-keyring: the caller's session keyring is kept");

        Plan exec = new PlanBuilder(sys).buildExec(new io.jruntime.init.ExecRequest(77, spec, spec.process(), null, 0, "c1", false)).plan();
        assertEquals(List.of("_ses.c1", 0L), List.of(exec.first(Op.SESSION_KEYRING).str(0), exec.first(Op.SESSION_KEYRING).num(1)),
                "exec joins the container's keyring and leaves its permissions alone");
        assertNull(new PlanBuilder(sys).buildExec(new io.jruntime.init.ExecRequest(77, spec, spec.process(), null, 0, "c1", true))
                .plan().first(Op.SESSION_KEYRING), "a container created with --no-new-keyring: exec keeps the caller's too");
    }

    @Test
    void withoutLabelsTheLsmStateIsNotEvenLookedAt() throws Exception {
        build(config());
        assertTrue(sys.calls.stream().noneMatch(call -> call.contains("apparmor") || call.contains("selinux")), sys.calls.toString());
    }

    static void mapping(com.fasterxml.jackson.databind.node.ArrayNode a, long containerID, long hostID, long size) {
        a.addObject().put("containerID", containerID).put("hostID", hostID).put("size", size);
    }

    static ObjectNode idmapMount(ObjectNode c, String dest, String source, String... options) {
        ObjectNode m = c.withArray("mounts").addObject().put("destination", dest).put("source", source);
        var o = m.putArray("options");
        for (String s : options) {
            o.add(s);
        }
        return m;
    }

    @Test
    void idmappedTreesAreMadeInTheStageBeforeCloneAndAttachedInConfigOrder() throws Exception {
        ObjectNode c = config();
        ObjectNode withMaps = idmapMount(c, "/data/idmapped", "/srv/data", "rbind", "ridmap", "ro", "shared");
        mapping(withMaps.putArray("uidMappings"), 0, 100000, 65536);
        mapping(withMaps.putArray("gidMappings"), 0, 200000, 1000);
        idmapMount(c, "/plain", "/srv/data", "bind"); // no mappings, no option: a plain bind
        ObjectNode implicit = idmapMount(c, "/implicit", "/b/hosts", "bind"); // mappings without the option: idmapped too
        mapping(implicit.putArray("uidMappings"), 5, 6, 7);
        mapping(implicit.putArray("gidMappings"), 8, 9, 10);
        Plan p = build(c).plan();
        List<Op> ops = p.ops();
        assertEquals(List.of(Op.OPEN_FIFO, Op.IDMAP_TREE, Op.IDMAP_TREE, Op.CLONE), ops.subList(0, 4),
                "the trees are made by the stage with the host's privileges, before any setns or clone");
        Plan.Step first = p.all(Op.IDMAP_TREE).get(0), second = p.all(Op.IDMAP_TREE).get(1);
        assertEquals(0, first.num(0));
        assertEquals("/srv/data", first.str(1));
        assertEquals("0 100000 65536\n", first.str(2));
        assertEquals("0 200000 1000\n", first.str(3));
        assertEquals(1, first.num(4), "rbind: the whole tree is cloned");
        assertEquals(1, first.num(5), "ridmap: every mount of it is idmapped");
        assertEquals("mounts[4] (/srv/data to /data/idmapped)", first.str(6));
        assertEquals(1, second.num(0));
        assertEquals("/b/hosts", second.str(1));
        assertEquals("5 6 7\n", second.str(2));
        assertEquals(0, second.num(4), "bind: only the mount itself");
        assertEquals(0, second.num(5));

        List<Plan.Step> attach = p.all(Op.IDMAP_ATTACH);
        assertEquals(2, attach.size());
        assertEquals(0, attach.get(0).num(0));
        assertEquals("/data/idmapped", attach.get(0).str(1));
        assertEquals(Op.CREATE_DIR, attach.get(0).num(2));
        assertEquals(MS_RDONLY, attach.get(0).num(3), "ro is a remount after the attach");
        assertEquals(MS_SHARED, attach.get(0).num(4));
        assertEquals(Op.CREATE_FILE, attach.get(1).num(2), "a file source gets a file destination");
        // In config order among the other mounts: after /data (its parent), before /plain.
        List<Plan.Step> steps = p.steps();
        int data = -1, tree = -1, plain = -1, implicitAt = -1;
        for (int i = 0; i < steps.size(); i++) {
            Plan.Step s = steps.get(i);
            if (s.op() == Op.MOUNT && s.str(1).equals("/data")) data = i;
            if (s.op() == Op.IDMAP_ATTACH && s.str(1).equals("/data/idmapped")) tree = i;
            if (s.op() == Op.MOUNT && s.str(1).equals("/plain")) plain = i;
            if (s.op() == Op.IDMAP_ATTACH && s.str(1).equals("/implicit")) implicitAt = i;
        }
        assertTrue(index(p, Op.ROOTFS) < data && data < tree && tree < plain && plain < implicitAt, steps.toString());
        assertTrue(implicitAt < index(p, Op.SYNC), "attached before the createContainer hooks, as the other mounts");
    }

    @Test
    void idmapWithoutMappingsTakesTheContainersUserNamespaceMaps() throws Exception {
        ObjectNode c = config();
        c.with("linux").withArray("namespaces").addObject().put("type", "user");
        mapping(c.with("linux").putArray("uidMappings"), 0, 100000, 65536);
        mapping(c.with("linux").putArray("gidMappings"), 0, 300000, 65536);
        idmapMount(c, "/data/idmapped", "/srv/data", "bind", "idmap");
        Plan p = build(c).plan();
        Plan.Step tree = p.first(Op.IDMAP_TREE);
        assertEquals("0 100000 65536\n", tree.str(2));
        assertEquals("0 300000 65536\n", tree.str(3));
        assertEquals(0, tree.num(5), "idmap, not ridmap");
        assertTrue(index(p, Op.IDMAP_TREE) < index(p, Op.CLONE));
    }

    @Test
    void idmapOfANonBindMountOrWithoutAnyMappingsIsRefusedNamingTheMount() throws Exception {
        ObjectNode tmpfs = config();
        ObjectNode m = idmapMount(tmpfs, "/t", "tmpfs", "idmap");
        m.put("type", "tmpfs");
        mapping(m.putArray("uidMappings"), 0, 1000, 1);
        mapping(m.putArray("gidMappings"), 0, 1000, 1);
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> build(tmpfs));
        assertEquals("config: mounts[4]: idmapped mounts are only supported for bind mounts (type \"tmpfs\", no bind or rbind option)",
                e.getMessage());

        ObjectNode noMaps = config(); // no mappings on the mount and no user namespace
        idmapMount(noMaps, "/d", "/srv/data", "bind", "ridmap");
        e = assertThrows(JRuntimeException.class, () -> build(noMaps));
        assertTrue(e.getMessage().startsWith("config: mounts[4].options: \"ridmap\" without uidMappings"), e.getMessage());

        ObjectNode half = config();
        ObjectNode h = idmapMount(half, "/d", "/srv/data", "bind");
        mapping(h.putArray("uidMappings"), 0, 1000, 1);
        e = assertThrows(JRuntimeException.class, () -> build(half));
        assertEquals("config: mounts[4]: uidMappings and gidMappings must be set together", e.getMessage());
    }
}
