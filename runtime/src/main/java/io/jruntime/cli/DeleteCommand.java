package io.jruntime.cli;

import io.jruntime.container.Container;
import io.jruntime.container.StateStore;
import io.jruntime.sys.Syscalls;
import java.util.List;

/** {@code delete [--force] ID}: removes a stopped container; --force kills it first and ignores unknown ids. */
final class DeleteCommand implements Command {
    @Override
    public String name() {
        return "delete";
    }

    @Override
    public String usage() {
        return "<container-id>";
    }

    @Override
    public String summary() {
        return "delete any resources held by the container";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.bool("force", "f", "forcibly deletes the container if it is still running (uses SIGKILL)"));
    }

    @Override
    public int run(Cli cli, Args args) {
        String id = Cli.requireId(this, args);
        boolean force = args.bool("force");
        StateStore store = cli.store();
        if (!store.exists(id)) {
            // containerd's shim runs `delete` then `delete --force` on the same id: the second must succeed.
            if (force) {
                return 0;
            }
            throw StateStore.notExist(id);
        }
        StateStore.Lock taken;
        try {
            taken = store.lock(id);
        } catch (io.jruntime.JRuntimeException e) {
            // Another delete removed the directory between exists() and the lock: for --force that is success
            // (concurrent delete --force of one id must all exit 0), as when it was gone from the start.
            if (force && !store.exists(id)) {
                return 0;
            }
            throw e;
        }
        try (StateStore.Lock lock = taken) {
            if (store.loadIfPresent(id) == null) {
                if (force) {
                    store.remove(id);
                    return 0;
                }
                throw StateStore.notExist(id);
            }
            Container.load(store, id).delete(Syscalls.native_(), force, cli.log::info);
        }
        return 0;
    }
}
