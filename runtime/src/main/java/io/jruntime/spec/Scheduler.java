package io.jruntime.spec;

import java.util.List;

/** {@code process.scheduler}, the sched_setattr(2) attributes. Absent numbers mean 0. */
public record Scheduler(
        String policy,
        Integer nice,
        Integer priority,
        List<String> flags,
        @Unsigned Long runtime,
        @Unsigned Long deadline,
        @Unsigned Long period) {}
