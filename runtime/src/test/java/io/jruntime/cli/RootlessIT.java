package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * jruntime run by a user other than root, with `jruntime spec --rootless`'s config, as runc: the user's
 * own uid and gid become root in the container's user namespace, the state goes under $XDG_RUNTIME_DIR,
 * and without limits the container runs without a cgroup of its own (a user may not make one here).
 * The user is a bare uid with no passwd entry (setpriv), so the test changes nothing on the host.
 */
class RootlessIT extends io.jruntime.testing.LauncherTestBase {
    static final int UID = 1501;
    Path home, xdg, bundle;

    @BeforeEach
    void userFiles() throws Exception {
        home = Files.createTempDirectory(Path.of("/tmp"), "jrt-it-rootless");
        xdg = Files.createDirectories(home.resolve("xdg"));
        bundle = Files.createDirectories(home.resolve("bundle"));
        assertEquals(0, new ProcessBuilder("cp", "-a", sampleRootfs.toString(), bundle.resolve("rootfs").toString())
                .inheritIO().start().waitFor());
        assertEquals(0, new ProcessBuilder("chown", "-R", UID + ":" + UID, home.toString()).inheritIO().start().waitFor());
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Result spec = asUser("spec", "--rootless", "--bundle", bundle.toString());
        assertEquals(0, spec.code(), spec.err());
    }

    @AfterEach
    void removeUserFiles() throws Exception {
        for (String id : ids) {
            asUser("delete", "--force", id);
        }
        new ProcessBuilder("rm", "-rf", home.toString()).inheritIO().start().waitFor();
    }

    /** `setpriv --reuid UID --regid UID --clear-groups jruntime ARGS` with the user's XDG_RUNTIME_DIR and HOME. */
    Result asUser(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups",
                "env", "XDG_RUNTIME_DIR=" + xdg, "HOME=" + home, launcher.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).directory(bundle.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("jruntime " + String.join(" ", args) + " hung");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    void args(String... args) throws Exception {
        ObjectNode c = config(bundle);
        var a = c.with("process").put("terminal", false).putArray("args");
        for (String s : args) {
            a.add(s);
        }
        write(bundle, c);
    }

    @Test
    void theUsersIdsAreRootInsideAndNoCgroupIsMade() throws Exception {
        args("sh", "-c", "id -u; id -g; cat /proc/self/uid_map; cat /proc/self/cgroup | grep -c jrt-it || true");
        String id = newId();
        Result r = asUser("run", id);
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().map(String::trim).toList();
        assertEquals("0", lines.get(0), r.out());
        assertEquals("0", lines.get(1), r.out());
        assertEquals(List.of("0", String.valueOf(UID), "1"), List.of(lines.get(2).split("\\s+")), "the user's uid is root inside");
        assertEquals("0", lines.get(3), "no cgroup named after the container");
        assertFalse(Files.exists(xdg.resolve("jruntime").resolve(id)), "run's state is gone");
    }

    @Test
    void lifecycleUnderXdgRuntimeDir() throws Exception {
        args("sleep", "60");
        String id = newId();
        assertEquals(0, asUser("create", id).code());
        assertTrue(Files.isDirectory(xdg.resolve("jruntime").resolve(id)), "state under $XDG_RUNTIME_DIR/jruntime, as runc's");
        assertEquals(0, asUser("start", id).code());
        Result exec = asUser("exec", id, "sh", "-c", "id -u; hostname");
        assertEquals(0, exec.code(), exec.err());
        assertEquals("0", exec.out().lines().findFirst().orElse(""));
        Result state = asUser("state", id);
        assertEquals("running", JSON.readTree(state.out()).get("status").asText());
        int pid = JSON.readTree(state.out()).get("pid").asInt();
        assertEquals(String.valueOf(UID), Files.getAttribute(Path.of("/proc/" + pid), "unix:uid").toString(), "the init is the user's");
        assertEquals(0, asUser("kill", id, "KILL").code());
        Result deleted = null;
        for (int i = 0; i < 50 && (deleted == null || deleted.code() != 0); i++) {
            Thread.sleep(100);
            deleted = asUser("delete", id);
        }
        assertEquals(0, deleted.code(), deleted.err());
        assertFalse(Files.exists(xdg.resolve("jruntime").resolve(id)));
    }

    /**
     * Ranges beyond the user's own ids go through newuidmap/newgidmap, which check /etc/subuid and /etc/subgid:
     * that takes a user with a name and ranges, so this test adds one (useradd, usermod) and removes it after.
     */
    @Test
    void rangesFromSubuidGoThroughNewuidmap() throws Exception {
        String user = "jrt-it-ranges";
        int uid = 1502;
        sh("userdel " + user + " 2>/dev/null; groupdel " + user + " 2>/dev/null; groupadd -g " + uid + " " + user
                + " && useradd -M -u " + uid + " -g " + uid + " -s /usr/sbin/nologin " + user
                + " && usermod --add-subuids 300000-365535 --add-subgids 300000-365535 " + user);
        try {
            assertEquals(0, new ProcessBuilder("chown", "-R", uid + ":" + uid, home.toString()).inheritIO().start().waitFor());
            ObjectNode c = config(bundle);
            for (String field : List.of("uidMappings", "gidMappings")) {
                var maps = c.with("linux").putArray(field);
                maps.addObject().put("containerID", 0).put("hostID", uid).put("size", 1);
                maps.addObject().put("containerID", 1).put("hostID", 300000).put("size", 65535);
            }
            write(bundle, c);
            args("sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups");
            String id = newId();
            List<String> cmd = List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--init-groups", "env",
                    "XDG_RUNTIME_DIR=" + xdg, "HOME=" + home, launcher.toString(), "run", id);
            Process p = new ProcessBuilder(cmd).directory(bundle.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
            List<List<String>> maps = out.lines().limit(4).map(l -> List.of(l.trim().split("\\s+"))).toList();
            List<String> own = List.of("0", String.valueOf(uid), "1"), range = List.of("1", "300000", "65535");
            assertEquals(List.of(own, range, own, range), maps, "both ranges, uid and gid:\n" + out);
            assertEquals("allow", out.lines().skip(4).findFirst().orElse("").trim(),
                    "newgidmap may write gid_map without denying setgroups (runc leaves it allowed too)");
        } finally {
            sh("userdel " + user + "; groupdel " + user + " 2>/dev/null; true");
        }
    }

    static void sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), script + ": " + out);
    }

    @Test
    void limitsOrNoUserNamespaceFailWithRuncsReasonsAndLeaveNothing() throws Exception {
        args("true");
        ObjectNode c = config(bundle);
        c.with("linux").with("resources").with("memory").put("limit", 64L << 20);
        write(bundle, c);
        String id = newId();
        Result limits = asUser("run", id);
        assertEquals(1, limits.code());
        assertTrue(limits.err().contains("rootless container cannot set resource limits"), limits.err());
        assertFalse(Files.exists(xdg.resolve("jruntime").resolve(id)), "no state left");

        c.with("linux").remove("resources");
        var namespaces = c.with("linux").withArray("namespaces");
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            if (namespaces.get(i).get("type").asText().equals("user")) {
                namespaces.remove(i);
            }
        }
        c.with("linux").remove("uidMappings");
        c.with("linux").remove("gidMappings");
        write(bundle, c);
        Result noUserns = asUser("run", id);
        assertEquals(1, noUserns.code());
        assertTrue(noUserns.err().contains("rootless container requires user namespaces"), noUserns.err());
        assertFalse(Files.exists(xdg.resolve("jruntime").resolve(id)), "no state left");
    }
}
