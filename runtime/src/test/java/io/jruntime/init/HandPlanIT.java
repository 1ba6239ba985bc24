package io.jruntime.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.jruntime.JRuntimeException;
import io.jruntime.sys.Syscalls;
import io.jruntime.sys.WaitStatus;
import org.junit.jupiter.api.Test;

/** The native stage driven with hand-built plans: the protocol and the ops without the plan builder. */
class HandPlanIT {
    static final long NEWNS = 0x00020000, NEWUTS = 0x04000000, NEWIPC = 0x08000000, NEWPID = 0x20000000;
    static final long MS_BIND = 4096, MS_REC = 16384, MS_SLAVE = 1 << 19, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8;

    static Plan basePlan(TestBundle b, String script) {
        Plan p = new Plan();
        p.add(Op.CLONE, NEWNS | NEWUTS | NEWIPC | NEWPID);
        p.add(Op.WAIT_CONTINUE);
        p.add(Op.SETSID);
        p.add(Op.SETHOSTNAME, "handplan");
        p.add(Op.MOUNT_HOST, null, "/", null, MS_SLAVE | MS_REC, null);
        p.add(Op.ROOTFS, b.rootfs.toString());
        p.add(Op.MOUNT, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, null, Op.CREATE_DIR, 0, 0);
        p.add(Op.MOUNT, b.out.toString(), "/out", null, MS_BIND | MS_REC, null, Op.CREATE_DIR, 0, 0);
        p.add(Op.OPEN_FIFO, b.fifo.toString());
        p.add(Op.PIVOT_ROOT);
        p.add(Op.CHDIR, "/", 0);
        p.add(Op.RESOLVE_EXEC, "sh", "/bin");
        p.add(Op.READY);
        p.add(Op.FIFO_WAIT);
        p.add(Op.CLOSE_FDS, 3);
        p.add(Op.EXEC, 3, "sh", "-c", script, "PATH=/bin", "HOME=/");
        return p;
    }

    static Launch launch(Plan p) {
        return new Launch(p, null, null, false, null, 0);
    }

    @Test
    void runsShellAsPidOneAfterTheFifoOpens() throws Exception {
        try (TestBundle b = new TestBundle()) {
            int[] seen = {0};
            int pid = b.track(NativeStage.run(Syscalls.native_(),
                    launch(basePlan(b, "echo $$ > /out/pid; hostname > /out/hostname; exit 7")), p -> seen[0] = p));
            assertEquals(pid, seen[0]);
            assertTrue(TestBundle.alive(pid));
            assertFalse(java.nio.file.Files.exists(b.out.resolve("pid")), "nothing runs before start");
            String exe = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/" + pid + "/exe")).toString();
            assertTrue(exe.startsWith("/memfd:jruntime-init"), "the init runs from a sealed memfd copy: " + exe);
            WaitStatus ws = b.startAndWait();
            assertEquals(7, ws.code());
            assertEquals("1", b.read("pid").trim());
            assertEquals("handplan", b.read("hostname").trim());
        }
    }

    @Test
    void missingExecutableIsReportedInRuncWordsAndLeavesNoProcess() throws Exception {
        try (TestBundle b = new TestBundle()) {
            Plan p = basePlan(b, "true");
            Plan bad = new Plan();
            for (Plan.Step s : p.steps()) {
                if (s.op() == Op.RESOLVE_EXEC) {
                    bad.add(Op.RESOLVE_EXEC, "nosuchprog", "/bin:/usr/bin");
                } else {
                    bad.add(s.op(), s.args().stream().map(a -> switch (a) {
                        case Plan.Arg.Str str -> (Object) str.value();
                        case Plan.Arg.Int i -> (Object) i.value();
                        case Plan.Arg.Bytes by -> (Object) by.value();
                    }).toList());
                }
            }
            int[] seen = {0};
            JRuntimeException e = assertThrows(JRuntimeException.class,
                    () -> NativeStage.run(Syscalls.native_(), launch(bad), pid -> seen[0] = pid));
            assertTrue(e.getMessage().endsWith("exec: \"nosuchprog\": executable file not found in $PATH"), e.getMessage());
            assertTrue(seen[0] > 0);
            assertFalse(TestBundle.alive(seen[0]), "the init is killed and reaped");
        }
    }

    @Test
    void failedMountNamesStepPathAndErrno() throws Exception {
        try (TestBundle b = new TestBundle()) {
            Plan p = new Plan();
            p.add(Op.CLONE, NEWNS | NEWPID);
            p.add(Op.WAIT_CONTINUE);
            p.add(Op.MOUNT_HOST, null, "/", null, MS_SLAVE | MS_REC, null);
            p.add(Op.ROOTFS, b.rootfs.toString());
            p.add(Op.MOUNT, "none", "/proc", "nosuchfs", 0, null, Op.CREATE_DIR, 0, 0);
            p.add(Op.EXEC, List.of(1, "true"));
            int[] seen = {0};
            JRuntimeException e = assertThrows(JRuntimeException.class,
                    () -> NativeStage.run(Syscalls.native_(), launch(p), pid -> seen[0] = pid));
            assertEquals("unable to start container process: mount none to /proc: no such device", e.getMessage());
            assertFalse(TestBundle.alive(seen[0]));
        }
    }
}
