package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jruntime.schemas.SchemaKind;
import io.jruntime.schemas.SchemaValidator;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecValidateFeaturesCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;


    static CliHarness.Result run(String... argv) {
        return CliHarness.run(argv);
    }

    @Test
    void specWritesAValidTemplateAndRefusesToOverwrite() throws Exception {
        assertEquals(0, run("spec", "--bundle", tmp.toString()).code());
        Spec spec = SpecLoader.load(tmp);
        assertEquals("1.3.0", spec.ociVersion());
        assertEquals("sh", spec.process().args().get(0));
        CliHarness.Result again = run("spec", "-b", tmp.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("File config.json exists. Remove it first"), again.err());
    }

    @Test
    void rootlessSpecMapsTheCallerToRootInANewUserNamespace() throws Exception {
        assertEquals(0, run("spec", "--rootless", "--bundle", tmp.toString()).code());
        JsonNode linux = JSON.readTree(tmp.resolve("config.json").toFile()).get("linux");
        assertTrue(linux.get("namespaces").toString().contains("\"user\""));
        assertEquals(0, linux.get("uidMappings").get(0).get("containerID").asInt());
        assertEquals(1, linux.get("uidMappings").get(0).get("size").asInt());
    }

    @Test
    void validateAcceptsAGoodBundleAndNamesTheFieldOfABadOne() throws Exception {
        assertEquals(0, run("spec", "--bundle", tmp.toString()).code());
        Files.createDirectory(tmp.resolve("rootfs"));
        CliHarness.Result ok = run("validate", "--bundle", tmp.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().endsWith(": valid\n"), ok.out());

        String config = Files.readString(tmp.resolve("config.json")).replace("\"type\": \"ipc\"", "\"type\": \"netx\"");
        Files.writeString(tmp.resolve("config.json"), config);
        CliHarness.Result bad = run("validate", "--bundle", tmp.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("linux.namespaces[") && bad.err().contains("netx"), bad.err());
        assertTrue(!bad.err().contains("Exception") && !bad.err().contains("\tat "), "no stack trace: " + bad.err());
    }

    @Test
    void validateReportsAMissingRootfsAndAMissingConfig() throws Exception {
        CliHarness.Result none = run("validate", "--bundle", tmp.toString());
        assertEquals(1, none.code());
        assertTrue(none.err().contains("not found"), none.err());
        assertEquals(0, run("spec", "--bundle", tmp.toString()).code());
        CliHarness.Result noRootfs = run("validate", "--bundle", tmp.toString());
        assertEquals(1, noRootfs.code());
        assertTrue(noRootfs.err().contains("invalid rootfs"), noRootfs.err());
    }

    @Test
    void featuresIsAValidFeaturesDocument() throws Exception {
        CliHarness.Result r = run("features");
        assertEquals(0, r.code());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(java.util.List.of(), SchemaValidator.validate(SchemaKind.FEATURES, doc));
        assertEquals("1.0.0", doc.get("ociVersionMin").asText());
        assertEquals("1.3.0", doc.get("ociVersionMax").asText());
        // What proc-features implements, and only that: netDevices and every memoryPolicy mode and flag; no Intel RDT.
        assertTrue(doc.at("/linux/netDevices/enabled").asBoolean(), doc.toString());
        assertEquals(7, doc.at("/linux/memoryPolicy/modes").size(), doc.toString());
        assertEquals(3, doc.at("/linux/memoryPolicy/flags").size(), doc.toString());
        assertEquals(false, doc.at("/linux/intelRdt/enabled").asBoolean(true), doc.toString());
        // The LSMs as this host has them: applied where enabled.
        boolean apparmor;
        try {
            apparmor = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/module/apparmor/parameters/enabled")).trim().equals("Y");
        } catch (java.io.IOException e) {
            apparmor = false;
        }
        assertEquals(apparmor, doc.at("/linux/apparmor/enabled").asBoolean(!apparmor), doc.toString());
        boolean selinux = java.nio.file.Files.exists(java.nio.file.Path.of("/sys/fs/selinux/enforce"));
        assertEquals(selinux, doc.at("/linux/selinux/enabled").asBoolean(!selinux), doc.toString());
    }
}
