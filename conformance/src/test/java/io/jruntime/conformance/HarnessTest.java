package io.jruntime.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Unit tests of the harness itself: no root, no runtime; they always run. */
class HarnessTest {

    static List<Class<?>> specClasses() throws Exception {
        Path dir = Path.of(HarnessTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/jruntime/conformance/spec");
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith("Test.class")).toList()) {
                String name = p.getFileName().toString().replace(".class", "");
                classes.add(Class.forName("io.jruntime.conformance.spec." + name));
            }
        }
        return classes;
    }

    @Test
    void everySpecTestStatesItsRequirement() throws Exception {
        List<Class<?>> classes = specClasses();
        assertFalse(classes.isEmpty(), "no spec test classes found");
        Set<String> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Class<?> c : classes) {
            if (c.getAnnotation(SpecFile.class) == null) {
                problems.add(c.getSimpleName() + " has no @SpecFile");
            }
            for (Method m : c.getDeclaredMethods()) {
                boolean test = m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(TestFactory.class);
                if (!test) {
                    continue;
                }
                Requirement r = m.getAnnotation(Requirement.class);
                if (r == null) {
                    problems.add(c.getSimpleName() + "." + m.getName() + " has no @Requirement");
                    continue;
                }
                String spec = r.id().contains("#") ? r.id().substring(0, r.id().indexOf('#')) : "";
                if (!Report.SPEC_ORDER.contains(spec)) {
                    problems.add(r.id() + ": id does not start with a spec file of " + Report.SPEC_ORDER);
                }
                if (!ids.add(r.id())) {
                    problems.add(r.id() + ": used twice");
                }
                if (r.text().isBlank()) {
                    problems.add(r.id() + ": no text");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void reportHasOneRowPerRequirementAndOneColumnPerRuntime(@TempDir Path dir) throws Exception {
        Report r = new Report();
        r.addRuntime(new Report.RuntimeInfo("a", "/bin/a", "a 1"));
        r.addRuntime(new Report.RuntimeInfo("b", "/bin/b", "b 2"));
        Report.Row row1 = new Report.Row("config.md#x", "config.md", Level.MUST, "x MUST | work", "T.x");
        Report.Row row2 = new Report.Row("runtime.md#y", "runtime.md", Level.SHOULD, "y", "T.y");
        r.add("a", row1, Outcome.pass());
        r.add("b", row1, Outcome.fail("broke\nbadly"));
        r.add("a", row2, Outcome.notApplicable("no AppArmor"));
        r.write(dir);
        String md = Files.readString(dir.resolve("conformance-report.md"));
        assertTrue(md.indexOf("## runtime.md") < md.indexOf("## config.md"), "spec files in spec order");
        assertTrue(md.contains("| `config.md#x`<br>x MUST \\| work | MUST | **pass** | **FAIL**: broke badly |"), md);
        assertTrue(md.contains("*n/a*: no AppArmor | - |"), md);
        JsonNode j = Json.MAPPER.readTree(dir.resolve("conformance-report.json").toFile());
        assertEquals(2, j.path("requirements").size());
        assertEquals("fail", j.path("requirements").get(1).path("results").path("b").path("status").asText());
        assertEquals(1, j.path("runtimes").get(0).path("passed").asInt());
        assertEquals(1, j.path("runtimes").get(0).path("notApplicable").asInt());
    }

    @Test
    void runtimeArguments() {
        Runner.Target t = Runner.parse("crun=/usr/bin/crun,--cgroup-manager=disabled", "1.1.0");
        assertEquals("crun", t.name());
        assertEquals(Path.of("/usr/bin/crun"), t.path());
        assertEquals(List.of("--cgroup-manager=disabled"), t.args());
        assertEquals("1.1.0", t.ociVersion());
        assertEquals("runc", Runner.parse("/usr/sbin/runc", "1.3.0").name());
    }

    @Test
    void baseConfigIsLikeRuncSpec() {
        var c = Bundle.baseConfig();
        assertEquals("rootfs", c.path("root").path("path").asText());
        assertFalse(c.path("process").path("terminal").asBoolean());
        assertEquals(5, c.path("linux").path("namespaces").size());
        assertEquals("/proc", c.path("mounts").get(0).path("destination").asText());
    }
}
