package io.jruntime.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.JRuntimeException;
import io.jruntime.container.Container;
import io.jruntime.container.StateStore;
import io.jruntime.container.Status;
import io.jruntime.spec.Json;
import io.jruntime.spec.LinuxResources;
import io.jruntime.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code update [--resources FILE|-] [--memory ..] ... ID}: changes the cgroup limits of a live container.
 * The per-field flags are runc's; they override the same fields of --resources.
 */
final class UpdateCommand implements Command {
    /** flag, JSON object, JSON field, whether the value is a size in bytes (runc accepts "512m"). */
    private record Field(String flag, String object, String field, boolean bytes, boolean text) {}

    private static final List<Field> FIELDS = List.of(
            new Field("blkio-weight", "blockIO", "weight", false, false),
            new Field("cpu-period", "cpu", "period", false, false),
            new Field("cpu-quota", "cpu", "quota", false, false),
            new Field("cpu-share", "cpu", "shares", false, false),
            new Field("cpu-rt-period", "cpu", "realtimePeriod", false, false),
            new Field("cpu-rt-runtime", "cpu", "realtimeRuntime", false, false),
            new Field("cpuset-cpus", "cpu", "cpus", false, true),
            new Field("cpuset-mems", "cpu", "mems", false, true),
            new Field("kernel-memory", "memory", "kernel", true, false),
            new Field("kernel-memory-tcp", "memory", "kernelTCP", true, false),
            new Field("memory", "memory", "limit", true, false),
            new Field("memory-reservation", "memory", "reservation", true, false),
            new Field("memory-swap", "memory", "swap", true, false),
            new Field("pids-limit", "pids", "limit", false, false));

    @Override
    public String name() {
        return "update";
    }

    @Override
    public String usage() {
        return "<container-id>";
    }

    @Override
    public String summary() {
        return "update container resource constraints";
    }

    @Override
    public List<Flag> flags() {
        List<Flag> flags = new java.util.ArrayList<>();
        flags.add(Flag.value("resources", "r", "FILE", "path to a file containing the resources to update, or \"-\" for stdin"));
        for (Field f : FIELDS) {
            flags.add(Flag.value(f.flag(), null, "VALUE", f.object() + "." + f.field()));
        }
        return flags;
    }

    @Override
    public int run(Cli cli, Args args) throws IOException {
        String id = Cli.requireId(this, args);
        ObjectNode doc = Json.mapper().createObjectNode();
        String file = args.value("resources");
        if (file != null) {
            byte[] raw = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
            var tree = Json.mapper().readTree(raw);
            if (tree == null || !tree.isObject()) {
                throw new JRuntimeException("update: --resources: expected a JSON object");
            }
            doc = (ObjectNode) tree;
        }
        for (Field f : FIELDS) {
            String v = args.value(f.flag());
            if (v == null) {
                continue;
            }
            ObjectNode obj = doc.has(f.object()) ? (ObjectNode) doc.get(f.object()) : doc.putObject(f.object());
            if (f.text()) {
                obj.put(f.field(), v);
            } else {
                obj.put(f.field(), f.bytes() ? bytes(f.flag(), v) : number(f.flag(), v));
            }
        }
        LinuxResources resources = SpecLoader.parseResources(Json.mapper().writeValueAsBytes(doc), "resources");
        StateStore store = cli.store();
        if (!store.exists(id)) {
            throw StateStore.notExist(id);
        }
        try (StateStore.Lock lock = store.lock(id)) {
            Container c = Container.load(store, id);
            if (c.status() == Status.STOPPED) {
                throw new JRuntimeException("container not running");
            }
            var cgroup = c.cgroup();
            if (cgroup == null) {
                throw new JRuntimeException("container has no cgroup to update");
            }
            cgroup.update(resources);
        }
        return 0;
    }

    private static long number(String flag, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new JRuntimeException("invalid value for " + flag + ": " + v);
        }
    }

    /** Like docker's units.RAMInBytes, which runc uses: 1024-based k/m/g/t/p suffixes, -1 for unlimited. */
    static long bytes(String flag, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("-1")) {
            return -1;
        }
        int end = s.length();
        if (s.endsWith("ib")) {
            end -= 2;
        } else if (s.endsWith("b")) {
            end -= 1;
        }
        long mult = 1;
        if (end > 0) {
            switch (s.charAt(end - 1)) {
                case 'k' -> mult = 1L << 10;
                case 'm' -> mult = 1L << 20;
                case 'g' -> mult = 1L << 30;
                case 't' -> mult = 1L << 40;
                case 'p' -> mult = 1L << 50;
                default -> mult = 1;
            }
            if (mult > 1) {
                end--;
            }
        }
        try {
            double n = Double.parseDouble(s.substring(0, end));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return (long) (n * mult);
        } catch (NumberFormatException e) {
            throw new JRuntimeException("invalid value for " + flag + ": " + v);
        }
    }
}
