package io.jruntime.spec;

import java.util.List;

/** {@code linux.resources.network} (net_cls / net_prio): {@code classID} (uint32) and per-interface priorities. */
public record LinuxNetwork(@Unsigned(32) Long classID, List<LinuxInterfacePriority> priorities) {}
