package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.sys.Syscalls;
import io.jruntime.testing.UnixMessages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * runc's --pidfd-socket, through the launcher: the receiver gets runc's init type as the message and a pidfd
 * that names the container's init (create) or the exec'd process (exec), read back from /proc/self/fdinfo.
 */
class PidfdSocketIT extends io.jruntime.testing.LauncherTestBase {
    record Received(String message, int pid) {}

    /** Listens at {@code path}, takes one connection and what came on it: the text and the pidfd's process. */
    static CompletableFuture<Received> receiveOne(Path path) throws Exception {
        Syscalls sys = Syscalls.native_();
        int listener = sys.listenUnix(path.toString());
        return CompletableFuture.supplyAsync(() -> {
            try {
                int conn = sys.accept(listener);
                int[] fd = {-1};
                String message = UnixMessages.receive(conn, fd);
                sys.close(conn);
                assertTrue(fd[0] >= 0, "a file descriptor came with \"" + message + "\"");
                int pid = -1;
                for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd[0]))) {
                    if (line.startsWith("Pid:")) {
                        pid = Integer.parseInt(line.substring(4).trim());
                    }
                }
                sys.close(fd[0]);
                return new Received(message, pid);
            } catch (Throwable t) {
                throw new RuntimeException(t);
            } finally {
                try {
                    sys.close(listener);
                } catch (Exception ignored) {
                    // already closed
                }
            }
        });
    }

    @Test
    void createAndExecSendAPidfdOfTheirProcess() throws Exception {
        String id = newId();
        Path initSocket = tmp.resolve("init.sock");
        CompletableFuture<Received> init = receiveOne(initSocket);
        Result created = jr("create", "--pidfd-socket", initSocket.toString(), "--bundle", bundle("sleep 60").toString(), id);
        assertEquals(0, created.code(), created.err());
        Received fromCreate = init.get(30, TimeUnit.SECONDS);
        assertEquals("standard", fromCreate.message(), "runc's init type");
        assertEquals(state(id).get("pid").asInt(), fromCreate.pid(), "a pidfd of the init");

        assertEquals(0, jr("start", id).code());
        Path execSocket = tmp.resolve("exec.sock"), pidFile = tmp.resolve("exec.pid");
        CompletableFuture<Received> exec = receiveOne(execSocket);
        // In the foreground, so jruntime exec reaps it: a detached one would be reparented to this host's PID 1,
        // which reaps slowly, and the container's init could not finish dying (delete --force waits on it).
        Result execd = jr("exec", "--pid-file", pidFile.toString(), "--pidfd-socket", execSocket.toString(), id, "sleep", "1");
        assertEquals(0, execd.code(), execd.err());
        Received fromExec = exec.get(30, TimeUnit.SECONDS);
        assertEquals("setns", fromExec.message());
        assertEquals(Integer.parseInt(Files.readString(pidFile).trim()), fromExec.pid(), "a pidfd of the exec'd process");
    }

    @Test
    void aSocketThatCannotBeReachedFailsCreateBeforeAnythingIsMade() throws Exception {
        String id = newId();
        Path missing = tmp.resolve("no-such-dir").resolve("sock");
        Result r = jr("create", "--pidfd-socket", missing.toString(), "--bundle", bundle("true").toString(), id);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("failed to dial " + missing + ": "), r.err());
        assertFalse(Files.exists(root.resolve(id)), "no state dir");
        assertEquals(1, jr("state", id).code(), "no container");
    }
}
