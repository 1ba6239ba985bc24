package io.jruntime.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.Json;
import io.jruntime.spec.Process;
import io.jruntime.spec.Spec;
import io.jruntime.sys.Syscalls;
import io.jruntime.sys.WaitStatus;
import org.junit.jupiter.api.Test;

/** `exec` into a running container: same namespaces, same root, its own process. */
class ExecIT {
    @Test
    void execJoinsTheRunningContainer() throws Exception {
        Syscalls sys = Syscalls.native_();
        try (TestBundle b = new TestBundle()) {
            ObjectNode config = SpecContainers.config(b, "sleep 100");
            int init = b.track(NativeStage.create(SpecContainers.request(b, config), LaunchCallbacks.NONE));
            assertNull(b.start());
            Spec spec = SpecContainers.spec(config);
            Process p = Json.mapper().treeToValue(Json.mapper().readTree("""
                    {"args": ["sh", "-c", "echo $$ > /out/pid; hostname > /out/hostname; cat /proc/1/cmdline > /out/one; pwd > /out/cwd"],
                     "env": ["PATH=/bin"], "cwd": "/tmp", "user": {"uid": 0, "gid": 0}}"""), Process.class);
            int pid = NativeStage.exec(new ExecRequest(init, spec, p, null, 0, "c1", false), LaunchCallbacks.NONE);
            WaitStatus ws = sys.waitpid(pid, 0);
            assertEquals(0, ws.code());
            assertTrue(Integer.parseInt(b.read("pid").trim()) > 1, "a new process in the container's pid namespace");
            assertEquals("jruntime", b.read("hostname").trim());
            assertTrue(b.read("one").startsWith("sleep"), b.read("one"));
            assertEquals("/tmp", b.read("cwd").trim());

            Process missing = p.withArgs(java.util.List.of("nosuchprog"));
            JRuntimeException e = assertThrows(JRuntimeException.class,
                    () -> NativeStage.exec(new ExecRequest(init, spec, missing, null, 0, "c1", false), LaunchCallbacks.NONE));
            assertTrue(e.getMessage().endsWith("exec: \"nosuchprog\": executable file not found in $PATH"), e.getMessage());
            assertTrue(TestBundle.alive(init), "a failed exec leaves the container alone");
            assertFalse(Files.exists(Path.of("/proc/" + pid)));
        }
    }
}
