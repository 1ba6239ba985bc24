package io.jruntime.container;

import io.jruntime.JRuntimeException;
import io.jruntime.cgroups.CgroupManager;
import io.jruntime.hooks.HookRunner;
import io.jruntime.spec.Hooks;
import io.jruntime.spec.State;
import io.jruntime.sys.Errno;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** One container as the state store knows it, with its status computed live from the init process. */
public final class Container {
    public static final String OCI_VERSION = "1.3.0";

    private final StateStore store;
    private final ContainerRecord record;

    public Container(StateStore store, ContainerRecord record) {
        this.store = store;
        this.record = record;
    }

    public static Container load(StateStore store, String id) {
        return new Container(store, store.load(id));
    }

    public ContainerRecord record() {
        return record;
    }

    public String id() {
        return record.id();
    }

    public Path dir() {
        return store.dir(record.id());
    }

    public Path execFifo() {
        return dir().resolve(StateStore.EXEC_FIFO);
    }

    /**
     * runtime.md states, from the live init: a pid that is gone, a zombie, or a pid reused by another
     * process (different start time) is {@code stopped}; an init still blocked on the exec fifo is
     * {@code created}; a frozen cgroup is {@code paused}.
     */
    public Status status() {
        if (record.creating()) {
            if (record.pid() > 0 && !ProcStat.isAlive(record.pid(), record.initStartTime())) {
                return Status.STOPPED;
            }
            // A create killed outright (kill -9, OOM killer) never finishes and never undoes: without this it
            // would be "creating" forever, and neither start nor a plain delete could ever act on it. Its init,
            // if one is still blocked in the handshake, is not a container that runs: delete kills it.
            if (record.creatorPid() > 0 && !ProcStat.isAlive(record.creatorPid(), record.creatorStartTime())) {
                return Status.STOPPED;
            }
            return Status.CREATING;
        }
        if (!ProcStat.isAlive(record.pid(), record.initStartTime())) {
            return Status.STOPPED;
        }
        if (Files.exists(execFifo())) {
            return Status.CREATED;
        }
        if (FreezerState.isFrozen(record)) {
            return Status.PAUSED;
        }
        return Status.RUNNING;
    }

    /**
     * runtime.md "Start": only a {@code created} container starts; the init is released through the exec
     * fifo, which is then removed (its absence is what makes the container {@code running}).
     */
    public void start(java.util.function.Supplier<Syscalls> sys, Consumer<String> log) {
        Status s = status();
        switch (s) {
            case CREATED -> {
            }
            case STOPPED -> throw new JRuntimeException("cannot start a container that has stopped");
            case CREATING -> throw new JRuntimeException("cannot start a container that is still being created");
            default -> throw new JRuntimeException("cannot start an already running container");
        }
        if (!record.hasProcess()) {
            throw new JRuntimeException("cannot start container " + id() + ": config.json has no process");
        }
        Hooks hooks = storedHooks();
        if (hooks != null && hooks.startContainer() != null) {
            try {
                HookRunner.runInContainer("startContainer", hooks.startContainer(),
                        ContainerCreation.stateOf(record, ProcStat.pidInOwnNamespace(record.pid()), State.CREATED), log,
                        io.jruntime.init.NativeStage.binary(), record.pid(), false);
            } catch (JRuntimeException e) {
                // runtime.md step 7: stop the container and continue at destroy (step 12).
                killAndWait(sys.get(), 10_000);
                destroy(log);
                throw e;
            }
        }
        ExecFifo.release(execFifo(), () -> ProcStat.isAlive(record.pid(), record.initStartTime()));
        try {
            Files.deleteIfExists(execFifo());
        } catch (java.io.IOException e) {
            throw new JRuntimeException("remove " + execFifo() + ": " + e.getMessage(), e);
        }
        if (hooks != null && hooks.poststart() != null) {
            try {
                HookRunner.run("poststart", hooks.poststart(),
                        ContainerCreation.stateOf(record, record.pid(), State.RUNNING), log);
            } catch (JRuntimeException e) {
                // runtime.md step 9: stop the container and continue at destroy (step 12).
                killAndWait(sys.get(), 10_000);
                destroy(log);
                throw e;
            }
        }
    }

    /** The startContainer, poststart and poststop hooks saved at create, or null (most containers have none: no databind then). */
    Hooks storedHooks() {
        Path file = dir().resolve(ContainerCreation.HOOKS_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return Hooks.fromJson(Files.readAllBytes(file), ContainerCreation.HOOKS_FILE);
        } catch (java.io.IOException e) {
            throw new JRuntimeException("read " + file + ": " + e.getMessage(), e);
        }
    }

    /** runtime.md step 13: poststop hooks; a failure is a warning and the rest still run. */
    void runPoststop(Consumer<String> log) {
        Hooks hooks = storedHooks();
        if (hooks != null && hooks.poststop() != null) {
            HookRunner.runAll("poststop", hooks.poststop(), ContainerCreation.stateOf(record, 0, State.STOPPED), log, log);
        }
    }

    /**
     * runtime.md "Kill": signals the init of a {@code created}, {@code running} or {@code paused} container;
     * anything else is an error in runc's words, which containerd matches ("container not running",
     * "no such process"). {@code all} signals every process in the cgroup, as runc's {@code kill --all},
     * even once the init is gone as long as the cgroup exists.
     */
    public void kill(Syscalls sys, int signal, boolean all) {
        Status s = status();
        if (all) {
            CgroupManager cgroup = cgroup();
            if (cgroup != null && cgroup.exists()) {
                cgroup.killAll(signal);
                return;
            }
            if (s == Status.STOPPED) {
                return;
            }
        }
        if (s == Status.STOPPED || s == Status.CREATING) {
            throw new JRuntimeException("container not running");
        }
        try {
            sys.kill(record.pid(), signal);
        } catch (ErrnoException e) {
            throw new JRuntimeException(e.errno() == Errno.ESRCH ? "no such process" : "kill: " + e.reason());
        }
    }

    /** The container's cgroup, from the directories recorded at create; null when it has none. */
    public CgroupManager cgroup() {
        return record.cgroupPaths().isEmpty() ? null : CgroupManager.forPaths(record.cgroupPaths(), record.systemdUnit());
    }

    /** Sends SIGKILL to a live init and waits until it is gone or a zombie (at most {@code timeoutMs}). */
    public boolean killAndWait(Syscalls sys, long timeoutMs) {
        if (!ProcStat.isAlive(record.pid(), record.initStartTime())) {
            return true;
        }
        try {
            sys.kill(record.pid(), Signals.SIGKILL);
        } catch (ErrnoException e) {
            return e.errno() == Errno.ESRCH;
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (!ProcStat.isAlive(record.pid(), record.initStartTime())) {
                return true;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * runtime.md "Delete": only a {@code stopped} container is deleted (runc also deletes {@code created}
     * ones; the spec does not). {@code force} kills a live init first, as runc's {@code delete --force}.
     */
    public void delete(Syscalls sys, boolean force, Consumer<String> log) {
        Status s = status();
        if (s != Status.STOPPED) {
            if (!force) {
                throw new JRuntimeException("cannot delete container " + id() + " that is not stopped: " + s.json());
            }
            if (record.pid() > 0 && !killAndWait(sys, 10_000)) {
                throw new JRuntimeException("delete --force " + id() + ": the init " + record.pid() + " did not exit after SIGKILL");
            }
        }
        destroy(log);
    }

    /**
     * runtime.md lifecycle step 12: undoes what create did. Every process left in the cgroup is killed
     * (without a pid namespace the init's children outlive it), the cgroup removed, and the state
     * directory goes last, so a failure here can be retried with {@code delete --force}.
     */
    void destroy(Consumer<String> log) {
        if (record.creating() && record.pid() > 0 && ProcStat.isAlive(record.pid(), record.initStartTime())) {
            // The init of a create that was killed: recorded before it joined the cgroup, so the cgroup's
            // kill below may not reach it.
            killAndWait(io.jruntime.sys.Syscalls.native_(), 10_000);
        }
        CgroupManager cgroup = cgroup();
        if (cgroup != null && cgroup.exists()) {
            cgroup.killAll(Signals.SIGKILL);
            cgroup.destroy();
        } else if (cgroup != null && cgroup.systemdUnit() != null) {
            cgroup.destroy(); // systemd removed the empty scope's cgroup; a failed unit may still be loaded
        }
        runPoststop(log);
        store.remove(id());
    }

    /** The pid callers see: the init's, or 0 once stopped (as runc). */
    public int visiblePid(Status status) {
        return status == Status.STOPPED ? 0 : record.pid();
    }

    /** runtime.md's state, computed live, with runc's rootfs, created and owner. */
    public State state() {
        Status status = status();
        return new State(OCI_VERSION, record.id(), visiblePid(status), status.json(), record.bundle(), record.rootfs(),
                record.created(), record.annotations(), record.owner());
    }

    /** The state JSON as {@code state} prints it: indented as runc's. */
    public byte[] stateJson() {
        return state().toJson(true);
    }
}
