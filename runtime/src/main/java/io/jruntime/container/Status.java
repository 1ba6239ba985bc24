package io.jruntime.container;

/** The runtime.md states, spelled as in state JSON. */
public enum Status {
    CREATING, CREATED, RUNNING, PAUSED, STOPPED;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
