package io.jruntime.container;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.jruntime.JRuntimeException;
import io.jruntime.sys.Errno;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
            return record.pid() > 0 && !ProcStat.isAlive(record.pid(), record.initStartTime()) ? Status.STOPPED : Status.CREATING;
        }
        if (!ProcStat.isAlive(record.pid(), record.initStartTime())) {
            return Status.STOPPED;
        }
        if (Files.exists(execFifo())) {
            return Status.CREATED;
        }
        if (Freezer.isFrozen(record)) {
            return Status.PAUSED;
        }
        return Status.RUNNING;
    }

    /**
     * runtime.md "Start": only a {@code created} container starts; the init is released through the exec
     * fifo, which is then removed (its absence is what makes the container {@code running}).
     */
    public void start() {
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
        ExecFifo.release(execFifo(), () -> ProcStat.isAlive(record.pid(), record.initStartTime()));
        try {
            Files.deleteIfExists(execFifo());
        } catch (java.io.IOException e) {
            throw new JRuntimeException("remove " + execFifo() + ": " + e.getMessage(), e);
        }
    }

    /**
     * runtime.md "Kill": signals the init of a {@code created} or {@code running} container; anything else
     * is an error in runc's words, which containerd matches ("container not running", "no such process").
     */
    public void kill(Syscalls sys, int signal) {
        Status s = status();
        if (s == Status.STOPPED || s == Status.CREATING) {
            throw new JRuntimeException("container not running");
        }
        try {
            sys.kill(record.pid(), signal);
        } catch (ErrnoException e) {
            throw new JRuntimeException(e.errno() == Errno.ESRCH ? "no such process" : "kill: " + e.reason());
        }
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
    public void delete(Syscalls sys, boolean force) {
        Status s = status();
        if (s != Status.STOPPED) {
            if (!force) {
                throw new JRuntimeException("cannot delete container " + id() + " that is not stopped: " + s.json());
            }
            if (record.pid() > 0 && !killAndWait(sys, 10_000)) {
                throw new JRuntimeException("delete --force " + id() + ": the init " + record.pid() + " did not exit after SIGKILL");
            }
        }
        destroy();
    }

    /** Releases everything the container holds; its state directory goes last. */
    void destroy() {
        store.remove(id());
    }

    /** The pid callers see: the init's, or 0 once stopped (as runc). */
    public int visiblePid(Status status) {
        return status == Status.STOPPED ? 0 : record.pid();
    }

    /** The state JSON of runtime.md ("Query State") plus runc's rootfs, created and owner, indented as runc prints it. */
    public byte[] stateJson() {
        Status status = status();
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = ContainerRecord.JSON.createGenerator(out)) {
            g.setPrettyPrinter(goIndent());
            g.writeStartObject();
            writeStateFields(g, status);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public void writeStateFields(JsonGenerator g, Status status) throws IOException {
        g.writeStringField("ociVersion", OCI_VERSION);
        g.writeStringField("id", record.id());
        g.writeNumberField("pid", visiblePid(status));
        g.writeStringField("status", status.json());
        g.writeStringField("bundle", record.bundle());
        g.writeStringField("rootfs", record.rootfs());
        g.writeStringField("created", record.created());
        g.writeStringField("owner", record.owner());
        if (!record.annotations().isEmpty()) {
            writeAnnotations(g, record.annotations());
        }
    }

    static void writeAnnotations(JsonGenerator g, Map<String, String> annotations) throws IOException {
        g.writeObjectFieldStart("annotations");
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** Go's json.MarshalIndent(v, "", "  "): two-space indent, "key": value. */
    public static DefaultPrettyPrinter goIndent() {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""));
        pp.indentArraysWith(DefaultPrettyPrinter.NopIndenter.instance);
        pp.indentArraysWith(new com.fasterxml.jackson.core.util.DefaultIndenter("  ", "\n"));
        return pp;
    }
}
