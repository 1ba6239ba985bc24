package io.jruntime.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jruntime.JRuntimeException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads {@code config.json} (and the {@code exec --process} and {@code update --resources} documents)
 * into the model, in this order, stopping at the first step that fails:
 * <ol>
 *   <li>read the file: {@code JSON specification file /b/config.json not found} (runc's wording), or the I/O error;</li>
 *   <li>parse JSON: {@code config.json: invalid JSON at line 3, column 7: ...};</li>
 *   <li>check {@code ociVersion} (1.0.0 to 1.3.x) so a future config fails on its version, not on a detail;</li>
 *   <li>the rules of jruntime's JSON schema and of the model's types, every violation one line, sorted by
 *       path as the schema validator sorts them: {@code config.json: process.user.uid: expected an integer,
 *       got string "abc"}, {@code config.json: process.cwd: is required};</li>
 *   <li>semantic validation ({@link SpecValidator}), every error one line; warnings go to the given sink.</li>
 * </ol>
 * Steps 2 to 4 are one pass of {@link SpecReader} over jackson-core's streaming parser: neither databind
 * nor the schema library (networknt) is loaded, because on a cold JVM they cost more than all of
 * {@code create} may take. The reader accepts exactly the documents the schema plus databind mapping
 * accepted, into equal records ({@code SpecReaderEquivalenceTest}); {@link LegacySpecLoader} keeps that
 * pipeline, used here only for a config with a platform section other than linux (kept as raw JSON trees).
 * All failures are {@link JRuntimeException}s whose message is one or more lines starting with the file name.
 */
public final class SpecLoader {
    private SpecLoader() {}

    public static final String CONFIG_JSON = "config.json";

    /** Warnings printed on stderr, for callers that do not route them into their own log. */
    public static final Consumer<SpecProblem> STDERR_WARNINGS =
            p -> System.err.println("warning: " + CONFIG_JSON + ": " + p);

    /** {@code bundleDir/config.json}, validated with default options; warnings go to stderr. */
    public static Spec load(Path bundleDir) {
        return load(bundleDir, SpecValidator.Options.DEFAULT, STDERR_WARNINGS);
    }

    /** {@code bundleDir/config.json}, validated with {@code options}; each warning goes to {@code warnings}. */
    public static Spec load(Path bundleDir, SpecValidator.Options options, Consumer<SpecProblem> warnings) {
        Path file = bundleDir.resolve(CONFIG_JSON);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new JRuntimeException("JSON specification file " + file + " not found");
        } catch (IOException e) {
            throw new JRuntimeException(CONFIG_JSON + ": read " + file + ": " + ioReason(e));
        }
        return parse(bytes, CONFIG_JSON, options, warnings);
    }

    /** A config document from memory, named {@code name} in messages; warnings go to stderr. */
    public static Spec parse(byte[] json, String name) {
        return parse(json, name, SpecValidator.Options.DEFAULT, STDERR_WARNINGS);
    }

    public static Spec parse(byte[] json, String name, SpecValidator.Options options, Consumer<SpecProblem> warnings) {
        return parse(json, name, options, warnings, true);
    }

    /**
     * The pipeline; {@code schemaRules} false keeps only the model's type rules (null is absent, nothing
     * is required), which is what the tests of the later steps use.
     */
    static Spec parse(byte[] json, String name, SpecValidator.Options options, Consumer<SpecProblem> warnings,
            boolean schemaRules) {
        Read<Spec> read = read(json, name, schemaRules, SpecReader.CONFIG);
        Spec spec = read.value();
        if (spec.ociVersion() != null) {
            String why = SpecValidator.ociVersionProblem(spec.ociVersion());
            if (why != null) {
                throw new JRuntimeException(name + ": ociVersion: " + why);
            }
        }
        if (read.reader().platformOtherThanLinux()) {
            return LegacySpecLoader.parse(json, name, options, warnings,
                    schemaRules ? LegacySpecLoader.SCHEMA : LegacySpecLoader.NO_SCHEMA);
        }
        read.throwProblems();
        report(name, SpecValidator.validate(spec, options), warnings);
        return spec;
    }

    /** The {@code exec --process} document: a {@link Process} alone; paths in messages are relative to it. */
    public static Process loadProcess(Path file) {
        return parseProcess(readFile(file), file.getFileName().toString(), STDERR_WARNINGS);
    }

    /** Read with the model's type rules (the schema is config.json's); {@link SpecValidator} checks the rest. */
    public static Process parseProcess(byte[] json, String name, Consumer<SpecProblem> warnings) {
        Read<Process> read = read(json, name, false, SpecReader.EXEC_PROCESS);
        read.throwProblems();
        report(name, SpecValidator.validateProcess(read.value()), warnings);
        return read.value();
    }

    /** The semantic checks of {@link #parseProcess} on a process built in memory (exec's flags). */
    public static void checkProcess(Process process, String name, Consumer<SpecProblem> warnings) {
        report(name, SpecValidator.validateProcess(process), warnings);
    }

    /** The {@code update --resources} document: a {@link LinuxResources} alone. */
    public static LinuxResources loadResources(Path file) {
        return parseResources(readFile(file), file.getFileName().toString());
    }

    public static LinuxResources parseResources(byte[] json, String name) {
        Read<LinuxResources> read = read(json, name, false, SpecReader.RESOURCES);
        read.throwProblems();
        report(name, SpecValidator.validateResources(read.value()), STDERR_WARNINGS);
        return read.value();
    }

    /**
     * The root filesystem directory: {@code root.path}, relative to {@code bundleDir} unless absolute.
     * It MUST exist and be a directory (config.md); the error wording is runc's ({@code invalid rootfs: ...}).
     */
    public static Path rootfs(Spec spec, Path bundleDir) {
        if (spec.root() == null || spec.root().path() == null || spec.root().path().isEmpty()) {
            throw new JRuntimeException("invalid rootfs: root.path is not set");
        }
        Path rootfs = bundleDir.toAbsolutePath().resolve(spec.root().path()).normalize();
        if (!Files.exists(rootfs)) {
            throw new JRuntimeException("invalid rootfs: stat " + rootfs + ": no such file or directory");
        }
        if (!Files.isDirectory(rootfs)) {
            throw new JRuntimeException("invalid rootfs: " + rootfs + ": not a directory");
        }
        return rootfs;
    }

    // ---------------------------------------------------------------- steps

    /** What one pass of the reader gave: the value (read even with problems) and the problems. */
    record Read<T>(T value, SpecReader reader, List<JsonCursor.Problem> problems, String name) {
        /**
         * Every problem one line, in the schema validator's order, duplicates removed; problems only the
         * model's types have (the old second step, which stopped at its first) only when there is no other.
         */
        void throwProblems() {
            if (problems.isEmpty()) {
                return;
            }
            List<JsonCursor.Problem> schema = new ArrayList<>();
            for (JsonCursor.Problem problem : problems) {
                if (!problem.mappingOnly()) {
                    schema.add(problem);
                }
            }
            if (schema.isEmpty()) {
                throw new JRuntimeException(name + ": " + problems.getFirst());
            }
            List<JsonCursor.Problem> sorted = new ArrayList<>(new LinkedHashSet<>(schema));
            sorted.sort(JsonCursor.ORDER);
            List<String> lines = new ArrayList<>();
            for (JsonCursor.Problem problem : sorted) {
                lines.add(name + ": " + problem);
            }
            throw new JRuntimeException(String.join("\n", lines));
        }
    }

    /** Parses {@code json}, an object, as {@code kind} ({@link SpecReader#CONFIG} ...); broken JSON text stops everything. */
    @SuppressWarnings("unchecked")
    static <T> Read<T> read(byte[] json, String name, boolean schemaRules, int kind) {
        try (JsonParser parser = JsonCore.FACTORY.createParser(json)) {
            JsonCursor cursor = new JsonCursor(parser, schemaRules);
            JsonToken first = cursor.next();
            if (first == null) {
                throw new JRuntimeException(name + ": invalid JSON: the file is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                cursor.skip();
                trailing(parser, cursor, name);
                throw new JRuntimeException(name + ": expected a JSON object, got " + switch (first) {
                    case START_ARRAY -> "an array";
                    case VALUE_STRING -> "a string";
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                    case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                    case VALUE_NULL -> "null";
                    default -> "something else";
                });
            }
            SpecReader reader = new SpecReader(cursor);
            T value = (T) reader.element(kind);
            trailing(parser, cursor, name);
            return new Read<>(value, reader, cursor.problems(), name);
        } catch (JsonCursor.Syntax e) {
            throw new JRuntimeException(name + ": " + e.getMessage());
        } catch (IOException e) {
            throw new JRuntimeException(name + ": " + JsonCursor.syntax(e).getMessage());
        }
    }

    /** Nothing may follow the document (databind's FAIL_ON_TRAILING_TOKENS). */
    private static void trailing(JsonParser parser, JsonCursor cursor, String name) {
        JsonToken after = cursor.next();
        if (after != null) {
            var at = parser.currentTokenLocation();
            throw new JRuntimeException(name + ": invalid JSON at line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ": Trailing token (of type " + after + ") found after value");
        }
    }

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new JRuntimeException("read " + file + ": " + ioReason(e));
        }
    }

    private static String ioReason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String m = e.getMessage();
        if (m != null && m.toLowerCase().contains("is a directory")) {
            return "is a directory";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    static void report(String name, List<SpecProblem> problems, Consumer<SpecProblem> warnings) {
        List<String> errors = new ArrayList<>();
        for (SpecProblem problem : problems) {
            if (problem.isError()) {
                errors.add(name + ": " + problem);
            } else {
                warnings.accept(problem);
            }
        }
        if (!errors.isEmpty()) {
            throw new JRuntimeException(String.join("\n", errors));
        }
    }
}
