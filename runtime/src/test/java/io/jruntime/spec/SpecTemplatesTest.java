package io.jruntime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code spec} output against what {@code runc spec} and {@code runc spec --rootless} (runc 1.1.5, run as
 * root on a cgroup v1 host) wrote, with ociVersion changed to 1.3.0: byte for byte.
 */
class SpecTemplatesTest {

    @Test
    void defaultSpecIsRuncSpecByteForByte() {
        String ours = new String(Json.writePretty(SpecTemplates.defaultSpec(false)), StandardCharsets.UTF_8);
        assertEquals(Specs.resourceText("runc-spec.json"), ours);
    }

    @Test
    void rootlessIsRuncSpecRootlessByteForByte() {
        String ours = new String(Json.writePretty(SpecTemplates.rootless(SpecTemplates.defaultSpec(false), 0, 0)),
                StandardCharsets.UTF_8);
        assertEquals(Specs.resourceText("runc-spec-rootless.json"), ours);
    }

    @Test
    void defaultSpecRoundTripsThroughTheLoader() {
        Spec spec = SpecTemplates.defaultSpec(false);
        assertEquals(spec, Specs.parse(Json.writePretty(spec)));
        Spec v2 = SpecTemplates.defaultSpec(true);
        assertEquals(v2, Specs.parse(Json.writePretty(v2)));
        Spec rootless = SpecTemplates.rootless(v2, 1000, 1001);
        assertEquals(rootless, Specs.parse(Json.writePretty(rootless)));
    }

    @Test
    void cgroupV2AddsACgroupNamespace() {
        List<LinuxNamespace> ns = SpecTemplates.defaultSpec(true).linux().namespaces();
        assertEquals(LinuxNamespace.of("cgroup"), ns.get(ns.size() - 1));
        assertNull(SpecTemplates.defaultSpec(false).linux().namespace("cgroup"));
    }

    @Test
    void rootlessMapsTheCallersIds() {
        Spec r = SpecTemplates.rootless(SpecTemplates.defaultSpec(true), 1000, 1001);
        assertEquals(List.of(LinuxIdMapping.of(0, 1000, 1)), r.linux().uidMappings());
        assertEquals(List.of(LinuxIdMapping.of(0, 1001, 1)), r.linux().gidMappings());
        assertNull(r.linux().namespace("network"));
        assertEquals("user", r.linux().namespaces().get(r.linux().namespaces().size() - 1).type());
        assertEquals("cgroup", r.linux().namespaces().get(r.linux().namespaces().size() - 2).type());
        assertNull(r.linux().resources());
        Mount sys = r.mounts().stream().filter(m -> m.destination().equals("/sys")).findFirst().orElseThrow();
        assertEquals(Mount.of("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")), sys);
        assertTrue(r.mounts().stream().flatMap(m -> m.optionList().stream()).noneMatch(o -> o.startsWith("gid=")));
    }

    @Test
    void rootlessDropsOptionListsThatBecomeEmpty() {
        Spec spec = SpecTemplates.defaultSpec(false).withMounts(List.of(
                Mount.of("/x", "tmpfs", "tmpfs", List.of("uid=5", "gid=5")),
                Mount.of("//sys/", "sysfs", "sysfs", null)));
        Spec r = SpecTemplates.rootless(spec, 1, 1);
        assertNull(r.mounts().get(0).options());
        assertEquals("/sys", r.mounts().get(1).source());
    }
}
