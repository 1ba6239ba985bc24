package io.jruntime.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jruntime.JRuntimeException;
import io.jruntime.sys.WaitStatus;
import org.junit.jupiter.api.Test;

/** Containers created from config.json through NativeStage.create, checked from the inside. */
class SpecContainerIT {

    static int create(TestBundle b, ObjectNode config) throws Exception {
        return b.track(NativeStage.create(SpecContainers.request(b, config), LaunchCallbacks.NONE));
    }

    @Test
    void defaultSpecContainer() throws Exception {
        try (TestBundle b = new TestBundle()) {
            String script = String.join("; ",
                    "echo $$ > /out/pid",
                    "hostname > /out/hostname",
                    "cat /proc/self/mountinfo > /out/mountinfo",
                    "stat -c '%n %F %t:%T %a' /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty > /out/devices",
                    "for l in fd stdin ptmx; do readlink /dev/$l; done > /out/links",
                    "stat -c '%t:%T' /proc/keys > /out/kcore",
                    "ls /proc/acpi | wc -l > /out/acpi",
                    "(echo 1 > /proc/sys/kernel/domainname) 2> /out/rosys; echo $? >> /out/rosys",
                    "cat /proc/self/limits > /out/limits",
                    "cat /proc/self/status > /out/status",
                    "pwd > /out/cwd",
                    "env > /out/env",
                    "ls /sys/fs/cgroup > /out/cgroup");
            ObjectNode config = SpecContainers.config(b, script);
            config.with("process").put("cwd", "/work/here");
            int pid = create(b, config);
            assertTrue(TestBundle.alive(pid));
            WaitStatus ws = b.startAndWait();
            assertEquals(0, ws.code(), () -> "exit " + ws);
            assertEquals("1", b.read("pid").trim());
            assertEquals("jruntime", b.read("hostname").trim());
            String mi = b.read("mountinfo");
            assertTrue(mi.startsWith(mi.split(" ")[0] + " ") && mi.contains(" / rw,"), mi);
            assertTrue(mi.matches("(?s).* /proc rw,.* - proc .*"), mi);
            assertTrue(mi.matches("(?s).* /dev rw,nosuid.* - tmpfs .*size=65536k.*"), mi);
            assertTrue(mi.matches("(?s).* /sys ro,nosuid,nodev,noexec.* - sysfs .*"), mi);
            assertTrue(mi.matches("(?s).* /dev/pts rw,nosuid,noexec.* - devpts .*"), mi);
            assertTrue(mi.matches("(?s).* /dev/mqueue rw,nosuid,nodev,noexec.* - mqueue .*"), mi);
            assertTrue(mi.matches("(?s).* /proc/sys ro,.*"), mi);
            assertTrue(mi.matches("(?s).* /proc/acpi ro,.* - tmpfs .*"), mi);
            assertTrue(mi.matches("(?s).* /out rw,.*"), mi);
            String devices = b.read("devices");
            assertTrue(devices.contains("/dev/null character special file 1:3 666"), devices);
            assertTrue(devices.contains("/dev/zero character special file 1:5 666"), devices);
            assertTrue(devices.contains("/dev/full character special file 1:7 666"), devices);
            assertTrue(devices.contains("/dev/random character special file 1:8 666"), devices);
            assertTrue(devices.contains("/dev/urandom character special file 1:9 666"), devices);
            assertTrue(devices.contains("/dev/tty character special file 5:0 666"), devices);
            assertEquals("/proc/self/fd\n/proc/self/fd/0\npts/ptmx\n", b.read("links"));
            assertEquals("1:3", b.read("kcore").trim(), "masked file is /dev/null");
            assertEquals("0", b.read("acpi").trim(), "masked dir is empty");
            assertFalse(b.read("rosys").trim().endsWith("\n0"), b.read("rosys"));
            assertTrue(b.read("rosys").contains("Read-only file system"), b.read("rosys"));
            assertTrue(b.read("limits").matches("(?s).*Max open files\\s+1024\\s+1024.*"), b.read("limits"));
            String status = b.read("status");
            // AUDIT_WRITE(29), KILL(5), NET_BIND_SERVICE(10)
            String caps = String.format("%016x", (1L << 29) | (1L << 5) | (1L << 10));
            assertTrue(status.contains("CapBnd:\t" + caps), status);
            assertTrue(status.contains("CapEff:\t" + caps), status);
            assertTrue(status.contains("CapPrm:\t" + caps), status);
            assertTrue(status.contains("CapInh:\t0000000000000000"), status);
            assertTrue(status.contains("NoNewPrivs:\t1"), status);
            assertEquals("/work/here", b.read("cwd").trim());
            assertTrue(Files.isDirectory(b.rootfs.resolve("work/here")), "cwd created in the rootfs");
            String env = b.read("env");
            assertTrue(env.contains("TERM=xterm") && env.contains("HOME=/root") && env.contains("PATH=/usr/local/bin:/usr/bin:/bin"), env);
            assertTrue(b.read("cgroup").contains("memory"), b.read("cgroup"));
        }
    }

    @Test
    void userNamespaceWithMaps() throws Exception {
        try (TestBundle b = new TestBundle()) {
            ObjectNode config = SpecContainers.config(b, String.join("; ",
                    "cat /proc/self/uid_map > /out/uid_map",
                    "cat /proc/self/gid_map > /out/gid_map",
                    "id > /out/id",
                    "stat -c '%t:%T' /dev/null > /out/null"));
            var ns = config.with("linux").withArray("namespaces");
            ns.addObject().put("type", "user");
            var uid = config.with("linux").putArray("uidMappings");
            uid.addObject().put("containerID", 0).put("hostID", 100000).put("size", 1000);
            uid.addObject().put("containerID", 1000).put("hostID", 200000).put("size", 10);
            var gid = config.with("linux").putArray("gidMappings");
            gid.addObject().put("containerID", 0).put("hostID", 100000).put("size", 1000);
            Files.createDirectories(b.rootfs.resolve("out")); // container root (host 100000) cannot mkdir in the rootfs
            // the out dir must be writable by container root (host uid 100000)
            Files.setPosixFilePermissions(b.out, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.setPosixFilePermissions(b.dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            create(b, config);
            WaitStatus ws = b.startAndWait();
            assertEquals(0, ws.code(), () -> "exit " + ws);
            assertEquals(("0 100000 1000\n1000 200000 10").replaceAll("\\s+", " "), b.read("uid_map").trim().replaceAll("\\s+", " "));
            assertEquals("0 100000 1000", b.read("gid_map").trim().replaceAll("\\s+", " "));
            assertTrue(b.read("id").startsWith("uid=0(root) gid=0(root)") || b.read("id").startsWith("uid=0 gid=0"), b.read("id"));
            assertEquals("1:3", b.read("null").trim(), "device bound from the host");
        }
    }

    @Test
    void joinsNamespacesByPath() throws Exception {
        try (TestBundle a = new TestBundle(); TestBundle b = new TestBundle()) {
            int first = create(a, SpecContainers.config(a, "true"));
            ObjectNode config = SpecContainers.config(b, "for n in uts net ipc; do readlink /proc/self/ns/$n; done > /out/ns; hostname > /out/hostname");
            var ns = config.with("linux").putArray("namespaces");
            ns.addObject().put("type", "pid");
            ns.addObject().put("type", "mount");
            ns.addObject().put("type", "uts").put("path", "/proc/" + first + "/ns/uts");
            ns.addObject().put("type", "network").put("path", "/proc/" + first + "/ns/net");
            ns.addObject().put("type", "ipc").put("path", "/proc/" + first + "/ns/ipc");
            config.remove("hostname");
            create(b, config);
            WaitStatus ws = b.startAndWait();
            assertEquals(0, ws.code());
            String expected = Files.readSymbolicLink(Path.of("/proc/" + first + "/ns/uts")) + "\n"
                    + Files.readSymbolicLink(Path.of("/proc/" + first + "/ns/net")) + "\n"
                    + Files.readSymbolicLink(Path.of("/proc/" + first + "/ns/ipc")) + "\n";
            assertEquals(expected, b.read("ns"));
            assertEquals("jruntime", b.read("hostname").trim(), "the joined uts namespace's hostname");
        }
    }

    @Test
    void callbacksInOrderAndTheCgroupNamespaceIsMadeAfterPlacement() throws Exception {
        Path cgroup = Path.of("/sys/fs/cgroup/pids/jrt-it-" + ProcessHandle.current().pid());
        if (!Files.isDirectory(cgroup.getParent())) {
            cgroup = Path.of("/sys/fs/cgroup/jrt-it-" + ProcessHandle.current().pid()); // unified host
        }
        Files.createDirectories(cgroup);
        try (TestBundle b = new TestBundle()) {
            java.util.List<String> events = new java.util.ArrayList<>();
            Path procs = cgroup.resolve("cgroup.procs");
            ObjectNode config = SpecContainers.config(b, "cat /proc/self/cgroup > /out/cgroup");
            config.with("process").with("capabilities").withArray("bounding").add("CAP_NOT_A_CAP");
            LaunchCallbacks cb = new LaunchCallbacks() {
                @Override
                public void initSpawned(int pid) {
                    events.add("initSpawned");
                    try {
                        Files.writeString(procs, Integer.toString(pid));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }

                @Override
                public void createRuntime(int pid) {
                    events.add("createRuntime");
                }

                @Override
                public void createContainer(int pid) {
                    try {
                        boolean ownMountNs = !Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/mnt"))
                                .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")));
                        events.add("createContainer" + (ownMountNs ? " in its mount namespace" : ""));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }

                @Override
                public void warning(String message) {
                    events.add("warning: " + message);
                }
            };
            b.track(NativeStage.create(SpecContainers.request(b, config), cb));
            assertEquals(java.util.List.of("warning: capability CAP_NOT_A_CAP is not known to the kernel: skipped",
                    "initSpawned", "createRuntime", "createContainer in its mount namespace"), events);
            assertEquals(0, b.startAndWait().code());
            String own = b.read("cgroup");
            assertTrue(own.contains(":pids:/\n") || own.contains("0::/\n"), "the init's cgroup is its cgroup namespace's root: " + own);
        } finally {
            Files.delete(cgroup);
        }
    }

    @Test
    void missingExecutable() throws Exception {
        try (TestBundle b = new TestBundle()) {
            ObjectNode config = SpecContainers.config(b, "true");
            config.with("process").putArray("args").add("nosuchprog");
            int[] seen = {0};
            JRuntimeException e = assertThrows(JRuntimeException.class,
                    () -> NativeStage.create(SpecContainers.request(b, config), pid -> seen[0] = pid));
            assertTrue(e.getMessage().contains("exec: \"nosuchprog\": executable file not found in $PATH"), e.getMessage());
            assertFalse(TestBundle.alive(seen[0]));
        }
    }

    @Test
    void failedMountLeavesNoProcess() throws Exception {
        try (TestBundle b = new TestBundle()) {
            ObjectNode config = SpecContainers.config(b, "true");
            config.withArray("mounts").addObject().put("destination", "/bad").put("type", "nosuchfs").put("source", "none");
            int[] seen = {0};
            JRuntimeException e = assertThrows(JRuntimeException.class,
                    () -> NativeStage.create(SpecContainers.request(b, config), pid -> seen[0] = pid));
            assertEquals("unable to start container process: mount none to /bad: no such device", e.getMessage());
            assertTrue(seen[0] > 0);
            assertFalse(TestBundle.alive(seen[0]));
        }
    }
}
