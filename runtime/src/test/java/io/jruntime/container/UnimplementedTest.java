package io.jruntime.container;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.SpecLoader;
import io.jruntime.spec.SpecTemplates;
import org.junit.jupiter.api.Test;

class UnimplementedTest {
    @Test
    void theTemplateIsFullySupported() {
        assertDoesNotThrow(() -> Unimplemented.check(SpecTemplates.defaultSpec()));
    }

    @Test
    void anApparmorProfileIsRefusedNamingTheField() {
        var spec = SpecTemplates.defaultSpec();
        spec = spec.withProcess(spec.process().withApparmorProfile("docker-default"));
        var s = spec;
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> Unimplemented.check(s));
        assertTrue(e.getMessage().startsWith("config.json: process.apparmorProfile"), e.getMessage());
    }

    @Test
    void selinuxLabelsAreNoLongerRefused() {
        var spec = SpecLoader.parse("""
                {"ociVersion": "1.3.0", "root": {"path": "rootfs"},
                 "process": {"args": ["sh"], "cwd": "/", "selinuxLabel": "system_u:system_r:container_t:s0"},
                 "linux": {"mountLabel": "system_u:object_r:container_file_t:s0"}}""".getBytes(), "config.json");
        assertDoesNotThrow(() -> Unimplemented.check(spec), "applied where SELinux is on (linux.Lsm), ignored where off");
    }

    @Test
    void processAttributesMemoryPolicyAndNetDevicesAreApplied() {
        var spec = SpecLoader.parse("""
                {"ociVersion": "1.3.0", "root": {"path": "rootfs"},
                 "process": {"args": ["sh"], "cwd": "/", "scheduler": {"policy": "SCHED_OTHER"},
                             "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 4},
                             "execCPUAffinity": {"initial": "0", "final": "0"}},
                 "linux": {"namespaces": [{"type": "network"}], "netDevices": {"dummy0": {}},
                           "memoryPolicy": {"mode": "MPOL_LOCAL"}}}""".getBytes(), "config.json");
        assertDoesNotThrow(() -> Unimplemented.check(spec));
    }

    @Test
    void intelRdtSaysPlainlyWhenTheHostHasNoResctrl() {
        org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(java.nio.file.Path.of("/sys/fs/resctrl")));
        var spec = SpecLoader.parse("""
                {"ociVersion": "1.3.0", "root": {"path": "rootfs"}, "process": {"args": ["sh"], "cwd": "/"},
                 "linux": {"intelRdt": {"closID": "x"}}}""".getBytes(), "config.json");
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> Unimplemented.check(spec));
        assertTrue(e.getMessage().equals("config.json: linux.intelRdt: Intel RDT is not available on this host"
                + " (no resctrl filesystem at /sys/fs/resctrl)"), e.getMessage());
    }
}
