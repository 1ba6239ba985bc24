package io.jruntime.cli;

import io.jruntime.container.Container;
import java.util.List;

/** {@code state ID}: the state JSON of runtime.md, computed live. */
final class StateCommand implements Command {
    @Override
    public String name() {
        return "state";
    }

    @Override
    public String usage() {
        return "<container-id>";
    }

    @Override
    public String summary() {
        return "output the state of a container";
    }

    @Override
    public List<Flag> flags() {
        return List.of();
    }

    @Override
    public int run(Cli cli, Args args) {
        String id = Cli.requireId(this, args);
        Container c = Container.load(cli.store(), id);
        byte[] json = c.stateJson();
        cli.out.write(json, 0, json.length);
        cli.out.println();
        return 0;
    }
}
