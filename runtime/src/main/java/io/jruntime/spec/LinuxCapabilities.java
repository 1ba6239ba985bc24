package io.jruntime.spec;

import java.util.List;

/** {@code process.capabilities}: the five capability sets, by name ({@code CAP_CHOWN} ...). */
public record LinuxCapabilities(
        List<String> bounding,
        List<String> effective,
        List<String> inheritable,
        List<String> permitted,
        List<String> ambient) {}
