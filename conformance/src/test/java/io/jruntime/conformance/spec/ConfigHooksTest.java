package io.jruntime.conformance.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.jruntime.conformance.Bundle;
import io.jruntime.conformance.CommandResult;
import io.jruntime.conformance.Container;
import io.jruntime.conformance.Exec;
import io.jruntime.conformance.Host;
import io.jruntime.conformance.Json;
import io.jruntime.conformance.Probe;
import io.jruntime.conformance.Requirement;
import io.jruntime.conformance.SpecFile;
import io.jruntime.conformance.SpecTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * config.md, POSIX-platform hooks, and the hook steps of runtime.md's lifecycle. Every hook is a
 * small shell script that records the state it receives on stdin, its namespaces, and its place
 * in one shared order log (the host dir is bind-mounted at /hooks-out for in-container hooks).
 */
@SpecFile("config.md")
class ConfigHooksTest extends SpecTest {
    static final List<String> KINDS = List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");
    static final Set<String> RUNTIME_NS = Set.of("prestart", "createRuntime", "poststart", "poststop");

    /** record.sh NAME OUTDIR [EXIT]: stdin state, namespaces, the state pid's cmdline, an order line. */
    static final String RECORDER = """
            name=$1; out=$2
            cat > "$out/$name.json"
            for n in mnt pid uts ipc net; do echo "$n $(readlink /proc/self/ns/$n)"; done > "$out/$name.ns"
            pid=$(sed -n 's/.*"pid":[ ]*\\([0-9][0-9]*\\).*/\\1/p' "$out/$name.json" | head -n 1)
            if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ]; then tr '\\0' ' ' < "/proc/$pid/cmdline" > "$out/$name.cmdline"; fi
            echo "$name" >> "$out/order"
            exit ${3:-0}
            """;

    private Path out;
    private Path hostRecorder;

    /** A bundle with the order log bind-mounted at /hooks-out and the recorder inside the rootfs too. */
    private Bundle hookBundle(String... probeArgs) {
        try {
            out = Files.createDirectories(work.resolve("hooks-out"));
            hostRecorder = script("record.sh", RECORDER);
            Bundle b = bundle(probeArgs);
            Path inRoot = Files.createDirectories(b.rootfs().resolve("hooks-bin")).resolve("record.sh");
            Files.writeString(inRoot, "#!/bin/sh\n" + RECORDER);
            inRoot.toFile().setExecutable(true, false);
            b.addMount("/hooks-out", "bind", out.toString(), "rbind", "rw");
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a recording hook: in-container kinds resolve the recorder in the rootfs, others on the host. */
    private void hook(Bundle b, String kind, String name, int exit) {
        boolean inContainer = kind.equals("startContainer");
        String path = inContainer ? "/hooks-bin/record.sh" : hostRecorder.toString();
        String dir = inContainer ? "/hooks-out" : out.toString();
        b.addHook(kind, path, "record.sh", name, dir, Integer.toString(exit));
    }

    private void event(String e) {
        try {
            Files.writeString(out.resolve("order"), e + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private List<String> order() {
        String s = Exec.read(out.resolve("order")).strip();
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    private int at(String line) {
        List<String> o = order();
        for (int i = 0; i < o.size(); i++) {
            if (o.get(i).equals(line) || o.get(i).startsWith(line + " ")) {
                return i;
            }
        }
        return -1;
    }

    private void expectBetween(String what, String after, String before) {
        int i = at(what);
        if (i < 0) {
            fail(what + " hook was not called; order: " + order());
        }
        if (at(after) < 0 || at(after) > i || (before != null && (at(before) < 0 || at(before) < i))) {
            fail(what + " ran outside [" + after + " .. " + (before == null ? "end" : before) + "]; order: " + order());
        }
    }

    private JsonNode stdinState(String name) {
        String s = Exec.read(out.resolve(name + ".json"));
        if (!Files.exists(out.resolve(name + ".json"))) {
            fail(name + " hook was not called");
        }
        JsonNode j = Json.parseOrNull(s);
        assertNotNull(j, name + " hook received no JSON state on stdin: '" + s + "'");
        return j;
    }

    private String hookNs(String name, String type) {
        for (String line : Exec.read(out.resolve(name + ".ns")).split("\n")) {
            if (line.startsWith(type + " ")) {
                return line.substring(type.length() + 1).strip();
            }
        }
        fail(name + " hook recorded no " + type + " namespace (did it run?)");
        return null;
    }

    // ------------------------------------------------------------------ one full lifecycle

    @TestFactory
    @Requirement(id = "config.md#hooks", text = "hooks")
    List<DynamicTest> hooksThroughTheLifecycle() {
        String[] hostNs = {Host.namespace("mnt")};
        long[] hostPid = {0};
        Probe[] probe = {null};
        String[] bundleDir = {null};
        Container[] c = {null};
        Executable setup = () -> {
            Bundle b = hookBundle("--marker", "/hooks-out/order", "--signal-file", "/hooks-out/signal", "--sleep", "60");
            b.annotation("org.example.hooks", "annotated");
            for (String kind : KINDS) {
                hook(b, kind, kind + ".1", 0);
                hook(b, kind, kind + ".2", 0);
            }
            bundleDir[0] = b.dir().toRealPath().toString();
            c[0] = container(b);
            event("create-called");
            expectOk(c[0].create(), "create");
            event("create-returned");
            hostPid[0] = c[0].pid();
            event("start-called");
            expectOk(c[0].start(), "start");
            event("start-returned");
            waitFor(() -> at("ran") >= 0, "the program to run");
            expectOk(c[0].kill("TERM"), "kill TERM");
            assertTrue(c[0].awaitStopped(), "did not stop after SIGTERM");
            probe[0] = c[0].probe();
            event("delete-called");
            expectOk(c[0].delete(), "delete");
            event("delete-returned");
        };
        Map<String, Executable> checks = new LinkedHashMap<>();
        checks.put("[MUST] prestart-when: prestart hooks MUST be called as part of create, after the runtime environment has been created",
                () -> expectBetween("prestart.1", "create-called", "create-returned"));
        checks.put("[MUST] prestart-before-createRuntime: the prestart hooks MUST be called before the createRuntime hooks",
                () -> expectBetween("prestart.2", "create-called", "createRuntime.1"));
        checks.put("[MUST] createRuntime-when: createRuntime hooks MUST be called as part of create",
                () -> expectBetween("createRuntime.1", "create-called", "create-returned"));
        checks.put("[MUST] createContainer-when: createContainer hooks MUST be called as part of create, after the createRuntime hooks",
                () -> expectBetween("createContainer.1", "createRuntime.2", "create-returned"));
        checks.put("[MUST] startContainer-when: startContainer hooks MUST be called as part of start, before the user-specified process is executed",
                () -> {
                    expectBetween("startContainer.1", "start-called", "ran");
                    expectBetween("startContainer.2", "start-called", "ran");
                });
        checks.put("[MUST] poststart-when: poststart hooks MUST be called after the user-specified process is executed but before start returns",
                () -> {
                    expectBetween("poststart.2", "start-called", "start-returned");
                    String cmd = Exec.read(out.resolve("poststart.1.cmdline"));
                    assertTrue(cmd.startsWith("/bin/probe"), "when poststart ran, the container process was not yet the user program: '" + cmd.strip() + "'");
                });
        checks.put("[MUST] poststop-when: poststop hooks MUST be called after the container is deleted but before delete returns",
                () -> expectBetween("poststop.1", "delete-called", "delete-returned"));
        checks.put("[MUST] listed-order: hooks MUST be called in the listed order", () -> {
            List<String> bad = new ArrayList<>();
            for (String k : KINDS) {
                if (at(k + ".1") < 0 || at(k + ".2") < 0 || at(k + ".1") > at(k + ".2")) {
                    bad.add(k);
                }
            }
            assertTrue(bad.isEmpty(), "not in listed order (or not called): " + bad + "; order: " + order());
        });
        for (String kind : KINDS) {
            boolean runtimeNs = RUNTIME_NS.contains(kind);
            checks.put("[MUST] " + kind + "-namespace: " + kind + " hooks MUST be executed in the "
                    + (runtimeNs ? "runtime" : "container") + " namespace", () -> {
                if (runtimeNs) {
                    assertEquals(hostNs[0], hookNs(kind + ".1", "mnt"), kind + " hook's mount namespace is not the runtime's");
                } else {
                    for (String t : List.of("mnt", "uts", "ipc", "net", "pid")) {
                        assertEquals(probe[0].ns(t), hookNs(kind + ".1", t), kind + " hook's " + t + " namespace is not the container's");
                    }
                }
            });
        }
        checks.put("[MUST] createContainer-path: the createContainer hook's path MUST resolve in the runtime namespace",
                () -> assertTrue(at("createContainer.1") >= 0, "a createContainer hook at a host-only path was not called"));
        checks.put("[MUST] startContainer-path: the startContainer hook's path MUST resolve in the container namespace",
                () -> assertTrue(at("startContainer.1") >= 0, "a startContainer hook at a rootfs-only path was not called"));
        Map<String, Set<String>> statuses = Map.of(
                "prestart", Set.of("creating", "created"),
                "createRuntime", Set.of("creating", "created"),
                "createContainer", Set.of("creating", "created"),
                "startContainer", Set.of("created"),
                "poststart", Set.of("running"),
                "poststop", Set.of("stopped"));
        for (String kind : KINDS) {
            checks.put("[MUST] " + kind + "-state: the state of the container MUST be passed to " + kind
                    + " hooks over stdin (id, bundle, annotations, status " + String.join("/", statuses.get(kind))
                    + (kind.equals("poststop") ? "" : ", pid as seen from the hook's namespace") + ")", () -> {
                JsonNode s = stdinState(kind + ".1");
                assertTrue(s.path("ociVersion").isTextual(), "no ociVersion in " + s);
                assertEquals(c[0].id(), s.path("id").asText(null), "id");
                assertEquals(bundleDir[0], s.path("bundle").asText(null), "bundle");
                assertEquals("annotated", s.path("annotations").path("org.example.hooks").asText(null), "annotations");
                assertTrue(statuses.get(kind).contains(s.path("status").asText()),
                        "status " + s.path("status") + ", expected " + statuses.get(kind));
                if (!kind.equals("poststop")) {
                    long expected = RUNTIME_NS.contains(kind) ? hostPid[0] : probe[0].pid();
                    assertEquals(expected, s.path("pid").asLong(-1), "pid (as seen in the "
                            + (RUNTIME_NS.contains(kind) ? "runtime" : "container") + " namespace)");
                }
            });
        }
        return checks(setup, checks);
    }

    // ------------------------------------------------------------------ failing hooks

    private boolean ran() {
        return at("ran") >= 0;
    }

    private long pidFrom(String hook) {
        JsonNode s = Json.parseOrNull(Exec.read(out.resolve(hook + ".json")));
        return s == null ? 0 : s.path("pid").asLong(0);
    }

    private void expectDestroyed(Container c, long pid, String when) {
        if (pid > 0) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (Host.alive(pid) && System.nanoTime() < deadline) {
                sleepMs(20);
            }
            assertFalse(Host.alive(pid), "the container process " + pid + " still runs " + when + " (the container MUST be stopped)");
        }
        String st = c.status();
        assertTrue(st == null || st.equals("stopped"), "status " + st + " " + when + " (the container MUST be stopped and destroyed)");
        assertTrue(at("poststop.1") >= 0, "poststop hooks were not invoked " + when + " (lifecycle continues at step 12, then 13: poststop)");
    }

    private void createHookFails(String kind) {
        Bundle b = hookBundle("--marker", "/hooks-out/order");
        // a succeeding runtime-namespace hook first tells the container process's host pid
        String witness = kind.equals("createContainer") ? "createRuntime" : kind;
        if (!witness.equals(kind)) {
            hook(b, witness, witness + ".0", 0);
        }
        hook(b, kind, kind + ".1", 1);
        hook(b, "poststop", "poststop.1", 0);
        Container c = container(b);
        CommandResult r = c.create();
        expectError(r, "create with a failing " + kind + " hook");
        assertFalse(ran(), "the user program ran although a " + kind + " hook failed");
        expectDestroyed(c, pidFrom(witness.equals(kind) ? kind + ".1" : witness + ".0"), "after the failing " + kind + " hook");
    }

    @Test
    @Requirement(id = "runtime.md#lifecycle/prestart-fails", text = "if any prestart hook fails, the runtime MUST generate an error, stop the container, and continue the lifecycle at step 12 (destroy, poststop)")
    void failingPrestartHook() {
        createHookFails("prestart");
    }

    @Test
    @Requirement(id = "runtime.md#lifecycle/createRuntime-fails", text = "if any createRuntime hook fails, the runtime MUST generate an error, stop the container, and continue the lifecycle at step 12 (destroy, poststop)")
    void failingCreateRuntimeHook() {
        createHookFails("createRuntime");
    }

    @Test
    @Requirement(id = "runtime.md#lifecycle/createContainer-fails", text = "if any createContainer hook fails, the runtime MUST generate an error, stop the container, and continue the lifecycle at step 12 (destroy, poststop)")
    void failingCreateContainerHook() {
        createHookFails("createContainer");
    }

    @Test
    @Requirement(id = "runtime.md#lifecycle/startContainer-fails", text = "if any startContainer hook fails, the runtime MUST generate an error, stop the container, and continue the lifecycle at step 12 (destroy, poststop)")
    void failingStartContainerHook() {
        Bundle b = hookBundle("--marker", "/hooks-out/order", "--sleep", "60");
        hook(b, "startContainer", "startContainer.1", 1);
        hook(b, "poststop", "poststop.1", 0);
        Container c = container(b);
        expectOk(c.create(), "create");
        long pid = c.pid();
        expectError(c.start(), "start with a failing startContainer hook");
        assertFalse(ran(), "the user program ran although a startContainer hook failed");
        expectDestroyed(c, pid, "after the failing startContainer hook");
    }

    @Test
    @Requirement(id = "runtime.md#lifecycle/poststart-fails", text = "if any poststart hook fails, the runtime MUST generate an error, stop the container, and continue the lifecycle at step 12 (destroy, poststop)")
    void failingPoststartHook() {
        Bundle b = hookBundle("--marker", "/hooks-out/order", "--sleep", "60");
        hook(b, "poststart", "poststart.1", 1);
        hook(b, "poststop", "poststop.1", 0);
        Container c = container(b);
        CommandResult cr = c.create();
        long pid = c.pid();
        if (!cr.ok()) {
            // a runtime that runs poststart at create reports it there
            fail("create failed, but poststart hooks belong to start: " + cr.describe());
        }
        expectError(c.start(), "start with a failing poststart hook");
        expectDestroyed(c, pid, "after the failing poststart hook");
    }

    @Test
    @Requirement(id = "runtime.md#lifecycle/poststop-fails", text = "if any poststop hook fails, the runtime MUST log a warning, but the remaining hooks and lifecycle continue as if the hook had succeeded")
    void failingPoststopHook() {
        Bundle b = hookBundle();
        hook(b, "poststop", "poststop.1", 1);
        hook(b, "poststop", "poststop.2", 0);
        Container c = container(b);
        run(c);
        expectOk(c.delete(), "delete with a failing poststop hook");
        assertTrue(at("poststop.2") >= 0, "the poststop hook after the failing one was not run; order: " + order());
        expectError(c.state(), "state after delete");
    }

    // ------------------------------------------------------------------ hook properties

    @Test
    @Requirement(id = "config.md#hooks/timeout", text = "timeout is the number of seconds before aborting the hook (a createRuntime hook past its timeout fails, so create MUST fail)")
    void hookTimeoutAbortsTheHook() {
        Bundle b = hookBundle();
        Path slow = script("slow.sh", "cat > /dev/null; exec sleep 30");
        b.addHook("createRuntime", slow.toString()).put("timeout", 1);
        Container c = container(b);
        long t0 = System.nanoTime();
        CommandResult r = c.create();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        expectError(r, "create with a createRuntime hook past its 1 s timeout");
        assertTrue(ms < 20_000, "create took " + ms + " ms: the hook was not aborted at its timeout");
    }

    @Test
    @Requirement(id = "config.md#hooks/timeout-positive", text = "if set, timeout MUST be greater than zero (runtimes MUST generate an error on invalid values)")
    void hookTimeoutZeroFails() {
        Bundle b = hookBundle();
        hook(b, "createRuntime", "createRuntime.1", 0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) b.config().path("hooks").path("createRuntime").get(0)).put("timeout", 0);
        expectError(container(b).create(), "create with a hook timeout of 0");
    }

    @Test
    @Requirement(id = "config.md#hooks/path-absolute", text = "hook path MUST be absolute (runtimes MUST generate an error on invalid values)")
    void hookRelativePathFails() {
        Bundle b = hookBundle();
        b.addHook("createRuntime", "bin/true");
        expectError(container(b).create(), "create with a relative hook path");
    }

    @Test
    @Requirement(id = "config.md#hooks/args-env", text = "hook args have execv's argv semantics and env environ's semantics")
    void hookArgsAndEnv() {
        Bundle b = hookBundle();
        String cmd = "cat > /dev/null; echo \"$0|$1\" > " + out.resolve("args") + "; env > " + out.resolve("env");
        var h = b.addHook("createRuntime", "/bin/sh", "sh", "-c", cmd, "arg-zero", "arg-one");
        h.set("env", Json.array("HOOK_VAR=hook value"));
        run(container(b));
        assertEquals("arg-zero|arg-one", Exec.read(out.resolve("args")).strip(), "the hook's arguments");
        assertTrue(Exec.read(out.resolve("env")).contains("HOOK_VAR=hook value"), "the hook's environment: " + Exec.read(out.resolve("env")));
    }
}
