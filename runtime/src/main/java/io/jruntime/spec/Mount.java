package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * One {@code mounts} entry. {@code destination} SHOULD be absolute (relative ones are deprecated and
 * mean relative to "/"); {@code source} of a bind mount is absolute or relative to the bundle.
 * Options are kept verbatim: their meaning (flags, propagation, recursive attributes, filesystem
 * data) is decided by the mount planning code.
 */
public record Mount(
        String destination,
        String type,
        String source,
        List<String> options,
        List<LinuxIdMapping> uidMappings,
        List<LinuxIdMapping> gidMappings) {

    public static Mount of(String destination, String type, String source, List<String> options) {
        return new Mount(destination, type, source, options, null, null);
    }

    /** {@code options}, or an empty list when absent. */
    public List<String> optionList() {
        return options == null ? List.of() : options;
    }

    /** True when the options contain {@code bind} or {@code rbind} (config.md: that makes it a bind mount). */
    @JsonIgnore
    public boolean isBind() {
        List<String> o = optionList();
        return o.contains("bind") || o.contains("rbind");
    }

    public Mount withOptions(List<String> o) {
        return new Mount(destination, type, source, o, uidMappings, gidMappings);
    }
}
