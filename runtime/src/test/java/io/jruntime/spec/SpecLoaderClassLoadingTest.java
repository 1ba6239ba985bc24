package io.jruntime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code create}/{@code run} must not load databind or the schema library (issue 8: on a cold JVM they
 * cost more than the whole command may take). A fresh JVM with {@code -verbose:class} loads a rich Linux
 * config (hooks, seccomp, resources, every section) through {@link SpecLoader#load} and writes and reads
 * back the saved hooks as {@code create} and {@code start} do; no {@code com.fasterxml.jackson.databind}
 * or {@code com.networknt} class may appear in the log.
 */
class SpecLoaderClassLoadingTest {

    @TempDir
    Path bundle;

    /**
     * Runs in the child JVM: what create does with config.json and hooks.json. A class of its own: the
     * verifier of the test class would load the databind types its other methods use.
     */
    public static final class Probe {
        public static void main(String[] args) {
            Spec spec = SpecLoader.load(Path.of(args[0]), SpecValidator.Options.DEFAULT, p -> { });
            Hooks saved = Hooks.fromJson(spec.hooks().toJson(), "hooks.json");
            System.out.println("loaded " + spec.mountList().size() + " mounts, " + saved.all().size() + " hooks");
        }
    }

    @Test
    void loadingAConfigLoadsNeitherDatabindNorNetworknt() throws Exception {
        var rich = SpecReaderEquivalenceTest.richLinuxConfig();
        Files.write(bundle.resolve("config.json"), Specs.bytes(rich));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xshare:off", "-verbose:class",
                "-cp", System.getProperty("java.class.path"), Probe.class.getName(),
                bundle.toString()));
        java.lang.Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not end");
        assertEquals(0, child.exitValue(), out);
        Spec expected = SpecLoader.parse(Specs.bytes(rich), "config.json", SpecValidator.Options.DEFAULT, p -> { });
        assertTrue(out.contains("loaded " + expected.mountList().size() + " mounts, " + expected.hooks().all().size()
                + " hooks"), out);
        // the log does show what was loaded: the reader and jackson-core
        assertTrue(out.contains("io.jruntime.spec.SpecReader "), "no class log?\n" + out);
        assertTrue(out.contains("com.fasterxml.jackson.core.JsonFactory "), "no class log?\n" + out);
        List<String> forbidden = out.lines()
                .filter(l -> l.contains("com.fasterxml.jackson.databind.") || l.contains("com.networknt."))
                .toList();
        assertEquals(List.of(), forbidden);
    }
}
