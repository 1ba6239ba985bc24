package io.jruntime.spec;

/** One {@code linux.netDevices} value (key: host interface name): the {@code name} inside the container, host name if absent. */
public record LinuxNetDevice(String name) {}
