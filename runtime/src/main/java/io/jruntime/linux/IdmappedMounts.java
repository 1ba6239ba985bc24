package io.jruntime.linux;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.Linux;
import io.jruntime.spec.LinuxIdMapping;
import io.jruntime.spec.Mount;

/**
 * Idmapped mounts (config.md "Mounts": a mount's {@code uidMappings}/{@code gidMappings}, options
 * {@code idmap} and {@code ridmap}), decided as runc 1.2 does:
 * <ul>
 * <li>a bind mount with mappings is idmapped, with or without the option; {@code ridmap} idmaps every
 * mount of an {@code rbind} tree, {@code idmap} (or none) only its top mount;</li>
 * <li>{@code idmap}/{@code ridmap} without mappings on the mount take the container's user namespace
 * mappings ({@code linux.uidMappings}/{@code gidMappings});</li>
 * <li>only bind mounts can be idmapped.</li>
 * </ul>
 * A mapping {@code containerID hostID size} is written as it is to the uid_map/gid_map of the user
 * namespace given to {@code mount_setattr(MOUNT_ATTR_IDMAP)}: a file owned by {@code containerID} on disk
 * shows through the mount as {@code hostID} (as seen from the initial user namespace).
 */
final class IdmappedMounts {
    private IdmappedMounts() {}

    /** One idmapped tree: made in the stage into {@code slot}, attached by the mount at {@code index}. */
    record Tree(int index, int slot, String source, String uidMap, String gidMap, boolean recursiveTree,
                boolean recursiveIdmap, String what) {}

    /**
     * The idmapped mounts among {@code mounts}, in config order, or a config error naming {@code mounts[N]}.
     * {@code userns}: the container gets a new user namespace with linux.uidMappings/gidMappings.
     */
    static List<Tree> of(List<Mount> mounts, Linux linux, boolean userns, Path bundle) {
        List<Tree> trees = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            MountOptions o = MountOptions.parse(m.optionList());
            boolean uid = m.uidMappings() != null && !m.uidMappings().isEmpty();
            boolean gid = m.gidMappings() != null && !m.gidMappings().isEmpty();
            if (!o.idmap() && !uid && !gid) {
                continue;
            }
            String at = "mounts[" + i + "]";
            if (!o.bind() && !"bind".equals(m.type())) {
                throw config(at + ": idmapped mounts are only supported for bind mounts (type "
                        + (m.type() == null ? "none" : "\"" + m.type() + "\"") + ", no bind or rbind option)");
            }
            if (uid != gid) {
                throw config(at + ": uidMappings and gidMappings must be set together");
            }
            List<LinuxIdMapping> uids = m.uidMappings(), gids = m.gidMappings();
            if (!uid) {
                if (!userns) {
                    throw config(at + ".options: \"" + (o.recursiveIdmap() ? "ridmap" : "idmap")
                            + "\" without uidMappings and gidMappings on the mount needs a new user namespace"
                            + " with linux.uidMappings and linux.gidMappings");
                }
                uids = linux.uidMappings();
                gids = linux.gidMappings();
            }
            if (trees.size() == SLOTS) {
                throw config(at + ": more than " + SLOTS + " idmapped mounts");
            }
            String source = m.source() == null ? "" : m.source();
            source = bundle.resolve(source).normalize().toString();
            String dest = m.destination() == null ? "" : m.destination();
            trees.add(new Tree(i, trees.size(), source, PlanBuilder.idMap(uids), PlanBuilder.idMap(gids),
                    (o.flags() & MountOptions.MS_REC) != 0, o.recursiveIdmap(),
                    at + " (" + source + " to " + dest + ")"));
        }
        return trees;
    }

    /** The stage's slots (protocol.h: OP_IDMAP_TREE). */
    static final int SLOTS = 64;

    private static JRuntimeException config(String message) {
        return new JRuntimeException("config: " + message);
    }
}
