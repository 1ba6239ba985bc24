package io.jruntime.container;

/**
 * Whether a container's cgroup is frozen, read straight from the cgroup files the cgroup manager
 * recorded, so {@code state} and {@code list} need no cgroup code. Until the cgroup manager records
 * its paths, nothing is frozen.
 */
final class Freezer {
    private Freezer() {}

    static boolean isFrozen(ContainerRecord record) {
        return false;
    }
}
