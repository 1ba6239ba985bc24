package io.jruntime.cli;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.Json;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code spec [--bundle DIR] [--rootless]}: writes a config.json template, as runc spec does. */
final class SpecCommand implements Command {
    @Override
    public String name() {
        return "spec";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public String summary() {
        return "create a new specification file";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.value("bundle", "b", "DIR", "path to the root of the bundle directory"),
                Flag.bool("rootless", null, "generate a configuration for a rootless container"));
    }

    @Override
    public int run(Cli cli, Args args) {
        if (!args.positionals().isEmpty()) {
            throw new Cli.UsageException(this, "\"spec\" requires exactly 0 argument(s)");
        }
        Path bundle = Path.of(args.value("bundle", "."));
        if (!Files.isDirectory(bundle)) {
            throw new JRuntimeException("bundle " + bundle + ": not a directory");
        }
        Path file = bundle.resolve("config.json");
        if (Files.exists(file)) {
            throw new JRuntimeException("File config.json exists. Remove it first");
        }
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        Spec spec = SpecTemplates.defaultSpec(v2);
        if (args.bool("rootless")) {
            // The invoking user's ids become root in the container, as runc spec --rootless does.
            spec = SpecTemplates.rootless(spec, uid("-u"), uid("-g"));
        }
        try {
            Files.write(file, Json.writePretty(spec));
        } catch (IOException e) {
            throw new JRuntimeException("write " + file + ": " + e.getMessage(), e);
        }
        return 0;
    }

    /** The effective uid or gid from /proc/self/status (fields Uid/Gid: real, effective, ...). */
    private static long uid(String which) {
        try {
            String key = which.equals("-u") ? "Uid:" : "Gid:";
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new JRuntimeException("read /proc/self/status: " + e.getMessage(), e);
        }
        throw new JRuntimeException("read /proc/self/status: no " + which + " line");
    }
}
