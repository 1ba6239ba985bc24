package io.jruntime.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jruntime.JRuntimeException;
import io.jruntime.init.ExecRequest;
import io.jruntime.init.LaunchRequest;
import io.jruntime.init.Op;
import io.jruntime.init.Plan;
import io.jruntime.spec.Json;
import io.jruntime.spec.Spec;
import io.jruntime.sys.RecordingSyscalls;
import org.junit.jupiter.api.Test;

/** process.scheduler, ioPriority, execCPUAffinity and linux.memoryPolicy as native-stage ops. */
class ProcessAttributesTest {
    final RecordingSyscalls sys = new RecordingSyscalls()
            .file("/proc/sys/kernel/cap_last_cap", "40\n")
            .file("/proc/self/mountinfo", PlanBuilderTest.V1_MOUNTINFO)
            .file("/sys/devices/system/node/online", "0-1\n")
            .regular("/b/hosts")
            .dir("/srv/data");

    Plan create(ObjectNode c) throws Exception {
        Spec spec = Json.mapper().treeToValue(c, Spec.class);
        return new PlanBuilder(sys).build(new LaunchRequest("c1", Path.of("/b"), spec, Path.of("/run/jr/c1"),
                Path.of("/run/jr/c1/exec.fifo"), null, 0, false, false)).plan();
    }

    Plan exec(ObjectNode c) throws Exception {
        Spec spec = Json.mapper().treeToValue(c, Spec.class);
        return new PlanBuilder(sys).buildExec(new ExecRequest(77, spec, spec.process(), null, 0, "c1", false)).plan();
    }

    static long word(Plan.Step s, int arg, int i) {
        return ByteBuffer.wrap(((Plan.Arg.Bytes) s.args().get(arg)).value()).order(ByteOrder.nativeOrder()).getLong(8 * i);
    }

    @Test
    void schedulerIsOneSchedSetattrBeforeReadyWithZeroDefaults() throws Exception {
        ObjectNode c = PlanBuilderTest.config();
        c.with("process").putObject("scheduler").put("policy", "SCHED_DEADLINE").put("runtime", 10_000_000)
                .put("deadline", 20_000_000).put("period", 30_000_000)
                .putArray("flags").add("SCHED_FLAG_RESET_ON_FORK").add("SCHED_FLAG_DL_OVERRUN");
        Plan p = create(c);
        Plan.Step s = p.first(Op.SCHED_SETATTR);
        assertEquals(List.of(6L, 0x05L, 0L, 0L, 10_000_000L, 20_000_000L, 30_000_000L),
                List.of(s.num(0), s.num(1), s.num(2), s.num(3), s.num(4), s.num(5), s.num(6)));
        assertTrue(p.ops().indexOf(Op.SCHED_SETATTR) < p.ops().indexOf(Op.READY), "a refusal fails create, not start");

        c.with("process").putObject("scheduler").put("policy", "SCHED_BATCH").put("nice", -5);
        s = create(c).first(Op.SCHED_SETATTR);
        assertEquals(List.of(3L, 0L, -5L, 0L), List.of(s.num(0), s.num(1), s.num(2), s.num(3)));
        assertEquals(1L, exec(c).all(Op.SCHED_SETATTR).size(), "exec'd processes get their own scheduler too");
        c.with("process").putObject("scheduler").put("policy", "SCHED_ISO");
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> create(c));
        assertEquals("config: process.scheduler.policy: SCHED_ISO is not implemented by the Linux kernel", e.getMessage());
    }

    @Test
    void ioPriorityIsClassShiftedBy13OrLevel() throws Exception {
        ObjectNode c = PlanBuilderTest.config();
        c.with("process").putObject("ioPriority").put("class", "IOPRIO_CLASS_IDLE").put("priority", 4);
        assertEquals(3L << 13 | 4, create(c).first(Op.IOPRIO_SET).num(0));
        c.with("process").putObject("ioPriority").put("class", "IOPRIO_CLASS_RT").put("priority", 0);
        assertEquals(1L << 13, exec(c).first(Op.IOPRIO_SET).num(0));
        c.with("process").putObject("ioPriority").put("class", "IOPRIO_CLASS_BE").put("priority", 9);
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> create(c));
        assertEquals("config: process.ioPriority.priority: 9 is out of range (0 to 7)", e.getMessage());
    }

    @Test
    void execCpuAffinityInitialInTheStageFinalAfterTheCgroupAndNothingForTheInit() throws Exception {
        ObjectNode c = PlanBuilderTest.config();
        c.with("process").putObject("execCPUAffinity").put("initial", "0-1, 3").put("final", "1");
        Plan init = create(c);
        assertEquals(1, init.all(Op.SCHED_SETAFFINITY).size(), "config.md: not applicable to the container's init process");
        assertEquals("all", init.first(Op.SCHED_SETAFFINITY).str(1), "only the reset of the runtime's own affinity");
        assertTrue(init.ops().indexOf(Op.WAIT_CONTINUE) < init.ops().indexOf(Op.SCHED_SETAFFINITY)
                && init.ops().indexOf(Op.SCHED_SETAFFINITY) < init.ops().indexOf(Op.READY), "once in the cgroup");
        Plan p = exec(c);
        List<Plan.Step> aff = p.all(Op.SCHED_SETAFFINITY);
        assertEquals(2, aff.size());
        assertEquals(0b1011L, word(aff.get(0), 0, 0));
        assertEquals(128, ((Plan.Arg.Bytes) aff.get(0).args().get(0)).value().length, "a mask of 1024 CPUs, as glibc's cpu_set_t");
        assertEquals("0-1, 3", aff.get(0).str(1));
        assertEquals(0b10L, word(aff.get(1), 0, 0));
        List<Op> ops = p.ops();
        int first = ops.indexOf(Op.SCHED_SETAFFINITY), last = ops.lastIndexOf(Op.SCHED_SETAFFINITY);
        assertTrue(first < ops.indexOf(Op.CLONE) && ops.indexOf(Op.WAIT_CONTINUE) < last, ops.toString());

        c.with("process").putObject("execCPUAffinity").put("initial", "2000");
        p = exec(c);
        assertEquals(1, p.all(Op.SCHED_SETAFFINITY).size(), "initial but no final: unchanged after the cgroup move");
        assertEquals(1L << (2000 % 64), word(p.first(Op.SCHED_SETAFFINITY), 0, 2000 / 64));
        c.with("process").remove("execCPUAffinity");
        p = exec(c);
        assertEquals(1, p.all(Op.SCHED_SETAFFINITY).size());
        assertEquals("all", p.first(Op.SCHED_SETAFFINITY).str(1), "no execCPUAffinity: the runtime's own affinity is reset");
        assertEquals(-1L, word(p.first(Op.SCHED_SETAFFINITY), 0, 127), "8192 CPUs");
        assertTrue(p.ops().indexOf(Op.WAIT_CONTINUE) < p.ops().indexOf(Op.SCHED_SETAFFINITY));
        c.with("process").putObject("execCPUAffinity").put("final", "99999");
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> exec(c));
        assertEquals("config: process.execCPUAffinity.final: 99999 is beyond the largest number Linux supports (8191)", e.getMessage());
    }

    @Test
    void memoryPolicyModeFlagsAndNodeMaskForInitAndExec() throws Exception {
        ObjectNode c = PlanBuilderTest.config();
        c.with("linux").putObject("memoryPolicy").put("mode", "MPOL_INTERLEAVE").put("nodes", "0-1")
                .putArray("flags").add("MPOL_F_STATIC_NODES");
        Plan p = create(c);
        Plan.Step s = p.first(Op.SET_MEMPOLICY);
        assertEquals(3L | 1L << 15, s.num(0));
        assertEquals(0b11L, word(s, 1, 0));
        assertEquals("0-1", s.str(2));
        assertTrue(p.ops().indexOf(Op.SET_MEMPOLICY) < p.ops().indexOf(Op.READY));
        assertEquals(1, exec(c).all(Op.SET_MEMPOLICY).size());

        c.with("linux").putObject("memoryPolicy").put("mode", "MPOL_LOCAL");
        s = create(c).first(Op.SET_MEMPOLICY);
        assertEquals(4L, s.num(0));
        assertArrayEquals(new byte[0], ((Plan.Arg.Bytes) s.args().get(1)).value(), "no nodes: a NULL mask");

        c.with("linux").putObject("memoryPolicy").put("mode", "MPOL_BIND").put("nodes", "0,5");
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> create(c));
        assertEquals("config: linux.memoryPolicy.nodes: node 5 does not exist on this host (online nodes: 0-1)", e.getMessage());
        c.with("linux").putObject("memoryPolicy").put("mode", "MPOL_BIND").put("nodes", "5")
                .putArray("flags").add("MPOL_F_RELATIVE_NODES");
        assertEquals(1L << 5, word(create(c).first(Op.SET_MEMPOLICY), 1, 0), "relative node numbers are not host nodes");
    }

    @Test
    void listsFormatBack() {
        assertEquals("0-3,7,9-10", ProcessAttributes.format(ProcessAttributes.parseList("0-3, 7,9 - 10", 64, "f")));
    }
}
