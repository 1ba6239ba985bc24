package io.jruntime.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The spec requirement a test checks: one report row.
 *
 * <p>{@code id} is {@code <spec file>#<section>/<what>}, for example
 * {@code runtime.md#delete/not-stopped}; {@code text} quotes (briefly) the sentence of the
 * spec that the test checks.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Requirement {
    String id();

    Level level() default Level.MUST;

    String text();
}
