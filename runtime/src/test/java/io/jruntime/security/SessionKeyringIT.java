package io.jruntime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The container must not hold the caller's session keyring (runc's _ses.ID): the keys of whoever ran
 * jruntime would otherwise be the container's to use. Each test runs jruntime in a session keyring of its
 * own (keyutils' `keyctl session`) holding a secret key, and looks at /proc/keys from inside as uid 1000,
 * who sees a root-owned key only when it possesses it, that is, through its session keyring.
 */
class SessionKeyringIT extends io.jruntime.testing.LauncherTestBase {
    static final String SECRET = "jrt-secret";

    /** `keyctl session NAME sh -c 'add the secret; exec jruntime ...'`: jruntime starts in that keyring. */
    List<String> inHostSession() {
        return List.of("keyctl", "session", "jrt-it-host-" + UUID.randomUUID().toString().substring(0, 8), "sh", "-c",
                "keyctl add user " + SECRET + " hunter2 @s >/dev/null && exec \"$@\"", "sh");
    }

    /** A bundle running {@code script} as uid 1000 with /proc/keys readable (the sample masks it). */
    Path bundleAsUser(String script) throws Exception {
        Path b = bundle(script);
        ObjectNode c = config(b);
        ObjectNode user = (ObjectNode) c.with("process").get("user");
        user.put("uid", 1000).put("gid", 1000);
        ArrayNode masked = (ArrayNode) c.with("linux").get("maskedPaths");
        for (int i = masked.size() - 1; i >= 0; i--) {
            if (masked.get(i).asText().equals("/proc/keys")) {
                masked.remove(i);
            }
        }
        write(b, c);
        return b;
    }

    /** The id (first column) of the keyring named {@code name} in a /proc/keys listing, or null. */
    static String keyringId(String procKeys, String name) {
        for (String line : procKeys.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 9 && f[7].equals("keyring") && line.contains(" " + name + ":")) {
                return f[0];
            }
        }
        return null;
    }

    @Test
    void theContainerGetsItsOwnSessionKeyringNotTheCallers() throws Exception {
        String id = newId();
        Result r = jrUnder(inHostSession(), "run", "--bundle", bundleAsUser("cat /proc/keys").toString(), id);
        assertEquals(0, r.code(), r.err());
        assertNotNull(keyringId(r.out(), "_ses." + id), "the container's own session keyring, runc's name:\n" + r.out());
        assertFalse(r.out().contains(SECRET), "the caller's key is out of reach:\n" + r.out());
    }

    /** The check above can fail: with --no-new-keyring the caller's keyring, and so its key, is inherited. */
    @Test
    void withNoNewKeyringTheCallersSessionKeyringIsKept() throws Exception {
        String id = newId();
        Result r = jrUnder(inHostSession(), "run", "--no-new-keyring", "--bundle", bundleAsUser("cat /proc/keys").toString(), id);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(SECRET), "the caller's key, through its session keyring:\n" + r.out());
        assertEquals(null, keyringId(r.out(), "_ses." + id), r.out());
    }

    /** exec'd processes join the container's keyring (not the exec caller's), with and without a user namespace. */
    @Test
    void execJoinsTheContainersKeyring() throws Exception {
        for (boolean userns : new boolean[] {false, true}) {
            Path b = bundleAsUser("cat /proc/keys >/dev/shm/init-keys; sleep 60");
            if (userns) {
                ObjectNode c = config(b);
                c.with("process").with("user").put("uid", 0).put("gid", 0);
                c.with("linux").withArray("namespaces").addObject().put("type", "user");
                c.with("linux").putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
                c.with("linux").putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
                write(b, c);
            }
            String id = newId();
            assertEquals(0, jrUnder(inHostSession(), "create", "--bundle", b.toString(), id).code());
            assertEquals(0, jr("start", id).code());
            Result init = null;
            for (int i = 0; i < 100 && (init == null || init.out().isEmpty()); i++) {
                Thread.sleep(50);
                init = jr("exec", id, "cat", "/dev/shm/init-keys");
            }
            Result exec = jrUnder(inHostSession(), "exec", "--user", userns ? "0:0" : "1000:1000", id, "cat", "/proc/keys");
            assertEquals(0, exec.code(), exec.err());
            String ring = keyringId(init.out(), "_ses." + id);
            assertNotNull(ring, "userns " + userns + ": the init's keyring:\n" + init.out());
            assertEquals(ring, keyringId(exec.out(), "_ses." + id), "userns " + userns + ": the same keyring:\n" + exec.out());
            assertFalse(exec.out().contains(SECRET), "userns " + userns + ": not the exec caller's either:\n" + exec.out());
            assertEquals(0, jr("delete", "--force", id).code());
        }
    }
}
