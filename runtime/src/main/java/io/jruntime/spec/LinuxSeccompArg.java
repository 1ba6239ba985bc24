package io.jruntime.spec;

/**
 * A seccomp argument filter: argument {@code index} (0 to 5), {@code op} (SCMP_CMP_*), and {@code value}
 * / {@code valueTwo} as uint64 bit patterns (for SCMP_CMP_MASKED_EQ, value is the mask and valueTwo
 * the expected result).
 */
public record LinuxSeccompArg(@Unsigned(32) Long index, @Unsigned Long value, @Unsigned Long valueTwo, String op) {}
