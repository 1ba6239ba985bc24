package io.jruntime.cgroups.v1;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.CgroupException;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import io.jruntime.cgroups.Stats;
import io.jruntime.cgroups.Warnings;
import io.jruntime.sys.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * cgroup v1 blkio: weights in blkio.weight[_device] (CFQ) or blkio.bfq.weight[_device] (BFQ), whichever the
 * kernel has; throttling in blkio.throttle.{read,write}_{bps,iops}_device. Leaf weights were CFQ-only and are
 * gone with it: a warning when the kernel has no file for them.
 */
public final class BlkioV1 implements Controller {

    @Override
    public String name() {
        return "blkio";
    }

    @Override
    public String requestedField(Resources r) {
        Resources.BlockIO b = r.blockIO();
        if (b == null) {
            return null;
        }
        return Fields.firstSet("blockIO", "weight", b.weight(), "leafWeight", b.leafWeight(),
                "weightDevice", nonEmpty(b.weightDevice()), "throttleReadBpsDevice", nonEmpty(b.throttleReadBpsDevice()),
                "throttleWriteBpsDevice", nonEmpty(b.throttleWriteBpsDevice()),
                "throttleReadIOPSDevice", nonEmpty(b.throttleReadIOPSDevice()),
                "throttleWriteIOPSDevice", nonEmpty(b.throttleWriteIOPSDevice()));
    }

    static <T> List<T> nonEmpty(List<T> l) {
        return l == null || l.isEmpty() ? null : l;
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        Resources.BlockIO b = r.blockIO();
        if (b == null) {
            return;
        }
        String weightFile = dir.has("blkio.weight") ? "blkio.weight" : dir.has("blkio.bfq.weight") ? "blkio.bfq.weight" : null;
        if (b.weight() != null) {
            if (weightFile == null) {
                throw noWeight(dir, Fields.of("blockIO", "weight"));
            }
            dir.write(weightFile, Integer.toString(b.weight()), Fields.of("blockIO", "weight"));
        }
        if (b.leafWeight() != null) {
            leaf(dir, "blkio.leaf_weight", Integer.toString(b.leafWeight()), Fields.of("blockIO", "leafWeight"));
        }
        if (b.weightDevice() != null) {
            for (int i = 0; i < b.weightDevice().size(); i++) {
                Resources.WeightDevice wd = b.weightDevice().get(i);
                String field = Fields.of("blockIO", "weightDevice[" + i + "]");
                if (wd.weight() != null) {
                    if (weightFile == null) {
                        throw noWeight(dir, field);
                    }
                    dir.write(weightFile + "_device", wd.major() + ":" + wd.minor() + " " + wd.weight(), field);
                }
                if (wd.leafWeight() != null) {
                    leaf(dir, "blkio.leaf_weight_device", wd.major() + ":" + wd.minor() + " " + wd.leafWeight(), field);
                }
            }
        }
        throttle(dir, "blkio.throttle.read_bps_device", b.throttleReadBpsDevice(), "throttleReadBpsDevice");
        throttle(dir, "blkio.throttle.write_bps_device", b.throttleWriteBpsDevice(), "throttleWriteBpsDevice");
        throttle(dir, "blkio.throttle.read_iops_device", b.throttleReadIOPSDevice(), "throttleReadIOPSDevice");
        throttle(dir, "blkio.throttle.write_iops_device", b.throttleWriteIOPSDevice(), "throttleWriteIOPSDevice");
    }

    private static CgroupException noWeight(CgroupDir dir, String field) {
        return new CgroupException("cannot set " + field + ": neither blkio.weight nor blkio.bfq.weight exists in " + dir
                + " (no CFQ or BFQ I/O scheduler)", Errno.ENOENT);
    }

    private static void leaf(CgroupDir dir, String file, String value, String field) {
        if (!dir.has(file)) {
            Warnings.warn(field + " is ignored: " + file + " does not exist (leaf weights were removed from the kernel with CFQ)");
            return;
        }
        dir.write(file, value, field);
    }

    private static void throttle(CgroupDir dir, String file, List<Resources.ThrottleDevice> list, String name) {
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            Resources.ThrottleDevice t = list.get(i);
            dir.write(file, t.major() + ":" + t.minor() + " " + Fields.u(t.rate()), Fields.of("blockIO", name + "[" + i + "]"));
        }
    }

    @Override
    public void stats(CgroupDir dir, Stats s) {
        // As runc: the first family of files that exists (BFQ, CFQ, then throttle) gives the numbers.
        String[][] families = {
            {"blkio.bfq.io_service_bytes_recursive", "blkio.bfq.io_serviced_recursive"},
            {"blkio.io_service_bytes_recursive", "blkio.io_serviced_recursive"},
            {"blkio.throttle.io_service_bytes_recursive", "blkio.throttle.io_serviced_recursive"},
            {"blkio.throttle.io_service_bytes", "blkio.throttle.io_serviced"},
        };
        for (String[] f : families) {
            if (dir.has(f[0])) {
                s.blkio.ioServiceBytesRecursive = parse(dir.readOrNull(f[0]));
                s.blkio.ioServicedRecursive = parse(dir.readOrNull(f[1]));
                if (f[0].startsWith("blkio.io_")) {
                    s.blkio.ioQueuedRecursive = parse(dir.readOrNull("blkio.io_queued_recursive"));
                    s.blkio.ioServiceTimeRecursive = parse(dir.readOrNull("blkio.io_service_time_recursive"));
                    s.blkio.ioWaitTimeRecursive = parse(dir.readOrNull("blkio.io_wait_time_recursive"));
                    s.blkio.ioMergedRecursive = parse(dir.readOrNull("blkio.io_merged_recursive"));
                    s.blkio.ioTimeRecursive = parse(dir.readOrNull("blkio.time_recursive"));
                    s.blkio.sectorsRecursive = parse(dir.readOrNull("blkio.sectors_recursive"));
                }
                return;
            }
        }
    }

    /** "8:0 Read 1282048" / "8:0 6792" lines; the "Total N" line is skipped. */
    static List<Stats.BlkioEntry> parse(String content) {
        List<Stats.BlkioEntry> out = new ArrayList<>();
        if (content == null) {
            return out;
        }
        for (String line : content.split("\n")) {
            String[] f = line.trim().split("[ :]+");
            if (f.length < 3) {
                continue;
            }
            try {
                long major = Long.parseLong(f[0]), minor = Long.parseLong(f[1]);
                String op = f.length == 4 ? f[2] : "";
                long value = Long.parseUnsignedLong(f[f.length == 4 ? 3 : 2]);
                out.add(new Stats.BlkioEntry(major, minor, op, value));
            } catch (NumberFormatException e) {
                // "Total 123" and unknown lines
            }
        }
        return out;
    }
}
