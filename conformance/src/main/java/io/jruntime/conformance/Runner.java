package io.jruntime.conformance;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.MethodFilter;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the suite against several runtimes, one after the other, and writes the side-by-side
 * report. Usage (see run.sh):
 *
 * <pre>
 *   Runner [--out DIR] [--tests REGEX] [--oci-version V] RUNTIME [--oci-version V] RUNTIME...
 *   RUNTIME = PATH | NAME=PATH | NAME=PATH,GLOBAL-FLAG,...
 * </pre>
 *
 * {@code --oci-version} sets the ociVersion of the bundles for the runtimes named after it
 * (default 1.3.0): a runtime that only accepts older versions can still be measured.
 *
 * The last line printed is the total over all runtimes: "N passed, N failed, N skipped"
 * (skipped = not applicable on this host). Exits 1 when any requirement failed.
 */
public final class Runner {
    static final String PACKAGE = "io.jruntime.conformance.spec";

    private Runner() {}

    record Target(String name, Path path, List<String> args, String ociVersion) {}

    public static void main(String[] argv) {
        Path out = Settings.reportDir();
        String tests = null;
        String ociVersion = Settings.ociVersion();
        List<Target> targets = new ArrayList<>();
        java.util.Map<String, Path> gates = new java.util.HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--gate" -> {
                    String[] g = argv[++i].split("=", 2);
                    gates.put(g[0], Path.of(g[1]));
                }
                case "--out" -> out = Path.of(argv[++i]);
                case "--tests" -> tests = argv[++i];
                case "--oci-version" -> ociVersion = argv[++i];
                case "-h", "--help" -> {
                    System.out.println("usage: run.sh [--out DIR] [--tests REGEX] [--oci-version V] [--gate NAME=KNOWN-FAILURES] RUNTIME...   (RUNTIME = PATH | NAME=PATH[,GLOBAL-FLAG...])");
                    return;
                }
                default -> targets.add(parse(argv[i], ociVersion));
            }
        }
        if (targets.isEmpty()) {
            targets.add(new Target("jruntime", Settings.runtime(), List.of(), ociVersion));
        }
        System.setProperty("conformance.runner", "true");
        Report report = new Report();
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build());
        for (Target t : targets) {
            System.setProperty("conformance.runtime", t.path().toString());
            System.setProperty("conformance.runtimeName", t.name());
            System.setProperty("conformance.runtimeArgs", String.join(" ", t.args()));
            System.setProperty("conformance.ociVersion", t.ociVersion());
            String version = version(t.path()) + (t.ociVersion().equals("1.3.0") ? "" : " (bundles with ociVersion " + t.ociVersion() + ")");
            report.addRuntime(new Report.RuntimeInfo(t.name(), t.path().toString(), version));
            System.out.println("== " + t.name() + " (" + t.path() + (t.args().isEmpty() ? "" : " " + t.args()) + "): " + version);
            LauncherDiscoveryRequestBuilder req = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectPackage(PACKAGE))
                    .filters(TagFilter.includeTags("spec"));
            if (tests != null) {
                req.filters(MethodFilter.includeMethodNamePatterns(".*(" + tests + ").*"));
            }
            LauncherDiscoveryRequest request = req.build();
            launcher.execute(request, new ResultCollector(report, t.name(), false, System.out::println));
            int[] n = report.totals(t.name());
            System.out.println("== " + t.name() + ": " + n[0] + " passed, " + n[1] + " failed, " + n[2] + " not applicable");
        }
        report.write(out);
        System.out.println("report: " + out.resolve("conformance-report.md") + " and " + out.resolve("conformance-report.json"));
        int passed = 0, failed = 0, skipped = 0;
        for (Target t : targets) {
            int[] n = report.totals(t.name());
            passed += n[0];
            failed += n[1];
            skipped += n[2];
        }
        boolean regression = false;
        for (var gate : gates.entrySet()) {
            regression |= !Gate.check(report, gate.getKey(), gate.getValue(), System.out::println);
        }
        System.out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        // With gates, only a gated runtime failing a requirement its list does not name fails the run.
        System.exit(gates.isEmpty() ? (failed > 0 ? 1 : 0) : (regression ? 1 : 0));
    }

    static Target parse(String s, String ociVersion) {
        String name = null;
        String rest = s;
        int eq = s.indexOf('=');
        if (eq > 0 && !s.substring(0, eq).contains("/")) {
            name = s.substring(0, eq);
            rest = s.substring(eq + 1);
        }
        List<String> parts = Arrays.asList(rest.split(","));
        Path path = Path.of(parts.get(0)).toAbsolutePath().normalize();
        if (name == null) {
            name = path.getFileName().toString();
        }
        return new Target(name, path, parts.subList(1, parts.size()), ociVersion);
    }

    /** The first line of {@code RUNTIME --version}, or why there is none. */
    static String version(Path runtime) {
        if (!Files.isExecutable(runtime)) {
            return "(not found)";
        }
        try {
            Path scratch = Files.createTempDirectory(Settings.workDir(), "jrt-conformance-version-");
            try {
                CommandResult r = Exec.run(List.of(runtime.toString(), "--version"), scratch, Duration.ofSeconds(120));
                String first = r.stdout().strip().split("\n")[0];
                return r.ok() ? first : "(--version failed: " + CommandResult.lastLine(r.stderr()) + ")";
            } finally {
                TempDirs.delete(scratch);
            }
        } catch (Exception e) {
            return "(unknown)";
        }
    }
}
