package io.jruntime.container;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What jruntime keeps on disk about one container (state.json in its state dir). The status is not
 * stored: it is computed live from the init's pid and start time (see {@link Container#status()}), except
 * for {@code creating}, which only the create command in progress knows. While creating, {@code pid} is
 * the init as soon as the native stage spawned it, and {@code creatorPid} the create command's own
 * process: a create that was killed (kill -9 leaves no chance to undo) is then seen as such, and
 * {@code delete} can still find and kill what it left.
 *
 * Read and written with jackson-core streaming, so the hot commands (state, list, kill, start, delete)
 * never load databind. {@code noNewKeyring} is create's {@code --no-new-keyring}, which exec honours too.
 * {@code systemdUnit} is the unit that holds the cgroup when it was made with {@code --systemd-cgroup}: delete
 * stops it, update sets its properties.
 */
public record ContainerRecord(
        String id,
        int pid,
        long initStartTime,
        String bundle,
        String rootfs,
        String created,
        String owner,
        Map<String, String> annotations,
        Map<String, String> cgroupPaths,
        boolean creating,
        boolean hasProcess,
        int creatorPid,
        long creatorStartTime,
        boolean noNewKeyring,
        String systemdUnit) {

    /** A record without a creator: every container whose create finished. */
    public ContainerRecord(String id, int pid, long initStartTime, String bundle, String rootfs, String created, String owner,
            Map<String, String> annotations, Map<String, String> cgroupPaths, boolean creating, boolean hasProcess) {
        this(id, pid, initStartTime, bundle, rootfs, created, owner, annotations, cgroupPaths, creating, hasProcess, 0, 0, false, null);
    }

    static final JsonFactory JSON = new JsonFactory();

    /** Create finished: the init is recorded and the creator forgotten. */
    public ContainerRecord withInit(int newPid, long startTime) {
        return new ContainerRecord(id, newPid, startTime, bundle, rootfs, created, owner, annotations, cgroupPaths, false, hasProcess,
                0, 0, noNewKeyring, systemdUnit);
    }

    public ContainerRecord withNoNewKeyring(boolean value) {
        return new ContainerRecord(id, pid, initStartTime, bundle, rootfs, created, owner, annotations, cgroupPaths, creating,
                hasProcess, creatorPid, creatorStartTime, value, systemdUnit);
    }

    /** Still creating, with the init the native stage just spawned. */
    public ContainerRecord withSpawnedInit(int newPid, long startTime) {
        return new ContainerRecord(id, newPid, startTime, bundle, rootfs, created, owner, annotations, cgroupPaths, creating,
                hasProcess, creatorPid, creatorStartTime, noNewKeyring, systemdUnit);
    }

    /** The process (pid and start time) of the create command in progress. */
    public ContainerRecord withCreator(int pid, long startTime) {
        return new ContainerRecord(id, this.pid, initStartTime, bundle, rootfs, created, owner, annotations, cgroupPaths, creating,
                hasProcess, pid, startTime, noNewKeyring, systemdUnit);
    }

    /** The systemd unit (a scope or slice) that holds the cgroup, with --systemd-cgroup; null otherwise. */
    public ContainerRecord withSystemdUnit(String unit) {
        return new ContainerRecord(id, pid, initStartTime, bundle, rootfs, created, owner, annotations, cgroupPaths, creating,
                hasProcess, creatorPid, creatorStartTime, noNewKeyring, unit);
    }

    public ContainerRecord withCgroupPaths(Map<String, String> paths) {
        return new ContainerRecord(id, pid, initStartTime, bundle, rootfs, created, owner, annotations, paths, creating, hasProcess,
                creatorPid, creatorStartTime, noNewKeyring, systemdUnit);
    }

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeNumberField("pid", pid);
            g.writeNumberField("initStartTime", initStartTime);
            g.writeStringField("bundle", bundle);
            g.writeStringField("rootfs", rootfs);
            g.writeStringField("created", created);
            g.writeStringField("owner", owner);
            g.writeObjectFieldStart("annotations");
            for (Map.Entry<String, String> e : annotations.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("cgroupPaths");
            for (Map.Entry<String, String> e : cgroupPaths.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeBooleanField("creating", creating);
            g.writeBooleanField("hasProcess", hasProcess);
            if (creatorPid > 0) {
                g.writeNumberField("creatorPid", creatorPid);
                g.writeNumberField("creatorStartTime", creatorStartTime);
            }
            if (noNewKeyring) {
                g.writeBooleanField("noNewKeyring", true);
            }
            if (systemdUnit != null) {
                g.writeStringField("systemdUnit", systemdUnit);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static ContainerRecord fromJson(byte[] json) throws IOException {
        String id = null, bundle = "", rootfs = "", created = "", owner = "", systemdUnit = null;
        int pid = 0;
        long start = 0, creatorStart = 0;
        int creator = 0;
        boolean creating = false, hasProcess = true, noNewKeyring = false;
        Map<String, String> annotations = new LinkedHashMap<>();
        Map<String, String> cgroupPaths = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("state.json is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "id" -> id = p.getText();
                    case "pid" -> pid = p.getIntValue();
                    case "initStartTime" -> start = p.getLongValue();
                    case "bundle" -> bundle = p.getText();
                    case "rootfs" -> rootfs = p.getText();
                    case "created" -> created = p.getText();
                    case "owner" -> owner = p.getText();
                    case "cgroupPaths" -> readMap(p, cgroupPaths);
                    case "creating" -> creating = p.getBooleanValue();
                    case "hasProcess" -> hasProcess = p.getBooleanValue();
                    case "annotations" -> readMap(p, annotations);
                    case "creatorPid" -> creator = p.getIntValue();
                    case "creatorStartTime" -> creatorStart = p.getLongValue();
                    case "noNewKeyring" -> noNewKeyring = p.getBooleanValue();
                    case "systemdUnit" -> systemdUnit = p.getText();
                    default -> p.skipChildren();
                }
            }
        }
        if (id == null) {
            throw new IOException("state.json has no id");
        }
        return new ContainerRecord(id, pid, start, bundle, rootfs, created, owner, annotations, cgroupPaths, creating, hasProcess,
                creator, creatorStart, noNewKeyring, systemdUnit);
    }

    /**
     * A JSON object of strings. Anything else is an error: a damaged state.json ("cgroupPaths": 5) used to
     * be read on from the next token, so the object's own fields became map entries and delete --force
     * then looked for a cgroup at "creating=false" and failed, leaving the container impossible to delete.
     */
    private static void readMap(JsonParser p, Map<String, String> into) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("state.json: " + p.currentName() + " is not an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            if (!p.nextToken().isScalarValue()) {
                throw new IOException("state.json: " + k + " is not a string");
            }
            into.put(k, p.getText());
        }
    }
}
