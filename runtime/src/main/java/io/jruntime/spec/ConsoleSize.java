package io.jruntime.spec;

/** {@code process.consoleSize}: terminal size in characters; ignored unless {@code terminal} is true. */
public record ConsoleSize(@Unsigned Long height, @Unsigned Long width) {}
