package io.jruntime.hooks.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of steps, what is skipped when it exists, and the undo on failure, against a fake that
 * keeps a tiny model of links, addresses and nft elements. (BridgeHookIT runs the real thing.)
 */
class BridgeNetworkTest {
    @TempDir
    Path dir;

    /** Records every command; models links (ip link add/del/show), bridge addresses and nft elements. */
    static final class FakeCommands implements Commands {
        final List<String> log = new ArrayList<>();
        final Set<String> links = new HashSet<>();
        final Set<String> addresses = new HashSet<>();
        final Set<String> elements = new HashSet<>();
        String failing; // a command line that fails (prefix match)
        boolean sharedNetns;

        @Override
        public Result run(List<String> argv, String stdin) {
            String line = String.join(" ", argv);
            log.add(line);
            if (failing != null && line.startsWith(failing)) {
                return new Result(2, "", "RTNETLINK answers: boom");
            }
            if (line.startsWith("ip -o link show dev ")) {
                return new Result(links.contains(argv.get(5)) ? 0 : 1, "", "");
            }
            if (line.startsWith("ip link add name ")) {
                links.add(argv.get(4));
            } else if (line.startsWith("ip link del dev ")) {
                links.remove(argv.get(4));
            } else if (line.startsWith("ip -o -4 addr show dev ")) {
                return new Result(0, String.join("\n", addresses.stream().map(a -> "5: jrt0    inet " + a + " brd x scope global jrt0").toList()), "");
            } else if (line.startsWith("ip addr add ")) {
                addresses.add(argv.get(3));
            } else if (line.startsWith("nft -f -")) {
                for (String l : stdin.split("\n")) {
                    if (l.startsWith("create element")) {
                        String body = l.substring(l.indexOf('{') + 2, l.indexOf('}') - 1);
                        for (String e : body.split(", ")) {
                            elements.add(e.substring(0, e.indexOf(" :")));
                        }
                    }
                }
            } else if (line.startsWith("nft get element")) {
                return new Result(elements.contains(key(argv)) ? 0 : 1, "", "");
            } else if (line.startsWith("nft delete element")) {
                elements.remove(key(argv));
            }
            return new Result(0, "", "");
        }

        private static String key(List<String> argv) {
            String last = argv.getLast();
            return last.substring(2, last.length() - 2);
        }

        @Override
        public boolean sharesOurNetns(int pid) {
            return sharedNetns;
        }
    }

    private final FakeCommands fake = new FakeCommands();

    private BridgeNetwork network() {
        return new BridgeNetwork(fake, BridgeOptions.parse(List.of("--state-dir", dir.toString(), "createRuntime")));
    }

    private static ContainerState state(String id, int pid, String ports) {
        return new ContainerState(id, pid, ports == null ? Map.of() : Map.of(PortMapping.ANNOTATION, ports));
    }

    @Test
    void attachCreatesTheBridgeOnceAndWiresTheContainer() throws Exception {
        String veth = Names.hostVeth("a");
        Allocation a = network().attach(state("a", 100, "8080:80"));
        assertEquals("10.88.0.2", a.addressText());
        assertEquals(List.of(
                "ip -o link show dev jrt0",
                "ip link add name jrt0 type bridge",
                "ip -o -4 addr show dev jrt0",
                "ip addr add 10.88.0.1/24 dev jrt0",
                "ip link set dev jrt0 up",
                "ip -o link show dev " + veth,
                "ip link add name " + veth + " type veth peer name eth0 netns 100",
                "ip link set dev " + veth + " master jrt0",
                "ip link set dev " + veth + " up",
                "nsenter --net=/proc/100/ns/net -- ip link set dev lo up",
                "nsenter --net=/proc/100/ns/net -- ip addr add 10.88.0.2/24 dev eth0",
                "nsenter --net=/proc/100/ns/net -- ip link set dev eth0 up",
                "nsenter --net=/proc/100/ns/net -- ip route add default via 10.88.0.1 dev eth0",
                "nft -f -"), fake.log);
        assertEquals(Set.of("tcp . 8080"), fake.elements);

        // The second container finds the bridge and its address; no ports, no nft.
        fake.log.clear();
        assertEquals("10.88.0.3", network().attach(state("b", 200, null)).addressText());
        assertFalse(fake.log.contains("ip link add name jrt0 type bridge"));
        assertFalse(fake.log.stream().anyMatch(l -> l.startsWith("ip addr add 10.88.0.1")));
        assertFalse(fake.log.stream().anyMatch(l -> l.startsWith("nft")));
    }

    @Test
    void aStaleVethOfTheSameIdIsReplaced() throws Exception {
        String veth = Names.hostVeth("a");
        fake.links.add(veth);
        network().attach(state("a", 100, null));
        int del = fake.log.indexOf("ip link del dev " + veth), add = fake.log.indexOf("ip link add name " + veth + " type veth peer name eth0 netns 100");
        assertTrue(del >= 0 && del < add, fake.log.toString());
    }

    @Test
    void theSameIdAgainKeepsItsAddressAndDropsItsStaleMappings() throws Exception {
        network().attach(state("a", 100, "8080:80"));
        network().attach(state("b", 200, null));
        fake.log.clear();
        Allocation again = network().attach(state("a", 300, "9090:80"));
        assertEquals("10.88.0.2", again.addressText());
        assertTrue(fake.log.contains("nft delete element ip jruntime-bridge ports-jrt0 { tcp . 8080 }"), fake.log.toString());
        assertEquals(Set.of("tcp . 9090"), fake.elements);
    }

    @Test
    void aFailingStepIsNamedAndUndoesTheVethAndTheAddress() throws Exception {
        fake.failing = "nsenter --net=/proc/100/ns/net -- ip route add";
        HookException e = assertThrows(HookException.class, () -> network().attach(state("a", 100, "8080:80")));
        assertEquals("adding the container's default route via 10.88.0.1 failed: nsenter --net=/proc/100/ns/net -- ip route add default"
                + " via 10.88.0.1 dev eth0: RTNETLINK answers: boom", e.getMessage());
        assertFalse(fake.links.contains(Names.hostVeth("a")), "veth left");
        assertEquals(List.of(), new Ipam(dir.resolve("jrt0"), Subnet.parse("10.88.0.0/24")).locked(Ipam.Session::all));
        assertEquals(Set.of(), fake.elements);
    }

    @Test
    void badInputFailsBeforeAnythingIsMade() {
        assertTrue(assertThrows(HookException.class, () -> network().attach(state("a", 100, "80"))).getMessage()
                .startsWith("annotation io.jruntime.bridge.ports"));
        assertTrue(assertThrows(HookException.class, () -> network().attach(state("a", 0, null))).getMessage()
                .contains("has no \"pid\""));
        fake.sharedNetns = true;
        assertTrue(assertThrows(HookException.class, () -> network().attach(state("a", 100, null))).getMessage()
                .contains("shares the runtime's network namespace"));
        assertEquals(List.of(), fake.log);
    }

    @Test
    void detachRemovesMappingsVethAndAddressAndIsIdempotent() throws Exception {
        String veth = Names.hostVeth("a");
        network().attach(state("a", 100, "8080:80,53:53/udp"));
        fake.links.remove(veth); // the kernel took the veth down with the container's namespace
        fake.log.clear();
        network().detach(state("a", 0, null));
        assertEquals(List.of(
                "nft get element ip jruntime-bridge ports-jrt0 { tcp . 8080 }",
                "nft delete element ip jruntime-bridge ports-jrt0 { tcp . 8080 }",
                "nft get element ip jruntime-bridge ports-jrt0 { udp . 53 }",
                "nft delete element ip jruntime-bridge ports-jrt0 { udp . 53 }",
                "ip -o link show dev " + veth), fake.log);
        assertEquals(Set.of(), fake.elements);
        assertEquals(List.of(), new Ipam(dir.resolve("jrt0"), Subnet.parse("10.88.0.0/24")).locked(Ipam.Session::all));

        // again, and for an id never seen: nothing to remove, no error
        network().detach(state("a", 0, null));
        network().detach(state("never", 0, null));
    }

    @Test
    void detachRemovesAVethStillThere() throws Exception {
        String veth = Names.hostVeth("a");
        network().attach(state("a", 100, null));
        network().detach(state("a", 0, null));
        assertFalse(fake.links.contains(veth));
        assertTrue(fake.log.contains("ip link del dev " + veth));
    }
}
