package io.jruntime.cgroups.v2;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;
import io.jruntime.cgroups.Warnings;
import io.jruntime.cgroups.v1.BlkioV1;
import java.util.List;

/**
 * cgroup v2 io, from the spec's blockIO: weights go to io.bfq.weight unchanged when BFQ is there (same
 * 1..1000 range as blkio), else to io.weight converted from [10..1000] to [1..10000] (runc's
 * ConvertBlkIOToIOWeightValue); per-device weights as "major:minor weight" lines; throttles as io.max lines
 * "major:minor rbps=N" (wbps, riops, wiops). Leaf weights have no v2 equivalent: a warning.
 */
public final class IoV2 implements Controller {

    @Override
    public String name() {
        return "io";
    }

    @Override
    public String requestedField(Resources r) {
        return new BlkioV1().requestedField(r);
    }

    /** blkio weight [10..1000] to io.weight [1..10000]; 0 stays 0. */
    public static long blkioToIoWeight(long weight) {
        if (weight == 0) {
            return 0;
        }
        return 1 + (weight - 10) * 9999 / 990;
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        Resources.BlockIO b = r.blockIO();
        if (b == null) {
            return;
        }
        boolean bfq = dir.has("io.bfq.weight");
        if (b.weight() != null && b.weight() != 0) {
            if (bfq) {
                dir.write("io.bfq.weight", Integer.toString(b.weight()), Fields.of("blockIO", "weight"));
            } else {
                dir.write("io.weight", "default " + blkioToIoWeight(b.weight()), Fields.of("blockIO", "weight"));
            }
        }
        if (b.leafWeight() != null) {
            Warnings.warn(Fields.of("blockIO", "leafWeight") + " is ignored: cgroup v2 has no leaf weights");
        }
        if (b.weightDevice() != null) {
            for (int i = 0; i < b.weightDevice().size(); i++) {
                Resources.WeightDevice wd = b.weightDevice().get(i);
                String field = Fields.of("blockIO", "weightDevice[" + i + "]");
                if (wd.weight() != null) {
                    String dev = wd.major() + ":" + wd.minor() + " ";
                    if (bfq) {
                        dir.write("io.bfq.weight", dev + wd.weight(), field);
                    } else {
                        dir.write("io.weight", dev + blkioToIoWeight(wd.weight()), field);
                    }
                }
                if (wd.leafWeight() != null) {
                    Warnings.warn(field + ".leafWeight is ignored: cgroup v2 has no leaf weights");
                }
            }
        }
        max(dir, b.throttleReadBpsDevice(), "rbps", "throttleReadBpsDevice");
        max(dir, b.throttleWriteBpsDevice(), "wbps", "throttleWriteBpsDevice");
        max(dir, b.throttleReadIOPSDevice(), "riops", "throttleReadIOPSDevice");
        max(dir, b.throttleWriteIOPSDevice(), "wiops", "throttleWriteIOPSDevice");
    }

    private static void max(CgroupDir dir, List<Resources.ThrottleDevice> list, String key, String name) {
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            Resources.ThrottleDevice t = list.get(i);
            dir.write("io.max", t.major() + ":" + t.minor() + " " + key + "=" + Fields.u(t.rate()),
                    Fields.of("blockIO", name + "[" + i + "]"));
        }
    }

    @Override
    public void stats(CgroupDir dir, Stats s) {
        String content = dir.readOrNull("io.stat");
        if (content != null) {
            for (String line : content.split("\n")) {
                String[] f = line.trim().split("\\s+");
                String[] dev = f[0].split(":");
                if (f.length < 2 || dev.length != 2) {
                    continue;
                }
                long major = Long.parseLong(dev[0]), minor = Long.parseLong(dev[1]);
                for (int i = 1; i < f.length; i++) {
                    String[] kv = f[i].split("=", 2);
                    if (kv.length != 2) {
                        continue;
                    }
                    long v = Long.parseUnsignedLong(kv[1]);
                    switch (kv[0]) {
                        case "rbytes" -> s.blkio.ioServiceBytesRecursive.add(new Stats.BlkioEntry(major, minor, "Read", v));
                        case "wbytes" -> s.blkio.ioServiceBytesRecursive.add(new Stats.BlkioEntry(major, minor, "Write", v));
                        case "rios" -> s.blkio.ioServicedRecursive.add(new Stats.BlkioEntry(major, minor, "Read", v));
                        case "wios" -> s.blkio.ioServicedRecursive.add(new Stats.BlkioEntry(major, minor, "Write", v));
                        default -> { }
                    }
                }
            }
        }
        s.blkio.psi = Stats.parsePsi(dir.readOrNull("io.pressure"));
    }
}
