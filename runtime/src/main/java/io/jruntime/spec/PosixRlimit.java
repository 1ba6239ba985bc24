package io.jruntime.spec;

/**
 * One {@code process.rlimits} entry. {@code hard} and {@code soft} are uint64 kept as 64-bit patterns:
 * 18446744073709551615 (RLIM_INFINITY) reads as -1L, which is exactly what setrlimit(2) wants.
 */
public record PosixRlimit(String type, @Unsigned Long hard, @Unsigned Long soft) {}
