package io.jruntime.conformance.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.conformance.Bundle;
import io.jruntime.conformance.Container;
import io.jruntime.conformance.Json;
import io.jruntime.conformance.Probe;
import io.jruntime.conformance.SpecFile;
import io.jruntime.conformance.Requirement;
import io.jruntime.conformance.SpecTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * config-linux.md "Seccomp": {@code listenerPath}, {@code listenerMetadata} and "The Container Process
 * State". A {@link NotifyAgent} on the host plays the seccomp agent: it records what the runtime sends and
 * answers the container's notified mkdir with ENOMEDIUM, which the probe reports from inside.
 */
@SpecFile("config-linux.md")
class ConfigLinuxSeccompNotifyTest extends SpecTest {
    private static final String METADATA = "conformance=notify;k=v";

    private ObjectNode notifySeccomp(Bundle b, String listenerPath) {
        ObjectNode s = b.linux().putObject("seccomp");
        s.put("defaultAction", "SCMP_ACT_ALLOW");
        s.set("architectures", Json.array("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"));
        s.put("listenerPath", listenerPath);
        s.put("listenerMetadata", METADATA);
        ObjectNode r = s.putArray("syscalls").addObject();
        r.set("names", Json.array("mkdir", "mkdirat"));
        r.put("action", "SCMP_ACT_NOTIFY");
        return s;
    }

    @TestFactory
    @Requirement(id = "config-linux.md#seccomp/listener", text = "listenerPath: the runtime sends the container process state when SCMP_ACT_NOTIFY is used")
    List<DynamicTest> listener() {
        NotifyAgent.Connection[] got = {null};
        JsonNode[] state = {null};
        long[] pid = {0};
        String[] id = {null};
        Probe[] probe = {null};
        Map<String, Executable> checks = new LinkedHashMap<>();
        checks.put("state: the runtime MUST send the container process state over the UNIX socket as regular payload serialized in JSON", () -> {
            assertNotNull(state[0], "no JSON document received: " + got[0].payload());
            assertTrue(state[0].path("ociVersion").isTextual(), "ociVersion (REQUIRED)");
            assertEquals(pid[0], state[0].path("pid").asLong(), "pid (REQUIRED): the container process ID, as seen by the runtime");
            JsonNode s = state[0].path("state");
            assertEquals(id[0], s.path("id").asText(), "state.id");
            assertTrue(s.path("status").isTextual() && s.path("ociVersion").isTextual(), "state is the container's state: " + s);
        });
        checks.put("scm-rights: file descriptors MUST be sent using SCM_RIGHTS, named in fds (seccompFd, REQUIRED)", () -> {
            assertEquals(1, got[0].fds(), "file descriptors received with SCM_RIGHTS");
            JsonNode fds = state[0].path("fds");
            assertEquals(1, fds.size(), "fds: " + fds);
            assertEquals("seccompFd", fds.path(0).asText(), "fds");
            assertTrue(String.valueOf(got[0].fdLink()).contains("seccomp"),
                    "seccompFd is the seccomp file descriptor returned by the seccomp syscall; /proc/self/fd link: " + got[0].fdLink());
        });
        checks.put("one-per-connection: exactly one container process state per connection, the connection closed after sending", () -> {
            assertTrue(got[0].closedByRuntime(), "the runtime did not close the connection");
            assertTrue(got[0].messagesWithFds() <= 1, "fds MUST be sent only in the first sendmsg");
            List<JsonNode> docs = Json.MAPPER.readerFor(JsonNode.class).<JsonNode>readValues(got[0].payload()).readAll();
            assertEquals(1, docs.size(), "JSON documents on the connection");
        });
        checks.put("metadata: listenerMetadata is sent as the metadata field", () ->
                assertEquals(METADATA, state[0].path("metadata").asText(), "metadata"));
        checks.put("notify: the agent answers the syscalls SCMP_ACT_NOTIFY matches through seccompFd", () -> {
            JsonNode check = probe[0].check("--mkdir", NotifyAgent.ANSWERED_PATH);
            assertEquals(NotifyAgent.ANSWER_ERRNO, check.path("errno").asInt(), "mkdir's errno in the container (the agent answered ENOMEDIUM): " + check);
        });
        return checks(() -> {
            String sock = work.resolve("agent.sock").toString();
            try (NotifyAgent agent = new NotifyAgent(sock, true)) {
                Bundle b = bundle("--mkdir", NotifyAgent.ANSWERED_PATH);
                notifySeccomp(b, sock);
                Container c = container(b);
                id[0] = c.id();
                expectOk(c.create(), "create");
                pid[0] = c.stateJson().path("pid").asLong();
                got[0] = agent.next(30);
                if (got[0] == null) {
                    fail("nothing connected to listenerPath during create");
                }
                try {
                    state[0] = Json.MAPPER.readerFor(JsonNode.class).<JsonNode>readValues(got[0].payload()).next();
                } catch (Exception e) {
                    state[0] = null;
                }
                var started = c.start();
                if (!started.ok()) {
                    fail("start failed: " + started.describe() + "; container stderr: " + c.errors());
                }
                if (!c.awaitStopped()) {
                    fail("the container did not stop");
                }
                probe[0] = c.probe();
                assertEquals(List.of(), agent.errors(), "the agent failed");
            }
        }, checks);
    }

    @Test
    @Requirement(id = "config-linux.md#seccomp/listener-send-fails", text = "if sending to this socket fails, the runtime MUST generate an error")
    void listenerNotListeningFails() throws Throwable {
        String sock = work.resolve("deaf.sock").toString();
        try (NotifyAgent deaf = new NotifyAgent(sock, false)) { // bound, never listening: connect is refused
            Bundle b = bundle();
            notifySeccomp(b, sock);
            expectError(container(b).create(), "create with a listenerPath nobody listens on");
        }
    }

    @Test
    @Requirement(id = "config-linux.md#seccomp/listener-ignored", text = "if the SCMP_ACT_NOTIFY action is not used, listenerPath is ignored")
    void listenerPathWithoutNotifyIsIgnored() {
        Bundle b = bundle();
        ObjectNode s = notifySeccomp(b, work.resolve("nobody-listens-here.sock").toString());
        s.remove("syscalls");
        run(b);
    }
}
