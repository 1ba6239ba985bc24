package io.jruntime.spec;

/** {@code root}: the root filesystem, absolute or relative to the bundle; {@code readonly} defaults to false. */
public record Root(String path, Boolean readonly) {

    /** {@code readonly}, false when absent. */
    public boolean readonlyEnabled() {
        return Boolean.TRUE.equals(readonly);
    }
}
