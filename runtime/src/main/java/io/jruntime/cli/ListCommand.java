package io.jruntime.cli;

import io.jruntime.JRuntimeException;
import io.jruntime.container.Container;
import io.jruntime.container.ContainerRecord;
import io.jruntime.container.StateStore;
import io.jruntime.container.Status;
import java.util.ArrayList;
import java.util.List;

/** {@code list}: every container under --root, as runc's table, JSON array or bare ids. */
final class ListCommand implements Command {
    @Override
    public String name() {
        return "list";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public String summary() {
        return "lists containers started by jruntime with the given root";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.value("format", "f", "table|json", "select one of: table or json (default: \"table\")"),
                Flag.bool("quiet", "q", "display only container IDs"));
    }

    @Override
    public int run(Cli cli, Args args) {
        String format = args.value("format", "table");
        if (!format.equals("table") && !format.equals("json")) {
            throw new JRuntimeException("invalid format option");
        }
        StateStore store = cli.store();
        List<Container> containers = new ArrayList<>();
        for (String id : store.ids()) {
            // A container deleted while we list, or one whose create has not written state yet, is skipped.
            ContainerRecord r = store.loadIfPresent(id);
            if (r != null) {
                containers.add(new Container(store, r));
            }
        }
        if (args.bool("quiet")) {
            for (Container c : containers) {
                cli.out.println(c.id());
            }
            return 0;
        }
        if (format.equals("json")) {
            cli.out.println(ContainerList.json(containers));
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"});
        for (Container c : containers) {
            Status s = c.status();
            ContainerRecord r = c.record();
            rows.add(new String[] {r.id(), Integer.toString(c.visiblePid(s)), s.json(), r.bundle(), r.created(), r.owner()});
        }
        cli.out.print(ContainerList.table(rows));
        return 0;
    }
}
