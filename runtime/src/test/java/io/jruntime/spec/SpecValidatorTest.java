package io.jruntime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every semantic rule of {@link SpecValidator}, with its exact wording. */
class SpecValidatorTest {

    private static Spec spec(ObjectNode node) {
        return Json.mapper().convertValue(node, Spec.class);
    }

    private static List<String> errors(ObjectNode node) {
        return errors(node, SpecValidator.Options.DEFAULT);
    }

    private static List<String> errors(ObjectNode node, SpecValidator.Options options) {
        return SpecValidator.validate(spec(node), options).stream().filter(SpecProblem::isError)
                .map(SpecProblem::toString).toList();
    }

    private static List<String> warnings(ObjectNode node) {
        return SpecValidator.validate(spec(node)).stream().filter(p -> !p.isError())
                .map(SpecProblem::toString).toList();
    }

    /** MINIMAL with {@code field} of the object at {@code pointer} set to {@code json}. */
    private static ObjectNode with(String pointer, String field, String json) {
        return with(Specs.minimal(), pointer, field, json);
    }

    private static ObjectNode with(ObjectNode root, String pointer, String field, String json) {
        ObjectNode at = pointer.isEmpty() ? root : (ObjectNode) root.at(pointer);
        at.set(field, Specs.tree("{\"v\":" + json + "}").get("v"));
        return root;
    }

    private static ObjectNode namespaces(String... types) {
        StringBuilder sb = new StringBuilder("[");
        for (String t : types) {
            sb.append(sb.length() > 1 ? "," : "").append(t.startsWith("{") ? t : "{\"type\":\"" + t + "\"}");
        }
        return with("/linux", "namespaces", sb.append("]").toString());
    }

    @Test
    void validExamplesHaveNoProblems() {
        assertEquals(List.of(), SpecValidator.validate(spec(Specs.minimal())));
        assertEquals(List.of(), SpecValidator.validate(spec(Specs.tree(Specs.resource("full-config.json")))));
        assertEquals(List.of(), SpecValidator.validate(SpecTemplates.defaultSpec(false)));
        assertEquals(List.of(), SpecValidator.validate(SpecTemplates.rootless(SpecTemplates.defaultSpec(true), 1000, 1000)));
    }

    @Test
    void allProblemsAreCollected() {
        ObjectNode n = with("/process", "cwd", "\"tmp\"");
        with(n, "/process", "args", "[]");
        with(n, "", "hostname", "\"h\"");
        assertEquals(List.of(
                "process.args: must contain at least one entry",
                "process.cwd: \"tmp\" is not an absolute path",
                "hostname: unable to set hostname without a private UTS namespace"), errors(n));
    }

    // ------------------------------------------------------------ ociVersion

    @Test
    void ociVersionRange() {
        for (String ok : List.of("1.0.0", "1.0.2-dev", "1.1.0-rc.1", "1.2.1", "1.3.0", "1.3.7", "1.0.0+build.5")) {
            assertNull(SpecValidator.ociVersionProblem(ok), ok);
        }
        assertEquals("\"2.0.0\" is not supported (jruntime supports 1.0.0 to 1.3.x)",
                SpecValidator.ociVersionProblem("2.0.0"));
        assertEquals("\"1.4.0\" is not supported (jruntime supports 1.0.0 to 1.3.x)",
                SpecValidator.ociVersionProblem("1.4.0"));
        assertEquals("\"0.1.0\" is not supported (jruntime supports 1.0.0 to 1.3.x)",
                SpecValidator.ociVersionProblem("0.1.0"));
        assertEquals("\"1.0\" is not a valid SemVer version", SpecValidator.ociVersionProblem("1.0"));
        assertEquals("\"v1.0.0\" is not a valid SemVer version", SpecValidator.ociVersionProblem("v1.0.0"));
        assertEquals(List.of("ociVersion: is required"), errors(with("", "ociVersion", "null")));
    }

    // ------------------------------------------------------------ root

    @Test
    void rootIsRequired() {
        ObjectNode n = Specs.minimal();
        n.remove("root");
        assertEquals(List.of("root: is required on Linux"), errors(n));
        assertEquals(List.of("root.path: is required"), errors(with("", "root", "{\"readonly\": true}")));
    }

    // ------------------------------------------------------------ process

    @Test
    void processIsOptionalButCompleteWhenPresent() {
        ObjectNode n = Specs.minimal();
        n.remove("process");
        assertEquals(List.of(), errors(n));
        assertEquals(List.of("process.args: must contain at least one entry", "process.cwd: is required"),
                errors(with("", "process", "{\"user\": {\"uid\": 0, \"gid\": 0}}")));
        assertEquals(List.of("process.args[0]: must not be empty"), errors(with("/process", "args", "[\"\"]")));
        assertEquals(List.of("process.cwd: \"home\" is not an absolute path"), errors(with("/process", "cwd", "\"home\"")));
    }

    @Test
    void unknownCapabilitiesAreWarnings() {
        ObjectNode n = with("/process", "capabilities",
                "{\"bounding\": [\"CAP_KILL\", \"CAP_FOO\"], \"ambient\": [\"kill\"], \"permitted\": [\"CAP_CHECKPOINT_RESTORE\"]}");
        assertEquals(List.of(), errors(n));
        assertEquals(List.of(
                "process.capabilities.bounding[1]: unknown capability \"CAP_FOO\", ignored",
                "process.capabilities.ambient[0]: unknown capability \"kill\", ignored"), warnings(n));
    }

    @Test
    void rlimits() {
        assertEquals(List.of("process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\""),
                errors(with("/process", "rlimits", "[{\"type\": \"RLIMIT_FOO\", \"hard\": 1, \"soft\": 1}]")));
        assertEquals(List.of("process.rlimits[2].type: duplicate rlimit \"RLIMIT_NOFILE\" (first at process.rlimits[0])"),
                errors(with("/process", "rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1, \"soft\": 1},"
                        + "{\"type\": \"RLIMIT_CORE\", \"hard\": 1, \"soft\": 1},"
                        + "{\"type\": \"RLIMIT_NOFILE\", \"hard\": 2, \"soft\": 2}]")));
        assertEquals(List.of("process.rlimits[0]: soft limit 2048 is greater than hard limit 1024"),
                errors(with("/process", "rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 2048}]")));
        assertEquals(List.of("process.rlimits[0]: soft limit 18446744073709551615 is greater than hard limit 1024"),
                errors(with("/process", "rlimits",
                        "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 18446744073709551615}]")));
        assertEquals(List.of(), errors(with("/process", "rlimits",
                "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 18446744073709551615, \"soft\": 1024}]")));
        assertEquals(List.of("process.rlimits[0].type: is required", "process.rlimits[0].soft: is required"),
                errors(with("/process", "rlimits", "[{\"hard\": 1}]")));
    }

    @Test
    void oomScoreAdjRange() {
        assertEquals(List.of(), errors(with("/process", "oomScoreAdj", "-1000")));
        assertEquals(List.of("process.oomScoreAdj: 1001 is out of range (-1000 to 1000)"),
                errors(with("/process", "oomScoreAdj", "1001")));
    }

    @Test
    void scheduler() {
        assertEquals(List.of("process.scheduler.policy: is required"),
                errors(with("/process", "scheduler", "{\"nice\": 1}")));
        assertEquals(List.of("process.scheduler.policy: unknown policy \"SCHED_FAST\""),
                errors(with("/process", "scheduler", "{\"policy\": \"SCHED_FAST\"}")));
        assertEquals(List.of("process.scheduler.nice: 20 is out of range (-20 to 19)"),
                errors(with("/process", "scheduler", "{\"policy\": \"SCHED_OTHER\", \"nice\": 20}")));
        assertEquals(List.of("process.scheduler.priority: can only be set for SCHED_FIFO or SCHED_RR"),
                errors(with("/process", "scheduler", "{\"policy\": \"SCHED_OTHER\", \"priority\": 5}")));
        assertEquals(List.of(), errors(with("/process", "scheduler", "{\"policy\": \"SCHED_RR\", \"priority\": 5}")));
        assertEquals(List.of("process.scheduler: runtime, deadline and period can only be set for SCHED_DEADLINE"),
                errors(with("/process", "scheduler", "{\"policy\": \"SCHED_FIFO\", \"runtime\": 5}")));
        assertEquals(List.of("process.scheduler.flags[0]: unknown flag \"SCHED_FLAG_X\""),
                errors(with("/process", "scheduler", "{\"policy\": \"SCHED_BATCH\", \"flags\": [\"SCHED_FLAG_X\"]}")));
    }

    @Test
    void ioPriorityAndCpuAffinity() {
        assertEquals(List.of("process.ioPriority.class: unknown class \"IOPRIO_CLASS_X\" "
                        + "(IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE)",
                "process.ioPriority.priority: 8 is out of range (0 to 7)"),
                errors(with("/process", "ioPriority", "{\"class\": \"IOPRIO_CLASS_X\", \"priority\": 8}")));
        assertEquals(List.of("process.ioPriority.class: is required"),
                errors(with("/process", "ioPriority", "{\"priority\": 1}")));
        assertEquals(List.of("process.execCPUAffinity.initial: \"3-1\" is not a valid list such as \"0-3,7\"",
                "process.execCPUAffinity.final: \"a\" is not a valid list such as \"0-3,7\""),
                errors(with("/process", "execCPUAffinity", "{\"initial\": \"3-1\", \"final\": \"a\"}")));
        assertEquals(List.of(), errors(with("/process", "execCPUAffinity", "{\"initial\": \"0, 2-4 ,7\", \"final\": \"\"}")));
    }

    @Test
    void additionalGidsRange() {
        assertEquals(List.of("process.user.additionalGids[1]: 4294967296 is out of range for uint32"),
                errors(with("/process", "user", "{\"uid\": 0, \"gid\": 0, \"additionalGids\": [1, 4294967296]}")));
    }

    @Test
    void processDocumentForExec() {
        Process p = Json.mapper().convertValue(Specs.tree("{\"args\": [], \"cwd\": \"x\"}"), Process.class);
        assertEquals(List.of("args: must contain at least one entry", "cwd: \"x\" is not an absolute path"),
                SpecValidator.validateProcess(p).stream().map(SpecProblem::toString).toList());
    }

    // ------------------------------------------------------------ mounts

    @Test
    void mounts() {
        ObjectNode n = with("", "mounts", "[{\"destination\": \"tmp\", \"type\": \"tmpfs\", \"source\": \"tmpfs\","
                + " \"options\": [\"weird-fs-option=1\", \"rro\"]}, {\"type\": \"proc\"}]");
        assertEquals(List.of("mounts[1].destination: is required"), errors(n));
        assertEquals(List.of("mounts[0].destination: relative destination \"tmp\" is deprecated, using it as relative to \"/\""),
                warnings(n));
    }

    @Test
    void mountIdMappings() {
        String map = "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}]";
        assertEquals(List.of("mounts[0]: uidMappings and gidMappings must be set together"),
                errors(with("", "mounts", "[{\"destination\": \"/d\", \"source\": \"/s\", \"options\": [\"bind\", \"idmap\"],"
                        + " \"uidMappings\": " + map + "}]")));
        assertEquals(List.of("mounts[0].options: \"idmap\" needs uidMappings and gidMappings on the mount or a user namespace"),
                errors(with("", "mounts", "[{\"destination\": \"/d\", \"source\": \"/s\", \"options\": [\"bind\", \"idmap\"]}]")));
        assertEquals(List.of(), errors(with("", "mounts", "[{\"destination\": \"/d\", \"source\": \"/s\","
                + " \"options\": [\"rbind\", \"ridmap\"], \"uidMappings\": " + map + ", \"gidMappings\": " + map + "}]")));
        assertEquals(List.of("mounts[0].uidMappings[0].size: must be at least 1"),
                errors(with("", "mounts", "[{\"destination\": \"/d\", \"source\": \"/s\", \"options\": [\"bind\"],"
                        + " \"uidMappings\": [{\"containerID\": 0, \"hostID\": 0, \"size\": 0}], \"gidMappings\": " + map + "}]")));
    }

    // ------------------------------------------------------------ hooks, annotations

    @Test
    void hooks() {
        assertEquals(List.of(
                "hooks.prestart[0].path: \"fix-mounts\" is not an absolute path",
                "hooks.createContainer[0].path: is required",
                "hooks.poststart[0].timeout: must be greater than zero, got 0",
                "hooks.poststop[1].timeout: must be greater than zero, got -3"),
                errors(with("", "hooks", "{\"prestart\": [{\"path\": \"fix-mounts\"}],"
                        + " \"createContainer\": [{\"args\": [\"x\"]}],"
                        + " \"poststart\": [{\"path\": \"/bin/true\", \"timeout\": 0}],"
                        + " \"poststop\": [{\"path\": \"/bin/true\", \"timeout\": 1}, {\"path\": \"/bin/true\", \"timeout\": -3}]}")));
    }

    @Test
    void annotationKeysMustNotBeEmpty() {
        assertEquals(List.of("annotations: keys must not be empty"), errors(with("", "annotations", "{\"\": \"x\"}")));
    }

    // ------------------------------------------------------------ uts

    @Test
    void hostnameAndDomainnameNeedUts() {
        ObjectNode n = with("", "hostname", "\"box\"");
        with(n, "", "domainname", "\"example.org\"");
        assertEquals(List.of("hostname: unable to set hostname without a private UTS namespace",
                "domainname: unable to set domainname without a private UTS namespace"), errors(n));
        with(n, "/linux", "namespaces", "[{\"type\": \"uts\", \"path\": \"/proc/1/ns/uts\"}]");
        assertEquals(List.of(), errors(n));
    }

    // ------------------------------------------------------------ namespaces

    @Test
    void namespaceTypes() {
        assertEquals(List.of(
                "linux.namespaces[1].type: unknown namespace type \"net\"",
                "linux.namespaces[2].type: duplicate namespace \"pid\" (first at linux.namespaces[0])",
                "linux.namespaces[3].type: is required",
                "linux.namespaces[4].path: \"proc/1/ns/ipc\" is not an absolute path"),
                errors(namespaces("pid", "net", "pid", "{\"path\": \"/x\"}", "{\"type\": \"ipc\", \"path\": \"proc/1/ns/ipc\"}")));
    }

    @Test
    void userNamespaceMappings() {
        String map = "[{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]";
        ObjectNode noUserns = with("/linux", "uidMappings", map);
        with(noUserns, "/linux", "gidMappings", map);
        assertEquals(List.of(
                "linux.uidMappings: user namespace mappings specified, but there is no user namespace in linux.namespaces",
                "linux.gidMappings: user namespace mappings specified, but there is no user namespace in linux.namespaces"),
                errors(noUserns));

        ObjectNode joined = with(noUserns.deepCopy(), "/linux", "namespaces",
                "[{\"type\": \"pid\"}, {\"type\": \"user\", \"path\": \"/proc/1/ns/user\"}]");
        assertEquals(List.of(
                "linux.uidMappings: cannot be set when joining an existing user namespace (linux.namespaces[1].path)",
                "linux.gidMappings: cannot be set when joining an existing user namespace (linux.namespaces[1].path)"),
                errors(joined));

        ObjectNode newUserns = namespaces("pid", "user");
        with(newUserns, "/linux", "uidMappings", map);
        assertEquals(List.of("linux.gidMappings: required to create a new user namespace (linux.namespaces[1])"),
                errors(newUserns));

        assertEquals(List.of(), errors(namespaces("pid", "{\"type\": \"user\", \"path\": \"/proc/1/ns/user\"}")));
    }

    @Test
    void idMappingRanges() {
        ObjectNode n = namespaces("user");
        with(n, "/linux", "uidMappings", "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 10},"
                + "{\"containerID\": 5, \"hostID\": 5000, \"size\": 10},"
                + "{\"containerID\": 100, \"hostID\": 1005, \"size\": 1},"
                + "{\"containerID\": 4294967295, \"hostID\": 1, \"size\": 2},"
                + "{\"hostID\": 1, \"size\": 0}]");
        with(n, "/linux", "gidMappings", "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}]");
        assertEquals(List.of(
                "linux.uidMappings[1]: overlaps linux.uidMappings[0]",
                "linux.uidMappings[2]: overlaps linux.uidMappings[0]",
                "linux.uidMappings[3]: range goes beyond the largest id 4294967295",
                "linux.uidMappings[4].containerID: is required",
                "linux.uidMappings[4].size: must be at least 1"), errors(n));
    }

    @Test
    void timeOffsets() {
        String offsets = "{\"monotonic\": {\"secs\": 1}, \"realtime\": {\"secs\": 1}, \"boottime\": {\"nanosecs\": 1000000000}}";
        ObjectNode n = with("/linux", "timeOffsets", offsets);
        assertEquals(List.of(
                "linux.timeOffsets: time namespace offsets specified, but there is no time namespace in linux.namespaces",
                "linux.timeOffsets[\"realtime\"]: unknown clock (monotonic or boottime)",
                "linux.timeOffsets[\"boottime\"].nanosecs: 1000000000 is out of range (0 to 999999999)"), errors(n));
        ObjectNode joined = with(namespaces("{\"type\": \"time\", \"path\": \"/proc/1/ns/time\"}"), "/linux", "timeOffsets",
                "{\"monotonic\": {\"secs\": 1}}");
        assertEquals(List.of("linux.timeOffsets: cannot be set when joining an existing time namespace "
                + "(linux.namespaces[0].path)"), errors(joined));
        assertEquals(List.of(), errors(with(namespaces("time"), "/linux", "timeOffsets", "{\"boottime\": {\"secs\": -5}}")));
    }

    // ------------------------------------------------------------ devices

    @Test
    void devices() {
        assertEquals(List.of(
                "linux.devices[0].path: \"dev/fuse\" is not an absolute path",
                "linux.devices[1].type: \"x\" is not a device type (c, b, u or p)",
                "linux.devices[2].major: is required for type \"c\"",
                "linux.devices[2].minor: is required for type \"c\"",
                "linux.devices[3].path: is required",
                "linux.devices[3].type: is required"),
                errors(with("/linux", "devices", "[{\"path\": \"dev/fuse\", \"type\": \"c\", \"major\": 10, \"minor\": 229},"
                        + "{\"path\": \"/dev/x\", \"type\": \"x\"}, {\"path\": \"/dev/c\", \"type\": \"c\"}, {},"
                        + "{\"path\": \"/dev/fifo\", \"type\": \"p\"}]")));
    }

    @Test
    void deviceCgroupRules() {
        assertEquals(List.of(
                "linux.resources.devices[0].allow: is required",
                "linux.resources.devices[1].type: \"p\" is not a device type (a, c or b)",
                "linux.resources.devices[1].access: \"rwx\" is not made of r, w and m"),
                errors(with("/linux", "resources", "{\"devices\": [{\"access\": \"r\"},"
                        + " {\"allow\": true, \"type\": \"p\", \"access\": \"rwx\"}, {\"allow\": true, \"type\": \"a\"}]}")));
    }

    // ------------------------------------------------------------ netDevices

    @Test
    void netDevices() {
        ObjectNode n = with("/linux", "netDevices", "{\"eth0\": {\"name\": \"c0\"}, \"eth1\": {\"name\": \"c0\"},"
                + " \"bad/name\": {}, \"eth2\": {\"name\": \"averyveryverylongname\"}, \"eth3\": {\"name\": \"net%d\"},"
                + " \"eth4\": {\"name\": \"net%d\"}}");
        assertEquals(List.of(
                "linux.netDevices: network devices can only be moved into a network namespace, but there is none in linux.namespaces",
                "linux.netDevices[\"eth1\"]: name \"c0\" is also used for linux.netDevices[\"eth0\"]",
                "linux.netDevices[\"bad/name\"]: \"bad/name\" is not a valid interface name",
                "linux.netDevices[\"eth2\"].name: \"averyveryverylongname\" is not a valid interface name"), errors(n));
        assertEquals(List.of(), errors(with(namespaces("network"), "/linux", "netDevices", "{\"eth0\": {}}")));
    }

    // ------------------------------------------------------------ sysctl

    @Test
    void sysctlNeedsTheRightNamespace() {
        ObjectNode n = with("/linux", "sysctl", "{\"kernel.shmmax\": \"1\", \"fs.mqueue.msg_max\": \"1\","
                + " \"net.ipv4.ip_forward\": \"1\", \"kernel.domainname\": \"x\", \"vm.swappiness\": \"1\"}");
        assertEquals(List.of(
                "linux.sysctl: sysctl \"kernel.shmmax\" is not allowed in the hosts ipc namespace",
                "linux.sysctl: sysctl \"fs.mqueue.msg_max\" is not allowed in the hosts ipc namespace",
                "linux.sysctl: sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace",
                "linux.sysctl: sysctl \"kernel.domainname\" is not in a separate kernel namespace",
                "linux.sysctl: sysctl \"vm.swappiness\" is not in a separate kernel namespace"), errors(n));
        ObjectNode ok = with(namespaces("ipc", "uts", "{\"type\": \"network\", \"path\": \"/var/run/netns/a\"}"),
                "/linux", "sysctl", "{\"kernel.msgmax\": \"1\", \"kernel/sem\": \"1 2 3 4\","
                        + " \"net/ipv4/conf/eno2.100/rp_filter\": \"1\", \"kernel.domainname\": \"x\"}");
        assertEquals(List.of(), errors(ok));
        assertEquals(List.of("linux.sysctl: sysctl \"kernel.hostname\" is not allowed as it conflicts with the OCI \"hostname\" field"),
                errors(with(namespaces("uts"), "/linux", "sysctl", "{\"kernel.hostname\": \"x\"}")));
        assertEquals("net.ipv4.conf.eno2/100.rp_filter", SpecValidator.dotted("net/ipv4/conf/eno2.100/rp_filter"));
        assertEquals("net.ipv4.ip_forward", SpecValidator.dotted("net.ipv4.ip_forward"));
    }

    // ------------------------------------------------------------ cgroupsPath

    @Test
    void cgroupsPath() {
        assertEquals(List.of(), errors(with("/linux", "cgroupsPath", "\"/myRuntime/myContainer\"")));
        assertEquals(List.of(), errors(with("/linux", "cgroupsPath", "\"relative/path\"")));
        assertEquals(List.of("linux.cgroupsPath: \"..\" is not allowed in \"/a/../../b\""),
                errors(with("/linux", "cgroupsPath", "\"/a/../../b\"")));
        SpecValidator.Options systemd = new SpecValidator.Options(true);
        assertEquals(List.of(), errors(with("/linux", "cgroupsPath", "\"machine.slice:libpod:abc\""), systemd));
        assertEquals(List.of(), errors(with("/linux", "cgroupsPath", "\":jruntime:abc\""), systemd));
        assertEquals(List.of("linux.cgroupsPath: expected \"slice:prefix:name\" for systemd cgroups, got \"/a/b\""),
                errors(with("/linux", "cgroupsPath", "\"/a/b\""), systemd));
        assertEquals(List.of("linux.cgroupsPath: invalid slice name \"machine\"",
                "linux.cgroupsPath: invalid unit name \"\""),
                errors(with("/linux", "cgroupsPath", "\"machine:p:\""), systemd));
    }

    // ------------------------------------------------------------ resources

    @Test
    void resources() {
        assertEquals(List.of(
                "linux.resources.memory.limit: -2 is not valid (bytes, or -1 for unlimited)",
                "linux.resources.memory.swappiness: 101 is out of range (0 to 100)",
                "linux.resources.cpu.burst: 2000 is larger than quota 1000",
                "linux.resources.cpu.idle: 2 is not 0 or 1",
                "linux.resources.cpu.cpus: \"0-\" is not a valid list such as \"0-3,7\"",
                "linux.resources.pids.limit: -5 is not valid (a count, or -1 for no limit)",
                "linux.resources.blockIO.weightDevice[0]: at least one of weight and leafWeight is required",
                "linux.resources.blockIO.throttleReadBpsDevice[0].minor: is required",
                "linux.resources.blockIO.throttleReadBpsDevice[0].rate: is required",
                "linux.resources.hugepageLimits[0].pageSize: \"2M\" is not a page size such as 2MB",
                "linux.resources.network.priorities[0].priority: is required",
                "linux.resources.rdma[\"mlx4_0\"]: at least one of hcaHandles and hcaObjects is required",
                "linux.resources.unified[\"../../etc/passwd\"]: must be a cgroup file name in the form CONTROLLER.PARAMETER",
                "linux.resources.unified[\"memory\"]: must be a cgroup file name in the form CONTROLLER.PARAMETER"),
                errors(with("/linux", "resources", """
                        {"memory": {"limit": -2, "swap": -1, "swappiness": 101},
                         "cpu": {"quota": 1000, "burst": 2000, "idle": 2, "cpus": "0-"},
                         "pids": {"limit": -5},
                         "blockIO": {"weightDevice": [{"major": 8, "minor": 0}],
                                     "throttleReadBpsDevice": [{"major": 8}]},
                         "hugepageLimits": [{"pageSize": "2M", "limit": 1}],
                         "network": {"priorities": [{"name": "eth0"}]},
                         "rdma": {"mlx4_0": {}},
                         "unified": {"memory.max": "max", "../../etc/passwd": "x", "memory": "1"}}
                        """)));
        assertEquals(List.of(), errors(with("/linux", "resources",
                "{\"cpu\": {\"quota\": -1, \"burst\": 2000}, \"memory\": {\"limit\": -1}, \"pids\": {\"limit\": -1}}")));
    }

    @Test
    void resourcesDocumentForUpdate() {
        LinuxResources r = Json.mapper().convertValue(Specs.tree("{\"pids\": {\"limit\": -3}}"), LinuxResources.class);
        assertEquals(List.of("pids.limit: -3 is not valid (a count, or -1 for no limit)"),
                SpecValidator.validateResources(r).stream().map(SpecProblem::toString).toList());
    }

    // ------------------------------------------------------------ seccomp

    @Test
    void seccompNamesAndErrnoRet() {
        assertEquals(List.of(
                "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_MAYBE\"",
                "linux.seccomp.architectures[1]: unknown architecture \"x86_64\"",
                "linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_NEW\"",
                "linux.seccomp.syscalls[0].names: must contain at least one entry",
                "linux.seccomp.syscalls[0].errnoRet: only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_ALLOW",
                "linux.seccomp.syscalls[1].action: unknown action \"ALLOW\"",
                "linux.seccomp.syscalls[1].args[0].index: 6 is out of range (0 to 5)",
                "linux.seccomp.syscalls[1].args[0].op: unknown operator \"SCMP_CMP_IN\"",
                "linux.seccomp.syscalls[1].args[1].value: is required",
                "linux.seccomp.syscalls[1].args[1].op: is required"),
                errors(with("/linux", "seccomp", """
                        {"defaultAction": "SCMP_ACT_MAYBE",
                         "architectures": ["SCMP_ARCH_X86_64", "x86_64"],
                         "flags": ["SECCOMP_FILTER_FLAG_NEW"],
                         "syscalls": [
                           {"names": [], "action": "SCMP_ACT_ALLOW", "errnoRet": 1},
                           {"names": ["read"], "action": "ALLOW",
                            "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_IN"}, {"index": 0}]}]}
                        """)));
    }

    @Test
    void seccompDefaultErrnoRetAndNotify() {
        assertEquals(List.of("linux.seccomp.defaultErrnoRet: only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_KILL"),
                errors(with("/linux", "seccomp", "{\"defaultAction\": \"SCMP_ACT_KILL\", \"defaultErrnoRet\": 1}")));
        assertEquals(List.of(), errors(with("/linux", "seccomp", "{\"defaultAction\": \"SCMP_ACT_TRACE\", \"defaultErrnoRet\": 1}")));
        assertEquals(List.of("linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action",
                "linux.seccomp.listenerMetadata: must not be set without listenerPath"),
                errors(with("/linux", "seccomp", "{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"listenerMetadata\": \"m\"}")));
        assertEquals(List.of("linux.seccomp.listenerPath: is required when SCMP_ACT_NOTIFY is used"),
                errors(with("/linux", "seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\","
                        + " \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}")));
        assertEquals(List.of("linux.seccomp.defaultAction: is required"),
                errors(with("/linux", "seccomp", "{\"syscalls\": []}")));
        assertEquals(List.of("linux.seccomp.listenerPath: \"@agent\" must be an absolute path"),
                errors(with("/linux", "seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"@agent\","
                        + " \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}")));
        assertEquals(List.of(), errors(with("/linux", "seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"x\"}")),
                "without SCMP_ACT_NOTIFY the spec ignores listenerPath");
    }

    // ------------------------------------------------------------ rootfsPropagation, paths

    @Test
    void rootfsPropagation() {
        for (String ok : List.of("shared", "slave", "private", "unbindable", "rslave", "rprivate")) {
            assertEquals(List.of(), errors(with("/linux", "rootfsPropagation", "\"" + ok + "\"")), ok);
        }
        assertEquals(List.of("linux.rootfsPropagation: \"rw\" is not valid (shared, slave, private or unbindable)"),
                errors(with("/linux", "rootfsPropagation", "\"rw\"")));
    }

    @Test
    void maskedAndReadonlyPaths() {
        ObjectNode n = with("/linux", "maskedPaths", "[\"/proc/kcore\", \"proc/keys\"]");
        with(n, "/linux", "readonlyPaths", "[\"sys\"]");
        assertEquals(List.of("linux.maskedPaths[1]: \"proc/keys\" is not an absolute path",
                "linux.readonlyPaths[0]: \"sys\" is not an absolute path"), errors(n));
        ObjectNode noMountNs = with(namespaces("pid"), "/linux", "readonlyPaths", "[\"/proc/sys\"]");
        assertEquals(List.of("linux.readonlyPaths: unable to restrict sys entries without a private MNT namespace"),
                errors(noMountNs));
    }

    // ------------------------------------------------------------ intelRdt, memoryPolicy, personality

    @Test
    void intelRdt() {
        assertEquals(List.of(
                "linux.intelRdt.closID: \"../x\" is not a valid class of service name",
                "linux.intelRdt.memBwSchema: must start with \"MB:\" and not contain newlines",
                "linux.intelRdt.schemata[0]: must not contain newlines"),
                errors(with("/linux", "intelRdt", "{\"closID\": \"../x\", \"memBwSchema\": \"L3:0=1\","
                        + " \"schemata\": [\"L3:0=1\\nMB:0=2\"]}")));
        assertEquals(List.of(), errors(with("/linux", "intelRdt", "{\"closID\": \"/\", \"enableMonitoring\": true}")));
    }

    @Test
    void memoryPolicy() {
        assertEquals(List.of("linux.memoryPolicy.mode: unknown mode \"MPOL_FAST\"",
                "linux.memoryPolicy.flags[0]: unknown flag \"MPOL_F_X\""),
                errors(with("/linux", "memoryPolicy", "{\"mode\": \"MPOL_FAST\", \"flags\": [\"MPOL_F_X\"]}")));
        assertEquals(List.of("linux.memoryPolicy.nodes: is required for MPOL_BIND"),
                errors(with("/linux", "memoryPolicy", "{\"mode\": \"MPOL_BIND\"}")));
        assertEquals(List.of("linux.memoryPolicy.nodes: must be empty for MPOL_LOCAL"),
                errors(with("/linux", "memoryPolicy", "{\"mode\": \"MPOL_LOCAL\", \"nodes\": \"0\"}")));
        assertEquals(List.of("linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES cannot be used together"),
                errors(with("/linux", "memoryPolicy", "{\"mode\": \"MPOL_PREFERRED\","
                        + " \"flags\": [\"MPOL_F_STATIC_NODES\", \"MPOL_F_RELATIVE_NODES\"]}")));
        assertEquals(List.of("linux.memoryPolicy.mode: is required"),
                errors(with("/linux", "memoryPolicy", "{\"nodes\": \"0-1\"}")));
    }

    @Test
    void personality() {
        assertEquals(List.of("linux.personality.domain: unknown domain \"LINUX64\" (LINUX or LINUX32)",
                "linux.personality.flags[0]: unknown flag \"ADDR_NO_RANDOMIZE\" (no flags are supported)"),
                errors(with("/linux", "personality", "{\"domain\": \"LINUX64\", \"flags\": [\"ADDR_NO_RANDOMIZE\"]}")));
        assertEquals(List.of(), errors(with("/linux", "personality", "{\"domain\": \"LINUX\"}")));
    }

    @Test
    void quoteEscapesLikeGo() {
        assertEquals("\"a\\\"b\\n\\x01\"", SpecValidator.quote("a\"b\n\u0001"));
    }
}
