package io.jruntime.container;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
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
