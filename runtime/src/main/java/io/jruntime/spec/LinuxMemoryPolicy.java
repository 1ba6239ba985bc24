package io.jruntime.spec;

import java.util.List;

/** {@code linux.memoryPolicy}: set_mempolicy(2) {@code mode} (MPOL_*), {@code nodes} list like "0-3,7", {@code flags} (MPOL_F_*). */
public record LinuxMemoryPolicy(String mode, String nodes, List<String> flags) {}
