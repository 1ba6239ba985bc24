package io.jruntime.cgroups;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Fake host layouts over a {@link FakeCgroupFs}: this machine's hybrid layout, a pure v2 and a legacy v1 host. */
final class Hosts {
    private Hosts() {}

    static Map<String, String> files(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static final Map<String, String> V1_COMMON = files("cgroup.procs", "", "tasks", "");

    static Map<String, String> v1Files(String controller) {
        Map<String, String> m = new LinkedHashMap<>(V1_COMMON);
        switch (controller) {
            case "memory" -> m.putAll(files("memory.limit_in_bytes", "9223372036854771712", "memory.memsw.limit_in_bytes",
                    "9223372036854771712", "memory.soft_limit_in_bytes", "9223372036854771712", "memory.oom_control",
                    "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", "memory.swappiness", "60", "memory.use_hierarchy", "1",
                    "memory.usage_in_bytes", "4096", "memory.max_usage_in_bytes", "8192", "memory.failcnt", "0",
                    "memory.stat", "cache 100\nrss 200\n", "memory.kmem.limit_in_bytes", "9223372036854771712"));
            case "cpu" -> m.putAll(files("cpu.shares", "1024", "cpu.cfs_period_us", "100000", "cpu.cfs_quota_us", "-1",
                    "cpu.cfs_burst_us", "0", "cpu.rt_period_us", "1000000", "cpu.rt_runtime_us", "0", "cpu.idle", "0",
                    "cpu.stat", "nr_periods 5\nnr_throttled 2\nthrottled_time 300\n"));
            case "cpuacct" -> m.putAll(files("cpuacct.usage", "1000", "cpuacct.stat", "user 3\nsystem 4\n",
                    "cpuacct.usage_percpu", "600 400 \n"));
            case "cpuset" -> m.putAll(files("cpuset.cpus", "", "cpuset.mems", ""));
            case "pids" -> m.putAll(files("pids.max", "max", "pids.current", "0"));
            case "devices" -> m.putAll(files("devices.allow", "", "devices.deny", "", "devices.list", "a *:* rwm\n"));
            case "freezer" -> m.putAll(files("freezer.state", "THAWED"));
            case "blkio" -> m.putAll(files("blkio.throttle.read_bps_device", "", "blkio.throttle.write_bps_device", "",
                    "blkio.throttle.read_iops_device", "", "blkio.throttle.write_iops_device", ""));
            default -> { }
        }
        return m;
    }

    static final String[] HYBRID_V1 = {"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids"};

    /** This machine: v1 controllers each on its own mount, name=systemd, and cgroup2 at .../unified with hugetlb. */
    static CgroupHost hybrid(FakeCgroupFs fs) {
        StringBuilder mi = new StringBuilder("31 23 0:28 / " + fs.root.resolve("sys/fs/cgroup") + " rw - tmpfs tmpfs rw\n");
        int id = 32;
        for (String c : HYBRID_V1) {
            Path mp = fs.mount("sys/fs/cgroup/" + c, false, v1Files(c));
            if (c.equals("cpuset")) {
                fs.set(mp.resolve("cpuset.cpus"), "0-1\n");
                fs.set(mp.resolve("cpuset.mems"), "0\n");
            }
            mi.append(id++).append(" 31 0:").append(id).append(" / ").append(mp).append(" rw,relatime - cgroup cgroup rw,").append(c).append('\n');
        }
        Path sd = fs.mount("sys/fs/cgroup/systemd", false, V1_COMMON);
        mi.append("40 31 0:37 / ").append(sd).append(" rw,relatime - cgroup cgroup rw,name=systemd\n");
        Path u = fs.mount("sys/fs/cgroup/unified", true, files("cgroup.procs", "", "cgroup.controllers", "hugetlb",
                "cgroup.subtree_control", "", "cgroup.freeze", "0", "cgroup.kill", "", "cgroup.events", "populated 0\nfrozen 0\n",
                "hugetlb.2MB.max", "max", "hugetlb.2MB.rsvd.max", "max", "hugetlb.1GB.max", "max", "hugetlb.1GB.rsvd.max", "max"));
        fs.set(u.resolve("cgroup.controllers"), "hugetlb\n");
        mi.append("41 31 0:38 / ").append(u).append(" rw,relatime - cgroup2 cgroup2 rw\n");
        String self = "9:name=systemd:/\n8:pids:/\n7:blkio:/\n6:freezer:/\n5:devices:/\n4:memory:/process_api/abc\n3:cpuset:/\n"
                + "2:cpuacct:/\n1:cpu:/\n0::/\n";
        return CgroupHost.parse(mi.toString(), self, fs);
    }

    static final Map<String, String> V2_FILES = files("cgroup.procs", "", "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma",
            "cgroup.subtree_control", "", "cgroup.freeze", "0", "cgroup.kill", "", "cgroup.events", "populated 0\nfrozen 0\n",
            "cgroup.type", "domain", "memory.max", "max", "memory.low", "0", "memory.high", "max", "memory.swap.max", "max",
            "memory.current", "4096", "memory.stat", "anon 10\nfile 20\n", "memory.events", "low 0\nhigh 0\nmax 1\noom 0\noom_kill 2\n",
            "cpu.max", "max 100000", "cpu.weight", "100", "cpu.max.burst", "0", "cpu.idle", "0",
            "cpu.stat", "usage_usec 7\nuser_usec 3\nsystem_usec 4\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n",
            "cpuset.cpus", "", "cpuset.mems", "", "pids.max", "max", "pids.current", "1", "io.max", "", "io.weight", "default 100",
            "io.stat", "8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n", "hugetlb.2MB.max", "max", "rdma.max", "");

    /** A pure v2 host, the runtime in /user.slice/session-1.scope. */
    static CgroupHost unified(FakeCgroupFs fs) {
        Path u = fs.mount("sys/fs/cgroup", true, V2_FILES);
        String mi = "30 23 0:26 / " + u + " rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
        return CgroupHost.parse(mi, "0::/user.slice/session-1.scope\n", fs);
    }

    /** A legacy v1 host with cpu,cpuacct co-mounted and net_cls,net_prio. */
    static CgroupHost legacy(FakeCgroupFs fs) {
        Map<String, String> cpuFiles = new LinkedHashMap<>(v1Files("cpu"));
        cpuFiles.putAll(v1Files("cpuacct"));
        Path cpu = fs.mount("sys/fs/cgroup/cpu,cpuacct", false, cpuFiles);
        Path mem = fs.mount("sys/fs/cgroup/memory", false, v1Files("memory"));
        Path net = fs.mount("sys/fs/cgroup/net_cls,net_prio", false, files("cgroup.procs", "", "net_cls.classid", "0",
                "net_prio.ifpriomap", ""));
        Path dev = fs.mount("sys/fs/cgroup/devices", false, v1Files("devices"));
        String mi = "32 31 0:29 / " + cpu + " rw - cgroup cgroup rw,cpu,cpuacct\n"
                + "33 31 0:30 / " + mem + " rw - cgroup cgroup rw,memory\n"
                + "34 31 0:31 / " + net + " rw - cgroup cgroup rw,net_cls,net_prio\n"
                + "35 31 0:32 / " + dev + " rw - cgroup cgroup rw,devices\n";
        return CgroupHost.parse(mi, "4:cpu,cpuacct:/\n3:memory:/\n2:net_cls,net_prio:/\n1:devices:/docker/x\n", fs);
    }
}
