package io.jruntime.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether a container is paused, read straight from the freezer file of the cgroup recorded at create
 * (v1 {@code freezer.state}, else v2 {@code cgroup.freeze}), so {@code state} and {@code list} load no
 * cgroup code.
 */
final class FreezerState {
    private FreezerState() {}

    static boolean isFrozen(ContainerRecord record) {
        Map<String, String> paths = record.cgroupPaths();
        try {
            String v1 = paths.get("freezer");
            if (v1 != null) {
                return Files.readString(Path.of(v1, "freezer.state")).trim().equals("FROZEN");
            }
            String v2 = paths.get("");
            if (v2 != null) {
                return Files.readString(Path.of(v2, "cgroup.freeze")).trim().equals("1");
            }
        } catch (IOException e) {
            // no freezer file: the cgroup is gone, nothing is frozen
        }
        return false;
    }
}
