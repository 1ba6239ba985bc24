package io.jruntime.spec;

import java.util.List;

/** {@code linux.intelRdt}: resctrl class of service and schemata; {@code enableMonitoring} creates a MON group. */
public record LinuxIntelRdt(
        String closID,
        String l3CacheSchema,
        String memBwSchema,
        List<String> schemata,
        Boolean enableMonitoring) {}
