package io.jruntime.cli;

import io.jruntime.container.Container;
import io.jruntime.container.StateStore;
import io.jruntime.sys.Syscalls;
import java.util.List;

/** {@code start ID}: runs the user process of a created container. */
final class StartCommand implements Command {
    @Override
    public String name() {
        return "start";
    }

    @Override
    public String usage() {
        return "<container-id>";
    }

    @Override
    public String summary() {
        return "executes the user defined process in a created container";
    }

    @Override
    public List<Flag> flags() {
        return List.of();
    }

    @Override
    public int run(Cli cli, Args args) {
        String id = Cli.requireId(this, args);
        StateStore store = cli.store();
        if (!store.exists(id)) {
            throw StateStore.notExist(id);
        }
        try (StateStore.Lock lock = store.lock(id)) {
            Container.load(store, id).start(Syscalls::native_, cli.log::info);
        }
        return 0;
    }
}
