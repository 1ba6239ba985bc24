package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * linux.netDevices from inside real containers. The host's interfaces are never touched: each test makes a
 * network namespace (jrt-nd-...) with virtual devices in it and runs jruntime inside that namespace
 * (nsenter --net, which unlike `ip netns exec` leaves /sys and its cgroup mounts alone), so that namespace
 * is the "host" the devices move from. This kernel has no dummy driver; ifb devices are the stand-in.
 */
class NetDevicesIT extends io.jruntime.testing.LauncherTestBase {
    private String netns;

    @BeforeEach
    void makeNetns() throws Exception {
        netns = "jrt-nd-" + UUID.randomUUID().toString().substring(0, 8);
        sh("ip", "netns", "add", netns);
    }

    @AfterEach
    void removeNetns() throws Exception {
        sh("ip", "netns", "del", netns);
    }

    /** Runs a command on the host side, which must succeed; returns its output. */
    private String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " hung");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    private String inNs(String... cmd) throws Exception {
        List<String> c = new ArrayList<>(List.of("ip", "-n", netns));
        c.addAll(List.of(cmd));
        return sh(c.toArray(String[]::new));
    }

    private Result jrIn(String... args) throws Exception {
        return jrUnder(List.of("nsenter", "--net=/run/netns/" + netns), args);
    }

    private Path bundleWith(String script, ObjectNode devices) throws Exception {
        Path b = bundle(script);
        ObjectNode c = config(b);
        c.with("linux").set("netDevices", devices);
        write(b, c);
        return b;
    }

    @Test
    void aDeviceMovesRenamedWithItsPermanentGlobalAddressesAndUp() throws Exception {
        inNs("link", "add", "nd0", "type", "ifb");
        inNs("addr", "add", "10.99.0.2/24", "dev", "nd0");
        inNs("-6", "addr", "add", "2001:db8::2/64", "dev", "nd0", "nodad");
        inNs("addr", "add", "10.99.1.2/24", "dev", "nd0", "valid_lft", "300", "preferred_lft", "300"); // not permanent
        inNs("addr", "add", "10.99.2.2/24", "dev", "nd0", "scope", "host"); // not global
        String mac = inNs("-o", "link", "show", "nd0").replaceAll("(?s).*link/ether (\\S+).*", "$1");
        ObjectNode devices = JSON.createObjectNode();
        devices.putObject("nd0").put("name", "eth7");
        String id = newId();
        Result r = jrIn("run", "--bundle", bundleWith("ip -o addr show; ip -o link show", devices).toString(), id);
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("eth7    inet 10.99.0.2/24 "), out);
        assertTrue(out.contains("eth7    inet6 2001:db8::2/64 scope global"), out);
        assertFalse(out.contains("10.99.1.2"), "a dynamic address stays behind\n" + out);
        assertFalse(out.contains("10.99.2.2"), "a host-scope address stays behind\n" + out);
        String link = out.lines().filter(l -> l.contains(": eth7: ")).findFirst().orElseThrow(() -> new AssertionError(out));
        assertTrue(link.matches(".*<[^>]*\\bUP\\b[^>]*>.*"), "set up: " + link);
        assertTrue(link.contains(mac), "the same device (hardware address " + mac + "): " + link);
        assertFalse(out.contains("nd0"), out);
        // The container's namespace is gone; a virtual device goes with it (network_namespaces(7)).
        assertFalse(inNs("-o", "link", "show").contains("nd0"));
        assertFalse(inNs("-o", "link", "show").contains("eth7"));
    }

    @Test
    void aNameTakenInTheContainerFailsCreateUnlessItIsATemplate() throws Exception {
        inNs("link", "add", "nd1", "type", "ifb");
        inNs("link", "add", "nd2", "type", "ifb");
        ObjectNode devices = JSON.createObjectNode();
        devices.putObject("nd1").put("name", "lo");
        Path b = bundleWith("true", devices);
        ObjectNode c = config(b);
        c.with("linux").put("cgroupsPath", "/jrt-nd-" + UUID.randomUUID());
        write(b, c);
        String id = newId();
        Result r = jrIn("create", "--bundle", b.toString(), id);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("linux.netDevices[\\\"nd1\\\"]: a network device named \\\"lo\\\" already exists in the container's network namespace"),
                r.err());
        assertFalse(Files.exists(root.resolve(id)), "no state dir");
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup/memory" + c.get("linux").get("cgroupsPath").asText())), "no cgroup");
        assertTrue(inNs("-o", "link", "show").contains("nd1"), "a device that could not move stays where it was");

        devices = JSON.createObjectNode();
        devices.putObject("nd1").put("name", "eth%d");
        devices.putObject("nd2").put("name", "eth%d");
        r = jrIn("run", "--bundle", bundleWith("ip -o link show", devices).toString(), newId());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(": eth0: ") && r.out().contains(": eth1: "), "the kernel picked the names\n" + r.out());
    }

    @Test
    void aMissingDeviceFailsCreateNamingIt() throws Exception {
        ObjectNode devices = JSON.createObjectNode();
        devices.putObject("nosuch0");
        String id = newId();
        Result r = jrIn("create", "--bundle", bundleWith("true", devices).toString(), id);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("linux.netDevices[\\\"nosuch0\\\"]: there is no network device \\\"nosuch0\\\" to move"), r.err());
        assertFalse(Files.exists(root.resolve(id)), "no state dir");
    }
}
