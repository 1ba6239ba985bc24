package io.jruntime.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;
import io.jruntime.sys.WaitStatus;
import org.junit.jupiter.api.Test;

/** Process and kernel settings of the spec, checked from inside real containers. */
class ProcessFeaturesIT {
    private final Syscalls sys = Syscalls.native_();

    static WaitStatus run(TestBundle b, ObjectNode config) throws Exception {
        b.track(NativeStage.create(SpecContainers.request(b, config), LaunchCallbacks.NONE));
        return b.startAndWait();
    }

    static void openOut(TestBundle b) throws Exception {
        Files.setPosixFilePermissions(b.out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(b.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void userGroupsUmaskCapsAndOomScore() throws Exception {
        try (TestBundle b = new TestBundle()) {
            openOut(b);
            ObjectNode config = SpecContainers.config(b, "cat /proc/self/status > /out/status; cat /proc/self/oom_score_adj > /out/oom");
            ObjectNode user = config.with("process").putObject("user");
            user.put("uid", 1000).put("gid", 1001).put("umask", 077);
            user.putArray("additionalGids").add(10).add(20);
            config.with("process").put("oomScoreAdj", 500);
            config.with("process").with("capabilities").putArray("ambient").add("CAP_KILL");
            config.with("process").with("capabilities").putArray("inheritable").add("CAP_KILL");
            assertEquals(0, run(b, config).code());
            String status = b.read("status");
            assertTrue(status.contains("Uid:\t1000\t1000\t1000\t1000"), status);
            assertTrue(status.contains("Gid:\t1001\t1001\t1001\t1001"), status);
            assertTrue(status.contains("Groups:\t10 20"), status);
            assertTrue(status.contains("Umask:\t0077"), status);
            // Not root after execve: permitted and effective are what the ambient set carried over.
            assertTrue(status.contains("CapBnd:\t" + String.format("%016x", (1L << 29) | (1L << 5) | (1L << 10))), status);
            assertTrue(status.contains("CapEff:\t" + String.format("%016x", 1L << 5)), status);
            assertTrue(status.contains("CapInh:\t" + String.format("%016x", 1L << 5)), status);
            assertTrue(status.contains("CapAmb:\t" + String.format("%016x", 1L << 5)), status);
            assertEquals("500", b.read("oom").trim());
        }
    }

    /**
     * No HOME in process.env: as runc, the user's home directory from the container's /etc/passwd, "/" for
     * a uid it does not list; a HOME the config gives is kept. (ctr gives none.)
     */
    @Test
    void homeComesFromTheContainersPasswdWhenTheEnvironmentHasNone() throws Exception {
        record Case(long uid, String home, String expected) {}
        for (Case k : java.util.List.of(new Case(0, null, "/root"), new Case(1000, null, "/home/user"),
                new Case(4242, null, "/"), new Case(1000, "/elsewhere", "/elsewhere"))) {
            try (TestBundle b = new TestBundle()) {
                openOut(b);
                Files.writeString(b.rootfs.resolve("etc/passwd"), """
                        root:x:0:0:root:/root:/bin/sh
                        broken:x:notanumber:0::/wrong:/bin/sh
                        short:x:4242
                        user:x:1000:1000:user:/home/user:/bin/sh
                        """);
                ObjectNode config = SpecContainers.config(b, "echo \"$HOME\" > /out/home");
                config.with("process").putObject("user").put("uid", k.uid()).put("gid", k.uid());
                var env = config.with("process").putArray("env").add("PATH=/bin");
                if (k.home() != null) {
                    env.add("HOME=" + k.home());
                }
                assertEquals(0, run(b, config).code());
                assertEquals(k.expected(), b.read("home").strip(), "uid " + k.uid() + ", HOME " + k.home());
            }
        }
    }

    @Test
    void sysctlsDomainnameReadonlyRootAndNoPivot() throws Exception {
        try (TestBundle b = new TestBundle()) {
            ObjectNode config = SpecContainers.config(b, String.join("; ",
                    "cat /proc/sys/net/ipv4/ip_forward > /out/ip_forward",
                    "cat /proc/sys/kernel/shmmax > /out/shmmax",
                    "cat /proc/sys/kernel/domainname > /out/domainname",
                    "touch /newfile 2> /out/rofs; echo $? >> /out/rofs"));
            config.with("linux").putObject("sysctl").put("net.ipv4.ip_forward", "1").put("kernel.shmmax", "123456789");
            config.put("domainname", "example.org");
            config.with("root").put("readonly", true);
            b.track(NativeStage.create(new LaunchRequest("it", b.bundle, SpecContainers.spec(config), b.state, b.fifo,
                    null, 0, true, false), LaunchCallbacks.NONE));
            assertEquals(0, b.startAndWait().code());
            assertEquals("1", b.read("ip_forward").trim());
            assertEquals("123456789", b.read("shmmax").trim());
            assertEquals("example.org", b.read("domainname").trim());
            assertTrue(b.read("rofs").contains("Read-only file system"), b.read("rofs"));
            assertNotEquals("0", b.read("rofs").trim().substring(b.read("rofs").trim().length() - 1));
        }
    }

    @Test
    void timeNamespaceOffsets() throws Exception {
        try (TestBundle b = new TestBundle()) {
            ObjectNode config = SpecContainers.config(b, "cat /proc/uptime > /out/uptime; readlink /proc/self/ns/time > /out/ns");
            config.with("linux").withArray("namespaces").addObject().put("type", "time");
            config.with("linux").putObject("timeOffsets").putObject("boottime").put("secs", 10_000_000).put("nanosecs", 0);
            assertEquals(0, run(b, config).code());
            double uptime = Double.parseDouble(b.read("uptime").split(" ")[0]);
            assertTrue(uptime >= 10_000_000, "uptime " + uptime);
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/time")).toString(), b.read("ns").trim());
        }
    }

    @Test
    void seccompFilterIsLoaded() throws Exception {
        try (TestBundle b = new TestBundle()) {
            ObjectNode config = SpecContainers.config(b, "uname > /out/uname 2>&1; echo $? > /out/rc; grep Seccomp /proc/self/status >> /out/uname");
            // A hand-written filter: uname(2) (63 on x86_64) fails with EPERM, everything else is allowed.
            ByteBuffer bpf = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
            insn(bpf, 0x20, 0, 0, 0);                  // ld [0]            (seccomp_data.nr)
            insn(bpf, 0x15, 0, 1, 63);                 // jeq #63, 0, 1
            insn(bpf, 0x06, 0, 0, 0x00050000 | 1);     // ret ERRNO(EPERM)
            insn(bpf, 0x06, 0, 0, 0x7fff0000);         // ret ALLOW
            b.track(NativeStage.create(SpecContainers.request(b, config), LaunchCallbacks.NONE, bpf.array(), 0));
            assertEquals(0, b.startAndWait().code());
            // busybox's uname prints nothing when uname(2) fails (without the filter it prints "Linux")
            assertTrue(!b.read("uname").contains("Linux"), b.read("uname"));
            assertTrue(b.read("uname").contains("Seccomp:\t2"), b.read("uname"));
        }
    }

    private static void insn(ByteBuffer b, int code, int jt, int jf, int k) {
        b.putShort((short) code).put((byte) jt).put((byte) jf).putInt(k);
    }

    @Test
    void preservedFdsReachTheProcessAndNothingElseDoes() throws Exception {
        try (TestBundle b = new TestBundle()) {
            Path data = b.dir.resolve("preserved");
            Files.writeString(data, "hello from fd");
            int free = 300; // far above what the JVM uses, so no JVM thread races us for the number
            while (Files.exists(Path.of("/proc/self/fd/" + free))) {
                free++;
            }
            int fd = sys.open(data.toString(), Syscalls.O_RDONLY, 0);
            sys.dup2(fd, free);
            sys.close(fd);
            try {
                ObjectNode config = SpecContainers.config(b, "cat /proc/$$/fd/" + free + " > /out/data; ls /proc/$$/fd > /out/fds");
                b.track(NativeStage.create(new LaunchRequest("it", b.bundle, SpecContainers.spec(config), b.state, b.fifo,
                        null, free - 2, false, false), LaunchCallbacks.NONE));
                assertEquals(0, b.startAndWait().code());
                assertEquals("hello from fd", b.read("data"));
                for (String n : b.read("fds").trim().split("\\s+")) {
                    assertTrue(Integer.parseInt(n) <= free, "fd " + n + " leaked into the container: " + b.read("fds"));
                }
            } finally {
                sys.close(free);
            }
        }
    }

    @Test
    void terminalMasterGoesToTheConsoleSocket() throws Exception {
        try (TestBundle b = new TestBundle()) {
            String socket = b.dir.resolve("console.sock").toString();
            int listener = sys.listenUnix(socket);
            int conn = -1, master = -1;
            try {
                ObjectNode config = SpecContainers.config(b, "tty; stty size; ls -l /dev/console");
                config.with("process").put("terminal", true);
                config.with("process").putObject("consoleSize").put("height", 30).put("width", 100);
                b.track(NativeStage.create(new LaunchRequest("it", b.bundle, SpecContainers.spec(config), b.state, b.fifo,
                        socket, 0, false, false), LaunchCallbacks.NONE));
                conn = sys.accept(listener);
                master = sys.recvFd(conn);
                WaitStatus ws = b.startAndWait();
                assertEquals(0, ws.code());
                String out = drain(master);
                assertTrue(out.contains("/dev/pts/0"), out);
                assertTrue(out.contains("30 100"), out);
                assertTrue(out.contains("/dev/console"), out);
            } finally {
                for (int fd : new int[] {master, conn, listener}) {
                    if (fd >= 0) {
                        sys.close(fd);
                    }
                }
            }
        }
    }

    private String drain(int fd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = sys.read(fd, buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (ErrnoException e) {
            // EIO: the slave side is closed
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
