package io.jruntime.linux;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.LinuxNetDevice;
import io.jruntime.sys.Errno;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.NetlinkSyscalls;

/**
 * config-linux.md's {@code linux.netDevices}: each host device is moved into the container's network
 * namespace over rtnetlink (RTM_NEWLINK with IFLA_NET_NS_FD, renamed with IFLA_IFNAME when {@code name} is
 * given; the kernel refuses a name that exists there unless it is a {@code %d} template), its permanent
 * global addresses are added again inside (a move flushes them) and it is set up. On delete nothing is done:
 * the spec forbids moving it back, and the kernel returns physical devices to the initial namespace (and
 * destroys virtual ones) when the container's namespace dies.
 */
public final class NetDevices {
    private final NetlinkSyscalls nl;
    private int seq = 1;

    public NetDevices(NetlinkSyscalls nl) {
        this.nl = nl;
    }

    /** Moves every device into the network namespace of {@code pid} (the container's init, still waiting). */
    public void move(Map<String, LinuxNetDevice> devices, int pid) {
        if (devices == null || devices.isEmpty()) {
            return;
        }
        int host = -1, target = -1, inside = -1;
        try {
            host = nl.routeSocket();
            target = open("/proc/" + pid + "/ns/net", "the container's network namespace");
            inside = socketIn(target);
            // Every check before the first move: the kernel moves a device before it renames it, so a taken
            // name found by the kernel would leave the device moved (and lost with the namespace) anyway.
            Map<String, Netlink.Link> links = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, LinuxNetDevice> e : devices.entrySet()) {
                links.put(e.getKey(), check(host, inside, e.getKey(), nameOf(e.getValue())));
            }
            List<Netlink.Address> all = addresses(host);
            for (Map.Entry<String, LinuxNetDevice> e : devices.entrySet()) {
                moveOne(host, inside, target, e.getKey(), nameOf(e.getValue()), links.get(e.getKey()), all);
            }
        } catch (ErrnoException e) {
            throw new JRuntimeException("linux.netDevices: " + e.call() + ": " + e.reason(), e);
        } finally {
            closeQuietly(inside);
            closeQuietly(target);
            closeQuietly(host);
        }
    }

    private static String nameOf(LinuxNetDevice d) {
        return d == null || d.name() == null || d.name().isEmpty() ? null : d.name();
    }

    private static String field(String hostName) {
        return "linux.netDevices[\"" + hostName + "\"]";
    }

    /**
     * config-linux.md: the runtime MUST check that the move is possible: the device exists here, and its
     * name in the container (unless a %d template) is not taken there. Returns the host's link.
     */
    private Netlink.Link check(int host, int inside, String hostName, String name) throws ErrnoException {
        Netlink.Link link;
        try {
            link = getLink(host, hostName);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODEV) {
                throw new JRuntimeException(field(hostName) + ": there is no network device \"" + hostName + "\" to move");
            }
            throw new JRuntimeException(field(hostName) + ": look up the device: " + e.reason(), e);
        }
        String as = name == null ? hostName : name;
        if (!as.contains("%d")) {
            try {
                getLink(inside, as);
                throw new JRuntimeException(field(hostName) + ": a network device named \"" + as
                        + "\" already exists in the container's network namespace (a name ending in %d lets the kernel pick one)");
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENODEV) {
                    throw new JRuntimeException(field(hostName) + ": look up \"" + as + "\" in the container: " + e.reason(), e);
                }
            }
        }
        return link;
    }

    private void moveOne(int host, int inside, int target, String hostName, String name, Netlink.Link link,
            List<Netlink.Address> all) throws ErrnoException {
        String field = field(hostName);
        List<Netlink.Address> keep = all.stream().filter(a -> a.index() == link.index() && a.permanentGlobal()).toList();
        List<Netlink.Attr> attrs = new ArrayList<>();
        attrs.add(Netlink.Attr.u32(Netlink.IFLA_NET_NS_FD, target));
        if (name != null) {
            attrs.add(Netlink.Attr.string(Netlink.IFLA_IFNAME, name));
        }
        try {
            ack(host, Netlink.link(Netlink.RTM_NEWLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, seq, link.index(), 0, 0,
                    attrs.toArray(Netlink.Attr[]::new)));
        } catch (ErrnoException e) {
            String as = name == null ? hostName : name;
            if (e.errno() == Errno.EEXIST) {
                throw new JRuntimeException(field + ": a network device named \"" + as
                        + "\" already exists in the container's network namespace (a name ending in %d lets the kernel pick one)");
            }
            throw new JRuntimeException(field + ": move to the container's network namespace as \"" + as + "\": " + e.reason(), e);
        }
        Netlink.Link moved = findInside(inside, link);
        for (Netlink.Address a : keep) {
            try {
                ack(inside, Netlink.newAddress(seq, a, moved.index()));
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EEXIST) {
                    throw new JRuntimeException(field + ": restore an address of \"" + moved.name() + "\": " + e.reason(), e);
                }
            }
        }
        try {
            ack(inside, Netlink.link(Netlink.RTM_NEWLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, seq, moved.index(),
                    Netlink.IFF_UP, Netlink.IFF_UP));
        } catch (ErrnoException e) {
            throw new JRuntimeException(field + ": set \"" + moved.name() + "\" up: " + e.reason(), e);
        }
    }

    /**
     * The moved device inside: the kernel keeps its index unless that is taken there; otherwise (or if the
     * index now names another device) it is the one with the same hardware address.
     */
    private Netlink.Link findInside(int inside, Netlink.Link before) throws ErrnoException {
        try {
            Netlink.Link l = parseOne(request(inside, Netlink.link(Netlink.RTM_GETLINK, Netlink.NLM_F_REQUEST, seq,
                    before.index(), 0, 0), false, false));
            if (Arrays.equals(l.hardwareAddress(), before.hardwareAddress())) {
                return l;
            }
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENODEV) {
                throw e;
            }
        }
        for (Netlink.Message m : request(inside, Netlink.link(Netlink.RTM_GETLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP,
                seq, 0, 0, 0), true, false)) {
            Netlink.Link l = Netlink.parseLink(m);
            if (m.type() == Netlink.RTM_NEWLINK && Arrays.equals(l.hardwareAddress(), before.hardwareAddress())) {
                return l;
            }
        }
        throw new JRuntimeException("linux.netDevices: the device moved as index " + before.index()
                + " is not in the container's network namespace");
    }

    private Netlink.Link getLink(int fd, String name) throws ErrnoException {
        return parseOne(request(fd, Netlink.link(Netlink.RTM_GETLINK, Netlink.NLM_F_REQUEST, seq, 0, 0, 0,
                Netlink.Attr.string(Netlink.IFLA_IFNAME, name)), false, false));
    }

    private static Netlink.Link parseOne(List<Netlink.Message> reply) {
        return reply.stream().filter(m -> m.type() == Netlink.RTM_NEWLINK).findFirst().map(Netlink::parseLink)
                .orElseThrow(() -> new JRuntimeException("linux.netDevices: netlink: no link in the reply"));
    }

    private List<Netlink.Address> addresses(int fd) throws ErrnoException {
        return request(fd, Netlink.dumpAddresses(seq), true, false).stream()
                .filter(m -> m.type() == Netlink.RTM_NEWADDR).map(Netlink::parseAddress).toList();
    }

    private void ack(int fd, byte[] req) throws ErrnoException {
        request(fd, req, false, true);
    }

    /**
     * Sends one request and reads its reply: until NLMSG_DONE for a dump, the NLMSG_ERROR for an
     * acknowledged request, else the first message. A non-zero NLMSG_ERROR throws with its errno.
     */
    private List<Netlink.Message> request(int fd, byte[] req, boolean dump, boolean acked) throws ErrnoException {
        int mine = seq++;
        nl.send(fd, req);
        List<Netlink.Message> out = new ArrayList<>();
        for (;;) {
            for (Netlink.Message m : Netlink.parse(nl.recv(fd, 1 << 16))) {
                if (m.seq() != mine) {
                    continue; // a late reply to an earlier request
                }
                if (m.type() == Netlink.NLMSG_ERROR) {
                    if (m.errno() != 0) {
                        throw new ErrnoException("netlink", m.errno());
                    }
                    return out;
                }
                if (m.type() == Netlink.NLMSG_DONE) {
                    return out;
                }
                out.add(m);
                if (!dump && !acked) {
                    return out;
                }
            }
        }
    }

    /**
     * A NETLINK_ROUTE socket in the network namespace {@code nsFd}: this thread joins it, makes the socket
     * (which stays bound to that namespace) and returns to its own. A thread that cannot return stops the JVM
     * from going on in the wrong namespace.
     */
    private int socketIn(int nsFd) throws ErrnoException {
        int own = open("/proc/thread-self/ns/net", "this thread's network namespace");
        try {
            nl.setns(nsFd, NetlinkSyscalls.CLONE_NEWNET);
            try {
                return nl.routeSocket();
            } finally {
                try {
                    nl.setns(own, NetlinkSyscalls.CLONE_NEWNET);
                } catch (ErrnoException e) {
                    throw new IllegalStateException("setns back to the runtime's network namespace: " + e.reason(), e);
                }
            }
        } finally {
            closeQuietly(own);
        }
    }

    private int open(String path, String what) throws ErrnoException {
        try {
            return nl.open(path, NetlinkSyscalls.O_RDONLY | NetlinkSyscalls.O_CLOEXEC);
        } catch (ErrnoException e) {
            throw new JRuntimeException("linux.netDevices: open " + what + " " + path + ": " + e.reason(), e);
        }
    }

    private void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                nl.close(fd);
            } catch (ErrnoException ignored) {
                // nothing to do
            }
        }
    }
}
