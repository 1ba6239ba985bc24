package io.jruntime.hooks.bridge;

import java.util.List;

/** What the IPAM store records for a container: its address, its host veth and its published ports. */
public record Allocation(String id, int address, String hostVeth, List<PortMapping> ports) {
    public String addressText() {
        return Subnet.format(address);
    }
}
