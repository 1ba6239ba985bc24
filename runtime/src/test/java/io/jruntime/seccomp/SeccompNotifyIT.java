package io.jruntime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.testing.LauncherTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * linux.seccomp.listenerPath end to end, through the launcher: a real agent ({@link SeccompTestAgent})
 * receives the container process state and the listener fd, and answers the container's notified mkdir
 * calls; the container's output shows the agent's answers, so nothing here passes unless the notification
 * path works. As runc's seccomp-notify.bats, with and without noNewPrivileges (the filter is loaded at a
 * different point for each).
 */
class SeccompNotifyIT extends LauncherTestBase {
    /** A container that reports what its notified mkdir calls returned, and whether anything was created. */
    static final String SCRIPT = "mkdir /notify-enomedium; echo enomedium-rc=$?; "
            + "mkdir /notify-fake && echo fake-rc=0; [ -d /notify-fake ] || echo fake-absent; "
            + "mkdir /tmp/through && echo through-rc=0; [ -d /tmp/through ] && echo through-exists";

    private Path notifyBundle(String script, String listenerPath, boolean noNewPrivileges) throws Exception {
        Path b = bundle(script);
        ObjectNode c = config(b);
        ((ObjectNode) c.get("process")).put("noNewPrivileges", noNewPrivileges);
        // /tmp is a tmpfs so the allowed mkdir writes nothing into the shared sample rootfs.
        c.withArray("mounts").addObject().put("destination", "/tmp").put("type", "tmpfs").put("source", "tmpfs");
        ObjectNode s = ((ObjectNode) c.get("linux")).putObject("seccomp");
        s.put("defaultAction", "SCMP_ACT_ALLOW");
        s.put("listenerPath", listenerPath);
        s.put("listenerMetadata", "jrt-meta=42");
        s.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32");
        ObjectNode rule = s.putArray("syscalls").addObject();
        rule.putArray("names").add("mkdir").add("mkdirat");
        rule.put("action", "SCMP_ACT_NOTIFY");
        write(b, c);
        return b;
    }

    /** Runs `jruntime ARGS` with stdout and stderr to files the container inherits (create's stdio is the init's). */
    private Process spawn(Path out, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectErrorStream(true).start();
    }

    private void waitStopped(String id) throws Exception {
        for (int i = 0; i < 600 && !state(id).get("status").asText().equals("stopped"); i++) {
            Thread.sleep(100); // a bound for a hang, not a timing assertion
        }
        assertEquals("stopped", state(id).get("status").asText());
    }

    @ParameterizedTest(name = "noNewPrivileges={0}")
    @ValueSource(booleans = {true, false})
    void theAgentGetsTheStateAndTheFdAndAnswersTheContainersSyscalls(boolean nnp) throws Exception {
        String sock = tmp.resolve("agent.sock").toString();
        try (SeccompTestAgent agent = new SeccompTestAgent(sock)) {
            String id = newId();
            Path b = notifyBundle(SCRIPT, sock, nnp);
            Path out = tmp.resolve("create.out");
            Process create = spawn(out, "create", "--bundle", b.toString(), id);
            assertTrue(create.waitFor(60, TimeUnit.SECONDS), "create hung");
            assertEquals(0, create.exitValue(), Files.readString(out));

            SeccompTestAgent.Received r = agent.next(30);
            assertNotNull(r, "the agent got no connection during create");
            assertEquals(1, r.fds(), "exactly the seccomp fd, with SCM_RIGHTS");
            JsonNode st = JSON.readTree(r.json());
            int initPid = state(id).get("pid").asInt();
            assertEquals(List.of("seccompFd"), List.of(st.get("fds").get(0).asText()));
            assertEquals(1, st.get("fds").size());
            assertEquals(initPid, st.get("pid").asInt(), "pid of the container process, as the runtime sees it");
            assertEquals("jrt-meta=42", st.get("metadata").asText());
            assertEquals(id, st.get("state").get("id").asText());
            assertEquals("creating", st.get("state").get("status").asText());
            assertEquals(initPid, st.get("state").get("pid").asInt());
            assertEquals(b.toString(), st.get("state").get("bundle").asText());
            assertTrue(st.get("ociVersion").asText().startsWith("1."));

            assertEquals(0, jr("start", id).code());
            waitStopped(id);
            String output = Files.readString(out);
            assertTrue(output.contains("No medium found"), output);
            assertTrue(output.contains("enomedium-rc=1"), output);
            assertTrue(output.contains("fake-rc=0") && output.contains("fake-absent"),
                    "the agent's fake success created nothing: " + output);
            assertTrue(output.contains("through-rc=0") && output.contains("through-exists"),
                    "calls the agent let through ran: " + output);
            assertEquals(List.of("/notify-enomedium", "/notify-fake"), agent.answered());
            assertEquals(List.of(), agent.errors());
            assertEquals(null, agent.next(0), "one connection per process");
        }
    }

    /**
     * The runtime's own syscalls after the filter (reading the continue, closing fds, the exec fifo, the
     * privilege changes, execve) may be notified too, as in runc's "important syscalls" test: they wait for
     * the agent, which lets them run, and nothing deadlocks.
     */
    @ParameterizedTest(name = "noNewPrivileges={0}")
    @ValueSource(booleans = {true, false})
    void theRuntimesOwnSyscallsAfterTheFilterCanBeNotified(boolean nnp) throws Exception {
        String sock = tmp.resolve("agent.sock").toString();
        try (SeccompTestAgent agent = new SeccompTestAgent(sock)) {
            String id = newId();
            Path b = notifyBundle("echo still-running", sock, nnp);
            ObjectNode c = config(b);
            var names = ((ObjectNode) c.get("linux").get("seccomp").get("syscalls").get(0)).putArray("names");
            for (String n : List.of("read", "close", "openat", "open", "prctl", "setgroups", "setresuid", "setresgid",
                    "capset", "close_range", "umask", "execve", "exit_group")) {
                names.add(n);
            }
            write(b, c);
            Path out = tmp.resolve("create.out");
            Process create = spawn(out, "create", "--bundle", b.toString(), id);
            assertTrue(create.waitFor(60, TimeUnit.SECONDS), "create hung");
            assertEquals(0, create.exitValue(), Files.readString(out));
            assertNotNull(agent.next(30));
            assertEquals(0, jr("start", id).code());
            waitStopped(id);
            assertTrue(Files.readString(out).contains("still-running"), Files.readString(out));
            assertEquals(List.of(), agent.errors());
        }
    }

    @ParameterizedTest(name = "noNewPrivileges={0}")
    @ValueSource(booleans = {true, false})
    void execSendsItsOwnListenerWithTheRunningContainersState(boolean nnp) throws Exception {
        String sock = tmp.resolve("agent.sock").toString();
        try (SeccompTestAgent agent = new SeccompTestAgent(sock)) {
            String id = newId();
            Path b = notifyBundle("sleep 300", sock, nnp);
            Path out = tmp.resolve("create.out");
            Process create = spawn(out, "create", "--bundle", b.toString(), id);
            assertTrue(create.waitFor(60, TimeUnit.SECONDS), "create hung");
            assertEquals(0, create.exitValue(), Files.readString(out));
            assertNotNull(agent.next(30));
            assertEquals(0, jr("start", id).code());
            int initPid = state(id).get("pid").asInt();

            Result r = jr("exec", id, "sh", "-c", SCRIPT);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("No medium found"), r.err());
            assertTrue(r.out().contains("enomedium-rc=1") && r.out().contains("fake-rc=0") && r.out().contains("fake-absent")
                    && r.out().contains("through-exists"), r.out());

            SeccompTestAgent.Received ex = agent.next(30);
            assertNotNull(ex, "exec did not connect to the agent");
            JsonNode st = JSON.readTree(ex.json());
            assertEquals(1, ex.fds());
            assertNotEquals(initPid, st.get("pid").asInt(), "the exec'd process's own pid");
            assertEquals(initPid, st.get("state").get("pid").asInt());
            assertEquals("running", st.get("state").get("status").asText());
            assertEquals(id, st.get("state").get("id").asText());
            assertEquals(List.of(), agent.errors());
            assertEquals(0, jr("kill", id, "KILL").code());
        }
    }

    @Test
    void anAgentThatIsNotListeningFailsCreateAndLeavesNothing() throws Exception {
        // A socket file nobody listens on: connect gets ECONNREFUSED.
        String sock = tmp.resolve("dead.sock").toString();
        new SeccompTestAgent(sock).close();
        assertTrue(Files.exists(Path.of(sock)));
        String id = newId();
        Path b = notifyBundle("true", sock, false);
        ObjectNode c = config(b);
        ((ObjectNode) c.get("linux")).put("cgroupsPath", "/" + id); // absolute, so this test can look for it
        write(b, c);
        Result r = jr("create", "--bundle", b.toString(), id);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("failed to connect with seccomp agent specified in the seccomp profile")
                && r.err().contains(sock), r.err());
        assertFalse(Files.exists(root.resolve(id)), "state dir left");
        assertEquals(1, jr("state", id).code());
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                assertFalse(Files.exists(h.resolve(id)), "cgroup left: " + h.resolve(id)); // empty only once the init is dead
            }
        }
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup").resolve(id)));
    }

    @Test
    void aRelativeListenerPathIsRefusedNamingTheField() throws Exception {
        String id = newId();
        Path b = notifyBundle("true", "agent.sock", false);
        Result r = jr("create", "--bundle", b.toString(), id);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("linux.seccomp.listenerPath") && r.err().contains("absolute"), r.err());
        assertFalse(Files.exists(root.resolve(id)));
    }
}
