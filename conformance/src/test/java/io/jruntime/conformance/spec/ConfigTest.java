package io.jruntime.conformance.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.conformance.Bundle;
import io.jruntime.conformance.CommandResult;
import io.jruntime.conformance.Container;
import io.jruntime.conformance.Json;
import io.jruntime.conformance.Level;
import io.jruntime.conformance.Probe;
import io.jruntime.conformance.Requirement;
import io.jruntime.conformance.Settings;
import io.jruntime.conformance.SpecFile;
import io.jruntime.conformance.SpecTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config.md: root, process, hostname, domainname, annotations, extensibility, valid values. */
@SpecFile("config.md")
class ConfigTest extends SpecTest {

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

    // ---------------------------------------------------------------- ociVersion, root

    @Test
    @Requirement(id = "config.md#specification-version/semver", text = "ociVersion MUST be in SemVer v2.0.0 format (runtimes MUST generate an error on invalid values)")
    void invalidOciVersionFails() {
        Bundle b = bundle();
        b.config().put("ociVersion", "not a version");
        expectError(container(b).create(), "create with ociVersion \"not a version\"");
    }

    @Test
    @Requirement(id = "config.md#root/required", text = "root is REQUIRED on Linux (runtimes MUST generate an error on invalid values)")
    void missingRootFails() {
        Bundle b = bundle();
        b.config().remove("root");
        expectError(container(b).create(), "create without root");
    }

    @Test
    @Requirement(id = "config.md#root/path-relative", text = "root.path is either an absolute path or a relative path to the bundle (relative)")
    void rootPathRelativeToBundle() throws Exception {
        Bundle b = bundle("--read", "/etc/which-root");
        Files.move(b.rootfs(), b.dir().resolve("other-rootfs"));
        Files.writeString(b.dir().resolve("other-rootfs/etc/which-root"), "relative");
        b.config().withObject("/root").put("path", "other-rootfs");
        Container c = container(b);
        Path cwd = Files.createDirectories(work.resolve("elsewhere"));
        // run create from another directory: relative means relative to the bundle, not the cwd
        b.write();
        CommandResult r = cli.runTo(work.resolve(c.id() + ".out"), work.resolve(c.id() + ".err"), cwd, List.of(), null,
                "create", "--bundle", b.dir().toString(), c.id());
        try {
            expectOk(r, "create");
            expectOk(c.start(), "start");
            assertTrue(c.awaitStopped(), "did not stop");
            assertEquals("relative", c.probe().check("--read", "/etc/which-root").path("text").asText(), "the container's root");
        } finally {
            c.deleteForce();
        }
    }

    @Test
    @Requirement(id = "config.md#root/path-absolute", text = "root.path is either an absolute path or a relative path to the bundle (absolute)")
    void rootPathAbsolute() throws Exception {
        Bundle b = bundle("--read", "/etc/which-root");
        Path abs = work.resolve("absolute-rootfs");
        Files.move(b.rootfs(), abs);
        Files.writeString(abs.resolve("etc/which-root"), "absolute");
        b.config().withObject("/root").put("path", abs.toString());
        Probe p = run(b);
        assertEquals("absolute", p.check("--read", "/etc/which-root").path("text").asText(), "the container's root");
    }

    @Test
    @Requirement(id = "config.md#root/path-exists", text = "a directory MUST exist at the path declared by root.path (create MUST fail otherwise)")
    void rootPathMustExist() {
        Bundle b = bundle();
        b.config().withObject("/root").put("path", "no-such-rootfs");
        expectError(container(b).create(), "create with a root.path that does not exist");
    }

    @Test
    @Requirement(id = "config.md#root/readonly", text = "if root.readonly is true the root filesystem MUST be read-only inside the container")
    void rootReadonly() {
        Bundle b = bundle("--write", "/", "--write", "/etc/new-file");
        b.config().withObject("/root").put("readonly", true);
        Probe p = run(b);
        expectCheck(p.check("--write", "/"), false, "EROFS", "creating a file in /");
        expectCheck(p.check("--write", "/etc/new-file"), false, "EROFS", "creating /etc/new-file");
        JsonNode root = p.mountAt("/");
        assertNotNull(root, "no mount at /");
        assertTrue(Probe.options(root).contains("ro"), "/ is not mounted ro: " + root.path("options").asText());
    }

    @Test
    @Requirement(id = "config.md#root/readonly-default", text = "root.readonly defaults to false")
    void rootReadWriteByDefault() {
        Bundle b = bundle("--write", "/");
        b.config().withObject("/root").remove("readonly");
        expectCheck(run(b).check("--write", "/"), true, null, "creating a file in /");
    }

    // ---------------------------------------------------------------- process

    @Test
    @Requirement(id = "config.md#process/optional", text = "process is OPTIONAL (REQUIRED only when start is called): create without process MUST succeed")
    void createWithoutProcess() {
        Bundle b = bundle();
        b.config().remove("process");
        Container c = container(b);
        expectOk(c.create(), "create without process");
        assertEquals("created", c.status(), "status");
    }

    @Test
    @Requirement(id = "config.md#process/args", text = "args[0] is used with the same semantics as execvp's file (found on PATH)")
    void argsUseExecvpSemantics() {
        Bundle b = bundle();
        b.args("probe", "--exit", "0");
        b.env("PATH=/usr/local/bin:/bin");
        Probe p = run(b);
        assertEquals(List.of("probe", "--exit", "0"), p.args(), "argv");
    }

    @Test
    @Requirement(id = "config.md#process/env", text = "env has the same semantics as environ: the process gets exactly these variables")
    void env() {
        Bundle b = bundle();
        b.env("PATH=/bin", "CONFORMANCE_A=1", "CONFORMANCE_B=two words", "CONFORMANCE_EMPTY=");
        List<String> env = run(b).env();
        for (String e : List.of("PATH=/bin", "CONFORMANCE_A=1", "CONFORMANCE_B=two words", "CONFORMANCE_EMPTY=")) {
            assertTrue(env.contains(e), "missing " + e + " in " + env);
        }
    }

    @Test
    @Requirement(id = "config.md#process/cwd", text = "cwd is the working directory that will be set for the executable")
    void cwd() {
        Bundle b = bundle();
        b.process().put("cwd", "/home/probe");
        assertEquals("/home/probe", run(b).text("cwd"));
    }

    @Test
    @Requirement(id = "config.md#process/cwd-absolute", text = "cwd MUST be an absolute path (runtimes MUST generate an error on invalid values)")
    void relativeCwdFails() {
        Bundle b = bundle();
        b.process().put("cwd", "home/probe");
        Container c = container(b);
        CommandResult r = c.create();
        if (!r.ok()) {
            requireWorkingBaseline();
        } else {
            expectError(c.start(), "create and start with a relative cwd");
        }
    }

    @Test
    @Requirement(id = "config.md#process/console-size", text = "runtimes MUST ignore consoleSize if terminal is false or unset")
    void consoleSizeIgnoredWithoutTerminal() {
        Bundle b = bundle();
        b.process().putObject("consoleSize").put("height", 25).put("width", 80);
        Probe p = run(b);
        assertFalse(p.json().path("tty").path("1").asBoolean(), "stdout is a terminal");
    }

    @Test
    @Requirement(id = "config.md#process/terminal", text = "terminal true: a pseudoterminal pair is allocated for the process and the pty is duplicated on its standard streams")
    void terminal() {
        Probe p = runWithTerminal(bundle());
        JsonNode tty = p.json().path("tty");
        assertTrue(tty.path("0").asBoolean() && tty.path("1").asBoolean() && tty.path("2").asBoolean(),
                "stdin/stdout/stderr are not all terminals: " + tty);
    }

    @Test
    @Requirement(id = "config.md#process/console-size-terminal", text = "consoleSize specifies the console size in characters of the terminal (terminal true)")
    void consoleSizeWithTerminal() {
        Bundle b = bundle();
        b.process().putObject("consoleSize").put("height", 37).put("width", 111);
        Probe p = runWithTerminal(b);
        JsonNode ws = p.json().path("winsize");
        assertTrue(ws.isObject(), "the probe saw no terminal window size on stdout: " + ws);
        assertEquals(37, ws.path("rows").asInt(), "rows (height) of the terminal inside: " + ws);
        assertEquals(111, ws.path("cols").asInt(), "columns (width) of the terminal inside: " + ws);
    }

    Probe runWithTerminal(Bundle b) {
        return Terminal.run(b, work, this::helper, this::container, sock -> waitFor(() -> Files.exists(Path.of(sock)), "the console socket"));
    }

    @Test
    @Requirement(id = "config.md#process/user", text = "user.uid, user.gid and additionalGids are the ids of the process in the container namespace")
    void user() {
        Bundle b = bundle();
        ObjectNode u = b.process().putObject("user");
        u.put("uid", 1000).put("gid", 1001);
        u.set("additionalGids", Json.MAPPER.createArrayNode().add(10).add(20));
        Probe p = run(b);
        JsonNode uid = p.json().path("uid");
        JsonNode gid = p.json().path("gid");
        assertEquals(1000, uid.path("real").asInt(), "real uid");
        assertEquals(1000, uid.path("effective").asInt(), "effective uid");
        assertEquals(1001, gid.path("real").asInt(), "real gid");
        assertEquals(1001, gid.path("effective").asInt(), "effective gid");
        List<Integer> groups = Json.MAPPER.convertValue(p.json().path("groups"), Json.MAPPER.getTypeFactory().constructCollectionType(List.class, Integer.class));
        assertTrue(groups.contains(10) && groups.contains(20), "supplementary groups " + groups);
    }

    @Test
    @Requirement(id = "config.md#process/umask", text = "user.umask specifies the umask of the user")
    void umask() {
        Bundle b = bundle();
        b.process().withObject("/user").put("umask", 23); // 0027
        assertEquals(23, run(b).json().path("umask").asInt(), "umask (decimal)");
    }

    @Test
    @Requirement(id = "config.md#process/umask-unset", level = Level.SHOULD, text = "if umask is unspecified, the umask should not be changed from the calling process' umask")
    void umaskInheritedWhenUnset() {
        Bundle b = bundle();
        Container c = container(b);
        expectOk(c.createWrapped(List.of("/bin/sh", "-c", "umask 0077 && exec \"$@\"", "sh"), null), "create (called with umask 0077)");
        expectOk(c.start(), "start");
        assertTrue(c.awaitStopped(), "did not stop");
        assertEquals(63, c.probe().json().path("umask").asInt(), "umask (decimal; the caller's was 0077 = 63)");
    }

    @Test
    @Requirement(id = "config.md#posix-process/rlimits", text = "for each rlimits entry, getrlimit on type MUST succeed; rlim_cur MUST match soft and rlim_max MUST match hard")
    void rlimits() {
        Bundle b = bundle();
        var r = b.process().putArray("rlimits");
        r.addObject().put("type", "RLIMIT_NOFILE").put("soft", 1111).put("hard", 2222);
        r.addObject().put("type", "RLIMIT_MSGQUEUE").put("soft", 12345).put("hard", 23456);
        r.addObject().put("type", "RLIMIT_CORE").put("soft", 0).put("hard", 4096);
        Probe p = run(b);
        assertEquals("1111/2222", lim(p, "RLIMIT_NOFILE"), "RLIMIT_NOFILE soft/hard");
        assertEquals("12345/23456", lim(p, "RLIMIT_MSGQUEUE"), "RLIMIT_MSGQUEUE soft/hard");
        assertEquals("0/4096", lim(p, "RLIMIT_CORE"), "RLIMIT_CORE soft/hard");
    }

    private static String lim(Probe p, String type) {
        return p.rlimit(type).path("soft").asText() + "/" + p.rlimit(type).path("hard").asText();
    }

    @Test
    @Requirement(id = "config.md#posix-process/rlimits-invalid", text = "the runtime MUST generate an error for rlimit types which cannot be mapped to a kernel interface")
    void unknownRlimitFails() {
        Bundle b = bundle();
        b.process().putArray("rlimits").addObject().put("type", "RLIMIT_NOT_A_LIMIT").put("soft", 1).put("hard", 1);
        Container c = container(b);
        CommandResult r = c.create();
        if (!r.ok()) {
            requireWorkingBaseline();
        } else {
            expectError(c.start(), "create and start with RLIMIT_NOT_A_LIMIT");
        }
    }

    @Test
    @Requirement(id = "config.md#posix-process/rlimits-duplicate", text = "if rlimits contains duplicated entries with same type, the runtime MUST generate an error")
    void duplicateRlimitFails() {
        Bundle b = bundle();
        var r = b.process().putArray("rlimits");
        r.addObject().put("type", "RLIMIT_NOFILE").put("soft", 1024).put("hard", 1024);
        r.addObject().put("type", "RLIMIT_NOFILE").put("soft", 2048).put("hard", 2048);
        Container c = container(b);
        CommandResult cr = c.create();
        if (!cr.ok()) {
            requireWorkingBaseline();
        } else {
            expectError(c.start(), "create and start with RLIMIT_NOFILE twice");
        }
    }

    @Test
    @Requirement(id = "config.md#linux-process/capabilities", text = "capabilities: the effective, bounding, inheritable, permitted and ambient sets are kept for the process (uid 0)")
    void capabilities() {
        String[] set = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETGID", "CAP_SETUID"};
        Bundle b = bundle();
        ObjectNode caps = b.process().putObject("capabilities");
        for (String s : List.of("bounding", "effective", "inheritable", "permitted", "ambient")) {
            caps.set(s, Json.array(set));
        }
        expectCaps(run(b), Map.of("CapBnd", set, "CapEff", set, "CapPrm", set, "CapInh", set, "CapAmb", set));
    }

    @Test
    @Requirement(id = "config.md#linux-process/capabilities-non-root", text = "capabilities are kept for a non-root process too (ambient, with inheritable and permitted, survive execve)")
    void capabilitiesNonRoot() {
        String[] set = {"CAP_KILL", "CAP_NET_BIND_SERVICE"};
        Bundle b = bundle();
        b.process().putObject("user").put("uid", 1000).put("gid", 1000);
        ObjectNode caps = b.process().putObject("capabilities");
        caps.set("bounding", Json.array("CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_CHOWN"));
        for (String s : List.of("effective", "inheritable", "permitted", "ambient")) {
            caps.set(s, Json.array(set));
        }
        expectCaps(run(b), Map.of("CapBnd", new String[] {"CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_CHOWN"},
                "CapEff", set, "CapPrm", set, "CapInh", set, "CapAmb", set));
    }

    private static void expectCaps(Probe p, Map<String, String[]> expected) {
        StringBuilder bad = new StringBuilder();
        for (String f : List.of("CapBnd", "CapPrm", "CapEff", "CapInh", "CapAmb")) {
            long want = Caps.mask(expected.get(f));
            long got = p.caps(f);
            if (want != got) {
                bad.append(f).append(" is ").append(Caps.names(got)).append(", expected ").append(Caps.names(want)).append("; ");
            }
        }
        if (!bad.isEmpty()) {
            fail(bad.toString());
        }
    }

    @Test
    @Requirement(id = "config.md#linux-process/capabilities-unknown", level = Level.SHOULD, text = "capabilities that cannot be mapped MUST be logged as a warning; runtimes SHOULD NOT fail")
    void unknownCapabilityDoesNotFail() {
        Bundle b = bundle();
        b.process().withObject("/capabilities").withArray("/bounding").add("CAP_NOT_A_CAPABILITY");
        run(b);
    }

    @Test
    @Requirement(id = "config.md#linux-process/capabilities-unknown-warning", text = "any capability which cannot be mapped to a relevant kernel interface MUST be logged as a warning")
    void unknownCapabilityIsLogged() {
        Bundle b = bundle("--quiet"); // the probe prints nothing: what is on stderr is the runtime's
        b.process().withObject("/capabilities").withArray("/bounding").add("CAP_NOT_A_CAPABILITY");
        Container c = container(b);
        CommandResult r = expectOk(c.create(), "create with an unknown capability");
        assertTrue(r.stderr().contains("CAP_NOT_A_CAPABILITY") || r.stdout().contains("CAP_NOT_A_CAPABILITY"),
                "create logged no warning naming CAP_NOT_A_CAPABILITY; its output: '" + (r.stdout() + r.stderr()).strip() + "'");
    }

    @Test
    @Requirement(id = "config.md#linux-process/no-new-privileges", text = "noNewPrivileges true prevents the process from gaining additional privileges (no_new_privs set)")
    void noNewPrivileges() {
        Bundle b = bundle();
        b.process().put("noNewPrivileges", true);
        assertEquals("1", run(b).status("NoNewPrivs"), "NoNewPrivs with noNewPrivileges true");
        Bundle off = bundle();
        off.process().put("noNewPrivileges", false);
        assertEquals("0", run(off).status("NoNewPrivs"), "NoNewPrivs with noNewPrivileges false");
    }

    @Test
    @Requirement(id = "config.md#linux-process/oom-score-adj", text = "if oomScoreAdj is set, the runtime MUST set oom_score_adj to the given value")
    void oomScoreAdj() {
        Bundle b = bundle();
        b.process().put("oomScoreAdj", 123);
        assertEquals(123, run(b).json().path("oomScoreAdj").asInt(), "oom_score_adj");
    }

    @Test
    @Requirement(id = "config.md#linux-process/oom-score-adj-unset", text = "if oomScoreAdj is not set, the runtime MUST NOT change the value of oom_score_adj")
    void oomScoreAdjUnchangedWhenUnset() {
        Bundle b = bundle();
        b.process().remove("oomScoreAdj");
        Container c = container(b);
        expectOk(c.createWrapped(List.of("/bin/sh", "-c", "echo 7 > /proc/self/oom_score_adj && exec \"$@\"", "sh"), null),
                "create (called with oom_score_adj 7)");
        expectOk(c.start(), "start");
        assertTrue(c.awaitStopped(), "did not stop");
        assertEquals(7, c.probe().json().path("oomScoreAdj").asInt(), "oom_score_adj (the caller's was 7)");
    }

    // ---------------------------------------------------------------- hostname, domainname

    @Test
    @Requirement(id = "config.md#hostname", text = "hostname specifies the container's hostname as seen by processes running inside the container")
    void hostname() {
        Bundle b = bundle();
        b.config().put("hostname", "conformance-host");
        assertEquals("conformance-host", run(b).text("hostname"));
    }

    @Test
    @Requirement(id = "config.md#domainname", text = "domainname specifies the container's domainname as seen by processes running inside the container")
    void domainname() {
        Bundle b = bundle();
        b.config().put("domainname", "conformance.example");
        assertEquals("conformance.example", run(b).text("domainname"));
    }

    // ---------------------------------------------------------------- annotations, extensibility

    @Test
    @Requirement(id = "config.md#annotations/state", text = "annotations of the config are the annotations of the container's state")
    void annotationsInState() {
        Bundle b = bundle("--sleep", "30");
        b.annotation("org.example.one", "1").annotation("org.example.empty", "");
        Container c = container(b);
        expectOk(c.create(), "create");
        JsonNode a = c.stateJson().path("annotations");
        assertEquals("1", a.path("org.example.one").asText(null), "annotations in state: " + a);
        assertEquals("", a.path("org.example.empty").asText(null), "an empty value MAY be used: " + a);
    }

    @Test
    @Requirement(id = "config.md#annotations/empty-key", text = "annotation keys MUST NOT be an empty string (runtimes MUST generate an error on invalid values)")
    void emptyAnnotationKeyFails() {
        Bundle b = bundle();
        b.annotation("", "value");
        expectError(container(b).create(), "create with an empty annotation key");
    }

    @Test
    @Requirement(id = "config.md#extensibility", text = "runtimes MUST ignore unknown properties, and not generate errors for them")
    void unknownPropertiesAreIgnored() {
        Bundle b = bundle();
        b.config().putObject("org.example.unknown").put("x", 1);
        b.process().put("org.example.unknownProcessField", true);
        b.linux().putArray("org.example.unknownLinuxField").add(1);
        run(b);
    }
}
