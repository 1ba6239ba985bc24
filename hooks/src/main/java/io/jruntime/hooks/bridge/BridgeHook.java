package io.jruntime.hooks.bridge;

import java.io.IOException;
import java.util.List;

/**
 * The bridge network hook's entry point (hooks/bin/jruntime-bridge): reads the container state from
 * stdin and attaches (createRuntime) or detaches (poststop) the container. Any failure is one line on
 * stderr naming what failed, and exit status 1.
 */
public final class BridgeHook {
    private BridgeHook() {}

    public static void main(String[] args) {
        try {
            BridgeOptions options = BridgeOptions.parse(List.of(args));
            ContainerState state = ContainerState.parse(System.in.readAllBytes());
            BridgeNetwork network = new BridgeNetwork(new ExecCommands(), options);
            if (options.phase().equals("createRuntime")) {
                Allocation a = network.attach(state);
                System.out.println("jruntime-bridge: " + state.id() + ": " + Names.CONTAINER_IFNAME + " " + a.addressText()
                        + "/" + options.subnet().prefix() + " on " + options.bridge() + " (" + a.hostVeth() + ")"
                        + (a.ports().isEmpty() ? "" : ", ports " + PortMapping.format(a.ports())));
            } else {
                network.detach(state);
            }
        } catch (HookException e) {
            fail(e.getMessage());
        } catch (IOException e) {
            fail("state dir: " + e);
        } catch (RuntimeException e) {
            fail("internal error: " + e);
        }
    }

    private static void fail(String message) {
        System.err.println("jruntime-bridge: " + message);
        System.exit(1);
    }
}
