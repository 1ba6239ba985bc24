package io.jruntime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.JRuntimeException;
import io.jruntime.reliability.ConfigMutator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link SpecLoader} (the streaming {@link SpecReader}) against the pipeline it replaced, kept as
 * {@link LegacySpecLoader}: databind tree, the JSON schema (networknt), databind mapping, then the same
 * {@link SpecValidator}. For every document: the old pipeline accepts it iff the new one does; when both
 * accept, the {@link Spec}s are equal; when both reject, the first error line names the same field path.
 *
 * <p>Documents: the runtime-spec's own schema test documents (good and bad), spec-schemas' fixtures,
 * config-samples, the test resources, and thousands of seeded random mutations of a rich Linux config and
 * of the minimal sample. Deliberate differences, not generated here: a key written twice in one object
 * (the old tree kept the last value only; the reader reads both and reports problems of either); and
 * configs with a platform section other than linux go through the old pipeline itself. Where the old
 * pipeline crashed (networknt on a float beyond a double, {@code 1E400}) the reader must reject cleanly.
 */
class SpecReaderEquivalenceTest {

    static final int MUTANTS = Integer.getInteger("jruntime.mutants", 4000);
    static final long SEED = Long.getLong("jruntime.mutants.seed", 0x5EC_4EADL);

    /** What a pipeline made of a document: the spec, or the error message. */
    record Outcome(Spec spec, String error) {
        String firstPath() {
            String first = error.lines().findFirst().orElse("");
            String rest = first.startsWith("config.json: ") ? first.substring("config.json: ".length()) : first;
            if (rest.startsWith("invalid JSON") || rest.startsWith("expected a JSON object")) {
                return "<document>";
            }
            int colon = rest.indexOf(": ");
            return colon < 0 ? rest : rest.substring(0, colon);
        }
    }

    static Outcome legacy(byte[] json) {
        try {
            return new Outcome(LegacySpecLoader.parse(json, "config.json", SpecValidator.Options.DEFAULT, p -> { },
                    LegacySpecLoader.SCHEMA), null);
        } catch (JRuntimeException e) {
            return new Outcome(null, e.getMessage());
        } catch (RuntimeException e) {
            // networknt fails on a float beyond double (1E400: "Infinite or NaN"), an old-pipeline crash
            return new Outcome(null, CRASH + e);
        }
    }

    static final String CRASH = "old pipeline crashed: ";

    static Outcome reader(byte[] json) {
        try {
            return new Outcome(SpecLoader.parse(json, "config.json", SpecValidator.Options.DEFAULT, p -> { }), null);
        } catch (JRuntimeException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    /** Null when both pipelines agree, else what differs. */
    static String difference(byte[] json) {
        Outcome old = legacy(json);
        Outcome now = reader(json);
        if ((old.spec() == null) != (now.spec() == null)) {
            return old.spec() == null
                    ? "the old pipeline rejects, the reader accepts; old: " + old.error()
                    : "the old pipeline accepts, the reader rejects: " + now.error();
        }
        if (old.spec() != null) {
            return old.spec().equals(now.spec()) ? null : "different specs:\n old " + old.spec() + "\n new " + now.spec();
        }
        if (old.error().startsWith(CRASH)) {
            return null; // the reader rejects it cleanly: a fix, not a difference
        }
        if (!old.firstPath().equals(now.firstPath())) {
            return "first errors name different paths:\n old " + old.error() + "\n new " + now.error();
        }
        return null;
    }

    // ---------------------------------------------------------------- documents on disk

    static Path repoRoot() {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize();
        return Files.isDirectory(module.resolve("src")) && module.getParent() != null ? module.getParent() : module;
    }

    /** shared/runtime-spec-v1.3.0 beside the repository (or one of its ancestors, for worktrees); SPEC_DIR overrides. */
    static Path specDir() {
        String configured = System.getProperty("SPEC_DIR", System.getenv("SPEC_DIR"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path at = repoRoot().getParent(); at != null; at = at.getParent()) {
            Path candidate = at.resolve("shared").resolve("runtime-spec-v1.3.0");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static List<Path> jsonFiles(Path dir) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void documentsOnDiskGiveTheSameOutcome() throws IOException {
        Path root = repoRoot();
        Path spec = specDir();
        List<Path> upstream = jsonFiles(spec == null ? null : spec.resolve("schema/test/config"));
        List<Path> fixtures = jsonFiles(root.resolve("spec-schemas/src/test/resources/fixtures/config"));
        List<Path> samples;
        try (Stream<Path> dirs = Files.list(root.resolve("config-samples"))) {
            samples = dirs.map(d -> d.resolve("config.json")).filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(upstream.size() >= 10, "runtime-spec schema test documents not found beside the repo: " + spec);
        assertTrue(fixtures.size() >= 20, "spec-schemas fixtures not found under " + root);
        assertTrue(samples.size() >= 3, "config-samples not found under " + root);
        List<String> differences = new ArrayList<>();
        List<Path> all = new ArrayList<>(upstream);
        all.addAll(fixtures);
        all.addAll(samples);
        int accepted = 0;
        for (Path file : all) {
            byte[] json = Files.readAllBytes(file);
            String why = difference(json);
            if (why != null) {
                differences.add(file + ": " + why);
            }
            if (reader(json).spec() != null) {
                accepted++;
            }
        }
        for (String resource : List.of("full-config.json", "runc-spec.json", "runc-spec-rootless.json")) {
            String why = difference(Specs.resource(resource));
            if (why != null) {
                differences.add(resource + ": " + why);
            }
        }
        assertEquals(List.of(), differences);
        assertTrue(accepted >= 10 && accepted < all.size(), "good and bad documents both: " + accepted + "/" + all.size());
    }

    // ---------------------------------------------------------------- mutations

    /** full-config.json without its non-Linux sections (those go through the old pipeline as they are). */
    static ObjectNode richLinuxConfig() {
        ObjectNode rich = Specs.tree(Specs.resource("full-config.json"));
        SpecReader.OTHER_PLATFORMS.forEach(rich::remove);
        return rich;
    }

    @Test
    void theRichConfigIsValidForBoth() {
        byte[] json = Specs.bytes(richLinuxConfig());
        assertEquals(null, legacy(json).error());
        assertEquals(null, difference(json));
    }

    @Test
    void mutatedConfigsGiveTheSameOutcome() throws IOException {
        List<JsonNode> bases = List.of(richLinuxConfig(), Specs.tree(Files.readAllBytes(
                repoRoot().resolve("config-samples/minimal/config.json"))), Specs.minimal());
        int rejected = 0;
        for (int i = 0; i < MUTANTS; i++) {
            long seed = SEED + i;
            Random random = new Random(seed);
            JsonNode tree = bases.get(i % bases.size()).deepCopy();
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                if (random.nextInt(4) == 0) {
                    ConfigMutator.mutate(tree, random);
                } else {
                    ConfigMutator.mutateLeaf(tree, random);
                }
            }
            byte[] json;
            try {
                json = Specs.bytes(tree);
            } catch (IllegalStateException tooDeep) {
                continue; // nested junk past the writer's depth limit (1000): not a document
            }
            String why = difference(json);
            if (why != null) {
                String text = new String(json, StandardCharsets.UTF_8);
                fail("mutant " + i + " (seed " + seed + ", base " + i % bases.size() + "): " + why + "\n"
                        + (text.length() > 3000 ? text.substring(0, 3000) + "..." : text));
            }
            if (reader(json).spec() == null) {
                rejected++;
            }
        }
        assertTrue(rejected > MUTANTS / 3 && rejected < MUTANTS, "mutants rejected: " + rejected + "/" + MUTANTS);
    }

    // ---------------------------------------------------------------- exec --process, update --resources

    /** Null when the old and new readers of a process or resources document agree (type rules only, no schema). */
    static String documentDifference(byte[] json, boolean process) {
        Object old;
        Object now;
        try {
            old = process ? LegacySpecLoader.parseProcess(json, "process.json", p -> { })
                    : LegacySpecLoader.parseResources(json, "resources.json");
        } catch (JRuntimeException e) {
            old = new Outcome(null, e.getMessage().replaceFirst("^(process|resources)\\.json: ", "config.json: "));
        }
        try {
            now = process ? SpecLoader.parseProcess(json, "process.json", p -> { })
                    : SpecLoader.parseResources(json, "resources.json");
        } catch (JRuntimeException e) {
            now = new Outcome(null, e.getMessage().replaceFirst("^(process|resources)\\.json: ", "config.json: "));
        }
        if (old instanceof Outcome o && now instanceof Outcome n) {
            return o.firstPath().equals(n.firstPath()) ? null : "first errors differ:\n old " + o.error() + "\n new " + n.error();
        }
        return old.equals(now) ? null : "different outcomes:\n old " + old + "\n new " + now;
    }

    @Test
    void mutatedProcessAndResourcesDocumentsGiveTheSameOutcome() {
        ObjectNode rich = richLinuxConfig();
        List<JsonNode> processes = List.of(rich.get("process"), Specs.minimal().get("process"));
        JsonNode resources = rich.at("/linux/resources");
        int rejected = 0;
        for (int i = 0; i < MUTANTS / 2; i++) {
            long seed = SEED + 1_000_000 + i;
            Random random = new Random(seed);
            boolean process = i % 2 == 0;
            JsonNode tree = (process ? processes.get(i / 2 % 2) : resources).deepCopy();
            int edits = 1 + random.nextInt(2);
            for (int e = 0; e < edits; e++) {
                ConfigMutator.mutateLeaf(tree, random);
            }
            byte[] json;
            try {
                json = Specs.bytes(tree);
            } catch (IllegalStateException tooDeep) {
                continue;
            }
            String why = documentDifference(json, process);
            if (why != null) {
                fail((process ? "process" : "resources") + " mutant " + i + " (seed " + seed + "): " + why + "\n"
                        + new String(json, StandardCharsets.UTF_8));
            }
            try {
                if (process) {
                    SpecLoader.parseProcess(json, "process.json", p -> { });
                } else {
                    SpecLoader.parseResources(json, "resources.json");
                }
            } catch (JRuntimeException expected) {
                rejected++;
            }
        }
        assertTrue(rejected > MUTANTS / 10 && rejected < MUTANTS / 2, "documents rejected: " + rejected);
    }
}
