package io.jruntime.hooks.bridge;

import java.util.List;

/**
 * The nftables text for port mappings. The hook owns {@code table ip jruntime-bridge}; per bridge it
 * has one map, {@code ports-BRIDGE}, from (protocol, host port) to (container address, container port),
 * and two NAT chains that DNAT through it whatever is addressed to one of this host's own addresses:
 * prerouting for packets that arrive from elsewhere, output for connections made on this host. A
 * container's mappings are map elements, so adding and removing them never touches a rule.
 */
public final class NftRules {
    public static final String TABLE = "jruntime-bridge";

    private NftRules() {}

    public static String map(String bridge) {
        return "ports-" + bridge;
    }

    /**
     * The script for {@code nft -f -} that publishes {@code ports} for {@code address}: it (re)creates
     * the table, map and chains (idempotent: add is a no-op for what exists, and the two chains are
     * flushed and refilled in the same transaction) and creates the elements; {@code create} fails when a
     * host port is already mapped, and then the whole transaction is rolled back.
     */
    public static String publish(String bridge, String address, List<PortMapping> ports) {
        String t = "ip " + TABLE, m = map(bridge);
        StringBuilder s = new StringBuilder();
        s.append("add table ").append(t).append('\n');
        s.append("add map ").append(t).append(' ').append(m)
                .append(" { type inet_proto . inet_service : ipv4_addr . inet_service; }\n");
        // Priority -100 is dstnat's value; nft 1.0.6 accepts the name for prerouting only.
        for (String hook : List.of("prerouting", "output")) {
            String chain = hook + "-" + bridge;
            s.append("add chain ").append(t).append(' ').append(chain)
                    .append(" { type nat hook ").append(hook).append(" priority -100; policy accept; }\n");
            s.append("flush chain ").append(t).append(' ').append(chain).append('\n');
            s.append("add rule ").append(t).append(' ').append(chain)
                    .append(" fib daddr type local dnat ip to meta l4proto . th dport map @").append(m).append('\n');
        }
        s.append("create element ").append(t).append(' ').append(m).append(" { ");
        for (int i = 0; i < ports.size(); i++) {
            PortMapping p = ports.get(i);
            s.append(i == 0 ? "" : ", ").append(p.protocol()).append(" . ").append(p.hostPort())
                    .append(" : ").append(address).append(" . ").append(p.containerPort());
        }
        return s.append(" }\n").toString();
    }

    /** The key of one mapping's element, as {@code nft get/delete element} take it: {@code { tcp . 8080 }}. */
    public static List<String> elementArgs(String verb, String bridge, PortMapping p) {
        return List.of(verb, "element", "ip", TABLE, map(bridge), "{ " + p.protocol() + " . " + p.hostPort() + " }");
    }
}
