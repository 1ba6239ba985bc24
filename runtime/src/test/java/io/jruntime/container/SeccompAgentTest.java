package io.jruntime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.LinuxSeccomp;
import io.jruntime.spec.Json;
import io.jruntime.spec.State;
import io.jruntime.sys.Errno;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.RecordingSyscalls;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What goes to the seccomp agent, and how failures read; sockets are faked (SeccompNotifyIT uses real ones). */
class SeccompAgentTest {
    static LinuxSeccomp seccomp(String listenerPath, String metadata) {
        return new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, listenerPath, metadata,
                List.of(new io.jruntime.spec.LinuxSyscall(List.of("mkdir"), "SCMP_ACT_NOTIFY", null, null)));
    }

    static final State STATE = new State("1.3.0", "c1", 4422, State.CREATING, "/b", "/b/rootfs", "2026-11-23T03:00:00Z",
            Map.of("k", "v"), "root");

    /** Records what would be sent; connects to fd 7. */
    static class Agent extends RecordingSyscalls {
        byte[] sent;
        int sentFd = -1;
        ErrnoException connectFails;

        @Override
        public int connectUnix(String path) throws ErrnoException {
            calls.add("connect " + path);
            if (connectFails != null) {
                throw connectFails;
            }
            return 7;
        }

        @Override
        public void sendFd(int socket, byte[] data, int fd) {
            calls.add("sendFd " + socket + " " + fd);
            sent = data;
            sentFd = fd;
        }
    }

    @Test
    void sendsOneContainerProcessStateWithTheFdAndClosesTheConnection() throws Exception {
        Agent sys = new Agent();
        SeccompAgent.send(sys, seccomp("/run/agent.sock", "MKNOD=/dev/null"), 4422, STATE, 9);
        assertEquals(List.of("connect /run/agent.sock", "sendFd 7 9", "close 7"), sys.calls);
        assertEquals("{\"ociVersion\":\"1.3.0\",\"fds\":[\"seccompFd\"],\"pid\":4422,\"metadata\":\"MKNOD=/dev/null\","
                + "\"state\":{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"pid\":4422,\"status\":\"creating\",\"bundle\":\"/b\","
                + "\"rootfs\":\"/b/rootfs\",\"created\":\"2026-11-23T03:00:00Z\",\"annotations\":{\"k\":\"v\"},\"owner\":\"root\"}}",
                new String(sys.sent, StandardCharsets.UTF_8));
    }

    @Test
    void metadataIsLeftOutWhenNotGiven() throws Exception {
        Agent sys = new Agent();
        SeccompAgent.send(sys, seccomp("/run/agent.sock", null), 31, STATE, 9);
        var json = Json.mapper().readTree(sys.sent);
        assertEquals(false, json.has("metadata"));
        assertEquals(31, json.get("pid").asInt(), "the process that loaded the filter, which for exec is not the init");
        assertEquals(4422, json.get("state").get("pid").asInt());
    }

    @Test
    void failuresReadAsRuncs() throws Exception {
        Agent sys = new Agent();
        sys.connectFails = new ErrnoException("connect /run/agent.sock", Errno.ECONNREFUSED);
        JRuntimeException e = assertThrows(JRuntimeException.class,
                () -> SeccompAgent.send(sys, seccomp("/run/agent.sock", null), 1, STATE, 9));
        assertEquals("failed to connect with seccomp agent specified in the seccomp profile: connect /run/agent.sock: "
                + Errno.describe(Errno.ECONNREFUSED), e.getMessage());
        JRuntimeException unset = assertThrows(JRuntimeException.class,
                () -> SeccompAgent.send(new Agent(), seccomp(null, null), 1, STATE, 9));
        assertEquals("seccomp listenerPath is not set", unset.getMessage());
    }
}
