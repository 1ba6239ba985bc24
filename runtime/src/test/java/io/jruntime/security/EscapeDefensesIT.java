package io.jruntime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Escape attempts from a hostile bundle or from inside a container, through the real `jruntime` launcher
 * (issue 5). Each test mounts the attack and checks that it fails safely: the host's mount table, files
 * and the runtime's own binary are untouched, and the container only ever sees its own root.
 *
 * <p>Every test works on its own copy of the sample busybox rootfs (the hostile changes never touch the
 * shared one), uses its own --root and ids "jrt-it-...", and deletes its containers even when it fails.
 */
class EscapeDefensesIT extends io.jruntime.testing.LauncherTestBase {
    /** A private copy of the busybox rootfs the attack may change at will. */
    Path rootfsCopy() throws Exception {
        Path copy = tmp.resolve("rootfs-" + UUID.randomUUID().toString().substring(0, 8));
        Process cp = new ProcessBuilder("cp", "-a", sampleRootfs.toString(), copy.toString()).inheritIO().start();
        assertEquals(0, cp.waitFor());
        return copy;
    }

    /** Mount points (field 5) of the host's mount table, as this JVM (in the host mount namespace) sees it. */
    static Set<String> hostMountPoints() throws IOException {
        Set<String> points = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            points.add(line.split(" ")[4]);
        }
        return points;
    }

    /** Host mount points at or below {@code dir}. */
    static Set<String> hostMountsUnder(String dir) throws IOException {
        Set<String> under = new TreeSet<>();
        for (String p : hostMountPoints()) {
            if (p.equals(dir) || p.startsWith(dir + "/")) {
                under.add(p);
            }
        }
        return under;
    }

    /** What the attack came to, in the test output (the report of issue 5 quotes it). */
    static void outcome(String attack, Result r) {
        System.out.println("[escape] " + attack + " -> exit " + r.code() + (r.code() == 0 ? "" : ": " + r.err().strip()));
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static List<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ---- 1. /proc is a symlink out of the rootfs -------------------------------------------------

    /**
     * The image's /proc is a symlink to /etc (absolute, or climbing with ..). A runtime that followed it on
     * the host would mount a procfs over the host's /etc. jruntime resolves every destination inside the
     * rootfs, and (as runc since CVE-2019-16884/19921) refuses to mount proc on anything but a directory.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/etc", "../../../etc", "../../../../../../../etc"})
    void procAsASymlinkToEtcNeverMountsProcOverTheHostsEtc(String target) throws Exception {
        Path rootfs = rootfsCopy();
        Files.delete(rootfs.resolve("proc"));
        Files.createSymbolicLink(rootfs.resolve("proc"), Path.of(target));
        String etcBefore = String.join(",", list(Path.of("/etc")));
        Set<String> etcMountsBefore = hostMountsUnder("/etc");
        Path b = bundle(rootfs, "grep -c . /etc/passwd; grep ' /etc ' /proc/self/mountinfo | cut -d' ' -f5,9");
        String id = newId();
        Result r = jr("run", "--bundle", b.toString(), id);
        outcome("/proc -> " + target, r);

        assertEquals(etcMountsBefore, hostMountsUnder("/etc"), "no mount appeared on the host's /etc");
        assertEquals(etcBefore, String.join(",", list(Path.of("/etc"))), "the host's /etc is unchanged");
        assertTrue(Files.readString(Path.of("/etc/passwd")).contains("root:"), "the host's /etc/passwd is still a file of users");
        assertTrue(Files.isSymbolicLink(rootfs.resolve("proc")), "the image's symlink is left as it was");
        // Before the fix the mount landed inside the rootfs (its /etc became a procfs): safe for the host,
        // but runc refuses the symlink outright, and so does jruntime now.
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("mount proc to /proc: filesystem \\\"proc\\\" must be mounted on ordinary directory"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(root.resolve(id)), "no state left");
        assertEquals(List.of(), list(rootfs.resolve("etc")).stream().filter(n -> n.equals("self") || n.equals("1")).toList(),
                "nothing was mounted on the rootfs' own /etc either");
    }

    /** The same for sysfs, and a dangling /proc symlink: refused too, while a missing /proc is simply created. */
    @Test
    void sysfsOnASymlinkAndADanglingProcSymlinkAreRefusedAMissingProcIsCreated() throws Exception {
        Path rootfs = rootfsCopy();
        Files.delete(rootfs.resolve("sys"));
        Files.createSymbolicLink(rootfs.resolve("sys"), Path.of("/tmp"));
        Result sys = jr("run", "--bundle", bundle(rootfs, "true").toString(), newId());
        outcome("/sys -> /tmp", sys);
        assertEquals(1, sys.code());
        assertTrue(sys.err().contains("filesystem \\\"sysfs\\\" must be mounted on ordinary directory"), sys.err());

        Path dangling = rootfsCopy();
        Files.delete(dangling.resolve("proc"));
        Files.createSymbolicLink(dangling.resolve("proc"), Path.of("/nonexistent"));
        Result d = jr("run", "--bundle", bundle(dangling, "true").toString(), newId());
        assertEquals(1, d.code());
        assertTrue(d.err().contains("must be mounted on ordinary directory"), d.err());

        Path missing = rootfsCopy();
        Files.delete(missing.resolve("proc"));
        Result m = jr("run", "--bundle", bundle(missing, "cut -d' ' -f5,9 /proc/self/mountinfo | grep -c '^/proc proc$'").toString(), newId());
        assertEquals(0, m.code(), m.err());
        assertEquals("1\n", m.out());
    }

    // ---- 2. mount destinations that climb out ----------------------------------------------------

    /**
     * Two destinations that point at a host directory: an image symlink (/evil -> the host dir, absolute)
     * and a destination climbing with "..". Both mounts must land inside the rootfs: the host dir stays
     * empty and unmounted, the host's mount table gets nothing, and the container sees them in its root.
     */
    @Test
    void mountDestinationsThroughSymlinksOrDotDotLandInsideTheRootfs() throws Exception {
        Path hostDir = Files.createDirectories(tmp.resolve("hostdir"));
        Path hostDir2 = Files.createDirectories(tmp.resolve("hostdir-climbed"));
        Path source = Files.createDirectories(tmp.resolve("source"));
        Files.writeString(source.resolve("from-source"), "bind source\n");
        Path rootfs = rootfsCopy();
        Files.createSymbolicLink(rootfs.resolve("evil"), hostDir);
        // The same path inside the rootfs exists, so the symlinked mount has somewhere (inside) to land.
        Files.createDirectories(rootfs.resolve(hostDir.toString().substring(1)));
        String climbing = "/../../../../../.." + hostDir2;
        Path b = bundle(rootfs, "ls " + hostDir + "; ls /evil; echo x > " + hostDir2 + "/climbed; ls " + hostDir2
                + "; cut -d' ' -f5 /proc/self/mountinfo | grep '^" + tmp + "'");
        ObjectNode c = config(b);
        ArrayNode mounts = (ArrayNode) c.get("mounts");
        ObjectNode bind = mounts.addObject();
        bind.put("destination", "/evil").put("type", "bind").put("source", source.toString());
        bind.putArray("options").add("rbind").add("ro");
        ObjectNode tmpfs = mounts.addObject();
        tmpfs.put("destination", climbing).put("type", "tmpfs").put("source", "tmpfs");
        tmpfs.putArray("options").add("size=1m");
        write(b, c);
        Set<String> before = hostMountsUnder(tmp.toString());

        Result r = jr("run", "--bundle", b.toString(), newId());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(hostDir.toString(), hostDir2.toString(), "climbed", "from-source", "from-source"),
                r.out().lines().sorted().toList(), "both mounts at the in-rootfs path, seen from inside");
        assertEquals(List.of(), list(hostDir), "nothing reached the host directory");
        assertEquals(List.of(), list(hostDir2), "nor the one the .. destination named");
        assertEquals(before, hostMountsUnder(tmp.toString()), "no mount in the host's mount table");
        assertTrue(Files.isDirectory(rootfs.resolve(hostDir2.toString().substring(1)), LinkOption.NOFOLLOW_LINKS),
                "the climbing destination was created inside the rootfs");
    }

    /** The same symlink when the path it names does not exist inside the rootfs: create fails, the host is untouched. */
    @Test
    void aSymlinkToAHostPathMissingInTheRootfsFailsInsteadOfFollowingToTheHost() throws Exception {
        Path hostDir = Files.createDirectories(tmp.resolve("hostdir2"));
        Path rootfs = rootfsCopy();
        Files.createSymbolicLink(rootfs.resolve("evil"), hostDir);
        Path b = bundle(rootfs, "true");
        ObjectNode c = config(b);
        ObjectNode m = ((ArrayNode) c.get("mounts")).addObject();
        m.put("destination", "/evil/sub").put("type", "tmpfs").put("source", "tmpfs");
        write(b, c);
        Set<String> before = hostMountsUnder(tmp.toString());
        String id = newId();
        Result r = jr("run", "--bundle", b.toString(), id);
        outcome("mount on /evil/sub, /evil -> missing host path", r);
        assertEquals(before, hostMountsUnder(tmp.toString()), "no mount in the host's mount table");
        assertEquals(List.of(), list(hostDir), "the host directory got no sub directory");
        // The link resolves inside the rootfs, where its target does not exist: mkdir -p stops at the link.
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("mount tmpfs to /evil/sub: create mount destination: no such file or directory"), r.err());
        assertFalse(Files.exists(root.resolve(id)), "no state left");
    }

    // ---- 3. CVE-2019-5736: overwrite the runtime through /proc/<pid>/exe --------------------------

    /**
     * The container init hammers every /proc/N/exe it can see, holding an O_PATH fd on each (as the original
     * exploit did) and reopening it for writing through /proc/self/fd again and again, while `jruntime exec`
     * runs processes in the container, one of them an image file "#!/proc/self/exe" that makes the kernel run the exec'ing process's own binary
     * inside the container. The runtime's binary on the host must be byte for byte the same afterwards.
     */
    @Test
    void aContainerCannotOverwriteTheRuntimeBinaryThroughProcExe() throws Exception {
        Path init = Path.of(System.getProperty("jruntime.native", "target/native/jruntime-init")).toAbsolutePath();
        assertTrue(Files.isRegularFile(init), init.toString());
        String before = sha256(init);
        Path rootfs = rootfsCopy();
        Files.writeString(rootfs.resolve("evil"), "#!/proc/self/exe\n");
        Files.setPosixFilePermissions(rootfs.resolve("evil"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        // The attacker (src/test/resources/.../cve-2019-5736-attacker.c), static so it runs on the busybox image.
        Path source = tmp.resolve("attacker.c");
        try (var in = EscapeDefensesIT.class.getResourceAsStream("cve-2019-5736-attacker.c")) {
            Files.copy(in, source);
        }
        Process cc = new ProcessBuilder("gcc", "-static", "-O2", "-o", rootfs.resolve("attacker").toString(), source.toString())
                .inheritIO().start();
        assertEquals(0, cc.waitFor(), "gcc (needed for the native stage too) builds the attacker");
        Path b = bundle(rootfs, "/attacker; sleep 100");
        ObjectNode c = config(b);
        ((ObjectNode) c.get("root")).put("readonly", false);
        write(b, c);
        String id = newId();
        assertEquals(0, jr("create", "--bundle", b.toString(), id).code());
        int pid = state(id).get("pid").asInt();
        String waitingExe = Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
        assertTrue(waitingExe.startsWith("/memfd:jruntime-init"), "the waiting init runs from a sealed memfd: " + waitingExe);
        assertNotEquals(init.toString(), waitingExe);
        assertEquals(0, jr("start", id).code());

        for (int i = 0; i < 10; i++) {
            Result r = jr("exec", id, "sh", "-c", "sleep 0.05");
            assertEquals(0, r.code(), r.err());
            // The kernel runs the interpreter "/proc/self/exe" of the exec'ing process: the memfd copy.
            Result evil = jr("exec", id, "/evil");
            if (i == 0) {
                outcome("exec of #!/proc/self/exe", evil);
            }
            assertNotEquals(0, evil.code(), "the runtime binary ran as a container process and printed its usage");
        }
        assertEquals(0, jr("exec", id, "touch", "/tmp/stop").code());
        Path log = Path.of("/proc/" + pid + "/root/tmp/log");
        long deadline = System.currentTimeMillis() + 10_000;
        while (!Files.readString(log).contains("done") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        String attempts = Files.readString(log);
        System.out.println("[escape] /proc/*/exe attempts:\n" + attempts.lines().distinct().sorted().toList());
        assertTrue(attempts.contains("done"), attempts);
        assertFalse(attempts.contains("WROTE"), attempts);
        for (String line : attempts.lines().filter(l -> !l.equals("done")).toList()) {
            assertFalse(line.contains(init.toString()), "a container process showed the host binary as its exe: " + line);
            assertTrue(line.contains("/memfd:jruntime-init"), "only the sealed copy was ever reachable: " + line);
        }
        assertEquals(before, sha256(init), "the runtime binary on the host is unchanged");
    }

    // ---- 4. CVE-2024-21626: leaked fds and a cwd through /proc/self/fd ----------------------------

    /**
     * The container's process and an exec'd one hold nothing but stdio: no runtime fd survives. The init's are
     * listed from the host (a shell listing its own fds races with its own pipes and redirections).
     */
    @Test
    void onlyStdioReachesTheContainerAndExecProcesses() throws Exception {
        String id = newId();
        Path b = bundle(rootfsCopy(), "unused");
        ObjectNode c = config(b);
        ((ArrayNode) c.get("process").get("args")).removeAll().add("sleep").add("100");
        write(b, c);
        assertEquals(0, jr("create", "--bundle", b.toString(), id).code());
        assertEquals(0, jr("start", id).code());
        int pid = state(id).get("pid").asInt();
        assertEquals(List.of("0", "1", "2"), list(Path.of("/proc/" + pid + "/fd")), "the container's process");
        // An exec'd ls lists its own fds: stdio and the one it opened to read /proc/self/fd, nothing else.
        // (Not exec -d: a detached process is re-parented to the host's init, whose reaping delete would wait for.)
        Result exec = jr("exec", id, "ls", "-l", "/proc/self/fd");
        assertEquals(0, exec.code(), exec.err());
        // busybox ls -l: "... 64 Nov 23 03:06 1 -> /tmp/.../out.txt"; it prints no target for its own fd 3.
        List<String> fds = exec.out().lines().filter(l -> l.startsWith("l"))
                .map(l -> l.replaceAll("^.*:\\d\\d (\\d+)( -> .*)?$", "$1")).toList();
        assertEquals(List.of("0", "1", "2", "3"), fds, exec.out());
    }

    /**
     * With --preserve-fds 1 the caller's fd 3 is the one extra fd; the JVM's and the stage's stay out. A
     * subshell lists the shell's fds into a file: with `ls | tr` the shell holds the pipe's ends while it
     * starts both sides, and ls could see them (an fd 4 that is no leak, seen once); a redirection of the
     * shell's own saves an fd (10).
     */
    @Test
    void preserveFdsAddsExactlyTheCallersFds() throws Exception {
        Files.writeString(tmp.resolve("three"), "three\n");
        Path b = bundle(rootfsCopy(), "cat <&3; (ls /proc/$$/fd >/dev/shm/fds); tr '\\n' ' ' </dev/shm/fds");
        String id = newId();
        Process p = new ProcessBuilder("sh", "-c", "exec 3<" + tmp.resolve("three") + " 4<" + tmp.resolve("three")
                + " 5</; exec " + launcher + " --root " + root + " run --preserve-fds 1 --bundle " + b + " " + id)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(List.of("three", "0 1 2 3 "), out.lines().toList(), "the caller's fds 4 and 5 (a host /) do not reach it");
    }

    /**
     * process.cwd through a magic link (the CVE-2024-21626 attack: a leaked fd of the host's cgroupfs or root
     * as /proc/self/fd/N): create fails instead of starting the process in a host directory.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/proc/self/fd/3", "/proc/self/fd/4", "/proc/self/fd/5", "/proc/self/fd/6",
            "/proc/self/fd/7", "/proc/self/fd/8", "/proc/self/cwd", "/proc/1/root", "/proc/self/fd/7/../../.."})
    void aCwdThroughProcMagicLinksIsRefused(String cwd) throws Exception {
        Path b = bundle(rootfsCopy(), "pwd; ls");
        ObjectNode c = config(b);
        ((ObjectNode) c.get("process")).put("cwd", cwd);
        write(b, c);
        String id = newId();
        Result r = jr("run", "--bundle", b.toString(), id);
        outcome("cwd " + cwd, r);
        if (r.code() == 0) {
            // Only acceptable when the cwd resolved to a directory of the container (e.g. "/.." clamped).
            assertFalse(r.out().contains("jruntime-init") || r.out().contains("state"), r.out());
            assertTrue(r.out().contains("bin"), "the container's own root: " + r.out());
        } else {
            assertTrue(r.err().contains("cwd"), r.err());
            assertFalse(Files.exists(root.resolve(id)));
        }
    }

    /** The same through `exec --cwd`, the path the original exploit used for runc exec. */
    @Test
    void execWithACwdThroughProcSelfFdIsRefused() throws Exception {
        String id = newId();
        // The container plants symlinks to the magic links, for an exec --cwd that names an innocent path.
        Path b = bundle(rootfsCopy(), "for fd in 3 4 5 6 7 8 9; do ln -s /proc/self/fd/$fd /tmp/fd$fd; done; "
                + "ln -s /proc/1/cwd/../../.. /tmp/up; touch /tmp/ready; sleep 100");
        ObjectNode c = config(b);
        ((ObjectNode) c.get("root")).put("readonly", false);
        write(b, c);
        assertEquals(0, jr("run", "-d", "--bundle", b.toString(), id).code());
        int pid = state(id).get("pid").asInt();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!Files.exists(Path.of("/proc/" + pid + "/root/tmp/ready")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        for (String link : List.of("/tmp/fd3", "/tmp/fd4", "/tmp/fd5", "/tmp/fd6", "/tmp/fd7", "/tmp/up")) {
            Result r = jr("exec", "--cwd", link, id, "sh", "-c", "pwd; ls");
            outcome("exec --cwd " + link + " (a symlink to a /proc magic link)", r);
            assertNotEquals(0, r.code(), link + ": " + r.out());
            assertTrue(r.err().contains("cwd"), r.err());
        }
        for (int fd = 3; fd <= 9; fd++) {
            Result r = jr("exec", "--cwd", "/proc/self/fd/" + fd, id, "sh", "-c", "pwd; ls");
            outcome("exec --cwd /proc/self/fd/" + fd, r);
            assertNotEquals(0, r.code(), "fd " + fd + ": " + r.out());
            assertTrue(r.err().contains("cwd"), r.err());
        }
        assertEquals("running", state(id).get("status").asText());
    }

    /**
     * --no-pivot leaves the old root under the container's (MS_MOVE + chroot), so setns into its mount
     * namespace alone would give an exec'd process the host's tree. It must see the container's root.
     */
    @Test
    void execIntoANoPivotContainerSeesTheContainersRootNotTheHosts() throws Exception {
        Path marker = Files.writeString(tmp.resolve("host-marker"), "host\n");
        String id = newId();
        assertEquals(0, jr("run", "-d", "--no-pivot", "--bundle", bundle(rootfsCopy(), "sleep 100").toString(), id).code());
        Result r = jr("exec", id, "sh", "-c", "cat " + marker + " 2>&1; cat /etc/passwd; ls " + launcher.getParent() + " 2>&1");
        outcome("exec into a --no-pivot container, reading host paths", r);
        assertFalse(r.out().contains("host\n"), r.out());
        assertTrue(r.out().contains("No such file or directory"), r.out());
        assertEquals(Files.readString(sampleRootfs.resolve("etc/passwd")).strip(),
                r.out().lines().filter(l -> l.contains(":x:")).reduce((a, l) -> a + "\n" + l).orElse(""), "the image's passwd");
    }

    // ---- 5. maskedPaths and a fake /dev/null -----------------------------------------------------

    /**
     * The image's /dev/null is a regular file (or a symlink to a file) full of secrets, and the config has no
     * /dev tmpfs, so that image /dev is what the container gets. Masking must never bind that fake file over
     * the masked paths: jruntime refuses the fake node when creating the devices (a different file exists where
     * /dev/null goes), and op_mask only ever binds a checked char 1:3.
     */
    @ParameterizedTest
    @ValueSource(strings = {"file", "symlink"})
    void aFakeDevNullInTheImageIsNeverBoundOverMaskedPaths(String kind) throws Exception {
        Path rootfs = rootfsCopy();
        Files.writeString(rootfs.resolve("etc/fake-null"), "not null at all\n");
        Path devNull = rootfs.resolve("dev/null");
        Files.deleteIfExists(devNull);
        if (kind.equals("file")) {
            Files.writeString(devNull, "not null at all\n");
        } else {
            Files.createSymbolicLink(devNull, Path.of("/etc/fake-null"));
        }
        Files.writeString(rootfs.resolve("etc/secret"), "secret\n");
        Path b = bundle(rootfs, "stat -c '%F %t:%T' /etc/secret; cat /etc/secret");
        ObjectNode c = config(b);
        ArrayNode mounts = (ArrayNode) c.get("mounts");
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).get("destination").asText().startsWith("/dev")) {
                mounts.remove(i);
            }
        }
        ((ArrayNode) c.get("linux").get("maskedPaths")).add("/etc/secret");
        write(b, c);
        String id = newId();
        Result r = jr("run", "--bundle", b.toString(), id);
        outcome("image /dev/null is a " + kind + ", no /dev tmpfs", r);
        if (r.code() == 0) {
            assertEquals("character special file 1:3\n", r.out(), "the real null device masks /etc/secret");
        } else {
            assertTrue(r.err().contains("/dev/null"), r.err());
            assertFalse(r.out().contains("not null at all"), r.out());
        }
        assertEquals("not null at all\n", Files.readString(rootfs.resolve("etc/fake-null")), "the fake is left as it was");
        assertEquals(kind.equals("symlink"), Files.isSymbolicLink(devNull));
    }

    /** With the usual /dev tmpfs over an image whose /dev/null is a plain file: masked paths get the real 1:3. */
    @Test
    void maskedPathsGetTheRealNullDeviceWhateverTheImageHasAtDevNull() throws Exception {
        Path rootfs = rootfsCopy();
        Files.writeString(rootfs.resolve("dev/null"), "not null at all\n");
        Files.writeString(rootfs.resolve("etc/secret"), "secret\n");
        Path b = bundle(rootfs, "stat -c '%F %t:%T' /etc/secret /proc/keys; wc -c < /etc/secret; ls /sys/firmware | wc -l");
        ObjectNode c = config(b);
        ((ArrayNode) c.get("linux").get("maskedPaths")).add("/etc/secret");
        write(b, c);
        Result r = jr("run", "--bundle", b.toString(), newId());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("character special file 1:3", "character special file 1:3", "0", "0"), r.out().lines().toList());
    }

    /**
     * A config that binds a host device node into the container and also lists it in linux.devices with
     * another owner and mode (found when the host's /dev/null ended up owned by 100000:100000). The existing
     * node is accepted as it is, as runc does: chowning it would chown the host's node through the bind.
     * The node is one this test makes (char 1:3 in its temp dir), never the host's real /dev/null.
     */
    @Test
    void aBoundHostDeviceAlsoListedInDevicesKeepsItsOwnerAndMode() throws Exception {
        Path node = tmp.resolve("host-null");
        Process mknod = new ProcessBuilder("mknod", "-m", "600", node.toString(), "c", "1", "3").inheritIO().start();
        assertEquals(0, mknod.waitFor());
        Path b = bundle("stat -c '%u:%g %a %t:%T' /dev/jrtnull");
        ObjectNode c = config(b);
        ObjectNode bind = ((ArrayNode) c.get("mounts")).addObject();
        bind.put("destination", "/dev/jrtnull").put("type", "bind").put("source", node.toString());
        bind.putArray("options").add("bind");
        ObjectNode dev = ((ObjectNode) c.get("linux")).withArray("devices").addObject();
        dev.put("path", "/dev/jrtnull").put("type", "c").put("major", 1).put("minor", 3)
                .put("fileMode", 0666).put("uid", 4242).put("gid", 4242);
        write(b, c);
        Result r = jr("run", "--bundle", b.toString(), newId());
        outcome("host device bound in and listed in linux.devices as uid 4242, mode 0666", r);
        assertEquals(0, r.code(), r.err());
        assertEquals("0:0 600 1:3\n", r.out(), "the container sees the bound node unchanged");
        assertEquals(0, Files.getAttribute(node, "unix:uid"), "the host's node keeps its owner");
        assertEquals(0, Files.getAttribute(node, "unix:gid"));
        assertEquals(0600, (int) Files.getAttribute(node, "unix:mode") & 07777, "and its mode");
    }

    // ---- 6. exec --cap and --no-new-privs --------------------------------------------------------

    static long capEff(String status) {
        return status.lines().filter(l -> l.startsWith("CapEff:")).map(l -> Long.parseUnsignedLong(l.split("\\s+")[1], 16))
                .findFirst().orElseThrow(() -> new AssertionError(status));
    }

    static String noNewPrivs(String status) {
        return status.lines().filter(l -> l.startsWith("NoNewPrivs:")).map(l -> l.split("\\s+")[1]).findFirst()
                .orElseThrow(() -> new AssertionError(status));
    }

    @Test
    void execCapAddsTheCapabilityToTheExecdProcessOnlyAndNoNewPrivsSetsTheBit() throws Exception {
        long sysAdmin = 1L << 21;
        Path b = bundle(rootfsCopy(), "sleep 100");
        ObjectNode c = config(b);
        ((ObjectNode) c.get("process")).put("noNewPrivileges", false);
        write(b, c);
        String id = newId();
        assertEquals(0, jr("run", "-d", "--bundle", b.toString(), id).code());
        int pid = state(id).get("pid").asInt();

        Result plain = jr("exec", id, "cat", "/proc/self/status");
        assertEquals(0, plain.code(), plain.err());
        assertEquals(0, capEff(plain.out()) & sysAdmin, "no CAP_SYS_ADMIN without --cap");
        assertEquals("0", noNewPrivs(plain.out()));

        Result withCap = jr("exec", "--cap", "CAP_SYS_ADMIN", id, "cat", "/proc/self/status");
        assertEquals(0, withCap.code(), withCap.err());
        assertEquals(sysAdmin, capEff(withCap.out()) & sysAdmin, "--cap adds CAP_SYS_ADMIN to the exec'd process");
        assertEquals(capEff(plain.out()) | sysAdmin, capEff(withCap.out()), "and nothing else");

        String initStatus = Files.readString(Path.of("/proc/" + pid + "/status"));
        assertEquals(0, capEff(initStatus) & sysAdmin, "the container's init stays without it");
        assertEquals(capEff(plain.out()), capEff(initStatus));
        Result initAfter = jr("exec", id, "cat", "/proc/1/status");
        assertEquals(0, capEff(initAfter.out()) & sysAdmin);

        Result nnp = jr("exec", "--no-new-privs", id, "cat", "/proc/self/status");
        assertEquals(0, nnp.code(), nnp.err());
        assertEquals("1", noNewPrivs(nnp.out()));
        assertEquals("0", noNewPrivs(Files.readString(Path.of("/proc/" + pid + "/status"))), "the init is not affected");
    }
}
