package io.jruntime.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

/**
 * jackson-core only (no databind): the streaming factory and the pretty printer shared by
 * {@link State} and by commands that print JSON without loading databind (state, list, ps).
 */
public final class JsonCore {
    private JsonCore() {}

    /** The streaming factory (databind's mapper has its own). */
    public static final JsonFactory FACTORY = new JsonFactory();

    /**
     * A pretty printer like Go's {@code json.MarshalIndent(v, "", indent)}: {@code "key": value},
     * one element per line, {@code []} and {@code {}} for empty containers, no trailing newline.
     */
    public static DefaultPrettyPrinter prettyPrinter(String indent) {
        DefaultIndenter indenter = new DefaultIndenter(indent, "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withArrayEmptySeparator("")
                .withObjectEmptySeparator("");
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(separators);
        pp.indentArraysWith(indenter);
        pp.indentObjectsWith(indenter);
        return pp;
    }
}
