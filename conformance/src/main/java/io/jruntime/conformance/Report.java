package io.jruntime.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The side-by-side report: one row per requirement, one column per runtime. Written as
 * markdown (for people) and JSON (for tools) by {@link #write(Path)}.
 */
public final class Report {
    /** Report order of the spec files. */
    static final List<String> SPEC_ORDER = List.of("runtime.md", "runtime-linux.md", "config.md", "config-linux.md");

    public record Row(String id, String spec, Level level, String text, String test) {}

    public record RuntimeInfo(String name, String path, String version) {}

    private final List<RuntimeInfo> runtimes = new ArrayList<>();
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Map<String, Map<String, Outcome>> results = new LinkedHashMap<>();

    public synchronized void addRuntime(RuntimeInfo info) {
        runtimes.add(info);
    }

    public synchronized void add(String runtime, Row row, Outcome outcome) {
        rows.putIfAbsent(row.id(), row);
        results.computeIfAbsent(row.id(), k -> new LinkedHashMap<>()).put(runtime, outcome);
    }

    public List<RuntimeInfo> runtimes() {
        return runtimes;
    }

    public List<Row> rows() {
        List<Row> r = new ArrayList<>(rows.values());
        r.sort(Comparator.comparingInt((Row x) -> specRank(x.spec())).thenComparing(Row::id));
        return r;
    }

    public Outcome outcome(String rowId, String runtime) {
        return results.getOrDefault(rowId, Map.of()).get(runtime);
    }

    /** passed, failed, not applicable for a runtime. */
    public int[] totals(String runtime) {
        int[] t = new int[3];
        for (Map<String, Outcome> m : results.values()) {
            Outcome o = m.get(runtime);
            if (o != null) {
                t[o.status().ordinal()]++;
            }
        }
        return t;
    }

    static int specRank(String spec) {
        int i = SPEC_ORDER.indexOf(spec);
        return i < 0 ? SPEC_ORDER.size() : i;
    }

    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("conformance-report.md"), markdown());
            Files.writeString(dir.resolve("conformance-report.json"), Json.write(json()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# OCI runtime-spec v1.3.0 conformance\n\n");
        md.append("Generated ").append(OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS)).append(" on ")
                .append(hostSummary()).append(".\n\n");
        md.append("| runtime | binary | version | passed | failed | not applicable |\n| --- | --- | --- | --- | --- | --- |\n");
        for (RuntimeInfo r : runtimes) {
            int[] t = totals(r.name());
            md.append("| ").append(cell(r.name())).append(" | `").append(cell(r.path())).append("` | ")
                    .append(cell(r.version())).append(" | ").append(t[0]).append(" | ").append(t[1]).append(" | ")
                    .append(t[2]).append(" |\n");
        }
        md.append("\nCells: **pass**; **FAIL** with the reason; *n/a* (not applicable on this host) with why. "
                + "Level is the spec's word for the requirement (MUST, SHOULD, MAY).\n");
        String spec = null;
        for (Row row : rows()) {
            if (!row.spec().equals(spec)) {
                spec = row.spec();
                md.append("\n## ").append(spec).append("\n\n| requirement | level |");
                for (RuntimeInfo r : runtimes) {
                    md.append(' ').append(cell(r.name())).append(" |");
                }
                md.append("\n| --- | --- |");
                md.append(" --- |".repeat(runtimes.size()));
                md.append('\n');
            }
            md.append("| `").append(cell(row.id())).append("`<br>").append(cell(row.text())).append(" | ")
                    .append(row.level()).append(" |");
            for (RuntimeInfo r : runtimes) {
                Outcome o = outcome(row.id(), r.name());
                md.append(' ').append(o == null ? "-" : switch (o.status()) {
                    case PASS -> "**pass**";
                    case FAIL -> "**FAIL**: " + cell(o.message());
                    case NOT_APPLICABLE -> "*n/a*: " + cell(o.message());
                }).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    public ObjectNode json() {
        ObjectNode j = Json.object();
        j.put("spec", "1.3.0");
        j.put("generated", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        j.put("host", hostSummary());
        ArrayNode rts = j.putArray("runtimes");
        for (RuntimeInfo r : runtimes) {
            int[] t = totals(r.name());
            rts.addObject().put("name", r.name()).put("path", r.path()).put("version", r.version())
                    .put("passed", t[0]).put("failed", t[1]).put("notApplicable", t[2]);
        }
        ArrayNode reqs = j.putArray("requirements");
        for (Row row : rows()) {
            ObjectNode o = reqs.addObject();
            o.put("id", row.id()).put("spec", row.spec()).put("level", row.level().name()).put("text", row.text())
                    .put("test", row.test());
            ObjectNode res = o.putObject("results");
            for (RuntimeInfo r : runtimes) {
                Outcome oc = outcome(row.id(), r.name());
                if (oc != null) {
                    res.putObject(r.name()).put("status", switch (oc.status()) {
                        case PASS -> "pass";
                        case FAIL -> "fail";
                        case NOT_APPLICABLE -> "not-applicable";
                    }).put("message", oc.message());
                }
            }
        }
        return j;
    }

    static String hostSummary() {
        String kernel = Host.readTrim(Path.of("/proc/sys/kernel/osrelease"));
        String cg = Host.cgroupV2() ? "cgroup v2" : (Files.exists(Path.of("/sys/fs/cgroup/unified")) ? "cgroup v1 (hybrid)" : "cgroup v1");
        String lsm = (Host.apparmorEnabled() ? "AppArmor" : "") + (Host.selinuxEnabled() ? " SELinux" : "");
        return "Linux " + kernel + ", " + cg + ", " + (lsm.isBlank() ? "no LSM" : lsm.strip());
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
