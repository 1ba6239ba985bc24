package io.jruntime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kernel judges our programs: each test starts a child JVM (the same JDK) running
 * {@link SeccompLoadMain}, which loads a compiled filter into itself with seccomp(2) and reports
 * what its syscalls got. The child is its own process, so the filter never touches this JVM.
 */
class SeccompKernelTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void seccompIsThere() throws IOException {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "Linux only");
        String arch = System.getProperty("os.arch");
        assumeTrue(arch.equals("amd64") || arch.equals("aarch64"), "x86_64 or aarch64 only");
        assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("Seccomp:"), "kernel without seccomp");
    }

    record Result(int exit, Map<String, String> values, String output) {
        String get(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new AssertionError("no " + key + " in the child's output:\n" + output);
            }
            return v;
        }

        long num(String key) {
            return Long.parseLong(get(key));
        }
    }

    Result child(String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SeccompLoadMain.class.getName()));
        cmd.add(args[0]);
        cmd.add(dir.toString());
        for (int i = 1; i < args.length; i++) {
            cmd.add(args[i]);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child timed out");
        String text = new String(out, StandardCharsets.UTF_8);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.contains(" ")) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            } else if (eq > 0 && line.indexOf(' ') > eq) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new Result(p.exitValue(), values, text);
    }

    @Test
    void errnoForMkdirInEveryThreadWithTsync() throws Exception {
        Result r = child("errno");
        assertEquals(0, r.exit(), r.output());
        assertEquals("1", r.get("flags"));
        assertEquals("ok", r.get("load"));
        assertEquals(-38, r.num("mkdirat"), r.output());
        assertEquals(-38, r.num("mkdirat.oldthread"), "a thread started before the filter (TSYNC)");
        assertTrue(r.get("createDirectory").contains("Function not implemented"), r.get("createDirectory"));
        assertEquals("still works", r.get("file"));
        assertEquals("true", r.get("done"));
    }

    @Test
    void sixtyFourBitArgumentsInTheKernel() throws Exception {
        Result r = child("args64");
        assertEquals(0, r.exit(), r.output());
        assertEquals(5, r.num("lseek.5"));
        assertEquals(0x1_0000_0000L, r.num("lseek.2^32"), "GT 2^32 is false for 2^32");
        assertEquals(-33, r.num("lseek.2^32+5"));
        assertEquals(-33, r.num("lseek.-1"), "2^64-1 is above 2^32, unsigned");
        assertTrue(r.num("fcntl.getfd") >= 0);
        assertEquals(-34, r.num("fcntl.getfd.hi"), "MASKED_EQ on the high word");
        assertTrue(r.num("fcntl.getfd.otherhi") >= 0, r.output());
        assertEquals(-35, r.num("getpriority.match"));
        assertNotEquals(-35, r.num("getpriority.2^63+1"), "LE 2^63 is false for 2^63+1");
    }

    @Test
    void killProcessEndsTheProcessWithSigsys() throws Exception {
        Result r = child("kill");
        assertEquals("true", r.get("before"));
        assertEquals(128 + 31, r.exit(), "killed by SIGSYS: " + r.output());
        assertTrue(!r.values().containsKey("after"), r.output());
    }

    @Test
    void x32NumbersFollowTheArchitectureList() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "x86_64 only");
        Result r = child("x32");
        assertEquals(0, r.exit(), r.output());
        assertEquals(-44, r.num("x86_64.getpid"));
        assertEquals(-44, r.num("x32.getpid"), "the x32 rule");
        assertNotEquals(-46, r.num("x32.getppid"), "allowed (ENOSYS when the kernel lacks x32)");
        Result bad = child("x32-bad-arch");
        assertEquals(0, bad.exit(), bad.output());
        assertEquals(-44, bad.num("x86_64.getpid"));
        assertEquals(-46, bad.num("x32.getpid"), "x32 not listed: the bad-arch action");
        assertEquals(-46, bad.num("x32.getppid"));
    }

    @Test
    void thePodmanLikeProfileLoadsAndAJvmRunsUnderIt() throws Exception {
        Result r = child("podman", resource("podman-like.json"));
        assertEquals(0, r.exit(), r.output());
        assertEquals("ok", r.get("load"), "the kernel accepts it (no EINVAL)");
        assertEquals(-22, r.num("socket.netlink_audit"));
        assertEquals("fd", r.get("socket.inet"));
        assertEquals("ok", r.get("personality.query"));
        assertEquals(-38, r.num("personality.2^32+8"), "2^32+8 is not 8");
        assertEquals(-1, r.num("ptrace"));
        assertEquals(-1, r.num("swapoff"));
        assertEquals(-38, r.num("clone.newuser"), "Docker's clone rule");
        assertEquals(-38, r.num("add_key"), "not in the profile: the default ENOSYS");
        assertEquals("jvm ok", r.get("file"));
        assertEquals("true", r.get("done"));
    }

    @Test
    void aLargeProgramWithTrampolinesLoadsAndItsDeepRulesHold() throws Exception {
        Result r = child("large");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.num("instructions") > 2000, r.get("instructions"));
        assertEquals("ok", r.get("load"));
        List<String> probes = List.of("close", "getpid", "getppid", "sched_yield", "uname");
        for (int i = 0; i < probes.size(); i++) {
            String n = probes.get(i);
            assertEquals(-(1 + i), r.num(n + ".magic"), n);
            assertNotEquals(-(1 + i), r.num(n + ".magic.arg4"), n + " with arg4 = 1 is allowed");
        }
        assertEquals("ok", r.get("getpid.plain"));
    }

    static String resource(String name) throws URISyntaxException {
        return Path.of(SeccompKernelTest.class.getResource(name).toURI()).toString();
    }
}
