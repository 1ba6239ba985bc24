package io.jruntime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.LinuxNetDevice;
import io.jruntime.sys.Errno;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.NetlinkSyscalls;
import org.junit.jupiter.api.Test;

/** The order and content of NetDevices' rtnetlink conversation, against a fake kernel with two namespaces. */
class NetDevicesTest {
    /** A kernel of two network namespaces, "host" and "ctr" (/proc/42/ns/net), speaking just enough rtnetlink. */
    static class FakeKernel implements NetlinkSyscalls {
        record Dev(int index, byte[] mac) {}

        final Map<String, Map<String, Dev>> links = new HashMap<>();
        final List<Netlink.Address> hostAddresses = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        final Map<Integer, String> fds = new HashMap<>();
        final Map<Integer, List<byte[]>> pending = new HashMap<>();
        String current = "host";
        int next = 10;

        FakeKernel() {
            links.put("host", new LinkedHashMap<>());
            links.put("ctr", new LinkedHashMap<>(Map.of("lo", new Dev(1, new byte[6]))));
        }

        void hostDevice(String name, int index) {
            links.get("host").put(name, new Dev(index, new byte[] {2, 0, 0, 0, 0, (byte) index}));
        }

        @Override
        public int open(String path, int flags) {
            int fd = next++;
            fds.put(fd, path.equals("/proc/42/ns/net") ? "ctr" : path.equals("/proc/thread-self/ns/net") ? current : "?");
            return fd;
        }

        @Override
        public void setns(int fd, int nstype) {
            current = fds.get(fd);
            log.add("setns " + current);
        }

        @Override
        public int routeSocket() {
            int fd = next++;
            fds.put(fd, "socket:" + current);
            return fd;
        }

        @Override
        public void close(int fd) {}

        @Override
        public void send(int fd, byte[] message) {
            String ns = fds.get(fd).substring("socket:".length());
            Netlink.Message m = Netlink.parse(message).get(0);
            List<byte[]> out = pending.computeIfAbsent(fd, k -> new ArrayList<>());
            Map<Integer, byte[]> attrs = Netlink.attrs(m.body(), m.type() == Netlink.RTM_GETADDR || m.type() == Netlink.RTM_NEWADDR ? 8 : 16);
            switch (m.type()) {
                case Netlink.RTM_GETLINK -> {
                    String name = attrs.containsKey(Netlink.IFLA_IFNAME) ? cstr(attrs.get(Netlink.IFLA_IFNAME)) : null;
                    int index = m.buffer().getInt(4);
                    Map.Entry<String, Dev> e = links.get(ns).entrySet().stream()
                            .filter(x -> name != null ? x.getKey().equals(name) : x.getValue().index() == index).findFirst().orElse(null);
                    log.add("getlink " + ns + " " + (name != null ? name : "#" + index));
                    out.add(e == null ? error(m.seq(), Errno.ENODEV) : link(m.seq(), e.getKey(), e.getValue()));
                }
                case Netlink.RTM_NEWLINK -> {
                    int index = m.buffer().getInt(4);
                    String name = attrs.containsKey(Netlink.IFLA_IFNAME) ? cstr(attrs.get(Netlink.IFLA_IFNAME)) : null;
                    if (attrs.containsKey(Netlink.IFLA_NET_NS_FD)) {
                        String target = fds.get(ByteBuffer.wrap(attrs.get(Netlink.IFLA_NET_NS_FD)).order(ByteOrder.nativeOrder()).getInt());
                        String old = links.get(ns).entrySet().stream().filter(x -> x.getValue().index() == index)
                                .findFirst().orElseThrow().getKey();
                        String as = name == null ? old : name.replace("%d", Integer.toString(links.get(target).size() - 1));
                        links.get(target).put(as, links.get(ns).remove(old));
                        log.add("move " + old + " to " + target + " as " + as);
                    } else {
                        log.add("up " + ns + " #" + index + " flags " + m.buffer().getInt(8));
                    }
                    out.add(error(m.seq(), 0));
                }
                case Netlink.RTM_GETADDR -> {
                    for (Netlink.Address a : hostAddresses) {
                        out.add(dumped(m.seq(), a));
                    }
                    out.add(Netlink.message(Netlink.NLMSG_DONE, 0, m.seq(), new byte[4], List.of()));
                }
                case Netlink.RTM_NEWADDR -> {
                    Netlink.Address a = Netlink.parseAddress(m);
                    log.add("addr " + ns + " #" + a.index() + " " + java.util.Arrays.toString(a.attrs().get(Netlink.IFA_LOCAL)) + "/" + a.prefixLength());
                    out.add(error(m.seq(), 0));
                }
                default -> throw new AssertionError("unexpected message " + m.type());
            }
        }

        @Override
        public byte[] recv(int fd, int max) {
            return pending.get(fd).remove(0);
        }

        static String cstr(byte[] b) {
            int n = 0;
            while (n < b.length && b[n] != 0) {
                n++;
            }
            return new String(b, 0, n);
        }

        /** An address as a dump reports it: its own flags (IFA_FLAGS), scope and attributes. */
        static byte[] dumped(int seq, Netlink.Address a) {
            ByteBuffer body = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            body.put((byte) a.family()).put((byte) a.prefixLength()).put((byte) a.flags()).put((byte) a.scope()).putInt(a.index());
            List<Netlink.Attr> attrs = new ArrayList<>();
            a.attrs().forEach((t, v) -> {
                if (t != Netlink.IFA_FLAGS) {
                    attrs.add(new Netlink.Attr(t, v));
                }
            });
            attrs.add(Netlink.Attr.u32(Netlink.IFA_FLAGS, a.flags()));
            return Netlink.message(Netlink.RTM_NEWADDR, 2 /* NLM_F_MULTI */, seq, body.array(), attrs);
        }

        static byte[] error(int seq, int errno) {
            return Netlink.message(Netlink.NLMSG_ERROR, 0, seq, ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()).putInt(-errno).array(), List.of());
        }

        static byte[] link(int seq, String name, Dev d) {
            return Netlink.link(Netlink.RTM_NEWLINK, 0, seq, d.index(), 0, 0, Netlink.Attr.string(Netlink.IFLA_IFNAME, name),
                    new Netlink.Attr(Netlink.IFLA_ADDRESS, d.mac()));
        }
    }

    /** An address as the kernel's dump reports it (RTM_NEWADDR layout). */
    static Netlink.Address address(int index, int a, int flags, int scope) {
        ByteBuffer body = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        body.put((byte) 2).put((byte) 24).put((byte) 0).put((byte) scope).putInt(index);
        byte[] ip = {10, 0, 0, (byte) a};
        return Netlink.parseAddress(Netlink.parse(Netlink.message(Netlink.RTM_NEWADDR, 0, 1, body.array(),
                List.of(new Netlink.Attr(Netlink.IFA_LOCAL, ip), new Netlink.Attr(Netlink.IFA_ADDRESS, ip),
                        Netlink.Attr.u32(Netlink.IFA_FLAGS, flags)))).get(0));
    }

    static Map<String, LinuxNetDevice> devices(String... pairs) {
        Map<String, LinuxNetDevice> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], new LinuxNetDevice(pairs[i + 1]));
        }
        return m;
    }

    @Test
    void movesRenamesRestoresPermanentGlobalAddressesAndSetsUpInsideTheContainer() {
        FakeKernel k = new FakeKernel();
        k.hostDevice("nd0", 5);
        k.hostDevice("other", 6);
        k.hostAddresses.add(address(5, 2, Netlink.IFA_F_PERMANENT, 0));
        k.hostAddresses.add(address(5, 3, 0, 0)); // dynamic
        k.hostAddresses.add(address(5, 4, Netlink.IFA_F_PERMANENT, 254)); // host scope
        k.hostAddresses.add(address(6, 5, Netlink.IFA_F_PERMANENT, 0)); // another device's
        new NetDevices(k).move(devices("nd0", "eth7"), 42);
        assertEquals(List.of("setns ctr", "setns host", "getlink host nd0", "getlink ctr eth7", "move nd0 to ctr as eth7",
                "getlink ctr #5", "addr ctr #5 [10, 0, 0, 2]/24", "up ctr #5 flags 1"), k.log);
        assertTrue(k.links.get("ctr").containsKey("eth7"));
        assertTrue(k.links.get("host").containsKey("other"));
    }

    @Test
    void everyDeviceIsCheckedBeforeTheFirstMove() {
        FakeKernel k = new FakeKernel();
        k.hostDevice("nd0", 5);
        JRuntimeException e = assertThrows(JRuntimeException.class,
                () -> new NetDevices(k).move(devices("nd0", null, "nosuch0", null), 42));
        assertEquals("linux.netDevices[\"nosuch0\"]: there is no network device \"nosuch0\" to move", e.getMessage());
        assertTrue(k.log.stream().noneMatch(l -> l.startsWith("move")), k.log.toString());

        k.hostDevice("nd1", 7);
        e = assertThrows(JRuntimeException.class, () -> new NetDevices(k).move(devices("nd0", null, "nd1", "lo"), 42));
        assertTrue(e.getMessage().startsWith("linux.netDevices[\"nd1\"]: a network device named \"lo\" already exists"
                + " in the container's network namespace"), e.getMessage());
        assertTrue(k.log.stream().noneMatch(l -> l.startsWith("move")), k.log.toString());
    }

    @Test
    void aTemplateNameIsNotCheckedTheKernelPicksIt() {
        FakeKernel k = new FakeKernel();
        k.hostDevice("nd0", 5);
        k.hostDevice("nd1", 6);
        new NetDevices(k).move(devices("nd0", "eth%d", "nd1", "eth%d"), 42);
        assertTrue(k.log.stream().noneMatch(l -> l.startsWith("getlink ctr eth")), k.log.toString());
        assertTrue(k.links.get("ctr").keySet().containsAll(List.of("eth0", "eth1")), k.links.get("ctr").toString());
    }

    @Test
    void theThreadReturnsToItsOwnNamespaceEvenWhenTheSocketFails() {
        FakeKernel k = new FakeKernel() {
            @Override
            public int routeSocket() {
                if (current.equals("ctr")) {
                    throw new IllegalStateException("boom");
                }
                return super.routeSocket();
            }
        };
        k.hostDevice("nd0", 5);
        assertThrows(IllegalStateException.class, () -> new NetDevices(k).move(devices("nd0", null), 42));
        assertEquals("host", k.current);
    }

    @Test
    void nothingToMoveTouchesNothing() throws ErrnoException {
        FakeKernel k = new FakeKernel();
        new NetDevices(k).move(Map.of(), 42);
        new NetDevices(k).move(null, 42);
        assertEquals(List.of(), k.log);
    }
}
