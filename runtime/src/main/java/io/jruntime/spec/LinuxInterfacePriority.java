package io.jruntime.spec;

/** A net_prio entry: interface {@code name} in the runtime's network namespace and its {@code priority} (uint32). */
public record LinuxInterfacePriority(String name, @Unsigned(32) Long priority) {}
