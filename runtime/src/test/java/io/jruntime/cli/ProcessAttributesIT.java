package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * process.scheduler, process.ioPriority, process.execCPUAffinity and linux.memoryPolicy through the real
 * launcher, read back from inside busybox containers (/proc/PID/stat, ionice, /proc/PID/status), for the
 * init and for exec'd processes; values the kernel refuses fail create and leave nothing behind.
 */
class ProcessAttributesIT extends io.jruntime.testing.LauncherTestBase {
    /** What the script prints about its shell: stat's nice, rt_priority and policy, ionice, affinity, mempolicy. */
    static final String REPORT = "cat /proc/$$/stat; ionice -p $$; grep -E 'Cpus_allowed_list|Mems_allowed_list' /proc/$$/status;"
            + " grep -c . /proc/$$/numa_maps >/dev/null; head -1 /proc/$$/numa_maps";

    /** nice, rt_priority and policy from a /proc/PID/stat line (fields 19, 40 and 41). */
    static String sched(String out) {
        String line = out.lines().filter(l -> l.contains(") ")).findFirst().orElseThrow(() -> new AssertionError(out));
        String[] f = line.substring(line.lastIndexOf(") ") + 2).split(" ");
        // f[0] is field 3 (state)
        return "nice=" + f[19 - 3] + " rtprio=" + f[40 - 3] + " policy=" + f[41 - 3];
    }

    /**
     * With CONFIG_RT_GROUP_SCHED (this host) a v1 cpu cgroup gets no real-time budget by default and the
     * kernel refuses SCHED_FIFO/SCHED_RR in it (EPERM): the config must give one, as with runc.
     */
    static void rtBudget(ObjectNode c) {
        c.with("linux").with("resources").with("cpu").put("realtimeRuntime", 10000).put("realtimePeriod", 1000000);
    }

    @Test
    void schedulerAndIoPriorityOfTheInit() throws Exception {
        Path b = bundle(REPORT);
        ObjectNode c = config(b);
        c.with("process").putObject("scheduler").put("policy", "SCHED_BATCH").put("nice", 7);
        c.with("process").putObject("ioPriority").put("class", "IOPRIO_CLASS_BE").put("priority", 6);
        write(b, c);
        Result r = jr("run", "--bundle", b.toString(), newId());
        assertEquals(0, r.code(), r.err());
        assertEquals("nice=7 rtprio=0 policy=3", sched(r.out()), r.out());
        assertTrue(r.out().contains("best-effort: prio 6"), r.out());
    }

    @Test
    void realTimeSchedulerAndIdleIoClass() throws Exception {
        Path b = bundle(REPORT);
        ObjectNode c = config(b);
        c.with("process").putObject("scheduler").put("policy", "SCHED_RR").put("priority", 7);
        rtBudget(c);
        c.with("process").putObject("ioPriority").put("class", "IOPRIO_CLASS_IDLE").put("priority", 0);
        write(b, c);
        Result r = jr("run", "--bundle", b.toString(), newId());
        assertEquals(0, r.code(), r.err());
        assertEquals("nice=0 rtprio=7 policy=2", sched(r.out()), r.out());
        assertTrue(r.out().contains("idle"), r.out());
    }

    @Test
    void execGetsItsOwnSchedulerAndTheExecCpuAffinityTheInitDoesNot() throws Exception {
        String id = newId();
        Path b = bundle("sleep 100");
        ObjectNode c = config(b);
        c.with("process").putObject("execCPUAffinity").put("initial", "0").put("final", "1");
        c.with("linux").putObject("memoryPolicy").put("mode", "MPOL_BIND").put("nodes", "0");
        write(b, c);
        assertEquals(0, jr("run", "--detach", "--bundle", b.toString(), id).code());

        // The container's process as the template (runc exec without --process): its execCPUAffinity applies.
        Result templ = jr("exec", id, "sh", "-c", REPORT + "; grep Cpus_allowed_list /proc/1/status | sed s/^/init-/");
        assertEquals(0, templ.code(), templ.err());
        assertTrue(templ.out().contains("Cpus_allowed_list:\t1\n"), templ.out());
        String all = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
        assertTrue(templ.out().contains("init-Cpus_allowed_list:\t" + all + "\n"), "config.md: not applicable to the init\n" + templ.out());
        assertTrue(templ.out().contains(" bind:0 "), "the container's memory policy reaches exec'd processes\n" + templ.out());

        Path process = tmp.resolve("process.json");
        ObjectNode p = (ObjectNode) c.get("process").deepCopy();
        p.putArray("args").add("sh").add("-c").add(REPORT);
        p.putObject("scheduler").put("policy", "SCHED_IDLE");
        p.putObject("ioPriority").put("class", "IOPRIO_CLASS_BE").put("priority", 1);
        p.putObject("execCPUAffinity").put("final", "0");
        Files.writeString(process, JSON.writeValueAsString(p));
        Result r = jr("exec", "--process", process.toString(), id);
        assertEquals(0, r.code(), r.err());
        assertEquals("nice=0 rtprio=0 policy=5", sched(r.out()), r.out());
        assertTrue(r.out().contains("best-effort: prio 1"), r.out());
        assertTrue(r.out().contains("Cpus_allowed_list:\t0\n"), r.out());
    }

    @Test
    void theRuntimesOwnCpuAffinityIsNotInherited() throws Exception {
        // jruntime pinned to CPU 0 (as a pinned shim would be): the init and a plain exec get every CPU of
        // the cgroup, as with runc 1.2+; the kernel would otherwise keep the pin through the cgroup move.
        String all = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
        org.junit.jupiter.api.Assumptions.assumeFalse(all.equals("0"), "needs two CPUs");
        String id = newId();
        List<String> pinned = List.of("taskset", "-c", "0");
        Result run = jrUnder(pinned, "run", "--detach", "--bundle", bundle("sleep 100").toString(), id);
        assertEquals(0, run.code(), run.err());
        Result r = jrUnder(pinned, "exec", id, "sh", "-c", "grep Cpus_allowed_list /proc/1/status /proc/self/status");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("/proc/1/status:Cpus_allowed_list:\t" + all + "\n"), r.out());
        assertTrue(r.out().contains("/proc/self/status:Cpus_allowed_list:\t" + all + "\n"), r.out());
    }

    @Test
    void anExecWhoseAffinityCannotBeAppliedFailsAndLeavesTheContainerAlone() throws Exception {
        String id = newId();
        Path b = bundle("sleep 100");
        assertEquals(0, jr("run", "--detach", "--bundle", b.toString(), id).code());
        ObjectNode p = (ObjectNode) config(b).get("process").deepCopy();
        p.putArray("args").add("true");
        p.putObject("execCPUAffinity").put("final", "8000"); // no such CPU here
        Path process = tmp.resolve("process.json");
        Files.writeString(process, JSON.writeValueAsString(p));
        Result r = jr("exec", "--process", process.toString(), id);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("process.execCPUAffinity: sched_setaffinity 8000: invalid argument"), r.err());
        assertEquals("running", state(id).get("status").asText());
        assertEquals(0, jr("exec", id, "true").code(), "the container still takes an exec");
    }

    @Test
    void memoryPolicyOfTheInit() throws Exception {
        Path b = bundle(REPORT);
        ObjectNode c = config(b);
        c.with("linux").putObject("memoryPolicy").put("mode", "MPOL_INTERLEAVE").put("nodes", "0");
        write(b, c);
        Result r = jr("run", "--bundle", b.toString(), newId());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(" interleave:0 "), r.out());
    }

    @Test
    void valuesTheKernelRefusesFailCreateAndLeaveNothing() throws Exception {
        // SCHED_FIFO needs CAP_SYS_NICE in the initial user namespace: a container in its own user namespace lacks it.
        Path b = Files.createTempDirectory(tmp, "userns");
        ObjectNode c = (ObjectNode) JSON.readTree(Files.readString(samples.resolve("userns").resolve("config.json")));
        c.with("root").put("path", sampleRootfs.toString());
        c.with("process").putObject("scheduler").put("policy", "SCHED_FIFO").put("priority", 10);
        rtBudget(c); // so that the refusal is the missing capability, not the cgroup's budget
        c.with("linux").put("cgroupsPath", "/jrt-sched-" + UUID.randomUUID());
        write(b, c);
        String id = newId();
        Result r = jr("create", "--bundle", b.toString(), id);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("process.scheduler: sched_setattr policy 1") && r.err().contains("operation not permitted")
                && r.err().contains("need CAP_SYS_NICE"), r.err());
        assertFalse(Files.exists(root.resolve(id)), "no state dir");
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup/memory" + c.get("linux").get("cgroupsPath").asText())), "no cgroup");

        // A memory node this host does not have.
        b = bundle("true");
        c = config(b);
        c.with("linux").putObject("memoryPolicy").put("mode", "MPOL_BIND").put("nodes", "0,63");
        c.with("linux").put("cgroupsPath", "/jrt-mpol-" + UUID.randomUUID());
        write(b, c);
        id = newId();
        r = jr("create", "--bundle", b.toString(), id);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("linux.memoryPolicy.nodes: node 63 does not exist on this host"), r.err());
        assertFalse(Files.exists(root.resolve(id)), "no state dir");
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup/memory" + c.get("linux").get("cgroupsPath").asText())), "no cgroup");

        // SCHED_DEADLINE with runtime > deadline: sched_setattr says EINVAL.
        b = bundle("true");
        c = config(b);
        c.with("process").putObject("scheduler").put("policy", "SCHED_DEADLINE")
                .put("runtime", 20_000_000).put("deadline", 10_000_000).put("period", 30_000_000);
        write(b, c);
        id = newId();
        r = jr("create", "--bundle", b.toString(), id);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("process.scheduler: sched_setattr policy 6") && r.err().contains("invalid argument"), r.err());
        assertFalse(Files.exists(root.resolve(id)), "no state dir");
    }
}
