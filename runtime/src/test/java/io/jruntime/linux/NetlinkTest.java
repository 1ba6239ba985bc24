package io.jruntime.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The rtnetlink encoding and parsing NetDevices relies on, checked byte by byte. */
class NetlinkTest {
    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    }

    @Test
    void moveRequestIsIfinfomsgWithNetnsFdAndNameAligned() {
        byte[] m = Netlink.link(Netlink.RTM_NEWLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, 7, 42, 0, 0,
                Netlink.Attr.u32(Netlink.IFLA_NET_NS_FD, 9), Netlink.Attr.string(Netlink.IFLA_IFNAME, "eth0"));
        ByteBuffer b = le(m);
        // 16 header + 16 ifinfomsg + 8 (fd attr) + 12 (4 + "eth0\0" = 9, aligned to 12)
        assertEquals(52, m.length);
        assertEquals(52, b.getInt(0));
        assertEquals(Netlink.RTM_NEWLINK, b.getShort(4));
        assertEquals(5, b.getShort(6));
        assertEquals(7, b.getInt(8));
        assertEquals(42, b.getInt(16 + 4), "ifi_index");
        assertEquals(8, b.getShort(32));
        assertEquals(Netlink.IFLA_NET_NS_FD, b.getShort(34));
        assertEquals(9, b.getInt(36));
        assertEquals(9, b.getShort(40), "rta_len counts the NUL, not the padding");
        assertEquals(Netlink.IFLA_IFNAME, b.getShort(42));
        assertEquals("eth0", new String(m, 44, 4));
        assertEquals(0, m[48]);
    }

    @Test
    void repliesParseIntoMessagesLinksAndAddresses() {
        // A datagram of two messages: an RTM_NEWLINK and an NLMSG_ERROR acknowledgement.
        byte[] link = Netlink.link(Netlink.RTM_NEWLINK, 0, 3, 5, 1, 0, Netlink.Attr.string(Netlink.IFLA_IFNAME, "nd0"),
                new Netlink.Attr(Netlink.IFLA_ADDRESS, new byte[] {2, 0, 0, 0, 0, 1}));
        byte[] ack = Netlink.message(Netlink.NLMSG_ERROR, 0, 3, new byte[20], List.of());
        byte[] both = new byte[link.length + ack.length];
        System.arraycopy(link, 0, both, 0, link.length);
        System.arraycopy(ack, 0, both, link.length, ack.length);
        List<Netlink.Message> ms = Netlink.parse(both);
        assertEquals(2, ms.size());
        Netlink.Link l = Netlink.parseLink(ms.get(0));
        assertEquals(5, l.index());
        assertEquals("nd0", l.name());
        assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 1}, l.hardwareAddress());
        assertEquals(0, ms.get(1).errno(), "an acknowledgement");

        ByteBuffer err = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()).putInt(-17);
        assertEquals(17, Netlink.parse(Netlink.message(Netlink.NLMSG_ERROR, 0, 4, err.array(), List.of())).get(0).errno());
    }

    static Netlink.Address address(int flags, int scope, Integer ifaFlags) {
        ByteBuffer body = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        body.put((byte) 2).put((byte) 24).put((byte) flags).put((byte) scope).putInt(5);
        var attrs = new java.util.ArrayList<Netlink.Attr>(List.of(new Netlink.Attr(Netlink.IFA_LOCAL, new byte[] {10, 0, 0, 2}),
                new Netlink.Attr(Netlink.IFA_ADDRESS, new byte[] {10, 0, 0, 2}), Netlink.Attr.string(Netlink.IFA_LABEL, "nd0")));
        if (ifaFlags != null) {
            attrs.add(Netlink.Attr.u32(Netlink.IFA_FLAGS, ifaFlags));
        }
        return Netlink.parseAddress(Netlink.parse(Netlink.message(Netlink.RTM_NEWADDR, 0, 1, body.array(), attrs)).get(0));
    }

    @Test
    void onlyPermanentGlobalAddressesMoveAndIfaFlagsWinOverTheByte() {
        assertTrue(address(Netlink.IFA_F_PERMANENT, 0, null).permanentGlobal());
        assertFalse(address(0, 0, null).permanentGlobal(), "a dynamic address (with a lifetime)");
        assertFalse(address(Netlink.IFA_F_PERMANENT, 254, null).permanentGlobal(), "host scope");
        assertFalse(address(Netlink.IFA_F_PERMANENT, 253, null).permanentGlobal(), "link scope");
        assertTrue(address(0, 0, Netlink.IFA_F_PERMANENT | 0x200).permanentGlobal(), "IFA_FLAGS carries the full set");
    }

    @Test
    void newAddressCopiesTheAddressAttributesNotTheLabelNorTheStateFlags() {
        Netlink.Address a = address(Netlink.IFA_F_PERMANENT | 0x02, 0, Netlink.IFA_F_PERMANENT | 0x02 | 0x40);
        byte[] m = Netlink.newAddress(9, a, 77);
        Netlink.Message parsed = Netlink.parse(m).get(0);
        assertEquals(Netlink.RTM_NEWADDR, parsed.type());
        assertEquals(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, parsed.flags());
        Netlink.Address back = Netlink.parseAddress(parsed);
        assertEquals(77, back.index());
        assertEquals(24, back.prefixLength());
        assertEquals(0x02, back.flags(), "NODAD kept; PERMANENT and TENTATIVE are the kernel's to set");
        Map<Integer, byte[]> attrs = back.attrs();
        assertArrayEquals(new byte[] {10, 0, 0, 2}, attrs.get(Netlink.IFA_LOCAL));
        assertFalse(attrs.containsKey(Netlink.IFA_LABEL), "a label names the old device");
    }
}
