package io.jruntime.bench;

import io.jruntime.container.ContainerRecord;
import io.jruntime.container.StateStore;
import io.jruntime.seccomp.SeccompCompiler;
import io.jruntime.spec.Json;
import io.jruntime.spec.LinuxSeccomp;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the in-process hot parts (issue "Performance"): config parse + validation, seccomp
 * compilation of a podman-sized profile, state write + read. Steady-state numbers; the start-up cost of
 * a command is measured by runtime/bench/bench.sh instead. Run with runtime/bench/jmh.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathsBenchmark {
    byte[] config;
    LinuxSeccomp profile;
    Path root;
    StateStore store;
    ContainerRecord record;

    @Setup
    public void setUp() throws IOException {
        config = Files.readAllBytes(Path.of(System.getProperty("bench.config", "../config-samples/minimal/config.json")));
        try (InputStream in = HotPathsBenchmark.class.getResourceAsStream("/io/jruntime/seccomp/podman-like.json")) {
            profile = Json.mapper().readValue(in, LinuxSeccomp.class);
        }
        root = Files.createTempDirectory("jrt-bench");
        store = new StateStore(root);
        store.claim("bench");
        record = new ContainerRecord("bench", 4242, 123456, "/bundle", "/bundle/rootfs", "2026-01-01T00:00:00Z", "root",
                Map.of("a", "b"), Map.of("memory", "/sys/fs/cgroup/memory/bench"), false, true);
    }

    @TearDown
    public void tearDown() throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** What create does with config.json: JSON, schema, model, semantic checks. */
    @Benchmark
    public Spec configParseAndValidate() {
        return SpecLoader.parse(config, "config.json", io.jruntime.spec.SpecValidator.Options.DEFAULT, p -> {});
    }

    /** podman's default seccomp profile to BPF for x86_64 (+ x32, i386). */
    @Benchmark
    public byte[] seccompCompilePodmanProfile() {
        return SeccompCompiler.compile(profile, "amd64").bpf();
    }

    /** state.json atomic write (temp file, fsync, rename) and read back. */
    @Benchmark
    public ContainerRecord stateWriteAndRead() {
        store.save(record);
        return store.load("bench");
    }
}
