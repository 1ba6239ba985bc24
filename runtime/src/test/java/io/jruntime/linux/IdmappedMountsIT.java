package io.jruntime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idmapped mounts (mount uidMappings/gidMappings, idmap, ridmap) through the real launcher, seen from
 * inside busybox containers with and without a user namespace, as runc's tests/integration/idmap.bats:
 * a file owned by containerID on disk shows as hostID through the mount. The idmapped sources are
 * test-made directories under the test's temporary directory (ext4 here), with files of several owners.
 */
class IdmappedMountsIT extends io.jruntime.testing.LauncherTestBase {
    Path src;
    String cgroup;

    @BeforeEach
    void source() throws Exception {
        src = Files.createTempDirectory(tmp, "idmap-src");
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwxrwxrwx"));
        own(Files.createFile(src.resolve("root")), 0, 0);
        own(Files.createFile(src.resolve("user")), 1000, 2000);
        own(Files.createFile(src.resolve("high")), 65535, 100);
        cgroup = "/jrt-idmap-" + UUID.randomUUID();
    }

    @AfterEach
    void nothingLeft() throws Exception {
        // `run` deletes its container and a failed create leaves none: by now nothing of them may remain.
        String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
        assertFalse(mountinfo.contains(tmp.toString()), "a mount of the test's files is left on the host:\n" + mountinfo);
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup/memory" + cgroup)), "the container's cgroup (and so a process) is left");
    }

    static void own(Path p, int uid, int gid) throws Exception {
        Files.setAttribute(p, "unix:uid", uid);
        Files.setAttribute(p, "unix:gid", gid);
    }

    /** A bundle running {@code script}, with a tmpfs at /mnt (so destinations are not made in the shared rootfs). */
    ObjectNode config(Path b, boolean userns) throws Exception {
        ObjectNode c;
        if (userns) {
            c = (ObjectNode) JSON.readTree(Files.readString(samples.resolve("userns").resolve("config.json")));
            c.with("root").put("path", sampleRootfs.toString());
        } else {
            c = config(b);
        }
        c.with("linux").put("cgroupsPath", cgroup);
        c.withArray("mounts").addObject().put("destination", "/mnt").put("type", "tmpfs").put("source", "tmpfs")
                .putArray("options").add("mode=755");
        return c;
    }

    static ObjectNode mount(ObjectNode c, String dest, Path source, String... options) {
        ObjectNode m = c.withArray("mounts").addObject().put("destination", dest).put("source", source.toString());
        ArrayNode o = m.putArray("options");
        for (String s : options) {
            o.add(s);
        }
        return m;
    }

    static void maps(ObjectNode m, long uidHost, long gidHost) {
        m.putArray("uidMappings").addObject().put("containerID", 0).put("hostID", uidHost).put("size", 65536);
        m.putArray("gidMappings").addObject().put("containerID", 0).put("hostID", gidHost).put("size", 65536);
    }

    Result run(Path b, ObjectNode c, String script) throws Exception {
        c.with("process").putArray("args").add("sh").add("-c").add(script);
        write(b, c);
        return jr("run", "--bundle", b.toString(), newId());
    }

    static final String STAT = "for f in /mnt/*/*; do stat -c '%n=%u:%g' $f; done";

    @Test
    void withoutUserNamespaceOnDiskIdsShowAsTheHostIdsAndUnmappedRootCannotWrite() throws Exception {
        Path b = bundle("true");
        ObjectNode c = config(b, false);
        maps(mount(c, "/mnt/idmapped", src, "bind"), 100000, 200000); // mappings without the option: idmapped (runc)
        mount(c, "/mnt/plain", src, "bind"); // the same source, not idmapped
        maps(mount(c, "/mnt/ro", src, "bind", "idmap", "ro", "nosuid", "shared"), 100000, 200000); // flags after the attach
        Result r = run(b, c, STAT + "; touch /mnt/idmapped/new; echo touch=$?; grep ' /mnt/ro ' /proc/self/mountinfo;"
                // the shell's own fds, listed by a subshell (no pipe or saved fd of the shell's; see EscapeDefensesIT)
                + " (ls /proc/$$/fd > /mnt/fds); echo fds=$(cat /mnt/fds)");
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("/mnt/idmapped/root=100000:200000\n"), out);
        assertTrue(out.contains("/mnt/idmapped/user=101000:202000\n"), out);
        assertTrue(out.contains("/mnt/idmapped/high=165535:200100\n"), out);
        assertTrue(out.contains("/mnt/plain/root=0:0\n"), out);
        assertTrue(out.contains("/mnt/plain/user=1000:2000\n"), out);
        // The container's root (host uid 0) has no id on the mount: creating a file there is EOVERFLOW.
        assertTrue(out.contains("touch=1"), out);
        assertTrue(r.err().contains("Value too large for defined data type"), r.err());
        assertFalse(Files.exists(src.resolve("new")));
        assertTrue(out.contains("/mnt/ro/root=100000:200000\n"), out);
        String ro = out.lines().filter(l -> l.contains(" /mnt/ro ")).findFirst().orElseThrow(() -> new AssertionError(out));
        assertTrue(ro.contains(" ro,nosuid") && ro.contains(" shared:"), "remount flags and propagation of the attached tree: " + ro);
        // The trees' fds are the stage's and the init's, closed once attached: none reaches the process.
        assertTrue(out.contains("fds=0 1 2\n"), out);
    }

    @Test
    void inAUserNamespaceTheContainersOwnIdsShowAndWritesLandAsTheOnDiskIds() throws Exception {
        Path b = Files.createTempDirectory(tmp, "bundle");
        ObjectNode c = config(b, true); // 0 -> 100000, 65536 ids
        mount(c, "/mnt/implicit", src, "bind", "idmap"); // no mappings: the container's
        maps(mount(c, "/mnt/explicit", src, "bind"), 100000, 100000);
        // The plain bind is made by the container's root (host uid 100000), which must be able to reach the source
        // (the idmapped trees are made by host root, in the stage).
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        mount(c, "/mnt/plain", src, "bind");
        Result r = run(b, c, STAT + "; touch /mnt/implicit/made && stat -c 'made=%u:%g' /mnt/implicit/made;"
                + " echo overflow=$(cat /proc/sys/kernel/overflowuid)");
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        for (String m : List.of("implicit", "explicit")) {
            assertTrue(out.contains("/mnt/" + m + "/root=0:0\n"), out);
            assertTrue(out.contains("/mnt/" + m + "/user=1000:2000\n"), out);
            assertTrue(out.contains("/mnt/" + m + "/high=65535:100\n"), out);
        }
        assertTrue(out.contains("made=0:0\n"), out);
        // Without the idmap the host's root files are unmapped in the container's user namespace.
        String overflow = out.substring(out.indexOf("overflow=") + 9).trim();
        assertTrue(out.contains("/mnt/plain/root=" + overflow + ":"), out);
        assertEquals(0, (int) Files.getAttribute(src.resolve("made"), "unix:uid"), "written as on-disk root");
        assertEquals(0, (int) Files.getAttribute(src.resolve("made"), "unix:gid"));
    }

    @Test
    void ridmapIdmapsEveryMountOfAnRbindTreeAndIdmapOnlyItsTop() throws Exception {
        // The submount is made in a private mount namespace of the test (unshare -m), where jruntime then
        // runs: never on the host's mount table.
        Path sub = Files.createDirectory(src.resolve("sub"));
        Path b = bundle("true");
        ObjectNode c = config(b, false);
        maps(mount(c, "/mnt/r", src, "rbind", "ridmap"), 100000, 100000);
        maps(mount(c, "/mnt/i", src, "rbind", "idmap"), 100000, 100000);
        c.with("process").putArray("args").add("sh").add("-c")
                .add("stat -c '%n=%u' /mnt/r/root /mnt/r/sub/f /mnt/i/root /mnt/i/sub/f");
        write(b, c);
        String setup = "mount -t tmpfs -o mode=755 jrt-idmap " + sub + " && touch " + sub + "/f && exec \"$0\" \"$@\"";
        Result r = jrUnder(List.of("unshare", "-m", "--propagation", "private", "sh", "-c", setup),
                "run", "--bundle", b.toString(), newId());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("/mnt/r/root=100000\n"), out);
        assertTrue(out.contains("/mnt/r/sub/f=100000\n"), "ridmap: the submount too\n" + out);
        assertTrue(out.contains("/mnt/i/root=100000\n"), out);
        assertTrue(out.contains("/mnt/i/sub/f=0\n"), "idmap: only the top mount\n" + out);
    }

    @Test
    void anIdmappedMountThatIsNotABindIsRefusedAtCreate() throws Exception {
        Path b = bundle("true");
        ObjectNode c = config(b, false);
        ObjectNode m = c.withArray("mounts").addObject().put("destination", "/mnt/t").put("type", "tmpfs").put("source", "tmpfs");
        m.putArray("options").add("idmap");
        maps(m, 100000, 100000);
        write(b, c);
        String id = newId();
        Result r = jr("create", "--bundle", b.toString(), id);
        assertEquals(1, r.code(), r.out());
        int index = c.withArray("mounts").size() - 1;
        assertTrue(r.err().contains("mounts[" + index + "]: idmapped mounts are only supported for bind mounts"), r.err());
        assertFalse(Files.exists(root.resolve(id)), "no state dir");
    }

    @Test
    void aSourceWhoseFilesystemCannotBeIdmappedFailsCreateCleanly() throws Exception {
        Path b = bundle("true");
        ObjectNode c = config(b, false);
        maps(mount(c, "/mnt/p", Path.of("/proc/sys"), "bind"), 100000, 100000); // procfs: no idmapped mounts
        write(b, c);
        String id = newId();
        Result r = jr("create", "--bundle", b.toString(), id);
        assertEquals(1, r.code(), r.out());
        int index = c.withArray("mounts").size() - 1;
        assertTrue(r.err().contains("mounts[" + index + "] (/proc/sys to /mnt/p): the filesystem of /proc/sys does not support idmapped mounts"),
                r.err());
        assertFalse(Files.exists(root.resolve(id)), "no state dir");
    }
}
