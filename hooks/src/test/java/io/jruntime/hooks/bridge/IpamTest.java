package io.jruntime.hooks.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpamTest {
    @TempDir
    Path dir;

    private Ipam ipam(String subnet) {
        return new Ipam(dir.resolve("jrt0"), Subnet.parse(subnet));
    }

    private static String alloc(Ipam ipam, String id) throws Exception {
        return ipam.locked(s -> s.allocate(id, Names.hostVeth(id), List.of())).addressText();
    }

    @Test
    void lowestFreeFirstSkippingTheGateway() throws Exception {
        Ipam ipam = ipam("10.88.0.0/24");
        assertEquals("10.88.0.2", alloc(ipam, "a"));
        assertEquals("10.88.0.3", alloc(ipam, "b"));
        assertEquals("10.88.0.4", alloc(ipam, "c"));
    }

    @Test
    void anIdThatHoldsAnAddressGetsItAgain() throws Exception {
        Ipam ipam = ipam("10.88.0.0/24");
        alloc(ipam, "a");
        assertEquals("10.88.0.3", alloc(ipam, "b"));
        assertEquals("10.88.0.3", alloc(ipam, "b"));
        assertEquals(2, ipam.locked(Ipam.Session::all).size());
    }

    @Test
    void releaseFreesTheAddressForTheNextAndIsIdempotent() throws Exception {
        Ipam ipam = ipam("10.88.0.0/24");
        alloc(ipam, "a");
        alloc(ipam, "b");
        alloc(ipam, "c");
        ipam.locked(s -> {
            s.release("b");
            s.release("b");
            s.release("never-seen");
            return null;
        });
        assertEquals(Optional.empty(), ipam.locked(s -> s.find("b")));
        assertEquals("10.88.0.3", alloc(ipam, "d"));
        assertEquals("10.88.0.5", alloc(ipam, "e"));
    }

    @Test
    void exhaustionIsAClearError() throws Exception {
        Ipam ipam = ipam("10.88.0.0/29"); // .2 to .6: five containers
        for (int i = 0; i < 5; i++) {
            alloc(ipam, "c" + i);
        }
        HookException e = assertThrows(HookException.class, () -> alloc(ipam, "one-too-many"));
        assertEquals("no free address left in 10.88.0.0/29 on bridge jrt0 (5 allocated)", e.getMessage());
        ipam.locked(s -> {
            s.release("c3");
            return null;
        });
        assertEquals("10.88.0.5", alloc(ipam, "one-too-many"));
    }

    @Test
    void recordsKeepVethAndPortsAndAHostPortBelongsToOneContainer() throws Exception {
        Ipam ipam = ipam("10.88.0.0/24");
        List<PortMapping> ports = PortMapping.parseList("8080:80,53:53/udp");
        ipam.locked(s -> s.allocate("web", "jvweb", ports));
        Allocation a = ipam.locked(s -> s.find("web")).orElseThrow();
        assertEquals(new Allocation("web", Subnet.parseAddress("10.88.0.2", "x"), "jvweb", ports), a);
        assertEquals("id=web\nveth=jvweb\nports=8080:80/tcp,53:53/udp\n", Files.readString(dir.resolve("jrt0/10.88.0.2")));

        HookException e = assertThrows(HookException.class,
                () -> ipam.locked(s -> s.allocate("other", "jvother", PortMapping.parseList("9090:90,8080:8080/tcp"))));
        assertEquals("host port 8080/tcp is already published by container \"web\" on bridge jrt0", e.getMessage());
        assertEquals(1, ipam.locked(Ipam.Session::all).size());
        // udp 8080 is another port; and the same container may ask again
        ipam.locked(s -> s.allocate("other", "jvother", PortMapping.parseList("8080:80/udp")));
        ipam.locked(s -> s.allocate("web", "jvweb", ports));
    }

    @Test
    void aCorruptRecordIsNamed() throws Exception {
        Ipam ipam = ipam("10.88.0.0/24");
        alloc(ipam, "a");
        Files.writeString(dir.resolve("jrt0/10.88.0.9"), "garbage\n");
        HookException e = assertThrows(HookException.class, () -> alloc(ipam, "b"));
        assertTrue(e.getMessage().startsWith("IPAM record " + dir.resolve("jrt0/10.88.0.9") + " is corrupt"), e.getMessage());
    }

    @Test
    void concurrentThreadsNeverShareAnAddress() throws Exception {
        Ipam ipam = ipam("10.88.0.0/24");
        int n = 16;
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "t" + i;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    got.add(new Ipam(dir.resolve("jrt0"), Subnet.parse("10.88.0.0/24")).locked(
                            s -> s.allocate(id, Names.hostVeth(id), List.of())).addressText());
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), List.copyOf(errors));
        assertEquals(n, new HashSet<>(got).size(), "duplicate addresses: " + got);
        assertEquals(n, ipam.locked(Ipam.Session::all).size());
    }

    /** Separate JVMs, as concurrent hooks are: only the file lock stands between them. */
    @Test
    void concurrentProcessesNeverShareAnAddress() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        int n = 6;
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), IpamContender.class.getName(),
                    dir.resolve("jrt0").toString(), "p" + i, "20").redirectErrorStream(true).start());
        }
        Set<String> all = new HashSet<>();
        int total = 0;
        for (Process p : processes) {
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            for (String line : out.strip().split("\n")) {
                all.add(line);
                total++;
            }
        }
        assertEquals(n * 20, total);
        assertEquals(total, all.size(), "an address was handed out twice");
        assertEquals(total, ipam("10.88.0.0/24").locked(Ipam.Session::all).size());
    }
}
