package io.jruntime.spec;

/** {@code linux.resources.pids}: {@code limit} tasks, -1 for no limit; 0 is a valid limit. */
public record LinuxPids(Long limit) {}
