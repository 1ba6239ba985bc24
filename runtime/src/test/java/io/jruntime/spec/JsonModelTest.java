package io.jruntime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.JRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records and {@link Json}: round trips, unknown properties, strict types, unsigned numbers. */
class JsonModelTest {

    private static String error(String json) {
        return assertThrows(JRuntimeException.class, () -> Specs.parse(json)).getMessage();
    }

    /** MINIMAL with {@code "field": value} spliced into the object at {@code pointer}. */
    private static String with(String pointer, String field, String valueJson) {
        ObjectNode root = Specs.minimal();
        ObjectNode at = pointer.isEmpty() ? root : (ObjectNode) root.at(pointer);
        at.set(field, Specs.tree("{\"v\":" + valueJson + "}").get("v"));
        return root.toString();
    }

    @Test
    void fullExampleRoundTrips() {
        byte[] original = Specs.resource("full-config.json");
        Spec spec = Specs.parse(original);
        JsonNode written = Specs.tree(Json.writePretty(spec));
        assertEquals(Specs.tree(original), written);
        // and again, from what we wrote
        assertEquals(spec, Specs.parse(Json.writePretty(spec)));
    }

    @Test
    void fullExampleFieldsAreMapped() {
        Spec spec = Specs.parse(Specs.resource("full-config.json"));
        assertEquals("1.3.0", spec.ociVersion());
        assertTrue(spec.process().terminalEnabled());
        assertEquals(80L, spec.process().consoleSize().width());
        assertEquals(63L, spec.process().user().umask());
        assertEquals(List.of(5L, 6L), spec.process().user().additionalGids());
        assertEquals("IOPRIO_CLASS_IDLE", spec.process().ioPriority().ioClass());
        assertEquals("0-3,7", spec.process().execCPUAffinity().finalCpus());
        assertEquals(100, spec.process().oomScoreAdj());
        assertEquals("SCHED_DEADLINE", spec.process().scheduler().policy());
        assertEquals(6, spec.hooks().byName().size());
        assertEquals("/usr/bin/refresh-ldcache", spec.hooks().startContainer().get(0).path());
        assertEquals(5, spec.hooks().poststart().get(0).timeout());
        assertTrue(spec.mounts().get(7).isBind());
        assertEquals(1000L, spec.mounts().get(7).uidMappings().get(0).hostID());
        Linux l = spec.linux();
        assertEquals("container_eth0", l.netDevices().get("eth0").name());
        assertNull(l.netDevices().get("ens4").name());
        assertEquals(1L, l.seccomp().defaultErrnoRet());
        assertEquals(38L, l.seccomp().syscalls().get(4).errnoRet());
        assertEquals("LINUX32", l.personality().domain());
        assertEquals("MPOL_INTERLEAVE", l.memoryPolicy().mode());
        assertTrue(l.intelRdt().enableMonitoring());
        assertEquals(172800L, l.timeOffsets().get("monotonic").secs());
        assertEquals(10000L, l.resources().rdma().get("mlx5_1").hcaObjects());
        assertEquals("1073741824", l.resources().unified().get("hugetlb.1GB.max"));
        assertEquals(1L, l.resources().cpu().idle());
        assertTrue(l.resources().memory().checkBeforeUpdate());
        assertEquals(500L, l.resources().blockIO().weightDevice().get(1).weight());
        assertNull(l.resources().blockIO().weightDevice().get(1).leafWeight());
        assertEquals("svc:/milestone/container:default", spec.solaris().get("milestone").asText());
        assertNull(spec.windows());
    }

    @Test
    void absentDiffersFromZero() {
        Spec spec = Specs.parse(with("/process", "oomScoreAdj", "0"));
        assertEquals(0, spec.process().oomScoreAdj());
        assertNull(Specs.parse(Specs.MINIMAL).process().oomScoreAdj());
        Spec limits = Specs.parse(with("/linux", "resources", "{\"memory\": {\"limit\": 0}, \"pids\": {\"limit\": 0}}"));
        assertEquals(0L, limits.linux().resources().memory().limit());
        assertNull(limits.linux().resources().memory().swap());
        assertEquals(0L, limits.linux().resources().pids().limit());
        // absent fields are not written back
        String written = new String(Json.write(Specs.parse(Specs.MINIMAL)), StandardCharsets.UTF_8);
        assertFalse(written.contains("null"), written);
        assertFalse(written.contains("terminal"), written);
    }

    @Test
    void unknownPropertiesAreIgnoredEverywhere() {
        ObjectNode root = Specs.minimal();
        root.put("futureTopLevel", "x");
        ((ObjectNode) root.get("process")).putObject("futureObject").put("a", 1);
        ((ObjectNode) root.at("/process/user")).put("sid", "S-1-5");
        ((ObjectNode) root.at("/root")).putArray("layers").add(1);
        ((ObjectNode) root.at("/linux")).put("futureLinux", true);
        ((ObjectNode) root.at("/linux/namespaces/0")).put("flags", 7);
        root.putObject("windows").put("layerFolders", "C:\\");
        Spec spec = Specs.parse(root.toString());
        assertEquals("pid", spec.linux().namespaces().get(0).type());
        assertEquals("rootfs", spec.root().path());
        assertEquals("C:\\", spec.windows().get("layerFolders").asText());
    }

    @Test
    void uint64AboveLongMaxIsKeptAsBitPattern() {
        Spec spec = Specs.parse(Specs.resource("full-config.json"));
        PosixRlimit nofile = spec.process().rlimits().get(1);
        assertEquals(-1L, nofile.hard()); // RLIM_INFINITY
        assertEquals("18446744073709551615", Long.toUnsignedString(nofile.hard()));
        LinuxSeccompArg clone = spec.linux().seccomp().syscalls().get(2).args().get(0);
        assertEquals(0xFFFF_FFFF_8000_0000L, clone.value());
        assertEquals(-1L, spec.linux().resources().blockIO().throttleWriteBpsDevice().get(0).rate());
        String written = new String(Json.write(spec), StandardCharsets.UTF_8);
        assertTrue(written.contains("\"hard\":18446744073709551615"), written);
        assertTrue(written.contains("\"value\":18446744071562067968"), written);
    }

    @Test
    void uint64OutOfRangeIsAnErrorNamingTheField() {
        String rl = "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": %s, \"soft\": 1}]";
        assertEquals("config.json: process.rlimits[0].hard: 18446744073709551616 is out of range for uint64",
                error(with("/process", "rlimits", rl.formatted("18446744073709551616"))));
        assertEquals("config.json: process.rlimits[0].hard: -1 is out of range for uint64 (must not be negative)",
                error(with("/process", "rlimits", rl.formatted("-1"))));
        assertEquals("config.json: process.rlimits[0].hard: expected an integer, got number 1.5",
                error(with("/process", "rlimits", rl.formatted("1.5"))));
        assertEquals("config.json: process.rlimits[0].hard: expected an integer, got string \"1024\"",
                error(with("/process", "rlimits", rl.formatted("\"1024\""))));
    }

    @Test
    void uint32Range() {
        assertEquals("config.json: process.user.uid: 4294967296 is out of range for uint32 (at most 4294967295)",
                error(with("/process", "user", "{\"uid\": 4294967296, \"gid\": 0}")));
        assertEquals(4294967295L, Specs.parse(with("/process", "user", "{\"uid\": 4294967295, \"gid\": 0}"))
                .process().user().uid());
        assertEquals("config.json: process.user.gid: -5 is out of range for uint32 (must not be negative)",
                error(with("/process", "user", "{\"uid\": 0, \"gid\": -5}")));
        assertEquals("config.json: linux.uidMappings[0].size: 99999999999999999999 is out of range for uint32",
                error(with("/linux", "uidMappings", "[{\"containerID\": 0, \"hostID\": 0, \"size\": 99999999999999999999}]")));
    }

    @Test
    void uint16Range() {
        assertEquals("config.json: linux.resources.blockIO.weight: 65536 is out of range for uint16 (at most 65535)",
                error(with("/linux", "resources", "{\"blockIO\": {\"weight\": 65536}}")));
        assertEquals(65535L, Specs.parse(with("/linux", "resources", "{\"blockIO\": {\"weight\": 65535}}"))
                .linux().resources().blockIO().weight());
    }

    @Test
    void typeErrorsNameTheField() {
        assertEquals("config.json: process.user.uid: expected an integer, got string \"abc\"",
                error(with("/process", "user", "{\"uid\": \"abc\", \"gid\": 0}")));
        assertEquals("config.json: process.terminal: expected a boolean, got string \"true\"",
                error(with("/process", "terminal", "\"true\"")));
        assertEquals("config.json: process.terminal: expected a boolean, got number 1",
                error(with("/process", "terminal", "1")));
        assertEquals("config.json: process.cwd: expected a string, got number 1",
                error(with("/process", "cwd", "1")));
        assertEquals("config.json: process.args: expected an array, got string \"sh\"",
                error(with("/process", "args", "\"sh\"")));
        assertEquals("config.json: process.args[1]: expected a string, got boolean true",
                error(with("/process", "args", "[\"sh\", true]")));
        assertEquals("config.json: root: expected an object, got string \"rootfs\"",
                error(with("", "root", "\"rootfs\"")));
        assertEquals("config.json: process.oomScoreAdj: expected an integer, got number 1.0",
                error(with("/process", "oomScoreAdj", "1.0")));
        assertEquals("config.json: linux.namespaces[1].type: expected a string, got an object",
                error(with("/linux", "namespaces", "[{\"type\": \"pid\"}, {\"type\": {}}]")));
        assertEquals("config.json: annotations[\"com.example\"]: expected a string, got number 2",
                error(with("", "annotations", "{\"com.example\": 2}")));
        assertEquals("config.json: linux.sysctl[\"net.core.somaxconn\"]: expected a string, got number 256",
                error(with("/linux", "sysctl", "{\"net.core.somaxconn\": 256}")));
    }

    @Test
    void intOverflowNamesTheField() {
        assertEquals("config.json: process.oomScoreAdj: 99999999999 is out of range for int32",
                error(with("/process", "oomScoreAdj", "99999999999")));
        assertEquals("config.json: linux.resources.memory.limit: 9223372036854775808 is out of range for int64",
                error(with("/linux", "resources", "{\"memory\": {\"limit\": 9223372036854775808}}")));
    }

    @Test
    void nullsInsideArraysAndMapsAreErrors() {
        assertEquals("config.json: process.args[1]: must not be null",
                error(with("/process", "args", "[\"sh\", null]")));
        assertEquals("config.json: annotations[\"a\"]: must not be null",
                error(with("", "annotations", "{\"a\": null}")));
        // a null object is just absent
        assertNull(Specs.parse(with("", "hooks", "null")).hooks());
    }

    @Test
    void prettyOutputLooksLikeRunc() {
        String out = new String(Json.writePretty(new LinuxNamespace("pid", null)), StandardCharsets.UTF_8);
        assertEquals("{\n\t\"type\": \"pid\"\n}", out);
        String empty = new String(Json.writePretty(new LinuxCapabilities(List.of(), null, null, null, null)),
                StandardCharsets.UTF_8);
        assertEquals("{\n\t\"bounding\": []\n}", empty);
    }

    @Test
    void containerProcessStateForSeccompAgents() {
        State state = new State("1.3.0", "c1", 4422, State.CREATING, "/b", null, null, null, null);
        String json = new String(Json.write(new ContainerProcessState("1.3.0", List.of("seccompFd"), 4422, "m", state)),
                StandardCharsets.UTF_8);
        assertEquals("{\"ociVersion\":\"1.3.0\",\"fds\":[\"seccompFd\"],\"pid\":4422,\"metadata\":\"m\","
                + "\"state\":{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"pid\":4422,\"status\":\"creating\",\"bundle\":\"/b\"}}",
                json);
    }

    @Test
    void featuresExampleRoundTrips() {
        byte[] original = Specs.resource("features.json");
        Features f = Json.mapper().convertValue(Specs.tree(original), Features.class);
        assertEquals("1.0.0", f.ociVersionMin());
        assertTrue(f.linux().mountExtensions().idmap().enabled());
        assertTrue(f.linux().intelRdt().monitoring());
        assertEquals(7, f.linux().memoryPolicy().modes().size());
        assertEquals(Specs.tree(original), Specs.tree(Json.write(f)));
    }
}
