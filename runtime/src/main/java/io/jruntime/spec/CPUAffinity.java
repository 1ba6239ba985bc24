package io.jruntime.spec;

/** {@code process.execCPUAffinity}: CPU lists such as {@code "0-3,7"} for exec'd processes. */
public record CPUAffinity(String initial, @com.fasterxml.jackson.annotation.JsonProperty("final") String finalCpus) {}
