package io.jruntime.conformance;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Turns JUnit results into report rows for one runtime: passed, failed with the reason,
 * aborted by an assumption (not applicable on this host, with why).
 *
 * <p>Registered as a service so that a plain JUnit run ({@code mvn -pl conformance verify
 * -Dconformance.runtime=...}) writes a one-runtime report; the {@link Runner} registers its own
 * instances instead (and sets {@code conformance.runner}).
 */
public class ResultCollector implements TestExecutionListener {
    private final Report report;
    private final String runtime;
    private final boolean standalone;
    private final Consumer<String> progress;
    private TestPlan plan;

    /** Service-loader constructor: the Maven (one runtime) run. */
    public ResultCollector() {
        this(new Report(), Settings.runtimeName(), true, s -> {});
    }

    public ResultCollector(Report report, String runtime, boolean standalone, Consumer<String> progress) {
        this.report = report;
        this.runtime = runtime;
        this.standalone = standalone;
        this.progress = progress;
    }

    private boolean active() {
        return !standalone || !Boolean.getBoolean("conformance.runner");
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (active() && id.isTest()) {
            record(id, Outcome.notApplicable(reason));
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!active()) {
            return;
        }
        if (!id.isTest()) {
            // a test factory that failed before producing its rows still gets one
            boolean factory = id.getSource().filter(MethodSource.class::isInstance).isPresent();
            if (!factory || result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                return;
            }
        }
        String msg = result.getThrowable().map(ResultCollector::message).orElse("");
        Outcome o = switch (result.getStatus()) {
            case SUCCESSFUL -> Outcome.pass();
            case ABORTED -> Outcome.notApplicable(msg);
            case FAILED -> Outcome.fail(msg);
        };
        record(id, o);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (standalone && active() && !report.rows().isEmpty()) {
            report.addRuntime(new Report.RuntimeInfo(runtime, Settings.runtime().toString(), Runner.version(Settings.runtime())));
            report.write(Settings.reportDir());
            int[] t = report.totals(runtime);
            System.out.println("conformance report for " + runtime + ": " + Settings.reportDir().resolve("conformance-report.md")
                    + " (" + t[0] + " passed, " + t[1] + " failed, " + t[2] + " not applicable)");
        }
    }

    static String message(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            m = t.getClass().getSimpleName();
        }
        // JUnit's assumption prefix says nothing to a reader
        return m.replaceFirst("^Assumption failed: ", "");
    }

    private void record(TestIdentifier id, Outcome o) {
        Report.Row row = row(id);
        if (row == null) {
            return;
        }
        report.add(runtime, row, o);
        progress.accept(String.format("  %-5s %s%s", switch (o.status()) {
            case PASS -> "pass";
            case FAIL -> "FAIL";
            case NOT_APPLICABLE -> "n/a";
        }, row.id(), o.message().isEmpty() ? "" : "  -- " + o.message()));
    }

    /** The report row of a test: its method's {@link Requirement}; a dynamic test adds its name. */
    Report.Row row(TestIdentifier id) {
        TestIdentifier method = id;
        boolean dynamic = id.getUniqueId().contains("[dynamic-test:");
        if (dynamic && plan != null) {
            Optional<TestIdentifier> p = plan.getParent(id);
            if (p.isPresent()) {
                method = p.get();
            }
        }
        Optional<TestSource> src = method.getSource();
        if (src.isEmpty() || !(src.get() instanceof MethodSource ms)) {
            return null;
        }
        Method m;
        try {
            m = ms.getJavaMethod();
        } catch (RuntimeException e) {
            return null;
        }
        Requirement r = m.getAnnotation(Requirement.class);
        SpecFile f = m.getDeclaringClass().getAnnotation(SpecFile.class);
        String test = ms.getClassName().replaceFirst(".*\\.", "") + "." + ms.getMethodName();
        if (r == null || f == null) {
            return null; // not a spec test (the harness's own unit tests)
        }
        String spec = r.id().contains("#") ? r.id().substring(0, r.id().indexOf('#')) : (f == null ? "other" : f.value());
        if (dynamic) {
            // a dynamic test may state its own level: "[SHOULD] rro"
            String name = id.getDisplayName();
            Level level = r.level();
            java.util.regex.Matcher lm = java.util.regex.Pattern.compile("^\\[(MUST|SHOULD|MAY)\\] (.*)$").matcher(name);
            if (lm.matches()) {
                level = Level.valueOf(lm.group(1));
                name = lm.group(2);
            }
            // "short-id: the requirement's own words" gives the row its own text
            int colon = name.indexOf(": ");
            if (colon > 0 && !name.substring(0, colon).contains(" ")) {
                String sub = name.substring(0, colon);
                return new Report.Row(r.id() + "/" + sub, spec, level, name.substring(colon + 2), test + "[" + sub + "]");
            }
            return new Report.Row(r.id() + "/" + name, spec, level, r.text() + ": " + name, test + "[" + name + "]");
        }
        return new Report.Row(r.id(), spec, r.level(), r.text(), test);
    }
}
