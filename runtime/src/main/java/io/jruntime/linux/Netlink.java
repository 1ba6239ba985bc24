package io.jruntime.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * rtnetlink messages (netlink(7), rtnetlink(7)): the few that {@link NetDevices} sends (get a link, move
 * and rename it, set it up, dump and add addresses) and the parsing of the replies. Native byte order,
 * 4-byte alignment, as the kernel's NLMSG_ALIGN and RTA_ALIGN.
 */
final class Netlink {
    private Netlink() {}

    static final int NLMSG_ERROR = 2, NLMSG_DONE = 3;
    static final int RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_NEWADDR = 20, RTM_GETADDR = 22;
    static final int NLM_F_REQUEST = 1, NLM_F_ACK = 4, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400, NLM_F_DUMP = 0x300;
    static final int IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_NET_NS_FD = 28;
    static final int IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_LABEL = 3, IFA_BROADCAST = 4, IFA_CACHEINFO = 6, IFA_FLAGS = 8;
    static final int IFF_UP = 1;
    static final int IFA_F_PERMANENT = 0x80;
    /** Address flags that describe a state of the old address (DAD, deprecation), not something to ask for. */
    static final int IFA_F_STATE = 0x04 | 0x08 | 0x20 | 0x40 | IFA_F_PERMANENT;
    static final int RT_SCOPE_UNIVERSE = 0;

    /** One rtattr: type and payload. */
    record Attr(int type, byte[] data) {
        static Attr u32(int type, int value) {
            return new Attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
        }

        static Attr string(int type, String value) {
            byte[] s = value.getBytes(StandardCharsets.UTF_8);
            byte[] z = new byte[s.length + 1];
            System.arraycopy(s, 0, z, 0, s.length);
            return new Attr(type, z);
        }
    }

    /** A message of a reply: its header fields and the bytes after the 16-byte header. */
    record Message(int type, int flags, int seq, byte[] body) {
        ByteBuffer buffer() {
            return ByteBuffer.wrap(body).order(ByteOrder.nativeOrder());
        }

        /** NLMSG_ERROR: the (positive) errno, 0 for an acknowledgement. */
        int errno() {
            return -buffer().getInt(0);
        }
    }

    /** A link of an RTM_NEWLINK reply. */
    record Link(int index, int flags, String name, byte[] hardwareAddress) {}

    /** An address of an RTM_NEWADDR reply (ifaddrmsg and its attributes), with IFA_FLAGS folded into flags. */
    record Address(int family, int prefixLength, int flags, int scope, int index, Map<Integer, byte[]> attrs) {
        /** config-linux.md: permanent addresses (IFA_F_PERMANENT) with global scope (RT_SCOPE_UNIVERSE) move. */
        boolean permanentGlobal() {
            return (flags & IFA_F_PERMANENT) != 0 && scope == RT_SCOPE_UNIVERSE;
        }
    }

    static byte[] link(int type, int flags, int seq, int index, int ifFlags, int ifChange, Attr... attrs) {
        ByteBuffer body = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        body.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(index).putInt(ifFlags).putInt(ifChange);
        return message(type, flags, seq, body.array(), List.of(attrs));
    }

    /** RTM_NEWADDR for {@code a} on link {@code index}: the address attributes copied, state flags dropped. */
    static byte[] newAddress(int seq, Address a, int index) {
        int wanted = a.flags() & ~IFA_F_STATE;
        ByteBuffer body = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        body.put((byte) a.family()).put((byte) a.prefixLength()).put((byte) (wanted & 0xff)).put((byte) a.scope()).putInt(index);
        List<Attr> attrs = new ArrayList<>();
        for (int t : new int[] {IFA_LOCAL, IFA_ADDRESS, IFA_BROADCAST}) {
            if (a.attrs().containsKey(t)) {
                attrs.add(new Attr(t, a.attrs().get(t)));
            }
        }
        attrs.add(Attr.u32(IFA_FLAGS, wanted));
        return message(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, seq, body.array(), attrs);
    }

    static byte[] dumpAddresses(int seq) {
        return message(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq, new byte[8], List.of());
    }

    static byte[] message(int type, int flags, int seq, byte[] fixed, List<Attr> attrs) {
        int len = 16 + align(fixed.length);
        for (Attr a : attrs) {
            len += align(4 + a.data().length);
        }
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        b.put(fixed).position(16 + align(fixed.length));
        for (Attr a : attrs) {
            int start = b.position();
            b.putShort((short) (4 + a.data().length)).putShort((short) a.type()).put(a.data());
            b.position(start + align(4 + a.data().length));
        }
        return b.array();
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    /** The messages of one datagram. */
    static List<Message> parse(byte[] datagram) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        List<Message> out = new ArrayList<>();
        int pos = 0;
        while (pos + 16 <= datagram.length) {
            int len = b.getInt(pos);
            if (len < 16 || pos + len > datagram.length) {
                throw new IllegalArgumentException("netlink: truncated message");
            }
            byte[] body = new byte[len - 16];
            System.arraycopy(datagram, pos + 16, body, 0, body.length);
            out.add(new Message(b.getShort(pos + 4) & 0xffff, b.getShort(pos + 6) & 0xffff, b.getInt(pos + 8), body));
            pos += align(len);
        }
        return out;
    }

    /** The rtattrs of a body after its fixed part of {@code fixed} bytes. */
    static Map<Integer, byte[]> attrs(byte[] body, int fixed) {
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.nativeOrder());
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        int pos = align(fixed);
        while (pos + 4 <= body.length) {
            int len = b.getShort(pos) & 0xffff;
            int type = b.getShort(pos + 2) & 0x3fff; // without NLA_F_NESTED and NLA_F_NET_BYTEORDER
            if (len < 4 || pos + len > body.length) {
                break;
            }
            byte[] data = new byte[len - 4];
            System.arraycopy(body, pos + 4, data, 0, data.length);
            out.putIfAbsent(type, data);
            pos += align(len);
        }
        return out;
    }

    static Link parseLink(Message m) {
        ByteBuffer b = m.buffer();
        Map<Integer, byte[]> a = attrs(m.body(), 16);
        byte[] name = a.getOrDefault(IFLA_IFNAME, new byte[] {0});
        int n = 0;
        while (n < name.length && name[n] != 0) {
            n++;
        }
        return new Link(b.getInt(4), b.getInt(8), new String(name, 0, n, StandardCharsets.UTF_8), a.get(IFLA_ADDRESS));
    }

    static Address parseAddress(Message m) {
        ByteBuffer b = m.buffer();
        Map<Integer, byte[]> a = attrs(m.body(), 8);
        int flags = b.get(2) & 0xff;
        if (a.containsKey(IFA_FLAGS) && a.get(IFA_FLAGS).length == 4) {
            flags = ByteBuffer.wrap(a.get(IFA_FLAGS)).order(ByteOrder.nativeOrder()).getInt();
        }
        return new Address(b.get(0) & 0xff, b.get(1) & 0xff, flags, b.get(3) & 0xff, b.getInt(4), a);
    }
}
