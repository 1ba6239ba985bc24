package io.jruntime.cgroups.v2;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.CgroupException;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import io.jruntime.sys.Errno;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code linux.resources.unified}: each key is a file of the container's cgroup v2 directory, written as
 * given (values with several lines, such as io.max, one line per write). A key must be a plain file name
 * that exists; otherwise the error names the key and, when the controller is missing, says so.
 */
public final class UnifiedV2 implements Controller {

    @Override
    public String name() {
        return "unified";
    }

    @Override
    public String requestedField(Resources r) {
        return r.unified() == null || r.unified().isEmpty() ? null : Fields.RESOURCES + ".unified";
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        if (requestedField(r) == null) {
            return;
        }
        for (Map.Entry<String, String> e : new TreeMap<>(r.unified()).entrySet()) {
            String key = e.getKey();
            String field = Fields.RESOURCES + ".unified[\"" + key + "\"]";
            if (key.isEmpty() || key.contains("/") || key.equals(".") || key.equals("..")) {
                throw new CgroupException("invalid " + field + ": a unified key must be a file name of the cgroup (no slashes)");
            }
            if (!dir.has(key)) {
                int dot = key.indexOf('.');
                String controller = dot > 0 ? key.substring(0, dot) : key;
                String controllers = dir.readOrNull("cgroup.controllers");
                boolean missing = dot > 0 && !controller.equals("cgroup") && controllers != null
                        && !(" " + controllers + " ").contains(" " + controller + " ");
                throw new CgroupException("invalid " + field + ": " + dir.file(key) + " does not exist"
                        + (missing ? " (controller \"" + controller + "\" is not available in this cgroup)" : ""), Errno.ENOENT);
            }
            String value = e.getValue() == null ? "" : e.getValue();
            if (value.indexOf('\n') < 0) {
                dir.write(key, value, field);
            } else {
                for (String line : value.split("\n")) {
                    if (!line.isEmpty()) {
                        dir.write(key, line, field);
                    }
                }
            }
        }
    }
}
