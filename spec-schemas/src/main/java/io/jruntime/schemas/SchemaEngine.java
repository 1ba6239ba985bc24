package io.jruntime.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The only class that touches the schema library (with {@link MessageTranslator}). Everything is
 * loaded on first use: the schema texts from this package's resources, the networknt factory, and
 * each kind's compiled schema when that kind is first validated.
 */
final class SchemaEngine {
    private SchemaEngine() {}

    /** The $id prefix of our schemas; nothing is fetched from it, the texts come from resources. */
    static final String BASE = "https://jruntime.io/schemas/";

    static final List<String> FILES = List.of(
            "defs.json",
            "config-schema.json",
            "config-linux.json",
            "config-freebsd.json",
            "state-schema.json",
            "features-schema.json");

    static String rootFile(SchemaKind kind) {
        return switch (kind) {
            case CONFIG -> "config-schema.json";
            case STATE -> "state-schema.json";
            case FEATURES -> "features-schema.json";
        };
    }

    static List<SchemaError> validate(SchemaKind kind, JsonNode document) {
        Engine engine = Holder.ENGINE;
        Set<ValidationMessage> messages = engine.schema(kind).validate(document);
        return MessageTranslator.translate(kind, messages, engine.documents);
    }

    private static final class Holder {
        static final Engine ENGINE = new Engine();
    }

    private static final class Engine {
        /** Each schema file parsed, by its $id, for the translator to look at the schema around a keyword. */
        final Map<String, JsonNode> documents = new LinkedHashMap<>();
        private final JsonSchemaFactory factory;
        private final SchemaValidatorsConfig config;
        private final Map<SchemaKind, JsonSchema> schemas = new EnumMap<>(SchemaKind.class);

        Engine() {
            ObjectMapper mapper = new ObjectMapper();
            Map<String, String> texts = new LinkedHashMap<>();
            for (String file : FILES) {
                String text = resource(file);
                texts.put(BASE + file, text);
                try {
                    documents.put(BASE + file, mapper.readTree(text));
                } catch (IOException e) {
                    throw new IllegalStateException("schema resource " + file + " is not valid JSON", e);
                }
            }
            factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                    builder -> builder.schemaLoaders(loaders -> loaders.schemas(texts)));
            config = SchemaValidatorsConfig.builder()
                    .pathType(PathType.JSON_POINTER)
                    .formatAssertionsEnabled(false)
                    .build();
        }

        synchronized JsonSchema schema(SchemaKind kind) {
            return schemas.computeIfAbsent(kind,
                    k -> factory.getSchema(SchemaLocation.of(BASE + rootFile(k)), config));
        }

        private static String resource(String file) {
            try (InputStream in = SchemaEngine.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("schema resource missing: io/jruntime/schemas/" + file);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema resource " + file, e);
            }
        }
    }
}
