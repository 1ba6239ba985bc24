package io.jruntime.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Commands that do not validate must not pay for the schema library. The module's classes, Jackson
 * and networknt are loaded afresh in an isolated class loader, so what this test sees loaded is only
 * what its own calls caused.
 */
class LazyLoadingTest {

    /** Child-first over the test class path, for our classes and the two libraries. */
    static final class Isolated extends URLClassLoader {
        Isolated(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        boolean isLoaded(String name) {
            return findLoadedClass(name) != null;
        }
    }

    private static Isolated isolated() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return new Isolated(urls.toArray(URL[]::new));
    }

    @Test
    void schemaLibraryLoadsOnlyWhenSchemaValidationRuns() throws Exception {
        try (Isolated loader = isolated()) {
            Class<?> kindClass = Class.forName("io.jruntime.schemas.SchemaKind", true, loader);
            Class<?> validator = Class.forName("io.jruntime.schemas.SchemaValidator", true, loader);
            Object config = kindClass.getMethod("valueOf", String.class).invoke(null, "CONFIG");
            Method validateBytes = validator.getMethod("validate", kindClass, byte[].class);

            // Class initialisation and the SchemaError path do not touch the library ...
            Class<?> errorClass = Class.forName("io.jruntime.schemas.SchemaError", true, loader);
            Object error = errorClass.getConstructors()[0].newInstance(config, "a.b", "is required");
            assertEquals("config.json: a.b: is required", error.toString());
            assertFalse(loader.isLoaded("com.networknt.schema.JsonSchemaFactory"), "loaded at class init");

            // ... nor does reporting a document that is not JSON.
            List<?> parseErrors = (List<?>) validateBytes.invoke(null, config, "{]".getBytes(StandardCharsets.UTF_8));
            assertEquals(1, parseErrors.size());
            assertFalse(loader.isLoaded("com.networknt.schema.JsonSchemaFactory"), "loaded to report a parse error");
            assertFalse(loader.isLoaded("io.jruntime.schemas.SchemaEngine"), "engine loaded to report a parse error");

            // Validating loads it.
            List<?> errors = (List<?>) validateBytes.invoke(null, config, "{}".getBytes(StandardCharsets.UTF_8));
            assertFalse(errors.isEmpty());
            assertTrue(loader.isLoaded("com.networknt.schema.JsonSchemaFactory"));
        }
    }
}
