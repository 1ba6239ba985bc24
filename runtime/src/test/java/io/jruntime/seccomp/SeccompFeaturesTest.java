package io.jruntime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jruntime.spec.Features;
import io.jruntime.spec.KnownValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code jruntime features} reports for seccomp. */
class SeccompFeaturesTest {

    @Test
    void recognizedNames() {
        Features.Seccomp f = SeccompFeatures.features();
        assertEquals(true, f.enabled());
        assertEquals(KnownValues.SECCOMP_ACTIONS, f.actions());
        assertEquals(KnownValues.SECCOMP_OPERATORS, f.operators());
        assertEquals(List.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
                "SCMP_ARCH_AARCH64"), f.archs());
        assertEquals(KnownValues.SECCOMP_FLAGS, f.knownFlags());
        assertTrue(f.knownFlags().containsAll(f.supportedFlags()));
    }

    @Test
    void supportedFlagsComeFromThisKernel() throws Exception {
        assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("Seccomp:"), "kernel without seccomp");
        String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        String[] v = release.split("[.-]");
        int version = Integer.parseInt(v[0]) * 100 + Integer.parseInt(v[1]);
        List<String> supported = SeccompFeatures.supportedFlags();
        // TSYNC 3.17, LOG 4.14, SPEC_ALLOW 4.17, WAIT_KILLABLE_RECV 5.19.
        assertEquals(version >= 317, supported.contains("SECCOMP_FILTER_FLAG_TSYNC"), release + " " + supported);
        assertEquals(version >= 414, supported.contains("SECCOMP_FILTER_FLAG_LOG"), release + " " + supported);
        assertEquals(version >= 417, supported.contains("SECCOMP_FILTER_FLAG_SPEC_ALLOW"), release + " " + supported);
        assertEquals(version >= 519, supported.contains("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
                release + " " + supported);
        // Probing installs nothing.
        assertTrue(Files.readString(Path.of("/proc/self/status")).contains("Seccomp:\t0"));
        assertEquals(supported, SeccompFeatures.supportedFlags());
    }
}
