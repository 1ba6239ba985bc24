package io.jruntime.hooks.bridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The two halves of the hook. {@link #attach} on createRuntime: address from the IPAM store, bridge
 * (created and given the gateway address if missing), veth pair with its peer created right in the
 * container's network namespace as eth0, addresses, default route, port mappings; on any failure it
 * undoes what it did (veth, address) before reporting. {@link #detach} on poststop: the mappings, the
 * veth (gone already when the namespace died with the container) and the address; idempotent.
 *
 * The whole of each half runs under the IPAM lock, so hooks for one bridge never interleave.
 */
public final class BridgeNetwork {
    private final Commands commands;
    private final BridgeOptions options;
    private final Ipam ipam;

    public BridgeNetwork(Commands commands, BridgeOptions options) {
        this.commands = commands;
        this.options = options;
        this.ipam = new Ipam(options.ipamDir(), options.subnet());
    }

    public Allocation attach(ContainerState state) throws IOException {
        if (state.pid() <= 0) {
            throw new HookException("the container state has no \"pid\": createRuntime needs the container's process");
        }
        List<PortMapping> ports = PortMapping.parseList(state.annotations().get(PortMapping.ANNOTATION));
        if (commands.sharesOurNetns(state.pid())) {
            // It would get eth0 and a default route in the runtime's namespace.
            throw new HookException("the container shares the runtime's network namespace: the bridge hook needs"
                    + " a new one (a \"network\" entry in linux.namespaces without a path)");
        }
        String veth = Names.hostVeth(state.id());
        return ipam.locked(session -> {
            // The same id again without a poststop in between: its old mappings are stale.
            var previous = session.find(state.id());
            if (previous.isPresent()) {
                unpublish(previous.get().ports());
            }
            Allocation a = session.allocate(state.id(), veth, ports);
            try {
                setUp(a, state.pid());
                return a;
            } catch (RuntimeException e) {
                try {
                    deleteLinkIfPresent(veth);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                session.release(state.id());
                throw e;
            }
        });
    }

    public void detach(ContainerState state) throws IOException {
        ipam.locked(session -> {
            var a = session.find(state.id());
            if (a.isPresent()) {
                unpublish(a.get().ports());
            }
            deleteLinkIfPresent(a.map(Allocation::hostVeth).orElse(Names.hostVeth(state.id())));
            session.release(state.id());
            return null;
        });
    }

    /** Removes the DNAT elements of {@code ports}; one absent already (a flushed table, a run that died half way) counts as removed. */
    private void unpublish(List<PortMapping> ports) {
        for (PortMapping p : ports) {
            if (commands.run(nft("get", p), null).ok()) {
                check("removing the DNAT rule for host port " + p.key(), nft("delete", p), null);
            }
        }
    }

    private void setUp(Allocation a, int pid) {
        String netns = "/proc/" + pid + "/ns/net";
        String bridge = options.bridge(), veth = a.hostVeth();
        String gateway = Subnet.format(options.subnet().gateway());
        String cidr = "/" + options.subnet().prefix();
        if (!linkExists(bridge)) {
            check("creating bridge " + bridge, List.of("ip", "link", "add", "name", bridge, "type", "bridge"), null);
        }
        String addrs = check("reading the addresses of bridge " + bridge, List.of("ip", "-o", "-4", "addr", "show", "dev", bridge), null);
        if (!addrs.contains(" " + gateway + cidr + " ")) {
            check("giving bridge " + bridge + " the gateway address " + gateway + cidr,
                    List.of("ip", "addr", "add", gateway + cidr, "dev", bridge), null);
        }
        check("bringing bridge " + bridge + " up", List.of("ip", "link", "set", "dev", bridge, "up"), null);
        // The name is derived from the id: one left by a container of the same id that never got its
        // poststop is stale.
        deleteLinkIfPresent(veth);
        check("creating veth pair " + veth + " / " + Names.CONTAINER_IFNAME + " in " + netns,
                List.of("ip", "link", "add", "name", veth, "type", "veth", "peer", "name", Names.CONTAINER_IFNAME,
                        "netns", Integer.toString(pid)), null);
        check("attaching " + veth + " to bridge " + bridge, List.of("ip", "link", "set", "dev", veth, "master", bridge), null);
        check("bringing " + veth + " up", List.of("ip", "link", "set", "dev", veth, "up"), null);
        inContainer(netns, "bringing lo up in the container", "link", "set", "dev", "lo", "up");
        inContainer(netns, "giving the container's eth0 the address " + a.addressText() + cidr,
                "addr", "add", a.addressText() + cidr, "dev", Names.CONTAINER_IFNAME);
        inContainer(netns, "bringing the container's eth0 up", "link", "set", "dev", Names.CONTAINER_IFNAME, "up");
        inContainer(netns, "adding the container's default route via " + gateway,
                "route", "add", "default", "via", gateway, "dev", Names.CONTAINER_IFNAME);
        if (!a.ports().isEmpty()) {
            check("publishing ports " + PortMapping.format(a.ports()) + " (nft table ip " + NftRules.TABLE + ")",
                    List.of("nft", "-f", "-"), NftRules.publish(bridge, a.addressText(), a.ports()));
        }
    }

    private void inContainer(String netns, String step, String... ipArgs) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + netns, "--", "ip"));
        argv.addAll(List.of(ipArgs));
        check(step, argv, null);
    }

    private boolean linkExists(String name) {
        return commands.run(List.of("ip", "-o", "link", "show", "dev", name), null).ok();
    }

    /** The kernel removes a veth whose peer's namespace died; so "not found" after a failed delete is fine. */
    private void deleteLinkIfPresent(String name) {
        if (linkExists(name)) {
            Commands.Result r = commands.run(List.of("ip", "link", "del", "dev", name), null);
            if (!r.ok() && linkExists(name)) {
                throw new HookException("removing veth " + name + " failed: " + r.err().strip());
            }
        }
    }

    private List<String> nft(String verb, PortMapping p) {
        List<String> argv = new ArrayList<>(List.of("nft"));
        argv.addAll(NftRules.elementArgs(verb, options.bridge(), p));
        return argv;
    }

    /** Runs a step that must succeed; its failure names the step and carries the program's stderr. */
    private String check(String step, List<String> argv, String stdin) {
        Commands.Result r = commands.run(argv, stdin);
        if (!r.ok()) {
            String why = r.err().strip().isEmpty() ? "exit status " + r.code() : r.err().strip().replace('\n', ' ');
            throw new HookException(step + " failed: " + String.join(" ", argv) + ": " + why);
        }
        return r.out();
    }
}
