package io.jruntime.hooks.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge hook end to end with real containers (root only; run by failsafe when -Dit.skip=false).
 *
 * SAFETY: the host's network namespace is never touched. Each test makes its own network namespace
 * (`ip netns add jrt-nt-...`) and runs every jruntime command inside it, so the runtime, and the
 * createRuntime and poststop hooks it starts, live there: the bridge, the veth host ends and the nft
 * table are all in that namespace, which the test deletes at the end. jruntime runs under
 * `nsenter --net=/run/netns/NAME` rather than `ip netns exec NAME`: the latter also remounts /sys in a
 * new mount namespace, which hides /sys/fs/cgroup from the runtime; nsenter switches the network
 * namespace only. The IPAM store is a private directory (--state-dir).
 */
class BridgeHookIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path launcher, samples, hook, busybox;

    @TempDir
    Path tmp;
    private String netns, clientNetns;
    private Path root, ipamDir;
    private final List<String> ids = new ArrayList<>();

    record Result(int code, String out, String err) {}

    @BeforeAll
    static void locate() throws Exception {
        launcher = Path.of(System.getProperty("jruntime.launcher", "../jruntime")).toAbsolutePath().normalize();
        samples = Path.of(System.getProperty("jruntime.samples", "../config-samples")).toAbsolutePath().normalize();
        hook = Path.of(System.getProperty("jruntime.bridge", "bin/jruntime-bridge")).toAbsolutePath().normalize();
        assertEquals(0, new ProcessBuilder(samples.resolve("build-rootfs.sh").toString()).inheritIO().start().waitFor());
        // The sample rootfs's busybox is static: the test's client in the test netns.
        busybox = samples.resolve("rootfs/bin/busybox");
        for (String tool : List.of("ip", "nft", "nsenter")) {
            ExecCommands.resolve(tool); // fails naming the Debian package when missing
        }
    }

    @BeforeEach
    void makeNetns() throws Exception {
        netns = "jrt-nt-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(0, run(List.of("ip", "netns", "add", netns)).code());
        // The client connects to the bridge's address, a local one: local delivery needs lo up.
        assertEquals(0, inNetns("ip", "link", "set", "dev", "lo", "up").code());
        root = tmp.resolve("state");
        ipamDir = tmp.resolve("ipam");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            for (String id : ids) {
                jr("delete", "--force", id);
            }
            if (Files.isDirectory(root)) {
                try (var s = Files.list(root)) {
                    assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList(),
                            "state dirs left behind");
                }
            }
        } finally {
            run(List.of("ip", "netns", "del", netns));
            if (clientNetns != null) {
                run(List.of("ip", "netns", "del", clientNetns));
            }
        }
    }

    @Test
    void twoContainersGetAddressesTalkPublishAPortAndReleaseEverything() throws Exception {
        Path www = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello from A\n");
        String a = newId(), b = newId();
        Path bundleA = bundle("httpd -f -p 80 -h /www", "8080:80/tcp");
        addBind(bundleA, www, "/www");
        start(a, bundleA);
        start(b, bundle("sleep 600", null));

        // Each sees eth0 with its address (lowest free first) and the default route via the bridge.
        assertTrue(exec(a, "ip", "-4", "addr", "show", "dev", "eth0").contains("inet 10.88.0.2/24"));
        assertTrue(exec(b, "ip", "-4", "addr", "show", "dev", "eth0").contains("inet 10.88.0.3/24"));
        assertTrue(exec(a, "ip", "route").contains("default via 10.88.0.1 dev eth0"));
        assertTrue(exec(b, "ip", "route").contains("default via 10.88.0.1 dev eth0"));
        assertTrue(exec(b, "ip", "link", "show", "dev", "lo").contains("UP"));

        // A and B on one bridge: B pings A, and reaches A's server directly.
        exec(b, "ping", "-c1", "-W2", "10.88.0.2");
        assertTrue(exec(b, "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc 10.88.0.2 80").endsWith("\r\n\r\nhello from A\n"));

        // The published port: a client in the runtime's namespace reaches A's port 80 through 8080 on
        // the bridge's address (DNAT in the hook's output chain); an unpublished port is refused.
        Result published = client("10.88.0.1", 8080);
        assertEquals(0, published.code(), published.err());
        assertTrue(published.out().startsWith("HTTP/1.1 200 OK") && published.out().endsWith("\r\n\r\nhello from A\n"), published.out());
        assertNotEquals(0, client("10.88.0.1", 8081).code());

        // From another machine, played by a second test netns wired to the first by a veth pair
        // (10.99.0.1 there, 10.99.0.2 here): the prerouting chain DNATs what arrives for 10.99.0.1:8080.
        // Forwarding is the administrator's switch (the hook leaves it alone); on in the test netns only.
        clientNetns = netns + "-c";
        assertEquals(0, run(List.of("ip", "netns", "add", clientNetns)).code());
        assertEquals(0, inNetns("ip", "link", "add", "name", "jrt-up", "type", "veth", "peer", "name", "jrt-down", "netns", clientNetns).code());
        assertEquals(0, inNetns("ip", "addr", "add", "10.99.0.1/24", "dev", "jrt-up").code());
        assertEquals(0, inNetns("ip", "link", "set", "dev", "jrt-up", "up").code());
        assertEquals(0, inClientNetns("ip", "addr", "add", "10.99.0.2/24", "dev", "jrt-down").code());
        assertEquals(0, inClientNetns("ip", "link", "set", "dev", "jrt-down", "up").code());
        assertEquals(0, inNetns(busybox.toString(), "sysctl", "-w", "net.ipv4.ip_forward=1").code());
        Result remote = httpGet(clientNetns, "10.99.0.1", 8080);
        assertEquals(0, remote.code(), remote.err());
        assertTrue(remote.out().endsWith("\r\n\r\nhello from A\n"), remote.out());

        String vethA = Names.hostVeth(a);
        assertEquals(0, inNetns("ip", "link", "show", "dev", vethA).code());
        assertTrue(Files.exists(ipamDir.resolve("jrt0/10.88.0.2")));
        assertTrue(inNetns("nft", "list", "map", "ip", "jruntime-bridge", "ports-jrt0").out().contains("tcp . 8080 : 10.88.0.2 . 80"));

        // delete runs poststop: address released, veth and DNAT element gone, the port no longer answers.
        delete(a);
        assertFalse(Files.exists(ipamDir.resolve("jrt0/10.88.0.2")));
        assertNotEquals(0, inNetns("ip", "link", "show", "dev", vethA).code());
        assertFalse(inNetns("nft", "list", "map", "ip", "jruntime-bridge", "ports-jrt0").out().contains("8080"));
        assertNotEquals(0, client("10.88.0.1", 8080).code());

        // The released address is the next one given.
        String c = newId();
        start(c, bundle("sleep 600", null));
        assertTrue(exec(c, "ip", "-4", "addr", "show", "dev", "eth0").contains("inet 10.88.0.2/24"));

        delete(b);
        delete(c);
        assertEquals(List.of(), records());
        assertFalse(inNetns("ip", "-o", "link", "show").out().contains(" jv"), "host veth ends left");

        // poststop again, for a deleted id and for one never seen: nothing to do, success.
        assertEquals(0, hookDirect("poststop", a).code());
        assertEquals(0, hookDirect("poststop", "jrt-never-created").code());
    }

    @Test
    void badPortAnnotationFailsCreateAndLeavesNothing() throws Exception {
        String id = newId();
        Result r = jr("create", "--bundle", bundle("sleep 600", "8080:http").toString(), id);
        assertEquals(1, r.code(), r.err());
        // jruntime's log is logfmt: the hook's stderr is quoted there, its quotes escaped
        assertTrue(r.err().replace("\\\"", "\"").contains(
                "jruntime-bridge: annotation io.jruntime.bridge.ports: \"8080:http\": container port \"http\" is not a number"), r.err());
        assertNothingLeft(id);
    }

    @Test
    void containerWithoutItsOwnNetworkNamespaceIsRefused() throws Exception {
        String id = newId();
        Path bundle = bundle("sleep 600", null);
        ObjectNode c = config(bundle);
        ArrayNode namespaces = (ArrayNode) c.get("linux").get("namespaces");
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            if (namespaces.get(i).get("type").asText().equals("network")) {
                namespaces.remove(i);
            }
        }
        write(bundle, c);
        Result r = jr("create", "--bundle", bundle.toString(), id);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("shares the runtime's network namespace"), r.err());
        assertNothingLeft(id);
        assertNotEquals(0, inNetns("ip", "link", "show", "dev", "eth0").code(), "eth0 made in the runtime's namespace");
    }

    @Test
    void aFailureAfterTheVethExistsRollsBackAndPortsAreNotSharedBetweenContainers() throws Exception {
        String a = newId();
        start(a, bundle("sleep 600", "8080:80"));

        // Another container asking for A's host port: refused before anything is made.
        String e = newId();
        Result r = jr("create", "--bundle", bundle("sleep 600", "8080:80/tcp").toString(), e);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("host port 8080/tcp is already published by container"), r.err());
        assertNothingLeft(e);

        // A host port taken in nft behind the hook's back makes the last step (nft) fail, after the
        // address, the veth and the container's eth0 exist: they must all be undone.
        assertEquals(0, inNetns("nft", "add", "element", "ip", "jruntime-bridge", "ports-jrt0",
                "{ tcp . 9090 : 10.88.0.200 . 1 }").code());
        String d = newId();
        r = jr("create", "--bundle", bundle("sleep 600", "9090:80").toString(), d);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("publishing ports 9090:80/tcp"), r.err());
        assertNothingLeft(d);
        assertEquals(List.of("10.88.0.2"), records());

        // So the address d had is free again.
        String f = newId();
        start(f, bundle("sleep 600", null));
        assertTrue(exec(f, "ip", "-4", "addr", "show", "dev", "eth0").contains("inet 10.88.0.3/24"));
    }

    // --- helpers ---

    private void assertNothingLeft(String id) throws Exception {
        assertEquals(List.of(), records().stream().filter(addr -> {
            try {
                return Files.readString(ipamDir.resolve("jrt0").resolve(addr)).contains("id=" + id + "\n");
            } catch (IOException ex) {
                throw new RuntimeException(ex);
            }
        }).toList(), "address still allocated to " + id);
        assertNotEquals(0, inNetns("ip", "link", "show", "dev", Names.hostVeth(id)).code(), "veth left for " + id);
        assertNotEquals(0, jr("state", id).code(), "state left for " + id);
    }

    /** The addresses with an IPAM record. */
    private List<String> records() throws IOException {
        Path dir = ipamDir.resolve("jrt0");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private String newId() {
        String id = "jrt-nh-" + UUID.randomUUID().toString().substring(0, 8);
        ids.add(id);
        return id;
    }

    /** The minimal sample on the sample rootfs, with CAP_NET_RAW (ping), the hook, and the ports annotation. */
    private Path bundle(String script, String ports) throws IOException {
        Path bundle = Files.createTempDirectory(tmp, "bundle");
        ObjectNode c = (ObjectNode) JSON.readTree(samples.resolve("minimal/config.json").toFile());
        ((ObjectNode) c.get("root")).put("path", samples.resolve("rootfs").toString());
        ObjectNode process = (ObjectNode) c.get("process");
        process.putArray("args").add("sh").add("-c").add(script);
        for (String set : List.of("bounding", "effective", "permitted")) {
            ((ArrayNode) process.get("capabilities").get(set)).add("CAP_NET_RAW");
        }
        ObjectNode hooks = c.putObject("hooks");
        for (String phase : List.of("createRuntime", "poststop")) {
            hooks.putArray(phase).addObject().put("path", hook.toString()).putArray("args")
                    .add("jruntime-bridge").add("--state-dir").add(ipamDir.toString()).add(phase);
        }
        if (ports != null) {
            c.putObject("annotations").put(PortMapping.ANNOTATION, ports);
        }
        write(bundle, c);
        return bundle;
    }

    private void addBind(Path bundle, Path source, String destination) throws IOException {
        ObjectNode c = config(bundle);
        ObjectNode m = ((ArrayNode) c.get("mounts")).addObject();
        m.put("destination", destination).put("type", "bind").put("source", source.toString());
        m.putArray("options").add("rbind").add("ro");
        write(bundle, c);
    }

    private ObjectNode config(Path bundle) throws IOException {
        return (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
    }

    private void write(Path bundle, ObjectNode c) throws IOException {
        Files.writeString(bundle.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c));
    }

    private void start(String id, Path bundle) throws Exception {
        Result r = jr("create", "--bundle", bundle.toString(), id);
        assertEquals(0, r.code(), "create " + id + ": " + r.err());
        r = jr("start", id);
        assertEquals(0, r.code(), "start " + id + ": " + r.err());
    }

    private void delete(String id) throws Exception {
        Result r = jr("delete", "--force", id);
        assertEquals(0, r.code(), "delete " + id + ": " + r.err());
        assertFalse(r.err().contains("error running poststop"), r.err());
    }

    /** `jruntime exec ID ARGS...`, which must succeed; its stdout. */
    private String exec(String id, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("exec", id));
        cmd.addAll(List.of(args));
        Result r = jr(cmd.toArray(String[]::new));
        assertEquals(0, r.code(), "exec " + String.join(" ", args) + " in " + id + ": " + r.out() + r.err());
        return r.out();
    }

    /**
     * An HTTP GET of / from the test netns itself (where the runtime runs), with busybox nc (its wget
     * crashes on this Debian's busybox-static).
     */
    private Result client(String address, int port) throws Exception {
        return httpGet(netns, address, port);
    }

    private Result httpGet(String inNetns, String address, int port) throws Exception {
        Path request = tmp.resolve("request.txt");
        Files.writeString(request, "GET / HTTP/1.0\r\n\r\n");
        return run(List.of("ip", "netns", "exec", inNetns, busybox.toString(), "nc", "-w", "5", address, Integer.toString(port)), request);
    }

    /** The hook run by hand (as the runtime would) with a minimal state on stdin. */
    private Result hookDirect(String phase, String id) throws Exception {
        Path state = tmp.resolve("state-" + id + ".json");
        Files.writeString(state, "{\"ociVersion\":\"1.0.2\",\"id\":\"" + id + "\",\"status\":\"stopped\",\"bundle\":\"/\"}");
        return run(List.of("nsenter", "--net=/run/netns/" + netns, hook.toString(), "--state-dir", ipamDir.toString(), phase), state);
    }

    private Result jr(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns, launcher.toString(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private Result inNetns(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private Result inClientNetns(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", clientNetns));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private Result run(List<String> cmd) throws Exception {
        return run(cmd, null);
    }

    private Result run(List<String> cmd, Path stdin) throws Exception {
        // Files, not pipes: a created container's init inherits create's stdio.
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(stdin == null ? new File("/dev/null") : stdin.toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " hung");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
