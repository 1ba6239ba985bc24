package io.jruntime.linux;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import io.jruntime.JRuntimeException;
import io.jruntime.init.Op;
import io.jruntime.init.Plan;
import io.jruntime.spec.CPUAffinity;
import io.jruntime.spec.IOPriority;
import io.jruntime.spec.LinuxMemoryPolicy;
import io.jruntime.spec.Scheduler;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Syscalls;

/**
 * The process attributes of config.md ({@code process.scheduler}, {@code process.ioPriority},
 * {@code process.execCPUAffinity}) and config-linux.md's {@code linux.memoryPolicy}, turned into the
 * native stage's ops with the kernel's numbers. Values were checked by {@code SpecValidator}; what only
 * the kernel can judge (privileges, a CPU or node this host lacks) fails the op, naming the field.
 */
public final class ProcessAttributes {
    private ProcessAttributes() {}

    /** sched(7) policy numbers. SCHED_ISO is reserved and not implemented by Linux: the kernel refuses it. */
    static final Map<String, Long> POLICIES = Map.of("SCHED_OTHER", 0L, "SCHED_FIFO", 1L, "SCHED_RR", 2L,
            "SCHED_BATCH", 3L, "SCHED_ISO", 4L, "SCHED_IDLE", 5L, "SCHED_DEADLINE", 6L);

    /** include/uapi/linux/sched.h SCHED_FLAG_*. */
    static final Map<String, Long> SCHED_FLAGS = Map.of("SCHED_FLAG_RESET_ON_FORK", 0x01L,
            "SCHED_FLAG_RECLAIM", 0x02L, "SCHED_FLAG_DL_OVERRUN", 0x04L, "SCHED_FLAG_KEEP_POLICY", 0x08L,
            "SCHED_FLAG_KEEP_PARAMS", 0x10L, "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20L, "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40L);

    /** include/uapi/linux/ioprio.h IOPRIO_CLASS_*. */
    static final Map<String, Long> IOPRIO_CLASSES = Map.of("IOPRIO_CLASS_RT", 1L, "IOPRIO_CLASS_BE", 2L, "IOPRIO_CLASS_IDLE", 3L);

    /** include/uapi/linux/mempolicy.h modes and mode flags. */
    static final Map<String, Long> MPOL_MODES = Map.of("MPOL_DEFAULT", 0L, "MPOL_PREFERRED", 1L, "MPOL_BIND", 2L,
            "MPOL_INTERLEAVE", 3L, "MPOL_LOCAL", 4L, "MPOL_PREFERRED_MANY", 5L, "MPOL_WEIGHTED_INTERLEAVE", 6L);
    static final Map<String, Long> MPOL_FLAGS = Map.of("MPOL_F_STATIC_NODES", 1L << 15, "MPOL_F_RELATIVE_NODES", 1L << 14,
            "MPOL_F_NUMA_BALANCING", 1L << 13);

    /** NR_CPUS and MAX_NUMNODES at their largest Kconfig values: no mask needs more bits. */
    static final int MAX_CPUS = 8192, MAX_NODES = 1024;

    /** process.scheduler: sched_setattr(2); absent numbers are 0, as config.md says. */
    public static void scheduler(Plan p, Scheduler s, String field) {
        if (s == null) {
            return;
        }
        Long policy = POLICIES.get(s.policy());
        if (policy == null) {
            throw new JRuntimeException("config: " + field + ".policy: unknown policy \"" + s.policy() + "\"");
        }
        if (s.policy().equals("SCHED_ISO")) {
            // In the spec's list, but reserved and never implemented by Linux: say so rather than pass on EINVAL.
            throw new JRuntimeException("config: " + field + ".policy: SCHED_ISO is not implemented by the Linux kernel");
        }
        long flags = 0;
        for (String f : s.flags() == null ? List.<String>of() : s.flags()) {
            Long bit = SCHED_FLAGS.get(f);
            if (bit == null) {
                throw new JRuntimeException("config: " + field + ".flags: unknown flag \"" + f + "\"");
            }
            flags |= bit;
        }
        p.add(Op.SCHED_SETATTR, policy, flags, s.nice() == null ? 0 : s.nice(), s.priority() == null ? 0 : s.priority(),
                s.runtime() == null ? 0 : s.runtime(), s.deadline() == null ? 0 : s.deadline(), s.period() == null ? 0 : s.period());
    }

    /** process.ioPriority: ioprio_set(2) with IOPRIO_PRIO_VALUE(class, priority). */
    public static void ioPriority(Plan p, IOPriority io, String field) {
        if (io == null) {
            return;
        }
        Long cls = IOPRIO_CLASSES.get(io.ioClass());
        if (cls == null) {
            throw new JRuntimeException("config: " + field + ".class: unknown class \"" + io.ioClass() + "\"");
        }
        int level = io.priority() == null ? 0 : io.priority();
        if (level < 0 || level > 7) {
            throw new JRuntimeException("config: " + field + ".priority: " + level + " is out of range (0 to 7)");
        }
        p.add(Op.IOPRIO_SET, cls << 13 | level);
    }

    /**
     * process.execCPUAffinity.initial, set in the stage before the process is cloned and placed in the
     * container's cgroup (the move may narrow it to the cgroup's cpuset: hence {@code final}).
     */
    public static void initialAffinity(Plan p, CPUAffinity a, String field) {
        if (a != null && a.initial() != null && !a.initial().isBlank()) {
            p.add(Op.SCHED_SETAFFINITY, mask(a.initial(), MAX_CPUS, 1024, field + ".initial"), a.initial().trim());
        }
    }

    /**
     * Once the process is in the container's cgroup: process.execCPUAffinity.final when given. Without any
     * execCPUAffinity the affinity the runtime itself had (a caller pinned with taskset, a pinned shim) is
     * reset to every CPU, which the kernel narrows to the cgroup's cpuset, as runc 1.2+ does; with only
     * {@code initial} it is left alone (config.md: the runtime SHOULD NOT change it then).
     */
    public static void affinityInCgroup(Plan p, CPUAffinity a, String field) {
        boolean initial = a != null && a.initial() != null && !a.initial().isBlank();
        if (a != null && a.finalCpus() != null && !a.finalCpus().isBlank()) {
            p.add(Op.SCHED_SETAFFINITY, mask(a.finalCpus(), MAX_CPUS, 1024, field + ".final"), a.finalCpus().trim());
        } else if (!initial) {
            resetAffinity(p);
        }
    }

    /** Every CPU Linux can have: the kernel keeps those of the cpuset that are online. */
    public static void resetAffinity(Plan p) {
        BitSet all = new BitSet(MAX_CPUS);
        all.set(0, MAX_CPUS);
        p.add(Op.SCHED_SETAFFINITY, words(all, MAX_CPUS), "all");
    }

    /**
     * linux.memoryPolicy: set_mempolicy(2). A node this host does not have is refused here, naming it,
     * rather than with the kernel's bare EINVAL (MPOL_F_RELATIVE_NODES numbers are relative: not checked).
     */
    public static void memoryPolicy(Plan p, LinuxMemoryPolicy mp, Syscalls sys) {
        if (mp == null) {
            return;
        }
        Long mode = MPOL_MODES.get(mp.mode());
        if (mode == null) {
            throw new JRuntimeException("config: linux.memoryPolicy.mode: unknown mode \"" + mp.mode() + "\"");
        }
        List<String> flags = mp.flags() == null ? List.of() : mp.flags();
        for (String f : flags) {
            Long bit = MPOL_FLAGS.get(f);
            if (bit == null) {
                throw new JRuntimeException("config: linux.memoryPolicy.flags: unknown flag \"" + f + "\"");
            }
            mode |= bit;
        }
        String nodes = mp.nodes() == null ? "" : mp.nodes().trim();
        byte[] mask = new byte[0];
        if (!nodes.isEmpty()) {
            BitSet wanted = parseList(nodes, MAX_NODES, "linux.memoryPolicy.nodes");
            BitSet online = onlineNodes(sys);
            if (online != null && !flags.contains("MPOL_F_RELATIVE_NODES")) {
                BitSet missing = (BitSet) wanted.clone();
                missing.andNot(online);
                if (!missing.isEmpty()) {
                    throw new JRuntimeException("config: linux.memoryPolicy.nodes: node " + missing.nextSetBit(0)
                            + " does not exist on this host (online nodes: " + format(online) + ")");
                }
            }
            mask = words(wanted, 64);
        }
        p.add(Op.SET_MEMPOLICY, mode, mask, nodes);
    }

    /** /sys/devices/system/node/online, or null where the kernel has no NUMA support. */
    static BitSet onlineNodes(Syscalls sys) {
        try {
            String s = new String(sys.readFile("/sys/devices/system/node/online"), StandardCharsets.US_ASCII).trim();
            return s.isEmpty() ? null : parseList(s, MAX_NODES, "/sys/devices/system/node/online");
        } catch (ErrnoException e) {
            return null;
        }
    }

    /** A mask of at least {@code minBits} bits (the kernel wants one as large as its CPU count), in u64 words. */
    static byte[] mask(String list, int max, int minBits, String field) {
        return words(parseList(list, max, field), minBits);
    }

    /** "0-3,7" as a bit set; numbers at or above {@code max} cannot be on any Linux host. */
    static BitSet parseList(String list, int max, String field) {
        BitSet bits = new BitSet();
        for (String part : list.split(",")) {
            String[] ends = part.trim().split("\\s*-\\s*");
            try {
                BigInteger lo = new BigInteger(ends[0].trim()), hi = new BigInteger(ends[ends.length - 1].trim());
                if (ends.length > 2 || lo.compareTo(hi) > 0) {
                    throw new NumberFormatException();
                }
                if (hi.compareTo(BigInteger.valueOf(max)) >= 0) {
                    throw new JRuntimeException("config: " + field + ": " + hi + " is beyond the largest number Linux supports ("
                            + (max - 1) + ")");
                }
                bits.set(lo.intValue(), hi.intValue() + 1);
            } catch (NumberFormatException e) {
                throw new JRuntimeException("config: " + field + ": \"" + list + "\" is not a valid list such as \"0-3,7\"");
            }
        }
        return bits;
    }

    static byte[] words(BitSet bits, int minBits) {
        int nbits = Math.max(minBits, bits.length());
        int nwords = (nbits + 63) / 64;
        ByteBuffer b = ByteBuffer.allocate(nwords * 8).order(ByteOrder.nativeOrder());
        long[] w = bits.toLongArray();
        for (int i = 0; i < nwords; i++) {
            b.putLong(i < w.length ? w[i] : 0);
        }
        return b.array();
    }

    static String format(BitSet bits) {
        StringBuilder sb = new StringBuilder();
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            int j = bits.nextClearBit(i) - 1;
            sb.append(sb.isEmpty() ? "" : ",").append(i).append(i == j ? "" : "-" + j);
            i = j;
        }
        return sb.toString();
    }
}
