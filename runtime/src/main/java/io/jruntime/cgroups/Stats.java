package io.jruntime.cgroups;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cgroup statistics for {@code events --stats}, filled by the controllers and printed by {@link #toJson()} in
 * the shape of runc's {@code types.Stats} (the "data" of a {@code {"type":"stats"}} event), including Go's
 * omitempty rules: zero numbers and empty lists marked omitempty are left out, nested objects never are.
 * Counters are unsigned 64-bit values carried in {@code long}.
 */
public final class Stats {

    public final Cpu cpu = new Cpu();
    public final CpuSet cpuset = new CpuSet();
    public final Memory memory = new Memory();
    public final Pids pids = new Pids();
    public final Blkio blkio = new Blkio();
    /** Page size ("2MB") to its usage. */
    public final Map<String, Hugetlb> hugetlb = new TreeMap<>();

    public static final class Cpu {
        public long total, kernel, user;
        public List<Long> percpu = new ArrayList<>(), percpuKernel = new ArrayList<>(), percpuUser = new ArrayList<>();
        public long periods, throttledPeriods, throttledTime;
        public Psi psi;
    }

    public static final class CpuSet {
        public List<Integer> cpus = new ArrayList<>(), mems = new ArrayList<>();
        public long cpuExclusive, memHardwall, memExclusive, memoryMigrate, memorySpreadPage, memorySpreadSlab,
                memoryPressure, schedLoadBalance, schedRelaxDomainLevel;
    }

    public static final class MemoryEntry {
        public long limit, usage, max, failcnt;
    }

    public static final class Memory {
        public long cache;
        public final MemoryEntry usage = new MemoryEntry(), swap = new MemoryEntry(), kernel = new MemoryEntry(),
                kernelTCP = new MemoryEntry();
        public final Map<String, Long> raw = new LinkedHashMap<>();
        public Psi psi;
    }

    public static final class Pids {
        public long current, limit;
    }

    public record BlkioEntry(long major, long minor, String op, long value) {}

    public static final class Blkio {
        public List<BlkioEntry> ioServiceBytesRecursive = new ArrayList<>(), ioServicedRecursive = new ArrayList<>(),
                ioQueuedRecursive = new ArrayList<>(), ioServiceTimeRecursive = new ArrayList<>(),
                ioWaitTimeRecursive = new ArrayList<>(), ioMergedRecursive = new ArrayList<>(),
                ioTimeRecursive = new ArrayList<>(), sectorsRecursive = new ArrayList<>();
        public Psi psi;
    }

    public static final class Hugetlb {
        public long usage, max, failcnt;
    }

    /** Pressure stall information, from a v2 *.pressure file. */
    public record Psi(PsiData some, PsiData full) {}

    public record PsiData(double avg10, double avg60, double avg300, long total) {}

    /** Parses a v2 {@code *.pressure} file ("some avg10=0.00 avg60=0.00 avg300=0.00 total=0" and "full ..."). */
    public static Psi parsePsi(String content) {
        if (content == null) {
            return null;
        }
        PsiData some = new PsiData(0, 0, 0, 0), full = new PsiData(0, 0, 0, 0);
        for (String line : content.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) {
                continue;
            }
            double a10 = 0, a60 = 0, a300 = 0;
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                if (kv.length != 2) {
                    continue;
                }
                switch (kv[0]) {
                    case "avg10" -> a10 = Double.parseDouble(kv[1]);
                    case "avg60" -> a60 = Double.parseDouble(kv[1]);
                    case "avg300" -> a300 = Double.parseDouble(kv[1]);
                    case "total" -> total = Long.parseUnsignedLong(kv[1]);
                    default -> { }
                }
            }
            if (f[0].equals("some")) {
                some = new PsiData(a10, a60, a300, total);
            } else if (f[0].equals("full")) {
                full = new PsiData(a10, a60, a300, total);
            }
        }
        return new Psi(some, full);
    }

    // ---- JSON in runc's types.Stats shape ----

    public String toJson() {
        Json j = new Json();
        j.open();
        j.key("cpu").open();
        j.key("usage").open();
        j.numOmit("total", cpu.total);
        j.numListOmit("percpu", cpu.percpu);
        j.numListOmit("percpu_kernel", cpu.percpuKernel);
        j.numListOmit("percpu_user", cpu.percpuUser);
        j.num("kernel", cpu.kernel);
        j.num("user", cpu.user);
        j.close();
        j.key("throttling").open();
        j.numOmit("periods", cpu.periods);
        j.numOmit("throttledPeriods", cpu.throttledPeriods);
        j.numOmit("throttledTime", cpu.throttledTime);
        j.close();
        psi(j, cpu.psi);
        j.close();

        j.key("cpuset").open();
        j.intListOmit("cpus", cpuset.cpus);
        j.num("cpu_exclusive", cpuset.cpuExclusive);
        j.intListOmit("mems", cpuset.mems);
        j.num("mem_hardwall", cpuset.memHardwall);
        j.num("mem_exclusive", cpuset.memExclusive);
        j.num("memory_migrate", cpuset.memoryMigrate);
        j.num("memory_spread_page", cpuset.memorySpreadPage);
        j.num("memory_spread_slab", cpuset.memorySpreadSlab);
        j.num("memory_pressure", cpuset.memoryPressure);
        j.num("sched_load_balance", cpuset.schedLoadBalance);
        j.signed("sched_relax_domain_level", cpuset.schedRelaxDomainLevel);
        j.close();

        j.key("memory").open();
        j.numOmit("cache", memory.cache);
        memoryEntry(j, "usage", memory.usage);
        memoryEntry(j, "swap", memory.swap);
        memoryEntry(j, "kernel", memory.kernel);
        memoryEntry(j, "kernelTCP", memory.kernelTCP);
        if (!memory.raw.isEmpty()) {
            j.key("raw").open();
            memory.raw.forEach(j::num);
            j.close();
        }
        psi(j, memory.psi);
        j.close();

        j.key("pids").open();
        j.numOmit("current", pids.current);
        j.numOmit("limit", pids.limit);
        j.close();

        j.key("blkio").open();
        blkioList(j, "ioServiceBytesRecursive", blkio.ioServiceBytesRecursive);
        blkioList(j, "ioServicedRecursive", blkio.ioServicedRecursive);
        blkioList(j, "ioQueueRecursive", blkio.ioQueuedRecursive);
        blkioList(j, "ioServiceTimeRecursive", blkio.ioServiceTimeRecursive);
        blkioList(j, "ioWaitTimeRecursive", blkio.ioWaitTimeRecursive);
        blkioList(j, "ioMergedRecursive", blkio.ioMergedRecursive);
        blkioList(j, "ioTimeRecursive", blkio.ioTimeRecursive);
        blkioList(j, "sectorsRecursive", blkio.sectorsRecursive);
        psi(j, blkio.psi);
        j.close();

        j.key("hugetlb").open();
        hugetlb.forEach((size, h) -> {
            j.key(size).open();
            j.numOmit("usage", h.usage);
            j.numOmit("max", h.max);
            j.num("failcnt", h.failcnt);
            j.close();
        });
        j.close();
        j.key("intel_rdt").open().close();
        j.key("network_interfaces").raw("null");
        j.close();
        return j.toString();
    }

    private static void memoryEntry(Json j, String name, MemoryEntry e) {
        j.key(name).open();
        j.num("limit", e.limit);
        j.numOmit("usage", e.usage);
        j.numOmit("max", e.max);
        j.num("failcnt", e.failcnt);
        j.close();
    }

    private static void blkioList(Json j, String name, List<BlkioEntry> list) {
        if (list.isEmpty()) {
            return;
        }
        j.key(name).array();
        for (BlkioEntry e : list) {
            j.open();
            j.numOmit("major", e.major());
            j.numOmit("minor", e.minor());
            if (e.op() != null && !e.op().isEmpty()) {
                j.str("op", e.op());
            }
            j.numOmit("value", e.value());
            j.close();
        }
        j.endArray();
    }

    private static void psi(Json j, Psi p) {
        if (p == null) {
            return;
        }
        j.key("psi").open();
        psiData(j, "some", p.some());
        psiData(j, "full", p.full());
        j.close();
    }

    private static void psiData(Json j, String name, PsiData d) {
        j.key(name).open();
        j.dbl("avg10", d.avg10());
        j.dbl("avg60", d.avg60());
        j.dbl("avg300", d.avg300());
        j.num("total", d.total());
        j.close();
    }

    /** A minimal JSON writer: enough for fixed shapes, handles commas and string escapes. */
    private static final class Json {
        private final StringBuilder b = new StringBuilder();
        private boolean needComma;

        Json key(String k) {
            comma();
            string(k);
            b.append(':');
            needComma = false;
            return this;
        }

        Json open() {
            comma();
            b.append('{');
            needComma = false;
            return this;
        }

        Json close() {
            b.append('}');
            needComma = true;
            return this;
        }

        Json array() {
            comma();
            b.append('[');
            needComma = false;
            return this;
        }

        Json endArray() {
            b.append(']');
            needComma = true;
            return this;
        }

        Json raw(String s) {
            comma();
            b.append(s);
            needComma = true;
            return this;
        }

        void num(String k, long v) {
            key(k).raw(Long.toUnsignedString(v));
        }

        void signed(String k, long v) {
            key(k).raw(Long.toString(v));
        }

        void numOmit(String k, long v) {
            if (v != 0) {
                num(k, v);
            }
        }

        void dbl(String k, double v) {
            key(k).raw(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v));
        }

        void str(String k, String v) {
            key(k);
            comma();
            string(v);
            needComma = true;
        }

        void numListOmit(String k, List<Long> list) {
            if (list.isEmpty()) {
                return;
            }
            key(k).array();
            for (long v : list) {
                raw(Long.toUnsignedString(v));
            }
            endArray();
        }

        void intListOmit(String k, List<Integer> list) {
            if (list.isEmpty()) {
                return;
            }
            key(k).array();
            for (int v : list) {
                raw(Integer.toString(v));
            }
            endArray();
        }

        private void comma() {
            if (needComma) {
                b.append(',');
            }
        }

        private void string(String s) {
            b.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }
}
