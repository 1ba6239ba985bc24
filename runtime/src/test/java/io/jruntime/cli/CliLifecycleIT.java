package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole lifecycle through the real `jruntime` launcher, as containerd and podman call it: one JVM per
 * command, real namespaces, mounts and cgroups, checked from the inside of busybox containers. Every test
 * uses its own --root and deletes its containers, even when it fails.
 */
class CliLifecycleIT extends io.jruntime.testing.LauncherTestBase {
    @Test
    void runPrintsFromInsideAndReturnsTheContainersExitCode() throws Exception {
        Result r = jr("run", "--bundle", bundle("echo inside $(hostname) pid $$; exit 7").toString(), newId());
        assertEquals(7, r.code(), r.err());
        assertEquals("inside jruntime pid 1\n", r.out());
    }

    @Test
    void createStartStateKillDeleteFollowRuntimeMd() throws Exception {
        String id = newId();
        Path b = bundle("trap 'exit 0' TERM; while true; do sleep 0.1; done");
        Path pidFile = tmp.resolve("init.pid");
        Result created = jr("create", "--bundle", b.toString(), "--pid-file", pidFile.toString(), id);
        assertEquals(0, created.code(), created.err());
        JsonNode s = state(id);
        assertEquals("created", s.get("status").asText());
        int pid = s.get("pid").asInt();
        assertEquals(Integer.toString(pid), Files.readString(pidFile));
        assertEquals(b.toString(), s.get("bundle").asText());
        assertTrue(Files.readString(Path.of("/proc", Integer.toString(pid), "cmdline")).contains("jruntime-init"),
                "the waiting init is the native stage, not a JVM");

        assertEquals(0, jr("start", id).code());
        assertEquals("running", state(id).get("status").asText());
        Result again = jr("start", id);
        assertEquals(1, again.code());
        assertTrue(again.err().contains("cannot start an already running container"), again.err());

        Result notStopped = jr("delete", id);
        assertEquals(1, notStopped.code());
        assertTrue(notStopped.err().contains("not stopped"), notStopped.err());

        assertEquals(0, jr("kill", id, "TERM").code());
        long deadline = System.currentTimeMillis() + 10_000;
        while (!state(id).get("status").asText().equals("stopped") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("stopped", state(id).get("status").asText());
        assertEquals(0, state(id).get("pid").asInt());
        Result kill = jr("kill", id, "9");
        assertEquals(1, kill.code());
        assertTrue(kill.err().contains("container not running"), kill.err());
        assertEquals(0, jr("delete", id).code());
        Result gone = jr("state", id);
        assertEquals(1, gone.code());
        assertTrue(gone.err().contains("container \\\"" + id + "\\\" does not exist"), gone.err());
        assertEquals(0, jr("delete", "--force", id).code(), "the shim's second delete --force succeeds");
    }

    @Test
    void duplicateCreateFailsAndLeavesTheFirstUntouched() throws Exception {
        String id = newId();
        Path b = bundle("sleep 100");
        assertEquals(0, jr("create", "--bundle", b.toString(), id).code());
        int pid = state(id).get("pid").asInt();
        Result dup = jr("create", "--bundle", b.toString(), id);
        assertEquals(1, dup.code());
        assertTrue(dup.err().contains("container with id exists: " + id), dup.err());
        assertEquals(pid, state(id).get("pid").asInt());
        assertEquals("created", state(id).get("status").asText());
    }

    @Test
    void badConfigIsRejectedNamingTheFieldAndLeavesNothing() throws Exception {
        Path b = bundle("true");
        ObjectNode c = config(b);
        ((ObjectNode) c.get("linux").get("namespaces").get(0)).put("type", "netx");
        write(b, c);
        String id = newId();
        Result r = jr("create", "--bundle", b.toString(), id);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("linux.namespaces[0].type") && r.err().contains("netx"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(root.resolve(id)));
    }

    @Test
    void failedCreateLeavesNoProcessNoCgroupNoState() throws Exception {
        Path b = bundle("true");
        ObjectNode c = config(b);
        ((ArrayNode) c.get("process").get("args")).removeAll().add("nosuchprogram");
        ((ObjectNode) c.get("linux")).put("cgroupsPath", "/jrt-failed-" + UUID.randomUUID());
        write(b, c);
        String id = newId();
        Result r = jr("create", "--bundle", b.toString(), id);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("exec: \\\"nosuchprogram\\\": executable file not found in $PATH"), r.err());
        assertFalse(Files.exists(root.resolve(id)), "no state dir");
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup/memory" + c.get("linux").get("cgroupsPath").asText())), "no cgroup");
    }

    @Test
    void execJoinsTheContainerAndPropagatesItsExitCode() throws Exception {
        String id = newId();
        assertEquals(0, jr("run", "--detach", "--bundle", bundle("sleep 100").toString(), id).code());
        assertEquals("running", state(id).get("status").asText());
        Result r = jr("exec", "-e", "FOO=bar", "--cwd", "/tmp", id, "sh", "-c", "echo $FOO $(pwd) $(cat /proc/1/cmdline); exit 5");
        assertEquals(5, r.code(), r.err());
        assertEquals("bar /tmp sleep100", r.out().strip().replace("\0", ""));
        assertEquals(137, jr("exec", id, "sh", "-c", "kill -9 $$").code(), "128 + SIGKILL");
        Result missing = jr("exec", id, "nosuch");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("executable file not found in $PATH"), missing.err());
        assertEquals(0, jr("delete", "--force", id).code());
        assertFalse(Files.exists(root.resolve(id)));
    }

    @Test
    void lsmLabelsWhereTheHostHasNoLsm() throws Exception {
        // This machine has neither AppArmor nor SELinux enabled: what is checked is the behaviour of such a
        // host (labels ignored as crun, an AppArmor profile refused as runc). Where an LSM is on, the
        // labels are applied instead (PlanBuilderTest checks those plans).
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/sys/fs/selinux/enforce")));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/sys/module/apparmor/parameters/enabled"))
                && Files.readString(Path.of("/sys/module/apparmor/parameters/enabled")).trim().equals("Y"));
        Path b = bundle("grep ' /dev ' /proc/self/mountinfo");
        ObjectNode c = config(b);
        ((ObjectNode) c.get("process")).put("selinuxLabel", "system_u:system_r:container_t:s0");
        ((ObjectNode) c.get("linux")).put("mountLabel", "system_u:object_r:container_file_t:s0");
        write(b, c);
        Result r = jr("run", "--bundle", b.toString(), newId());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("tmpfs") && !r.out().contains("context="), r.out());

        ((ObjectNode) c.get("process")).put("apparmorProfile", "jrt-profile");
        write(b, c);
        String refused = newId();
        Result create = jr("create", "--bundle", b.toString(), refused);
        assertEquals(1, create.code());
        assertTrue(create.err().contains("process.apparmorProfile: \\\"jrt-profile\\\" cannot be applied: AppArmor is not enabled"),
                create.err());
        assertFalse(Files.exists(root.resolve(refused)));

        String id = newId();
        assertEquals(0, jr("run", "--detach", "--bundle", bundle("sleep 100").toString(), id).code());
        Result exec = jr("exec", "--apparmor", "jrt-profile", id, "true");
        assertEquals(1, exec.code());
        assertTrue(exec.err().contains("AppArmor is not enabled on this host"), exec.err());
        Result ps = jr("ps", "--format", "json", id);
        assertEquals(0, ps.code(), ps.err());
        assertEquals(1, JSON.readTree(ps.out()).size(), "only the init: the refused exec started nothing " + ps.out());
        assertEquals(0, jr("delete", "--force", id).code());
    }

    @Test
    void pauseAndResumeARealContainer() throws Exception {
        String id = newId();
        assertEquals(0, jr("run", "-d", "--bundle", bundle("sleep 100").toString(), id).code());
        assertEquals(0, jr("pause", id).code());
        assertEquals("paused", state(id).get("status").asText());
        assertEquals(0, jr("resume", id).code());
        assertEquals("running", state(id).get("status").asText());
        JsonNode pids = JSON.readTree(jr("ps", "--format", "json", id).out());
        assertTrue(pids.toString().contains(Integer.toString(state(id).get("pid").asInt())), pids.toString());
    }

    @Test
    void resourcesAreVisibleInTheContainersCgroup() throws Exception {
        Path b = bundle("cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max");
        ObjectNode c = config(b);
        ObjectNode res = ((ObjectNode) c.get("linux")).putObject("resources");
        res.putObject("memory").put("limit", 64L << 20);
        res.putObject("pids").put("limit", 20);
        ArrayNode ns = (ArrayNode) c.get("linux").get("namespaces");
        ns.addObject().put("type", "cgroup");
        ArrayNode mounts = (ArrayNode) c.get("mounts");
        ObjectNode cg = mounts.addObject();
        cg.put("destination", "/sys/fs/cgroup").put("type", "cgroup").put("source", "cgroup");
        cg.putArray("options").add("nosuid").add("noexec").add("nodev").add("relatime").add("ro");
        write(b, c);
        Result r = jr("run", "--bundle", b.toString(), newId());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(Long.toString(64L << 20), "20"), r.out().lines().toList());
    }

    @Test
    void hooksRunInOrderWithTheStatusAndNamespaceTheSpecGivesEachPoint() throws Exception {
        Path log = tmp.resolve("hooks.log");
        Path b = bundle("sleep 30");
        ObjectNode c = config(b);
        ObjectNode hooks = c.putObject("hooks");
        List<String> points = List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");
        for (String point : points) {
            ObjectNode h = hooks.putArray(point).addObject();
            // startContainer's path resolves in the container: the busybox sh there; the others use the host's.
            h.put("path", "/bin/sh");
            h.putArray("args").add("sh").add("-c").add("{ printf '" + point + " %s ' $(readlink /proc/self/ns/mnt); cat; echo; } >> "
                    + (point.equals("startContainer") ? "/dev/shm/start.log" : log.toString()));
        }
        write(b, c);
        String id = newId();
        String hostMnt = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString();
        assertEquals(0, jr("create", "--bundle", b.toString(), id).code());
        int pid = state(id).get("pid").asInt();
        String containerMnt = Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "mnt")).toString();
        assertEquals(0, jr("start", id).code());
        String startLog = Files.readString(Path.of("/proc", Integer.toString(pid), "root", "dev", "shm", "start.log")).strip();
        assertEquals(0, jr("kill", id, "KILL").code());
        long deadline = System.currentTimeMillis() + 10_000;
        while (!state(id).get("status").asText().equals("stopped") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, jr("delete", id).code());
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.add(3, startLog);
        assertEquals(6, lines.size(), lines.toString());
        String[] status = {"creating", "creating", "creating", "created", "running", "stopped"};
        for (int i = 0; i < 6; i++) {
            String[] f = lines.get(i).split(" ", 3);
            assertEquals(points.get(i), f[0], lines.toString());
            boolean inContainer = i == 2 || i == 3;
            assertEquals(inContainer ? containerMnt : hostMnt, f[1], points.get(i) + " runs in the " + (inContainer ? "container" : "runtime") + " namespace");
            JsonNode st = JSON.readTree(f[2]);
            assertEquals(status[i], st.get("status").asText(), lines.get(i));
            assertEquals(id, st.get("id").asText());
            if (inContainer) {
                assertEquals(1, st.get("pid").asInt(), "runtime.md: the pid as the container sees it");
            }
        }
    }

    @Test
    void aFailingPrestartHookStopsTheCreateAndRunsPoststop() throws Exception {
        Path marker = tmp.resolve("poststop-ran");
        Path b = bundle("true");
        ObjectNode c = config(b);
        ObjectNode hooks = c.putObject("hooks");
        hooks.putArray("prestart").addObject().put("path", "/bin/false");
        ObjectNode post = hooks.putArray("poststop").addObject();
        post.put("path", "/bin/touch");
        post.putArray("args").add("touch").add(marker.toString());
        write(b, c);
        String id = newId();
        Result r = jr("create", "--bundle", b.toString(), id);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("error running prestart hook #0: exit status 1"), r.err());
        assertFalse(Files.exists(root.resolve(id)));
        assertTrue(Files.exists(marker), "runtime.md: continue at step 12, then poststop");
    }

    @Test
    void seccompErrnoRuleBlocksOnlyTheNamedSyscallAlsoForExec() throws Exception {
        Path b = bundle("mkdir /tmp/x 2>/dev/null && echo mkdir-worked || echo mkdir-denied; touch /tmp/f && echo touch-ok; sleep 100");
        ObjectNode c = config(b);
        ObjectNode sc = ((ObjectNode) c.get("linux")).putObject("seccomp");
        sc.put("defaultAction", "SCMP_ACT_ALLOW");
        ObjectNode rule = sc.putArray("syscalls").addObject();
        rule.putArray("names").add("mkdir").add("mkdirat");
        rule.put("action", "SCMP_ACT_ERRNO").put("errnoRet", 1);
        write(b, c);
        String id = newId();
        assertEquals(0, jr("create", "--bundle", b.toString(), id).code());
        assertEquals(0, jr("start", id).code());
        Result e = jr("exec", id, "sh", "-c", "grep Seccomp: /proc/self/status; mkdir /tmp/y");
        assertTrue(e.out().contains("Seccomp:\t2"), "filter mode for exec'd processes too: " + e.out());
        assertTrue(e.err().contains("Operation not permitted"), e.err());
        assertEquals(1, e.code());
    }

    @Test
    void aPodmanSizedDefaultProfileRunsABusyboxShell() throws Exception {
        Path b = bundle("echo under-the-profile; grep Seccomp: /proc/self/status");
        ObjectNode c = config(b);
        JsonNode profile = JSON.readTree(CliLifecycleIT.class.getResourceAsStream("/io/jruntime/seccomp/podman-like.json"));
        ((ObjectNode) c.get("linux")).set("seccomp", profile);
        write(b, c);
        Result r = jr("run", "--bundle", b.toString(), newId());
        assertEquals(0, r.code(), r.err());
        assertEquals("under-the-profile\nSeccomp:\t2\n", r.out());
    }

    @Test
    void runWithATerminalAndNoConsoleSocketRelaysThePty() throws Exception {
        Path b = bundle("tty; echo hi-from-the-pty; exit 3");
        ObjectNode c = config(b);
        ((ObjectNode) c.get("process")).put("terminal", true);
        write(b, c);
        Result r = jr("run", "--bundle", b.toString(), newId());
        assertEquals(3, r.code(), r.err());
        assertEquals(List.of("/dev/pts/0", "hi-from-the-pty"), r.out().replace("\r", "").lines().toList());
        Result detached = jr("run", "--detach", "--bundle", b.toString(), newId());
        assertEquals(1, detached.code());
        assertTrue(detached.err().contains("cannot allocate tty if jruntime will detach without setting console socket"), detached.err());
    }

    @Test
    void listenFdsAndPreserveFdsReachTheContainerAndNothingElseDoes() throws Exception {
        Path b = bundle("echo $LISTEN_FDS $LISTEN_PID; cat <&3; cat <&4; ls /proc/self/fd | tr '\\n' ' '");
        Files.writeString(tmp.resolve("three"), "three\n");
        Files.writeString(tmp.resolve("four"), "four\n");
        String id = newId();
        // The caller's fds 3 and 4: one by socket activation (LISTEN_FDS), one by --preserve-fds.
        Process p = new ProcessBuilder("sh", "-c", "exec 3<" + tmp.resolve("three") + " 4<" + tmp.resolve("four")
                + "; LISTEN_FDS=1 exec " + launcher + " --root " + root + " run --preserve-fds 1 --bundle " + b + " " + id)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        // ls opens its own fd for /proc/self/fd: 0-4 and that one, nothing of the runtime's
        assertEquals(List.of("1 1", "three", "four", "0 1 2 3 4 5 "), out.lines().toList());
    }

    @Test
    void aProcessOverTheMemoryLimitIsOomKilledAndEventsReportsIt() throws Exception {
        Path b = bundle("sleep 1; exec tail /dev/zero");
        ObjectNode c = config(b);
        ObjectNode res = ((ObjectNode) c.get("linux")).putObject("resources");
        res.putObject("memory").put("limit", 16L << 20).put("swap", 16L << 20);
        write(b, c);
        String id = newId();
        assertEquals(0, jr("create", "--bundle", b.toString(), id).code());
        Path events = tmp.resolve("events.jsonl");
        Process watcher = new ProcessBuilder(launcher.toString(), "--root", root.toString(), "events", "--interval", "1s", id)
                .redirectOutput(events.toFile()).redirectErrorStream(false).start();
        try {
            assertEquals(0, jr("start", id).code());
            assertTrue(watcher.waitFor(30, TimeUnit.SECONDS), "events ends when the container stops");
        } finally {
            watcher.destroyForcibly();
        }
        assertEquals("stopped", state(id).get("status").asText());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            lines.add(JSON.readTree(line));
        }
        assertTrue(lines.stream().anyMatch(e -> e.get("type").asText().equals("stats")), lines.toString());
        assertTrue(lines.stream().anyMatch(e -> e.get("type").asText().equals("oom") && e.get("id").asText().equals(id)),
                "an oom event: " + lines);
    }
}
