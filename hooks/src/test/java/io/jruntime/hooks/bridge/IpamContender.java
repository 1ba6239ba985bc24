package io.jruntime.hooks.bridge;

import java.nio.file.Path;
import java.util.List;

/** For IpamTest: allocates COUNT addresses for ids PREFIX-0.. in DIR, one locked session each, and prints them. */
public final class IpamContender {
    public static void main(String[] args) throws Exception {
        Ipam ipam = new Ipam(Path.of(args[0]), Subnet.parse("10.88.0.0/24"));
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            String id = args[1] + "-" + i;
            System.out.println(ipam.locked(s -> s.allocate(id, Names.hostVeth(id), List.of())).addressText());
        }
    }
}
