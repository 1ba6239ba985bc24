package io.jruntime.conformance.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.conformance.Bundle;
import io.jruntime.conformance.CommandResult;
import io.jruntime.conformance.Container;
import io.jruntime.conformance.Json;
import io.jruntime.conformance.Level;
import io.jruntime.conformance.Probe;
import io.jruntime.conformance.Requirement;
import io.jruntime.conformance.SpecFile;
import io.jruntime.conformance.SpecTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** config.md, mounts: order, destinations, bind sources, the Linux mount options, idmapped mounts. */
@SpecFile("config.md")
class ConfigMountsTest extends SpecTest {

    /** One mount option case: what it adds to a bundle, and what the probe must then show. */
    record Case(String name, Level level, Consumer<Bundle> setup, BiConsumer<Probe, Bundle> check) {}

    private Path volume() {
        try {
            Path v = work.resolve("volume");
            if (!Files.exists(v)) {
                Files.createDirectories(v);
                Files.writeString(v.resolve("file.txt"), "from the host");
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode top(Probe p, String mp) {
        JsonNode m = p.mountAt(mp);
        assertNotNull(m, "nothing is mounted at " + mp);
        return m;
    }

    private static void has(Probe p, String mp, String opt) {
        JsonNode m = top(p, mp);
        assertTrue(Probe.options(m).contains(opt), mp + " options " + m.path("options").asText() + " lack " + opt);
    }

    private static void lacks(Probe p, String mp, String opt) {
        JsonNode m = top(p, mp);
        assertFalse(Probe.options(m).contains(opt), mp + " options " + m.path("options").asText() + " have " + opt);
    }

    private static void superHas(Probe p, String mp, String opt, boolean want) {
        JsonNode m = top(p, mp);
        assertEquals(want, Probe.superOptions(m).contains(opt), mp + " superblock options " + m.path("superOptions").asText()
                + (want ? " lack " : " have ") + opt);
    }

    private static void propagation(Probe p, String mp, String prefix, boolean want) {
        JsonNode m = top(p, mp);
        boolean found = Probe.optional(m).stream().anyMatch(o -> o.startsWith(prefix));
        assertEquals(want, found, mp + " propagation fields " + Probe.optional(m) + (want ? " lack " : " have ") + prefix);
    }

    /** A tmpfs at /opt/o-NAME with the given options. */
    private static Case tmpfs(String opt, Level level, BiConsumer<Probe, String> check) {
        String mp = "/opt/o-" + opt;
        return new Case(opt, level, b -> b.addMount(mp, "tmpfs", "tmpfs", opt, "size=1m"), (p, b) -> check.accept(p, mp));
    }

    /**
     * Runs all cases in one container; if create fails (one option unsupported), runs each case in a
     * container of its own, so every option gets its own verdict.
     */
    private List<DynamicTest> runCases(List<Case> cases, String... probeArgs) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        Map<String, Bundle> bundles = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        Bundle all = bundle(probeArgs);
        cases.forEach(c -> c.setup().accept(all));
        Container c = container(all);
        CommandResult r = c.create();
        if (r.ok() && c.start().ok() && c.awaitStopped()) {
            Probe p = c.probe();
            cases.forEach(k -> {
                probes.put(k.name(), p);
                bundles.put(k.name(), all);
            });
        } else {
            for (Case k : cases) {
                Bundle b = bundle(probeArgs);
                k.setup().accept(b);
                Container one = container(b);
                CommandResult cr = one.create();
                if (!cr.ok()) {
                    errors.put(k.name(), "create failed: " + cr.describe());
                    continue;
                }
                CommandResult sr = one.start();
                if (!sr.ok() || !one.awaitStopped()) {
                    errors.put(k.name(), "start failed: " + sr.describe());
                    continue;
                }
                try {
                    probes.put(k.name(), one.probe());
                    bundles.put(k.name(), b);
                } catch (AssertionError e) {
                    errors.put(k.name(), e.getMessage());
                }
            }
        }
        Map<String, org.junit.jupiter.api.function.Executable> checks = new LinkedHashMap<>();
        for (Case k : cases) {
            checks.put("[" + k.level() + "] " + k.name(), () -> {
                if (errors.containsKey(k.name())) {
                    fail(errors.get(k.name()));
                }
                k.check().accept(probes.get(k.name()), bundles.get(k.name()));
            });
        }
        return checks(() -> {}, checks);
    }

    // ---------------------------------------------------------------- options

    @TestFactory
    @Requirement(id = "config.md#linux-mount-options", text = "runtimes MUST implement the Linux mount option")
    List<DynamicTest> mountOptions() {
        List<Case> cases = new ArrayList<>();
        Level m = Level.MUST;
        cases.add(tmpfs("ro", m, (p, mp) -> has(p, mp, "ro")));
        cases.add(tmpfs("rw", m, (p, mp) -> has(p, mp, "rw")));
        cases.add(tmpfs("nosuid", m, (p, mp) -> has(p, mp, "nosuid")));
        cases.add(tmpfs("suid", m, (p, mp) -> lacks(p, mp, "nosuid")));
        cases.add(tmpfs("nodev", m, (p, mp) -> has(p, mp, "nodev")));
        cases.add(tmpfs("dev", m, (p, mp) -> lacks(p, mp, "nodev")));
        cases.add(tmpfs("noexec", m, (p, mp) -> has(p, mp, "noexec")));
        cases.add(tmpfs("exec", m, (p, mp) -> lacks(p, mp, "noexec")));
        cases.add(tmpfs("noatime", m, (p, mp) -> has(p, mp, "noatime")));
        cases.add(tmpfs("atime", m, (p, mp) -> lacks(p, mp, "noatime")));
        cases.add(tmpfs("relatime", m, (p, mp) -> has(p, mp, "relatime")));
        cases.add(tmpfs("norelatime", m, (p, mp) -> top(p, mp)));
        cases.add(tmpfs("strictatime", m, (p, mp) -> {
            lacks(p, mp, "relatime");
            lacks(p, mp, "noatime");
        }));
        cases.add(tmpfs("nostrictatime", m, (p, mp) -> has(p, mp, "relatime")));
        cases.add(tmpfs("nodiratime", m, (p, mp) -> has(p, mp, "nodiratime")));
        cases.add(tmpfs("diratime", m, (p, mp) -> lacks(p, mp, "nodiratime")));
        cases.add(tmpfs("sync", m, (p, mp) -> superHas(p, mp, "sync", true)));
        cases.add(tmpfs("async", m, (p, mp) -> superHas(p, mp, "sync", false)));
        cases.add(tmpfs("dirsync", m, (p, mp) -> superHas(p, mp, "dirsync", true)));
        cases.add(tmpfs("lazytime", m, (p, mp) -> superHas(p, mp, "lazytime", true)));
        cases.add(tmpfs("nolazytime", m, (p, mp) -> superHas(p, mp, "lazytime", false)));
        cases.add(tmpfs("iversion", m, (p, mp) -> top(p, mp)));
        cases.add(tmpfs("noiversion", m, (p, mp) -> top(p, mp)));
        cases.add(tmpfs("silent", m, (p, mp) -> top(p, mp)));
        cases.add(tmpfs("loud", m, (p, mp) -> top(p, mp)));
        cases.add(tmpfs("defaults", m, (p, mp) -> has(p, mp, "rw")));
        cases.add(tmpfs("nosymfollow", Level.SHOULD, (p, mp) -> has(p, mp, "nosymfollow")));
        cases.add(tmpfs("symfollow", Level.SHOULD, (p, mp) -> lacks(p, mp, "nosymfollow")));
        cases.add(tmpfs("nomand", Level.MAY, (p, mp) -> top(p, mp)));
        cases.add(new Case("remount", m, b -> {
            b.addMount("/opt/o-remount", "tmpfs", "tmpfs", "size=1m");
            b.addMount("/opt/o-remount", "tmpfs", "tmpfs", "remount", "ro");
        }, (p, b) -> has(p, "/opt/o-remount", "ro")));
        cases.add(new Case("bind", m, b -> b.addMount("/opt/o-bind", "none", volume().toString(), "bind"),
                (p, b) -> assertEquals("from the host", p.check("--read", "/opt/o-bind/file.txt").path("text").asText(), "bind-mounted file")));
        cases.add(new Case("rbind", m, b -> b.addMount("/opt/o-rbind", "none", volume().toString(), "rbind"),
                (p, b) -> assertEquals("from the host", p.check("--read", "/opt/o-rbind/file.txt").path("text").asText(), "rbind-mounted file")));
        cases.add(new Case("filesystem-specific", Level.SHOULD, b -> b.addMount("/opt/o-fs", "tmpfs", "tmpfs", "size=2m", "mode=0710"), (p, b) -> {
            superHas(p, "/opt/o-fs", "size=2048k", true);
            superHas(p, "/opt/o-fs", "mode=710", true);
        }));
        return runCases(cases, "--read", "/opt/o-bind/file.txt", "--read", "/opt/o-rbind/file.txt");
    }

    @TestFactory
    @Requirement(id = "config.md#linux-mount-options/propagation", text = "runtimes MUST implement the bind mount propagation option")
    List<DynamicTest> propagationOptions() {
        List<Case> cases = new ArrayList<>();
        Level m = Level.MUST;
        for (String opt : List.of("shared", "rshared")) {
            cases.add(tmpfs(opt, m, (p, mp) -> propagation(p, mp, "shared:", true)));
        }
        for (String opt : List.of("private", "rprivate")) {
            cases.add(tmpfs(opt, m, (p, mp) -> {
                propagation(p, mp, "shared:", false);
                propagation(p, mp, "master:", false);
            }));
        }
        for (String opt : List.of("unbindable", "runbindable")) {
            cases.add(tmpfs(opt, m, (p, mp) -> propagation(p, mp, "unbindable", true)));
        }
        for (String opt : List.of("slave", "rslave")) {
            // a bind of a shared mount made slave receives from it: "master:N"
            cases.add(new Case(opt, m, b -> {
                b.addMount("/opt/p-src-" + opt, "tmpfs", "tmpfs", "size=1m", "shared");
                b.addMount("/opt/p-" + opt, "none", b.rootfs().resolve("opt/p-src-" + opt).toString(), "bind", opt);
            }, (p, b) -> propagation(p, "/opt/p-" + opt, "master:", true)));
        }
        return runCases(cases);
    }

    @TestFactory
    @Requirement(id = "config.md#linux-mount-options/recursive", level = Level.SHOULD, text = "runtimes SHOULD implement the recursive (AT_RECURSIVE) option on an rbind with a submount")
    List<DynamicTest> recursiveOptions() {
        List<Case> cases = new ArrayList<>();
        Map<String, String> positive = new LinkedHashMap<>();
        positive.put("rro", "ro");
        positive.put("rnosuid", "nosuid");
        positive.put("rnodev", "nodev");
        positive.put("rnoexec", "noexec");
        positive.put("rnoatime", "noatime");
        positive.put("rnodiratime", "nodiratime");
        positive.put("rnosymfollow", "nosymfollow");
        positive.put("rrelatime", "relatime");
        Map<String, String> negative = new LinkedHashMap<>();
        negative.put("rrw", "ro");
        negative.put("rsuid", "nosuid");
        negative.put("rdev", "nodev");
        negative.put("rexec", "noexec");
        negative.put("rdiratime", "nodiratime");
        negative.put("rsymfollow", "nosymfollow");
        Consumer<Bundle> sources = b -> {
            if (!b.mounts().toString().contains("/opt/rsrc-plain")) {
                b.addMount("/opt/rsrc-plain", "tmpfs", "tmpfs", "size=1m");
                b.addMount("/opt/rsrc-plain/sub", "tmpfs", "tmpfs", "size=1m", "strictatime");
                b.addMount("/opt/rsrc-flags", "tmpfs", "tmpfs", "size=1m");
                b.addMount("/opt/rsrc-flags/sub", "tmpfs", "tmpfs", "size=1m", "ro", "nosuid", "nodev", "noexec", "nodiratime", "nosymfollow");
            }
        };
        positive.forEach((opt, flag) -> cases.add(new Case(opt, Level.SHOULD, b -> {
            sources.accept(b);
            b.addMount("/opt/r-" + opt, "none", b.rootfs().resolve("opt/rsrc-plain").toString(), "rbind", opt);
        }, (p, b) -> {
            has(p, "/opt/r-" + opt, flag);
            has(p, "/opt/r-" + opt + "/sub", flag);
        })));
        negative.forEach((opt, flag) -> cases.add(new Case(opt, Level.SHOULD, b -> {
            sources.accept(b);
            b.addMount("/opt/r-" + opt, "none", b.rootfs().resolve("opt/rsrc-flags").toString(), "rbind", opt);
        }, (p, b) -> lacks(p, "/opt/r-" + opt + "/sub", flag))));
        cases.add(new Case("rstrictatime", Level.SHOULD, b -> {
            sources.accept(b);
            b.addMount("/opt/r-rstrictatime", "none", b.rootfs().resolve("opt/rsrc-flags").toString(), "rbind", "rstrictatime");
        }, (p, b) -> {
            lacks(p, "/opt/r-rstrictatime/sub", "relatime");
            lacks(p, "/opt/r-rstrictatime/sub", "noatime");
        }));
        return runCases(cases);
    }

    // ---------------------------------------------------------------- order, destination, source

    @Test
    @Requirement(id = "config.md#mounts/order", text = "the runtime MUST mount entries in the listed order")
    void mountsInListedOrder() {
        Bundle b = bundle();
        b.addMount("/opt/order", "tmpfs", "tmpfs", "size=1m");
        b.addMount("/opt/order", "tmpfs", "tmpfs", "size=2m");
        b.addMount("/opt/nest", "tmpfs", "tmpfs", "size=1m");
        b.addMount("/opt/nest/inner", "tmpfs", "tmpfs", "size=3m");
        Probe p = run(b);
        JsonNode order = top(p, "/opt/order");
        assertTrue(Probe.superOptions(order).contains("size=2048k"),
                "the visible mount at /opt/order is not the later entry (size=2m): " + order.path("superOptions").asText());
        JsonNode inner = top(p, "/opt/nest/inner");
        assertTrue(Probe.superOptions(inner).contains("size=3072k"), "/opt/nest/inner is hidden or wrong: " + inner);
        JsonNode nest = top(p, "/opt/nest");
        assertEquals(nest.path("id").asInt(), inner.path("parent").asInt(), "/opt/nest/inner is not mounted on the /opt/nest tmpfs");
    }

    @Test
    @Requirement(id = "config.md#mounts/relative-destination", level = Level.MUST, text = "a relative destination (deprecated) MUST be interpreted as relative to \"/\"")
    void relativeDestination() {
        Bundle b = bundle();
        b.addMount("opt/relative", "tmpfs", "tmpfs", "size=1m");
        top(run(b), "/opt/relative");
    }

    @Test
    @Requirement(id = "config.md#mounts/bind-source-relative", text = "bind mount source paths are either absolute or relative to the bundle")
    void bindSourceRelativeToBundle() throws Exception {
        Bundle b = bundle("--read", "/opt/relsrc/file.txt");
        Path src = Files.createDirectories(b.dir().resolve("data"));
        Files.writeString(src.resolve("file.txt"), "relative source");
        b.addMount("/opt/relsrc", "none", "data", "bind");
        Container c = container(b);
        b.write();
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        CommandResult r = cli.runTo(work.resolve(c.id() + ".out"), work.resolve(c.id() + ".err"), elsewhere, List.of(), null,
                "create", "--bundle", b.dir().toString(), c.id());
        try {
            expectOk(r, "create (from another working directory)");
            expectOk(c.start(), "start");
            assertTrue(c.awaitStopped(), "did not stop");
            assertEquals("relative source", c.probe().check("--read", "/opt/relsrc/file.txt").path("text").asText(), "file under the bind mount");
        } finally {
            c.deleteForce();
        }
    }

    // ---------------------------------------------------------------- idmapped mounts

    private static ObjectNode mapping(int container, int host, int size) {
        return Json.object().put("containerID", container).put("hostID", host).put("size", size);
    }

    @Test
    @Requirement(id = "config.md#mounts/idmap", level = Level.SHOULD, text = "idmap: the mount MUST have an idmapping applied, using the mount's uidMappings/gidMappings")
    void idmappedMount() {
        Bundle b = bundle("--stat", "/opt/idmapped/file.txt");
        ObjectNode m = b.addMount("/opt/idmapped", "none", volume().toString(), "bind", "idmap");
        // A mapping containerID -> hostID is a user namespace's uid_map line: a file owned by containerID on
        // disk shows as hostID through the mount (runc's semantics and the kernel's, mount_setattr(2)).
        m.putArray("uidMappings").add(mapping(0, 1234, 1));
        m.putArray("gidMappings").add(mapping(0, 4321, 1));
        JsonNode st = run(b).check("--stat", "/opt/idmapped/file.txt").path("stat");
        assertEquals(1234, st.path("uid").asInt(), "owner of a root-owned file through the idmapped mount");
        assertEquals(4321, st.path("gid").asInt(), "group of a root-owned file through the idmapped mount");
    }

    @Test
    @Requirement(id = "config.md#mounts/idmap-without-mappings", text = "idmap with no uidMappings/gidMappings and no user namespace: an error MUST be returned")
    void idmapWithoutMappingsFails() {
        Bundle b = bundle();
        b.addMount("/opt/idmapped", "none", volume().toString(), "bind", "idmap");
        expectError(container(b).create(), "create with an idmap mount, no mappings and no user namespace");
    }

    @Test
    @Requirement(id = "config.md#mounts/uid-gid-mappings-together", text = "mount uidMappings MUST be specified along with gidMappings (runtimes MUST generate an error on invalid values)")
    void uidMappingsWithoutGidMappingsFails() {
        Bundle b = bundle();
        ObjectNode m = b.addMount("/opt/idmapped", "none", volume().toString(), "bind", "idmap");
        m.putArray("uidMappings").add(mapping(1234, 0, 1));
        expectError(container(b).create(), "create with mount uidMappings but no gidMappings");
    }
}
