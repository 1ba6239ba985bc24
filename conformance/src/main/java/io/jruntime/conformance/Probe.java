package io.jruntime.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** What the probe reported from inside a container (see src/main/c/probe.c for the fields). */
public record Probe(JsonNode json) {

    public long pid() {
        return json.path("pid").asLong(-1);
    }

    public String ns(String type) {
        JsonNode n = json.path("namespaces").path(type);
        return n.isNull() || n.isMissingNode() ? null : n.asText();
    }

    public List<String> env() {
        List<String> env = new ArrayList<>();
        json.path("env").forEach(e -> env.add(e.asText()));
        return env;
    }

    public List<String> args() {
        List<String> a = new ArrayList<>();
        json.path("args").forEach(e -> a.add(e.asText()));
        return a;
    }

    public String text(String field) {
        return json.path(field).asText(null);
    }

    /** A capability set from /proc/self/status as a mask: CapInh, CapPrm, CapEff, CapBnd, CapAmb. */
    public long caps(String field) {
        return Long.parseUnsignedLong(json.path("status").path(field).asText("0"), 16);
    }

    public String status(String field) {
        return json.path("status").path(field).asText(null);
    }

    public JsonNode rlimit(String type) {
        return json.path("rlimits").path(type);
    }

    /** Mounts in mountinfo order. */
    public List<JsonNode> mounts() {
        List<JsonNode> m = new ArrayList<>();
        json.path("mounts").forEach(m::add);
        return m;
    }

    /** Every mount at this mount point, in mountinfo order (the last one is on top). */
    public List<JsonNode> mountsAt(String mountPoint) {
        return mounts().stream().filter(m -> m.path("mountPoint").asText().equals(mountPoint)).toList();
    }

    /** The visible (top) mount at a mount point, or null. */
    public JsonNode mountAt(String mountPoint) {
        List<JsonNode> all = mountsAt(mountPoint);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    public static List<String> options(JsonNode mount) {
        return List.of(mount.path("options").asText("").split(","));
    }

    public static List<String> superOptions(JsonNode mount) {
        return List.of(mount.path("superOptions").asText("").split(","));
    }

    public static List<String> optional(JsonNode mount) {
        List<String> o = new ArrayList<>();
        mount.path("optional").forEach(e -> o.add(e.asText()));
        return o;
    }

    public JsonNode device(String path) {
        return json.path("devices").path(path);
    }

    /** The i-th optional check requested on the probe's command line, in order. */
    public JsonNode check(int i) {
        return json.path("checks").path(i);
    }

    /** The first check of kind (e.g. "--read") on path. */
    public JsonNode check(String kind, String path) {
        for (JsonNode c : json.path("checks")) {
            if (c.path("check").asText().equals(kind) && (path.equals(c.path("path").asText()) || path.equals(c.path("name").asText()))) {
                return c;
            }
        }
        return json.path("checks").path(9999);
    }

    public List<String> cgroupLines() {
        return List.of(json.path("cgroup").asText("").strip().split("\n"));
    }

    @Override
    public String toString() {
        return Json.write(json);
    }
}
