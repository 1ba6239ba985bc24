package io.jruntime.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.TestAbortedException;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInfo;

/**
 * Base of every spec test: a private work dir (bundles, the runtime's {@code --root} state dir),
 * containers by id, and a cleanup that leaves nothing behind: {@code delete --force} of every
 * container, a check that no container process and no host mount remain, removal of cgroups
 * the test named, and of the work dir.
 */
@Tag("spec")
@DisplayNameGeneration(RequirementNames.class)
public abstract class SpecTest {
    protected Path work;
    protected RuntimeCli cli;
    private final List<Container> containers = new ArrayList<>();
    private final List<Process> helpers = new ArrayList<>();
    private final List<String> cgroups = new ArrayList<>();
    private int bundles;

    @BeforeEach
    void setUpWork(TestInfo info) throws IOException {
        Assumptions.assumeTrue(Host.isRoot(), "the suite creates containers: it needs root");
        Path rt = Settings.runtime();
        if (!Files.isExecutable(rt)) {
            fail("no runtime binary at " + rt);
        }
        Files.createDirectories(Settings.workDir());
        String name = info.getTestMethod().map(m -> m.getName()).orElse("test");
        work = Files.createTempDirectory(Settings.workDir(), "jrt-conformance-" + shorten(name, 24) + "-");
        // other users in the container (uid 1000 tests) must reach the bundle's rootfs
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(work.resolve("state"));
        cli = new RuntimeCli(rt, Settings.runtimeArgs(), work.resolve("state"), work.resolve("scratch"));
    }

    @AfterEach
    void cleanUp() {
        List<String> leaks = new ArrayList<>();
        for (Container c : containers.reversed()) {
            if (!c.createAttempted()) {
                continue;
            }
            c.deleteForce();
            if (c.pid() > 0) {
                long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (c.initAlive() && System.nanoTime() < deadline) {
                    Container.sleep(20);
                }
                if (c.initAlive()) {
                    leaks.add("container " + c.id() + " init process " + c.pid() + " still runs after delete --force");
                    ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        for (Process p : helpers) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String cg : cgroups) {
            removeCgroup(cg);
        }
        if (work != null) {
            List<String> mounts = Host.mountPointsUnder(work);
            if (!mounts.isEmpty()) {
                leaks.add("mounts left on the host: " + mounts);
            }
            TempDirs.delete(work);
        }
        if (!leaks.isEmpty()) {
            fail("cleanup: " + String.join("; ", leaks));
        }
    }

    // ---- building blocks for tests ----

    /** A new bundle whose process is {@code /bin/probe probeArgs...}. */
    protected Bundle bundle(String... probeArgs) {
        return Bundle.create(work.resolve("bundle" + (++bundles)), probeArgs);
    }

    protected Container container(Bundle b) {
        return container(newId(), b);
    }

    protected Container container(String id, Bundle b) {
        Container c = new Container(id, b, cli, work);
        containers.add(c);
        return c;
    }

    protected String newId() {
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        return "cf" + (containers.size() + 1) + "-" + HexFormat.of().formatHex(r);
    }

    /** create, start, wait for the process to exit, and return what the probe reported. */
    protected Probe run(Bundle b) {
        Container c = container(b);
        return run(c);
    }

    protected Probe run(Container c) {
        expectOk(c.create(), "create");
        expectOk(c.start(), "start");
        if (!c.awaitStopped()) {
            fail("the container did not stop within 20 s (status " + c.status() + ")");
        }
        return c.probe();
    }

    /** Fails with the command and its error unless it succeeded. */
    protected static CommandResult expectOk(CommandResult r, String what) {
        if (!r.ok()) {
            fail(what + " failed: " + r.describe());
        }
        return r;
    }

    /**
     * Fails unless the command generated an error (a non-zero exit). A failed {@code create} only
     * counts when the same runtime can run the base config: a runtime that fails every create
     * would otherwise "pass" every must-fail test.
     */
    protected CommandResult expectError(CommandResult r, String what) {
        if (r.timedOut()) {
            fail(what + " timed out instead of generating an error");
        }
        if (r.ok()) {
            fail(what + " succeeded, but the spec requires an error (`" + r.shortCommand() + "` exited 0)");
        }
        if (r.shortCommand().startsWith("create")) {
            requireWorkingBaseline();
        }
        return r;
    }

    private static final Map<String, String> BASELINE = new java.util.concurrent.ConcurrentHashMap<>();

    /** Fails as inconclusive unless this runtime runs the unmodified base config (checked once per runtime). */
    protected void requireWorkingBaseline() {
        String key = cli.binary() + " " + Settings.runtimeArgs() + " " + Settings.ociVersion();
        String why = BASELINE.get(key);
        if (why == null) {
            try {
                run(bundle());
                why = "";
            } catch (Throwable t) {
                why = t.getMessage() == null ? t.toString() : t.getMessage();
            }
            BASELINE.put(key, why);
        }
        if (!why.isEmpty()) {
            fail("inconclusive: the error proves nothing, the runtime cannot run the base config either (" + why + ")");
        }
    }

    /** Starts a helper process on the host (e.g. a namespace holder); stopped by pid at cleanup. */
    protected Process helper(String... command) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(work.resolve("helper" + helpers.size() + ".out").toFile())
                    .redirectError(work.resolve("helper" + helpers.size() + ".err").toFile())
                    .start();
            helpers.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cgroup path unique to this test; removed at cleanup if the runtime left it. */
    protected String cgroupPath(String id) {
        String p = "/jruntime-conformance/" + id;
        cgroups.add(p);
        return p;
    }

    /**
     * A cgroup path unique to this test directly below the hierarchies' roots (for settings a
     * child may only take from a parent that has them, e.g. a real-time budget); removed at cleanup.
     */
    protected String topCgroupPath(String id) {
        String p = "/jruntime-conformance-" + id;
        cgroups.add(p);
        return p;
    }

    private static void removeCgroup(String path) {
        for (Path d : Host.allCgroupDirs(path)) {
            removeCgroupTree(d);
            if (!d.getParent().getFileName().toString().equals("jruntime-conformance")) {
                continue; // a top-level test cgroup: its parent is the hierarchy's root
            }
            try {
                Files.deleteIfExists(d.getParent()); // the shared parent, only when empty
            } catch (IOException ignored) {
                // another test's cgroup is still there
            }
        }
    }

    private static void removeCgroupTree(Path d) {
        if (!Files.isDirectory(d)) {
            return;
        }
        try (var s = Files.walk(d)) {
            for (Path p : s.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // still has processes: reported by the test that owns it
                }
            }
        } catch (IOException | UncheckedIOException ignored) {
            // gone meanwhile
        }
    }

    /** A small host shell script in the work dir (for hooks). */
    protected Path script(String name, String body) {
        try {
            Path p = work.resolve("hooks").resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "#!/bin/sh\n" + body + "\n");
            p.toFile().setExecutable(true, false);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static String read(Path p) {
        return Exec.read(p);
    }

    protected static void sleepMs(long ms) {
        Container.sleep(ms);
    }

    /** Polls {@code cond} every 20 ms for up to 15 s; fails naming {@code what}. */
    protected static void waitFor(java.util.function.BooleanSupplier cond, String what) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            sleepMs(20);
        }
    }

    /**
     * Several report rows from one container run: {@code setup} runs once (and may fail), then
     * each named check becomes a dynamic test. If setup failed, every row fails (or is not
     * applicable) with setup's reason, so no row silently disappears from the report. A name may
     * start with its level, e.g. "[SHOULD] rro".
     */
    protected static List<DynamicTest> checks(Executable setup, Map<String, Executable> checks) {
        Throwable failure = null;
        try {
            setup.execute();
        } catch (Throwable t) {
            failure = t;
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Executable> e : checks.entrySet()) {
            Throwable f = failure;
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                if (f instanceof TestAbortedException a) {
                    throw a;
                }
                if (f != null) {
                    fail(f.getMessage() == null ? f.toString() : f.getMessage(), f);
                }
                e.getValue().execute();
            }));
        }
        return tests;
    }

    private static String shorten(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n);
    }
}
