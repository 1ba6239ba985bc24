package io.jruntime.cli;

import io.jruntime.container.ContainerRecord;
import io.jruntime.container.StateStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The AOT caches' training runs (build time, see src/main/sh/train-aot.sh): runs subcommands' start-up
 * paths in-process, against a throw-away --root, so the classes they load are archived pre-linked.
 * Commands that need root and real namespaces are trained up to their validation. Three caches, because
 * the JVM loads every class of its cache at start-up: "hot" for the commands callers run most, "create"
 * for create, run and exec (no databind, no schema validator), "full" for the rest.
 */
public final class AotTraining {
    private AotTraining() {}

    /** The caches, named as train-aot.sh and the launcher name them. */
    enum Kind { HOT, CREATE, FULL }

    /** argv[0]: "hot" (state, list, start, kill, delete, --version), "create" (create, run, exec), "full" (all). */
    public static void main(String[] argv) throws IOException {
        Path tmp = Files.createTempDirectory("jruntime-aot");
        try {
            train(tmp, argv.length == 0 ? Kind.FULL : Kind.valueOf(argv[0].toUpperCase(java.util.Locale.ROOT)));
        } finally {
            try (var walk = Files.walk(tmp)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static void train(Path tmp, Kind kind) throws IOException {
        boolean full = kind == Kind.FULL;
        String root = tmp.resolve("root").toString();
        StateStore store = new StateStore(Path.of(root));
        store.claim("aot");
        store.save(new ContainerRecord("aot", 1, 0, tmp.toString(), tmp.resolve("rootfs").toString(),
                "2026-01-01T00:00:00Z", "root", Map.of("a", "b"), Map.of(), false, true));
        // A live "init" (this JVM) so state and list train their running and created paths too.
        int self = (int) ProcessHandle.current().pid();
        for (String id : List.of("aot-running", "aot-created")) {
            store.claim(id);
            store.save(new ContainerRecord(id, self, io.jruntime.container.ProcStat.read(self).startTime(), tmp.toString(),
                    tmp.resolve("rootfs").toString(), "2026-01-01T00:00:00Z", "root", Map.of(), Map.of("freezer", tmp.toString()),
                    false, true));
        }
        Files.createFile(store.dir("aot-created").resolve(StateStore.EXEC_FIFO));
        List<String[]> runs = new ArrayList<>(List.of(
                new String[] {"--version"},
                new String[] {"--root", root, "state", "aot-running"},
                new String[] {"--root", root, "state", "aot-created"},
                new String[] {"--root", root, "state", "aot"},
                new String[] {"--root", root, "state", "missing"},
                new String[] {"--root", root, "--log-format", "json", "--log", tmp.resolve("log.json").toString(), "state", "missing"},
                new String[] {"--root", root, "list"},
                new String[] {"--root", root, "list", "--format", "json"},
                new String[] {"--root", root, "list", "-q"},
                new String[] {"--root", root, "kill", "missing", "9"},
                new String[] {"--root", root, "delete", "--force", "missing"},
                new String[] {"--root", root, "start", "missing"}));
        if (full) {
            Path bundle = Files.createDirectories(tmp.resolve("bundle"));
            Main.run(new String[] {"spec", "--bundle", bundle.toString()}, new PrintStream(OutputStream.nullOutputStream()),
                    new PrintStream(OutputStream.nullOutputStream()));
            // A second bundle without its rootfs: create runs parsing, schema and semantic validation, then stops.
            Path noRootfs = Files.createDirectories(tmp.resolve("no-rootfs"));
            Files.copy(bundle.resolve("config.json"), noRootfs.resolve("config.json"));
            Files.createDirectories(bundle.resolve("rootfs"));
            runs.addAll(List.of(
                    new String[] {"--help"},
                    new String[] {"validate", "--bundle", bundle.toString()},
                    new String[] {"--root", root, "create", "--bundle", noRootfs.toString(), "aot-create"},
                    new String[] {"--root", root, "run", "--bundle", noRootfs.toString(), "aot-run"},
                    new String[] {"features"}));
        }
        if (kind == Kind.CREATE) {
            // Only what create, run and exec load: the config reader (a rich config, so most of its code
            // runs), the plan, seccomp, the cgroup layout. The bundle has no rootfs: create stops there.
            Path bundle = Files.createDirectories(tmp.resolve("create-bundle"));
            try (var in = AotTraining.class.getResourceAsStream("aot-training-config.json")) {
                Files.write(bundle.resolve("config.json"), in.readAllBytes());
            }
            runs.addAll(List.of(
                    new String[] {"--root", root, "create", "--bundle", bundle.toString(), "aot-create"},
                    new String[] {"--root", root, "run", "--bundle", bundle.toString(), "aot-run"},
                    new String[] {"--root", root, "exec", "missing", "true"}));
            Files.createDirectories(bundle.resolve("rootfs"));
            trainCreatePath(bundle);
            Files.delete(bundle.resolve("rootfs"));
            preload("io/jruntime/init/", "io/jruntime/container/", "io/jruntime/cgroups/", "io/jruntime/hooks/",
                    "io/jruntime/linux/", "io/jruntime/sys/");
        }
        if (full) {
            trainCreatePath(tmp.resolve("bundle"));
        }
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        // What kill and delete of a live container use: the FFM downcalls (signal 0 to ourselves only
        // checks that we exist) and the read-only probe of the host's cgroup hierarchies.
        try {
            io.jruntime.sys.Syscalls.native_().kill((int) ProcessHandle.current().pid(), 0);
        } catch (io.jruntime.sys.ErrnoException e) {
            throw new IllegalStateException("kill(self, 0) failed during AOT training", e);
        }
        ProcessHandle.of(ProcessHandle.current().pid()).isPresent(); // what SIGKILL and SIGTERM go through
        trainExecFifo(tmp.resolve("exec.fifo"));
        io.jruntime.cgroups.CgroupHost.probe();
        if (kind == Kind.HOT) {
            preload("io/jruntime/cgroups/"); // delete removes the cgroup: a real one cannot be made in a build
        }
        for (int round = 0; round < 3; round++) {
            for (String[] run : runs) {
                Main.run(run, sink, sink);
            }
        }
    }

    /** What start (and run) do to release an init: a thread here plays the init writing its byte. */
    static void trainExecFifo(Path fifo) {
        try {
            io.jruntime.sys.Syscalls.native_().mkfifo(fifo.toString(), 0600);
            Thread init = Thread.ofPlatform().daemon().start(() -> {
                try (var out = new java.io.FileOutputStream(fifo.toFile())) {
                    out.write(0);
                } catch (IOException e) {
                    // release below reports it
                }
            });
            io.jruntime.container.ExecFifo.release(fifo, () -> true);
            init.join(5_000);
        } catch (Exception e) {
            System.err.println("AOT training: exec fifo skipped: " + e);
        }
    }

    /**
     * Loads (without running) every class of these packages, so the cache holds them linked: what create
     * does past validation (cgroups, the native stage, hooks) needs root and cannot run in a build, and a
     * class loaded from the jar costs ten times one from the cache. SeccompAgent is left out: it writes
     * its message with databind, which the create cache must not hold.
     */
    static void preload(String... packages) {
        try {
            Path jar = Path.of(AotTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return; // run from a classes directory (tests): nothing to archive
            }
            try (var jf = new java.util.jar.JarFile(jar.toFile())) {
                for (var e = jf.entries(); e.hasMoreElements(); ) {
                    String name = e.nextElement().getName();
                    if (name.endsWith(".class") && !name.contains("SeccompAgent")
                            && java.util.Arrays.stream(packages).anyMatch(name::startsWith)) {
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, AotTraining.class.getClassLoader());
                    }
                }
            }
        } catch (Exception | LinkageError e) {
            System.err.println("AOT training: preload skipped: " + e);
        }
    }

    /**
     * The read-only part of create past validation: the native stage's plan built from the template
     * bundle (mountinfo and cap_last_cap are read, nothing is created), a small seccomp program, and the
     * cgroup probe. Training must never fail the build, so a failure here is reported and skipped.
     */
    static void trainCreatePath(Path bundle) {
        try {
            io.jruntime.spec.Spec spec = io.jruntime.spec.SpecLoader.load(bundle, io.jruntime.spec.SpecValidator.Options.DEFAULT, p -> {});
            spec = spec.withProcess(spec.process().withTerminal(false)); // the template asks for a tty
            var request = new io.jruntime.init.LaunchRequest("aot", bundle, spec, bundle, bundle.resolve("exec.fifo"), null, 0, false, false);
            var seccomp = io.jruntime.container.ContainerCreation.seccomp(spec, w -> {});
            new io.jruntime.linux.PlanBuilder(io.jruntime.sys.Syscalls.native_())
                    .seccomp(seccomp == null ? null : seccomp.bpf(), seccomp == null ? 0 : seccomp.flags())
                    .build(request).plan().encode();
            io.jruntime.cgroups.CgroupManager.forContainer("aot", null).paths();
        } catch (Exception | Error e) {
            System.err.println("AOT training: create path skipped: " + e);
        }
    }
}
