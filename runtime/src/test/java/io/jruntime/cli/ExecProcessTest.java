package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.Process;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** exec's flag form: the container's process with runc's exec flags applied. */
class ExecProcessTest {
    private static final String CONFIG = """
            {"ociVersion": "1.2.0", "root": {"path": "rootfs"},
             "process": {"terminal": true, "user": {"uid": 5, "gid": 6, "umask": 18}, "args": ["sh"], "commandLine": "x",
                         "env": ["PATH=/bin", "A=1"], "cwd": "/", "noNewPrivileges": false,
                         "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"]},
                         "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]},
             "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}]}}""";

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Cli cli = new Cli("/run/jruntime-test", null, "text", false, false, "auto",
            new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    private final Spec spec = SpecLoader.parse(CONFIG.getBytes(StandardCharsets.UTF_8), "config.json");

    private Process exec(String... flagsThenCommand) {
        Args args = Args.parse(new ExecCommand().flags(), List.of(flagsThenCommand));
        List<String> rest = args.positionals();
        return ExecCommand.process(cli, args, spec, rest);
    }

    @Test
    void withoutFlagsOnlyArgsAndTerminalChange() {
        Process p = exec("ls", "-l");
        assertEquals(List.of("ls", "-l"), p.args());
        assertFalse(p.terminalEnabled(), "no -t: no terminal, whatever config.json said");
        assertNull(p.commandLine());
        assertEquals(List.of("PATH=/bin", "A=1"), p.env());
        assertEquals(5L, p.user().uid());
        assertEquals(18L, p.user().umask());
        assertEquals(spec.process().rlimits(), p.rlimits());
        assertEquals(spec.process().capabilities(), p.capabilities());
    }

    @Test
    void runcFlagsApply() {
        Process p = exec("-t", "-e", "B=2", "--cwd", "/tmp", "-u", "7:8", "--additional-gids", "9", "--additional-gids", "10",
                "--cap", "CAP_CHOWN", "--no-new-privs", "--apparmor", "prof", "--process-label", "lbl", "id");
        assertTrue(p.terminalEnabled());
        assertEquals(List.of("id"), p.args());
        assertEquals(List.of("PATH=/bin", "A=1", "B=2"), p.env());
        assertEquals("/tmp", p.cwd());
        assertEquals(7L, p.user().uid());
        assertEquals(8L, p.user().gid());
        assertEquals(18L, p.user().umask(), "the umask is kept");
        assertEquals(List.of(9L, 10L), p.user().additionalGids());
        assertEquals(List.of("CAP_KILL", "CAP_CHOWN"), p.capabilities().bounding());
        assertEquals(List.of("CAP_KILL", "CAP_CHOWN"), p.capabilities().effective());
        assertEquals(List.of("CAP_CHOWN"), p.capabilities().ambient());
        assertTrue(p.noNewPrivilegesEnabled());
        assertEquals("prof", p.apparmorProfile());
        assertEquals("lbl", p.selinuxLabel());
    }

    @Test
    void aUserWithoutGroupKeepsTheConfiguredGid() {
        Process p = exec("-u", "1000", "id");
        assertEquals(1000L, p.user().uid());
        assertEquals(6L, p.user().gid());
    }

    @Test
    void badFlagValuesAreErrorsNamingTheFlag() {
        assertEquals("exec: --user: invalid id \"x\"", assertThrows(JRuntimeException.class, () -> exec("-u", "x", "id")).getMessage());
        assertEquals("exec: --user: invalid id \"4294967296\"",
                assertThrows(JRuntimeException.class, () -> exec("-u", "4294967296", "id")).getMessage());
        assertTrue(assertThrows(JRuntimeException.class, () -> exec("--cwd", "relative", "id")).getMessage().startsWith("process: "));
    }
}
