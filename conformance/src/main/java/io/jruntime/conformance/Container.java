package io.jruntime.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One container of the runtime under test, by id. Its process's stdout and stderr go to files
 * beside the bundle ({@code ID.out}, {@code ID.err}): the container inherits create's.
 */
public final class Container {
    private final String id;
    private final Bundle bundle;
    private final RuntimeCli cli;
    private final Path stdout;
    private final Path stderr;
    private boolean createAttempted;
    private long pid;
    private String startTime = "";

    Container(String id, Bundle bundle, RuntimeCli cli, Path work) {
        this.id = id;
        this.bundle = bundle;
        this.cli = cli;
        this.stdout = work.resolve(id + ".out");
        this.stderr = work.resolve(id + ".err");
    }

    public String id() {
        return id;
    }

    public Bundle bundle() {
        return bundle;
    }

    /** The init pid as the runtime reported it after create (0 if unknown). */
    public long pid() {
        return pid;
    }

    String startTime() {
        return startTime;
    }

    boolean createAttempted() {
        return createAttempted;
    }

    /** {@code create --bundle DIR [flags] ID}, after writing config.json. */
    public CommandResult create(String... flags) {
        return createWrapped(List.of(), null, flags);
    }

    /** create, run under {@code wrapper} (e.g. a shell that changes umask first) and extra environment. */
    public CommandResult createWrapped(List<String> wrapper, Map<String, String> env, String... flags) {
        bundle.write();
        List<String> args = new ArrayList<>(List.of("create", "--bundle", bundle.dir().toString()));
        args.addAll(List.of(flags));
        args.add(id);
        createAttempted = true;
        CommandResult r = cli.runTo(stdout, stderr, bundle.dir(), wrapper, env, args.toArray(String[]::new));
        if (r.ok()) {
            JsonNode st = stateJson();
            if (st != null && st.path("pid").asLong(0) > 0) {
                pid = st.path("pid").asLong();
                startTime = Host.startTime(pid);
            }
        }
        return r;
    }

    public CommandResult start() {
        return cli.run("start", id);
    }

    public CommandResult state() {
        return cli.run("state", id);
    }

    /** The state document, or null when {@code state} failed or printed no JSON. */
    public JsonNode stateJson() {
        CommandResult r = state();
        return r.ok() ? Json.parseOrNull(r.stdout()) : null;
    }

    /** The status from {@code state}, or null when the runtime reports no such container. */
    public String status() {
        JsonNode s = stateJson();
        return s == null ? null : s.path("status").asText(null);
    }

    public CommandResult kill(String signal) {
        return cli.run("kill", id, signal);
    }

    public CommandResult delete() {
        return cli.run("delete", id);
    }

    public CommandResult deleteForce() {
        return cli.run("delete", "--force", id);
    }

    /** Waits until the init has exited and the runtime reports {@code stopped}; false on timeout. */
    public boolean awaitStopped(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (pid > 0) {
            while (Host.alive(pid) && Host.startTime(pid).equals(startTime) && System.nanoTime() < deadline) {
                sleep(20);
            }
        }
        while (System.nanoTime() < deadline) {
            String s = status();
            if ("stopped".equals(s) || s == null) {
                return "stopped".equals(s);
            }
            sleep(50);
        }
        return false;
    }

    public boolean awaitStopped() {
        return awaitStopped(Duration.ofSeconds(20));
    }

    /** Whether the init process recorded at create still runs (same pid, same start time). */
    public boolean initAlive() {
        return pid > 0 && Host.alive(pid) && Host.startTime(pid).equals(startTime);
    }

    /** What the container process printed on stdout. */
    public String output() {
        return Exec.read(stdout);
    }

    /** What the runtime's create and the container process printed on stderr. */
    public String errors() {
        return Exec.read(stderr);
    }

    /** The probe's report from stdout; fails with the container's stderr when there is none. */
    public Probe probe() {
        JsonNode j = Json.parseOrNull(output());
        if (j == null || !j.has("probe")) {
            throw new AssertionError("the probe printed no report; container stderr: " + CommandResult.lastLine(errors()));
        }
        return new Probe(j);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
