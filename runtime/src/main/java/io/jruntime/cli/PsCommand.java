package io.jruntime.cli;

import io.jruntime.JRuntimeException;
import io.jruntime.container.Container;
import io.jruntime.container.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ps [--format table|json] ID [ps options]}: the container's processes. json is the array of host
 * pids (what containerd's shim reads); table runs ps(1) (default {@code -ef}) and keeps the header and
 * the lines whose PID is in the container's cgroup, as runc does.
 */
final class PsCommand implements Command {
    @Override
    public String name() {
        return "ps";
    }

    @Override
    public String usage() {
        return "<container-id> [ps options]";
    }

    @Override
    public String summary() {
        return "ps displays the processes running inside a container";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.value("format", "f", "table|json", "select one of: table or json (default: \"table\")"));
    }

    @Override
    public int run(Cli cli, Args args) throws Exception {
        List<String> p = args.positionals();
        if (p.isEmpty()) {
            throw new Cli.UsageException(this, "\"ps\" requires a minimum of 1 argument(s)");
        }
        String id = p.get(0);
        StateStore store = cli.store();
        Container c = Container.load(store, id);
        var cgroup = c.cgroup();
        List<Integer> pids = cgroup == null ? List.of() : cgroup.pids();
        String format = args.value("format", "table");
        if (format.equals("json")) {
            StringBuilder b = new StringBuilder("[");
            for (int pid : pids) {
                b.append(b.length() > 1 ? "," : "").append(pid);
            }
            cli.out.println(b.append(']'));
            return 0;
        }
        if (!format.equals("table")) {
            throw new JRuntimeException("invalid format option");
        }
        List<String> psArgs = p.size() > 1 ? p.subList(1, p.size()) : List.of("-ef");
        cli.out.print(filter(runPs(psArgs), new HashSet<>(pids)));
        return 0;
    }

    private static String runPs(List<String> psArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ps");
        cmd.addAll(psArgs);
        Process ps = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (ps.waitFor() != 0) {
            throw new JRuntimeException("ps " + String.join(" ", psArgs) + ": " + out.strip());
        }
        return out;
    }

    /** Keeps the header and the lines whose PID column holds a pid of the container. */
    static String filter(String psOutput, Set<Integer> pids) {
        String[] lines = psOutput.split("\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            return psOutput;
        }
        String[] header = lines[0].trim().split("\\s+");
        int col = -1;
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals("PID")) {
                col = i;
            }
        }
        if (col < 0) {
            throw new JRuntimeException("couldn't find PID field in ps output");
        }
        StringBuilder b = new StringBuilder(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length > col) {
                try {
                    if (pids.contains(Integer.parseInt(f[col]))) {
                        b.append(lines[i]).append('\n');
                    }
                } catch (NumberFormatException ignored) {
                    // not a process line
                }
            }
        }
        return b.toString();
    }
}
