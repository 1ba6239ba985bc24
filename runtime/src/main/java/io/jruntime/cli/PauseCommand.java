package io.jruntime.cli;

import io.jruntime.JRuntimeException;
import io.jruntime.container.Container;
import io.jruntime.container.StateStore;
import io.jruntime.container.Status;
import java.util.List;

/** {@code pause ID} and {@code resume ID}: freeze or thaw every process of the container's cgroup. */
final class PauseCommand implements Command {
    private final boolean pause;

    PauseCommand(boolean pause) {
        this.pause = pause;
    }

    @Override
    public String name() {
        return pause ? "pause" : "resume";
    }

    @Override
    public String usage() {
        return "<container-id>";
    }

    @Override
    public String summary() {
        return pause ? "pause suspends all processes inside the container" : "resumes all processes that have been previously paused";
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
            Container c = Container.load(store, id);
            Status s = c.status();
            var cgroup = c.cgroup();
            if (pause) {
                if (s != Status.RUNNING && s != Status.CREATED) {
                    throw new JRuntimeException("container not running");
                }
                requireCgroup(cgroup).freeze();
            } else {
                if (s != Status.PAUSED) {
                    throw new JRuntimeException("container not paused");
                }
                requireCgroup(cgroup).thaw();
            }
        }
        return 0;
    }

    private static io.jruntime.cgroups.CgroupManager requireCgroup(io.jruntime.cgroups.CgroupManager cgroup) {
        if (cgroup == null) {
            throw new JRuntimeException("container has no cgroup to freeze");
        }
        return cgroup;
    }
}
