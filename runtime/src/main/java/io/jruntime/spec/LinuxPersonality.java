package io.jruntime.spec;

import java.util.List;

/** {@code linux.personality}: execution {@code domain} LINUX or LINUX32; no {@code flags} are defined yet. */
public record LinuxPersonality(String domain, List<String> flags) {}
