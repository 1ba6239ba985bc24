package io.jruntime.cli;

import io.jruntime.container.Container;
import io.jruntime.container.Signals;
import io.jruntime.container.StateStore;
import io.jruntime.sys.Syscalls;
import java.util.List;

/** {@code kill [--all] ID [SIGNAL]}: SIGNAL as a name with or without SIG, or a number; default TERM. */
final class KillCommand implements Command {
    @Override
    public String name() {
        return "kill";
    }

    @Override
    public String usage() {
        return "<container-id> [signal]";
    }

    @Override
    public String summary() {
        return "kill sends the specified signal (default: SIGTERM) to the container's init process";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.bool("all", "a", "send the specified signal to all processes inside the container"));
    }

    @Override
    public int run(Cli cli, Args args) {
        List<String> p = args.positionals();
        if (p.isEmpty() || p.size() > 2) {
            throw new Cli.UsageException(this, "\"kill\" requires a minimum of 1 and a maximum of 2 arguments");
        }
        String id = p.get(0);
        int signal = Signals.parse(p.size() == 2 ? p.get(1) : null);
        StateStore store = cli.store();
        if (!store.exists(id)) {
            throw StateStore.notExist(id);
        }
        try (StateStore.Lock lock = store.lock(id)) {
            Container.load(store, id).kill(Syscalls.native_(), signal, args.bool("all"));
        }
        return 0;
    }
}
