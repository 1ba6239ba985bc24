package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tmpfs mounts as runc makes them, seen from inside: over an existing directory the tmpfs keeps its mode
 * (unless the options give one), and with tmpcopyup (podman's default for --tmpfs) it starts with a copy of
 * the directory's files, owners, modes and symlinks included, while the image itself is never written.
 */
class TmpfsMountsIT extends io.jruntime.testing.LauncherTestBase {
    /** A private rootfs with /etc/app: a file of uid 1000 mode 0640, a subdirectory, a symlink; /etc/app is 0750. */
    Path rootfsWithApp() throws Exception {
        Path copy = tmp.resolve("rootfs");
        assertEquals(0, new ProcessBuilder("cp", "-a", sampleRootfs.toString(), copy.toString()).inheritIO().start().waitFor());
        Path app = copy.resolve("etc/app");
        Files.createDirectories(app.resolve("conf.d"));
        Files.writeString(app.resolve("app.conf"), "answer=42\n");
        Files.setPosixFilePermissions(app.resolve("app.conf"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setAttribute(app.resolve("app.conf"), "unix:uid", 1000);
        Files.writeString(app.resolve("conf.d/extra.conf"), "more\n");
        Files.createSymbolicLink(app.resolve("current"), Path.of("app.conf"));
        Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-x---"));
        return copy;
    }

    Path bundleWithTmpfs(Path rootfs, String script, String... options) throws Exception {
        Path b = bundle(rootfs, script);
        ObjectNode c = config(b);
        var opts = c.withArray("mounts").addObject().put("destination", "/etc/app").put("type", "tmpfs").put("source", "tmpfs")
                .putArray("options");
        for (String o : options) {
            opts.add(o);
        }
        write(b, c);
        return b;
    }

    static final String LOOK = "stat -c '%a %u %n' /etc/app /etc/app/app.conf; cat /etc/app/app.conf; readlink /etc/app/current;"
            + " cat /etc/app/conf.d/extra.conf; grep ' /etc/app ' /proc/self/mountinfo | cut -d' ' -f9; echo new > /etc/app/new && echo wrote";

    @Test
    void tmpcopyupStartsTheTmpfsWithTheDirectorysFiles() throws Exception {
        Path rootfs = rootfsWithApp();
        Result r = jr("run", "--bundle", bundleWithTmpfs(rootfs, LOOK, "tmpcopyup", "nosuid").toString(), newId());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("750 0 /etc/app", "640 1000 /etc/app/app.conf", "answer=42", "app.conf", "more", "tmpfs", "wrote"),
                r.out().lines().toList());
        assertEquals(List.of("app.conf", "conf.d", "current"), Files.list(rootfs.resolve("etc/app")).map(p -> p.getFileName().toString())
                .sorted().toList(), "the image's directory is left as it was");
    }

    @Test
    void withoutTmpcopyupTheTmpfsIsEmptyButKeepsTheDirectorysModeUnlessGivenOne() throws Exception {
        Path rootfs = rootfsWithApp();
        Result plain = jr("run", "--bundle", bundleWithTmpfs(rootfs, "stat -c %a /etc/app; ls -A /etc/app | wc -l").toString(), newId());
        assertEquals(0, plain.code(), plain.err());
        assertEquals(List.of("750", "0"), plain.out().lines().toList(), "runc's rule: the mode of the directory it covers");

        Result given = jr("run", "--bundle", bundleWithTmpfs(rootfs, "stat -c %a /etc/app", "mode=1777").toString(), newId());
        assertEquals(0, given.code(), given.err());
        assertEquals("1777\n", given.out(), "the options' own mode wins");
    }

    @Test
    void readOnlyTmpcopyupHasTheFilesAndRefusesWrites() throws Exception {
        Path rootfs = rootfsWithApp();
        Result r = jr("run", "--bundle", bundleWithTmpfs(rootfs, "cat /etc/app/app.conf; touch /etc/app/x 2>&1 || true;"
                + " grep ' /etc/app ' /proc/self/mountinfo | cut -d' ' -f6", "tmpcopyup", "ro", "nosuid", "nodev", "noexec").toString(), newId());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("answer=42\n"), r.out());
        assertTrue(r.out().contains("Read-only file system"), r.out());
        assertTrue(r.out().strip().endsWith("ro,nosuid,nodev,noexec,relatime"), "made read-only after the copy, the other flags kept: " + r.out());
    }
}
