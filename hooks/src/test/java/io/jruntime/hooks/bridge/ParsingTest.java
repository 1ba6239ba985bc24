package io.jruntime.hooks.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Args, the state on stdin, subnets, port mappings and names: the hook's inputs. */
class ParsingTest {
    private static String error(Runnable r) {
        return assertThrows(HookException.class, r::run).getMessage();
    }

    @Test
    void defaults() {
        BridgeOptions o = BridgeOptions.parse(List.of("createRuntime"));
        assertEquals(new BridgeOptions("createRuntime", "jrt0", Subnet.parse("10.88.0.0/24"), Path.of("/var/lib/jruntime-bridge")), o);
        assertEquals(Path.of("/var/lib/jruntime-bridge/jrt0"), o.ipamDir());
    }

    @Test
    void flagsInBothForms() {
        BridgeOptions o = BridgeOptions.parse(List.of("--bridge", "br-test", "--subnet=172.30.8.0/22", "--state-dir", "/tmp/x", "poststop"));
        assertEquals("poststop", o.phase());
        assertEquals("br-test", o.bridge());
        assertEquals("172.30.8.0/22", o.subnet().toString());
        assertEquals(Path.of("/tmp/x/br-test"), o.ipamDir());
    }

    @Test
    void badArgsNameTheProblem() {
        assertTrue(error(() -> BridgeOptions.parse(List.of())).startsWith("missing the phase"));
        assertTrue(error(() -> BridgeOptions.parse(List.of("prestart"))).startsWith("phase \"prestart\" is not createRuntime or poststop"));
        assertTrue(error(() -> BridgeOptions.parse(List.of("--bridg", "x", "poststop"))).startsWith("unknown flag --bridg"));
        assertTrue(error(() -> BridgeOptions.parse(List.of("poststop", "--bridge"))).startsWith("flag --bridge needs a value"));
        assertTrue(error(() -> BridgeOptions.parse(List.of("poststop", "extra"))).startsWith("unexpected argument \"extra\""));
        assertTrue(error(() -> BridgeOptions.parse(List.of("--bridge", "a-name-of-16chrs", "poststop"))).startsWith("--bridge \"a-name-of-16chrs\""));
        assertTrue(error(() -> BridgeOptions.parse(List.of("--bridge", "br/0", "poststop"))).startsWith("--bridge \"br/0\""));
        assertTrue(error(() -> BridgeOptions.parse(List.of("--state-dir", "rel", "poststop"))).startsWith("--state-dir \"rel\": must be an absolute path"));
        assertTrue(error(() -> BridgeOptions.parse(List.of("--subnet", "10.0.0.0", "poststop"))).startsWith("--subnet \"10.0.0.0\""));
    }

    @Test
    void subnets() {
        Subnet s = Subnet.parse("10.88.0.0/24");
        assertEquals("10.88.0.1", Subnet.format(s.gateway()));
        assertEquals("10.88.0.2", Subnet.format(s.firstHost()));
        assertEquals("10.88.0.254", Subnet.format(s.lastHost()));
        Subnet high = Subnet.parse("192.168.100.0/30");
        assertEquals("192.168.100.2", Subnet.format(high.firstHost()));
        assertEquals("192.168.100.2", Subnet.format(high.lastHost()));
        assertTrue(high.contains(Subnet.parseAddress("192.168.100.3", "x")));
        assertTrue(error(() -> Subnet.parse("10.88.0.1/24")).contains("host bits are set; the subnet is 10.88.0.0/24"));
        assertTrue(error(() -> Subnet.parse("10.88.0.0/31")).contains("prefix length must be a number from 8 to 30"));
        assertTrue(error(() -> Subnet.parse("10.88.0.0/x")).contains("prefix length"));
        assertTrue(error(() -> Subnet.parse("10.256.0.0/16")).contains("\"10.256.0.0\" is not an IPv4 address"));
        assertTrue(error(() -> Subnet.parse("10.88.0/16")).contains("is not an IPv4 address"));
    }

    @Test
    void portMappings() {
        assertEquals(List.of(new PortMapping(8080, 80, "tcp"), new PortMapping(5353, 53, "udp"), new PortMapping(2222, 22, "tcp")),
                PortMapping.parseList("8080:80/tcp, 5353:53/udp,2222:22"));
        assertEquals(List.of(), PortMapping.parseList(null));
        assertEquals(List.of(), PortMapping.parseList("  "));
        assertEquals("8080:80/tcp,53:53/udp", PortMapping.format(PortMapping.parseList("8080:80,53:53/udp")));
        // tcp and udp of one port are different mappings
        assertEquals(2, PortMapping.parseList("53:53/tcp,53:53/udp").size());
    }

    @Test
    void badPortMappingsNameTheAnnotationAndTheEntry() {
        assertEquals("annotation io.jruntime.bridge.ports: \"8080:http\": container port \"http\" is not a number from 1 to 65535",
                error(() -> PortMapping.parseList("8080:http")));
        assertEquals("annotation io.jruntime.bridge.ports: \"0:80\": host port \"0\" is not a number from 1 to 65535",
                error(() -> PortMapping.parseList("0:80")));
        assertTrue(error(() -> PortMapping.parseList("65536:80")).contains("host port \"65536\""));
        assertTrue(error(() -> PortMapping.parseList("8080:80/sctp")).contains("protocol \"sctp\" is not tcp or udp"));
        assertTrue(error(() -> PortMapping.parseList("8080")).contains("expected HOST:CONTAINER[/tcp|/udp]"));
        assertTrue(error(() -> PortMapping.parseList("8080:80,,1:2")).contains("has an empty entry"));
        assertTrue(error(() -> PortMapping.parseList("8080:80,8080:81/tcp")).contains("host port 8080/tcp is mapped twice"));
    }

    @Test
    void containerState() {
        String json = "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":4242,\"bundle\":\"/b\","
                + "\"annotations\":{\"io.jruntime.bridge.ports\":\"8080:80\",\"n\":{\"x\":[1]}},\"extra\":[{\"a\":1}]}";
        ContainerState s = ContainerState.parse(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(new ContainerState("c1", 4242, Map.of("io.jruntime.bridge.ports", "8080:80")), s);
        // poststop: no pid, no annotations
        assertEquals(new ContainerState("c2", 0, Map.of()),
                ContainerState.parse("{\"id\":\"c2\",\"status\":\"stopped\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(error(() -> ContainerState.parse("{\"pid\":1}".getBytes(StandardCharsets.UTF_8))).contains("no valid \"id\""));
        assertTrue(error(() -> ContainerState.parse("[]".getBytes(StandardCharsets.UTF_8))).contains("not a JSON object"));
        assertTrue(error(() -> ContainerState.parse("{\"id\":".getBytes(StandardCharsets.UTF_8))).contains("not valid JSON"));
    }

    @Test
    void hostVethNamesAreShortStableAndDistinct() {
        String a = Names.hostVeth("container-a"), b = Names.hostVeth("container-b");
        assertEquals(15, a.length());
        assertTrue(a.matches("jv[0-9a-f]{13}"), a);
        assertEquals(a, Names.hostVeth("container-a"));
        assertTrue(!a.equals(b));
        // a 64-character containerd id still gives 15
        assertEquals(15, Names.hostVeth("f".repeat(64)).length());
    }

    @Test
    void nftRuleText() {
        String script = NftRules.publish("jrt0", "10.88.0.2", PortMapping.parseList("8080:80/tcp,5353:53/udp"));
        assertEquals("""
                add table ip jruntime-bridge
                add map ip jruntime-bridge ports-jrt0 { type inet_proto . inet_service : ipv4_addr . inet_service; }
                add chain ip jruntime-bridge prerouting-jrt0 { type nat hook prerouting priority -100; policy accept; }
                flush chain ip jruntime-bridge prerouting-jrt0
                add rule ip jruntime-bridge prerouting-jrt0 fib daddr type local dnat ip to meta l4proto . th dport map @ports-jrt0
                add chain ip jruntime-bridge output-jrt0 { type nat hook output priority -100; policy accept; }
                flush chain ip jruntime-bridge output-jrt0
                add rule ip jruntime-bridge output-jrt0 fib daddr type local dnat ip to meta l4proto . th dport map @ports-jrt0
                create element ip jruntime-bridge ports-jrt0 { tcp . 8080 : 10.88.0.2 . 80, udp . 5353 : 10.88.0.2 . 53 }
                """, script);
        assertEquals(List.of("delete", "element", "ip", "jruntime-bridge", "ports-br1", "{ udp . 53 }"),
                NftRules.elementArgs("delete", "br1", new PortMapping(53, 5353, "udp")));
    }
}
