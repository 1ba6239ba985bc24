package io.jruntime.conformance.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.jruntime.conformance.Bundle;
import io.jruntime.conformance.CommandResult;
import io.jruntime.conformance.Container;
import io.jruntime.conformance.Exec;
import io.jruntime.conformance.Host;
import io.jruntime.conformance.Level;
import io.jruntime.conformance.Probe;
import io.jruntime.conformance.Requirement;
import io.jruntime.conformance.SpecFile;
import io.jruntime.conformance.SpecTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** runtime.md: state, lifecycle and the operations create, start, kill, delete. */
@SpecFile("runtime.md")
class RuntimeTest extends SpecTest {

    /** A probe that reports, marks that it ran, then sleeps until killed. */
    private Bundle sleeper() {
        return bundle("--marker", "/marker", "--sleep", "60");
    }

    private static int markerCount(Bundle b) {
        String m = Exec.read(b.rootfs().resolve("marker"));
        return m.isEmpty() ? 0 : m.strip().split("\n").length;
    }

    private static void expectStatus(Container c, String expected, String when) {
        assertEquals(expected, c.status(), "status " + when);
    }

    // ---------------------------------------------------------------- state

    @Test
    @Requirement(id = "runtime.md#state/properties", text = "state MUST include ociVersion, id, status, pid (created/running, Linux) and the absolute bundle path, and adhere to the state schema")
    void stateHasRequiredProperties() throws Exception {
        Bundle b = sleeper().annotation("org.example.key", "value");
        Container c = container(b);
        expectOk(c.create(), "create");
        CommandResult r = expectOk(c.state(), "state");
        JsonNode s = io.jruntime.conformance.Json.parseOrNull(r.stdout());
        assertNotNull(s, "state printed no JSON: " + r.stdout());
        assertTrue(s.path("ociVersion").isTextual() && !s.path("ociVersion").asText().isEmpty(), "ociVersion must be a non-empty string: " + s);
        assertEquals(c.id(), s.path("id").asText(null), "id");
        assertEquals("created", s.path("status").asText(null), "status");
        assertTrue(s.path("pid").isIntegralNumber() && s.path("pid").asLong() > 0, "pid must be a positive integer while created: " + s.path("pid"));
        assertTrue(s.path("bundle").isTextual(), "bundle must be a string");
        assertTrue(s.path("bundle").asText().startsWith("/"), "bundle must be an absolute path: " + s.path("bundle"));
        assertEquals(b.dir().toRealPath(), Path.of(s.path("bundle").asText()).toRealPath(), "bundle");
        JsonNode a = s.path("annotations");
        assertTrue(a.isMissingNode() || a.isObject(), "annotations must be an object");
        for (Iterator<Map.Entry<String, JsonNode>> it = a.properties().iterator(); it.hasNext(); ) {
            assertTrue(it.next().getValue().isTextual(), "annotation values must be strings");
        }
    }

    @Test
    @Requirement(id = "runtime.md#state/status-created", text = "status `created`: create has finished and the container process has neither exited nor executed the user-specified program")
    void stateCreatedBeforeStart() {
        Bundle b = sleeper();
        Container c = container(b);
        expectOk(c.create(), "create");
        expectStatus(c, "created", "after create");
        assertTrue(c.initAlive(), "the container process (pid " + c.pid() + ") must exist while created");
        assertEquals(0, markerCount(b), "the user-specified program ran before start");
    }

    @Test
    @Requirement(id = "runtime.md#state/status-running", text = "status `running`: the container process has executed the user-specified program but has not exited")
    void stateRunningAfterStart() {
        Bundle b = sleeper();
        Container c = container(b);
        expectOk(c.create(), "create");
        expectOk(c.start(), "start");
        waitFor(() -> markerCount(b) > 0, "the program to run");
        expectStatus(c, "running", "after start");
    }

    @Test
    @Requirement(id = "runtime.md#state/status-stopped", text = "status `stopped`: the container process has exited")
    void stateStoppedAfterExit() {
        Container c = container(bundle());
        expectOk(c.create(), "create");
        expectOk(c.start(), "start");
        if (!c.awaitStopped()) {
            fail("the process exited but the status is " + c.status());
        }
    }

    @Test
    @Requirement(id = "runtime.md#state/pid", text = "pid is the ID of the container process as seen by the runtime")
    void statePidIsTheContainerProcess() throws Exception {
        Bundle b = sleeper();
        Container c = container(b);
        expectOk(c.create(), "create");
        expectOk(c.start(), "start");
        waitFor(() -> markerCount(b) > 0, "the program to run");
        long pid = c.stateJson().path("pid").asLong();
        String cmdline = Exec.read(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        assertTrue(cmdline.startsWith("/bin/probe"), "process " + pid + " of state is not the container process: " + cmdline);
        assertNotEquals(Host.namespace("pid"), Host.namespaceOf(pid, "pid"), "process " + pid + " is not in the container's pid namespace");
    }

    @Test
    @Requirement(id = "runtime.md#query-state/unknown-id", text = "attempting to query a container that does not exist MUST generate an error")
    void stateOfUnknownContainerFails() {
        expectError(cli.run("state", "cf-does-not-exist"), "state of an unknown id");
    }

    @Test
    @Requirement(id = "runtime.md#query-state/no-id", text = "state MUST generate an error if it is not provided the ID of a container")
    void stateWithoutIdFails() {
        expectError(cli.run("state"), "state without an id");
    }

    // ---------------------------------------------------------------- create

    @Test
    @Requirement(id = "runtime.md#create/no-id", text = "create MUST generate an error if it is not provided the container ID")
    void createWithoutIdFails() {
        Bundle b = bundle().write();
        expectError(cli.run("create", "--bundle", b.dir().toString()), "create without an id");
    }

    @Test
    @Requirement(id = "runtime.md#create/no-bundle", text = "create MUST generate an error if it is not provided a path to the bundle")
    void createWithoutBundleFails() throws Exception {
        // runc's CLI takes the working directory when --bundle is absent: run it in an empty one
        Path empty = Files.createDirectories(work.resolve("empty"));
        Path out = work.resolve("nobundle.out");
        Path err = work.resolve("nobundle.err");
        String id = newId();
        CommandResult r = cli.runTo(out, err, empty, List.of(), null, "create", id);
        try {
            expectError(r, "create with no bundle (empty working directory)");
        } finally {
            cli.run("delete", "--force", id);
        }
        expectError(cli.run("create", "--bundle", work.resolve("no-such-bundle").toString(), newId()), "create with a bundle path that does not exist");
    }

    @Test
    @Requirement(id = "runtime.md#create/duplicate-id", text = "if the ID is not unique, create MUST generate an error and a new container MUST NOT be created")
    void createDuplicateIdFails() {
        Container first = container(sleeper());
        expectOk(first.create(), "create");
        long pid = first.pid();
        Bundle b2 = bundle("--marker", "/marker");
        Container second = container(first.id(), b2);
        expectError(second.create(), "a second create with the same id");
        JsonNode s = first.stateJson();
        assertNotNull(s, "the first container vanished after the duplicate create");
        assertEquals("created", s.path("status").asText(), "status of the first container");
        assertEquals(pid, s.path("pid").asLong(), "the first container's pid changed");
        assertEquals(b2.dir().toAbsolutePath().toString().equals(s.path("bundle").asText()), false, "state now points at the second bundle");
    }

    @Test
    @Requirement(id = "runtime.md#create/invalid-id", text = "if the ID is not valid, create MUST generate an error and a new container MUST NOT be created (empty ID)")
    void createInvalidIdFails() {
        Bundle b = bundle().write();
        CommandResult r = cli.run("create", "--bundle", b.dir().toString(), "");
        expectError(r, "create with an empty id");
    }

    @Test
    @Requirement(id = "runtime.md#create/applies-config", text = "all properties in config.json except process MUST be applied by create (namespaces, root, mounts, before start)")
    void createAppliesConfiguration() throws Exception {
        Bundle b = sleeper();
        Files.writeString(b.rootfs().resolve("etc/conformance-root"), "this rootfs");
        Container c = container(b);
        expectOk(c.create(), "create");
        long pid = c.pid();
        assertTrue(pid > 0, "no pid in state after create");
        for (String ns : List.of("mnt", "uts", "ipc", "net", "pid")) {
            assertNotEquals(Host.namespace(ns), Host.namespaceOf(pid, ns), ns + " namespace not created by create");
        }
        assertEquals("this rootfs", Exec.read(Path.of("/proc/" + pid + "/root/etc/conformance-root")),
                "the container process's root is not the bundle rootfs after create");
        String mountinfo = Exec.read(Path.of("/proc/" + pid + "/mountinfo"));
        assertTrue(mountinfo.contains(" /dev/shm "), "the configured /dev/shm mount is not there after create");
    }

    @Test
    @Requirement(id = "runtime.md#create/no-program", text = "process.args MUST NOT be applied until triggered by start (the user program MUST NOT run at create)")
    void createDoesNotRunTheProgram() {
        Bundle b = sleeper();
        Container c = container(b);
        expectOk(c.create(), "create");
        sleepMs(300);
        assertEquals(0, markerCount(b), "the user-specified program ran at create");
        expectOk(c.start(), "start");
        waitFor(() -> markerCount(b) == 1, "the program to run once after start");
    }

    @Test
    @Requirement(id = "runtime.md#errors/create-leaves-no-trace", text = "if the runtime cannot apply a property, create MUST generate an error, a new container MUST NOT be created, and the environment is left as if never attempted")
    void failedCreateLeavesNoTrace() {
        Bundle b = bundle("--marker", "/marker");
        String id = newId();
        String cg = cgroupPath(id);
        b.linux().put("cgroupsPath", cg);
        b.addMount("/mnt/bad", "no-such-filesystem-type", "none");
        Container c = container(id, b);
        expectError(c.create(), "create with a mount of an unknown filesystem type");
        CommandResult st = c.state();
        if (st.ok()) {
            fail("a container exists after the failed create: state says " + CommandResult.lastLine(st.stdout()));
        }
        for (Path d : Host.allCgroupDirs(cg)) {
            assertFalse(Files.exists(d), "the failed create left its cgroup behind: " + d);
        }
        assertEquals(0, markerCount(b), "the program ran although create failed");
    }

    @Test
    @Requirement(id = "runtime.md#lifecycle/config-updates", text = "any updates to config.json after create MUST NOT affect the container")
    void configUpdatesAfterCreateHaveNoEffect() throws Exception {
        Bundle b = bundle();
        b.env("PATH=/bin", "CONFORMANCE=original");
        Container c = container(b);
        expectOk(c.create(), "create");
        b.env("PATH=/bin", "CONFORMANCE=changed").args("/bin/probe", "--changed").write();
        expectOk(c.start(), "start");
        assertTrue(c.awaitStopped(), "did not stop");
        Probe p = c.probe();
        assertTrue(p.env().contains("CONFORMANCE=original"), "env after changing config.json: " + p.env());
        assertFalse(p.args().contains("--changed"), "args after changing config.json: " + p.args());
    }

    // ---------------------------------------------------------------- start

    @Test
    @Requirement(id = "runtime.md#start/no-id", text = "start MUST generate an error if it is not provided the container ID")
    void startWithoutIdFails() {
        expectError(cli.run("start"), "start without an id");
    }

    @Test
    @Requirement(id = "runtime.md#start/unknown-id", text = "attempting to start a container that does not exist MUST generate an error")
    void startOfUnknownContainerFails() {
        expectError(cli.run("start", "cf-does-not-exist"), "start of an unknown id");
    }

    @Test
    @Requirement(id = "runtime.md#start/runs-program", text = "start MUST run the user-specified program as specified by process")
    void startRunsTheProgram() {
        Bundle b = bundle("--exit", "0", "first-arg");
        Probe p = run(b);
        assertEquals(List.of("/bin/probe", "--exit", "0", "first-arg"), p.args(), "argv of the container process");
    }

    @Test
    @Requirement(id = "runtime.md#start/running", text = "start of a container that is not `created` (running) MUST have no effect on it and MUST generate an error")
    void startOfRunningContainerFails() {
        Bundle b = sleeper();
        Container c = container(b);
        expectOk(c.create(), "create");
        expectOk(c.start(), "start");
        waitFor(() -> markerCount(b) == 1, "the program to run");
        expectError(c.start(), "a second start");
        sleepMs(200);
        expectStatus(c, "running", "after the second start");
        assertTrue(c.initAlive(), "the container process is gone after the second start");
        assertEquals(1, markerCount(b), "the program ran again");
    }

    @Test
    @Requirement(id = "runtime.md#start/stopped", text = "start of a container that is not `created` (stopped) MUST have no effect on it and MUST generate an error")
    void startOfStoppedContainerFails() {
        Bundle b = bundle("--marker", "/marker");
        Container c = container(b);
        expectOk(c.create(), "create");
        expectOk(c.start(), "start");
        assertTrue(c.awaitStopped(), "did not stop");
        expectError(c.start(), "start of a stopped container");
        sleepMs(200);
        expectStatus(c, "stopped", "after start of the stopped container");
        assertEquals(1, markerCount(b), "the program ran again");
    }

    @Test
    @Requirement(id = "runtime.md#start/no-process", text = "start MUST generate an error if process was not set")
    void startWithoutProcessFails() {
        Bundle b = bundle();
        b.config().remove("process");
        Container c = container(b);
        CommandResult cr = c.create();
        if (!cr.ok()) {
            fail("could not check start: create without process failed (it must not; see config.md#process/optional): " + cr.describe());
        }
        expectError(c.start(), "start of a container without process");
    }

    // ---------------------------------------------------------------- kill

    @Test
    @Requirement(id = "runtime.md#kill/no-id", text = "kill MUST generate an error if it is not provided the container ID")
    void killWithoutIdFails() {
        expectError(cli.run("kill"), "kill without an id");
    }

    @Test
    @Requirement(id = "runtime.md#kill/sends-signal", text = "kill MUST send the specified signal to the container process")
    void killSendsTheSignal() {
        Bundle b = bundle("--signal-file", "/signal", "--marker", "/marker", "--sleep", "60");
        Container c = container(b);
        expectOk(c.create(), "create");
        expectOk(c.start(), "start");
        waitFor(() -> markerCount(b) == 1, "the program to run");
        sleepMs(100);
        expectOk(c.kill("USR1"), "kill USR1");
        assertTrue(c.awaitStopped(), "the process did not exit on SIGUSR1 (status " + c.status() + ")");
        assertEquals("10", Exec.read(b.rootfs().resolve("signal")).strip(), "signal received by the container process (SIGUSR1 = 10)");
    }

    @Test
    @Requirement(id = "runtime.md#kill/created", text = "kill of a `created` container MUST send the signal to the container process")
    void killCreatedContainer() {
        Container c = container(sleeper());
        expectOk(c.create(), "create");
        expectOk(c.kill("KILL"), "kill KILL of a created container");
        assertTrue(c.awaitStopped(), "the container did not stop after SIGKILL (status " + c.status() + ")");
    }

    @Test
    @Requirement(id = "runtime.md#kill/stopped", text = "kill of a container that is neither created nor running MUST have no effect on it and MUST generate an error")
    void killOfStoppedContainerFails() {
        Container c = container(bundle());
        expectOk(c.create(), "create");
        expectOk(c.start(), "start");
        assertTrue(c.awaitStopped(), "did not stop");
        expectError(c.kill("TERM"), "kill of a stopped container");
        expectStatus(c, "stopped", "after kill");
    }

    // ---------------------------------------------------------------- delete

    @Test
    @Requirement(id = "runtime.md#delete/no-id", text = "delete MUST generate an error if it is not provided the container ID")
    void deleteWithoutIdFails() {
        expectError(cli.run("delete"), "delete without an id");
    }

    @Test
    @Requirement(id = "runtime.md#delete/created", text = "delete of a container that is not `stopped` (created) MUST have no effect on it and MUST generate an error")
    void deleteOfCreatedContainerFails() {
        Bundle b = sleeper();
        Container c = container(b);
        expectOk(c.create(), "create");
        expectError(c.delete(), "delete of a created container");
        expectStatus(c, "created", "after delete of the created container");
        assertTrue(c.initAlive(), "the container process is gone");
    }

    @Test
    @Requirement(id = "runtime.md#delete/running", text = "delete of a container that is not `stopped` (running) MUST have no effect on it and MUST generate an error")
    void deleteOfRunningContainerFails() {
        Bundle b = sleeper();
        Container c = container(b);
        expectOk(c.create(), "create");
        expectOk(c.start(), "start");
        waitFor(() -> markerCount(b) == 1, "the program to run");
        expectError(c.delete(), "delete of a running container");
        expectStatus(c, "running", "after delete of the running container");
        assertTrue(c.initAlive(), "the container process is gone");
    }

    @Test
    @Requirement(id = "runtime.md#delete/resources", text = "deleting a container MUST delete the resources that were created during create (state, cgroup, processes)")
    void deleteRemovesResources() {
        Bundle b = bundle();
        String id = newId();
        String cg = cgroupPath(id);
        b.linux().put("cgroupsPath", cg);
        Container c = container(id, b);
        expectOk(c.create(), "create");
        long pid = c.pid();
        List<Path> dirs = Host.allCgroupDirs(cg).stream().filter(Files::isDirectory).toList();
        assertFalse(dirs.isEmpty(), "create made no cgroup at cgroupsPath " + cg);
        expectOk(c.start(), "start");
        assertTrue(c.awaitStopped(), "did not stop");
        expectOk(c.delete(), "delete of the stopped container");
        expectError(c.state(), "state after delete");
        for (Path d : dirs) {
            assertFalse(Files.exists(d), "cgroup left after delete: " + d);
        }
        assertFalse(Host.alive(pid), "the container process " + pid + " is still there");
    }

    @Test
    @Requirement(id = "runtime.md#delete/not-created-resources", text = "resources associated with the container but not created by it MUST NOT be deleted (bind source, joined namespace)")
    void deleteKeepsResourcesItDidNotCreate() throws Exception {
        Path data = Files.createDirectories(work.resolve("volume"));
        Files.writeString(data.resolve("keep.txt"), "keep");
        Process holder = helper("unshare", "--ipc", "sleep", "120");
        String hostIpc = Host.namespace("ipc");
        waitFor(() -> {
            String n = Host.namespaceOf(holder.pid(), "ipc");
            return n != null && !n.equals(hostIpc);
        }, "the namespace holder");
        String holderNs = Host.namespaceOf(holder.pid(), "ipc");
        Bundle b = bundle();
        b.addMount("/volume", "bind", data.toString(), "bind");
        b.namespace("ipc", "/proc/" + holder.pid() + "/ns/ipc");
        Container c = container(b);
        run(c);
        expectOk(c.delete(), "delete");
        assertEquals("keep", Exec.read(data.resolve("keep.txt")), "the bind mount source was changed by delete");
        assertTrue(holder.isAlive(), "the process holding the joined namespace was killed");
        assertEquals(holderNs, Host.namespaceOf(holder.pid(), "ipc"), "the joined namespace changed");
    }

    @Test
    @Requirement(id = "runtime.md#delete/id-reuse", level = Level.MAY, text = "once a container is deleted its ID MAY be used by a subsequent container")
    void idReusableAfterDelete() {
        Container c = container(bundle());
        run(c);
        expectOk(c.delete(), "delete");
        Container again = container(c.id(), bundle());
        run(again);
    }

    // ---------------------------------------------------------------- lifecycle

    @Test
    @Requirement(id = "runtime.md#lifecycle/order", text = "the caller that created a container MUST be able to use the operations on it: create -> created, start -> running, exit -> stopped, delete -> gone")
    void lifecycle() {
        Bundle b = bundle("--signal-file", "/signal", "--marker", "/marker", "--sleep", "60");
        Container c = container(b);
        expectOk(c.create(), "create");
        expectStatus(c, "created", "after create");
        expectOk(c.start(), "start");
        waitFor(() -> markerCount(b) == 1, "the program to run");
        expectStatus(c, "running", "after start");
        expectOk(c.kill("TERM"), "kill TERM");
        assertTrue(c.awaitStopped(), "did not stop after SIGTERM");
        expectOk(c.delete(), "delete");
        expectError(c.state(), "state after delete");
    }
}
