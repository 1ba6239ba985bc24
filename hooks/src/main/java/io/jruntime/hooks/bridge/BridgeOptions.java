package io.jruntime.hooks.bridge;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The hook's command line: {@code [--bridge NAME] [--subnet CIDR] [--state-dir DIR] createRuntime|poststop}
 * ({@code --flag=value} works too). The phase is explicit rather than guessed from the state's status, so
 * a hook entry in the wrong list fails loudly instead of doing the other half.
 */
public record BridgeOptions(String phase, String bridge, Subnet subnet, Path stateDir) {
    public static final String DEFAULT_BRIDGE = "jrt0";
    public static final String DEFAULT_SUBNET = "10.88.0.0/24";
    public static final String DEFAULT_STATE_DIR = "/var/lib/jruntime-bridge";
    public static final String USAGE = "usage: jruntime-bridge [--bridge NAME] [--subnet CIDR] [--state-dir DIR] createRuntime|poststop"
            + " (defaults: --bridge " + DEFAULT_BRIDGE + " --subnet " + DEFAULT_SUBNET + " --state-dir " + DEFAULT_STATE_DIR + ")";

    /** Linux interface names: at most 15 bytes (IFNAMSIZ - 1), no '/', ':' or whitespace; kept to a safe set here. */
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,14}");

    public static BridgeOptions parse(List<String> args) {
        String phase = null, bridge = DEFAULT_BRIDGE, subnet = DEFAULT_SUBNET, stateDir = DEFAULT_STATE_DIR;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--")) {
                String name = arg, value;
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size() && isFlag(name)) {
                    value = args.get(++i);
                } else {
                    value = null;
                }
                if (!isFlag(name)) {
                    throw new HookException("unknown flag " + name + "; " + USAGE);
                }
                if (value == null) {
                    throw new HookException("flag " + name + " needs a value; " + USAGE);
                }
                switch (name) {
                    case "--bridge" -> bridge = value;
                    case "--subnet" -> subnet = value;
                    default -> stateDir = value;
                }
            } else if (phase == null) {
                phase = arg;
            } else {
                throw new HookException("unexpected argument \"" + arg + "\"; " + USAGE);
            }
        }
        if (phase == null) {
            throw new HookException("missing the phase (createRuntime or poststop); " + USAGE);
        }
        if (!phase.equals("createRuntime") && !phase.equals("poststop")) {
            throw new HookException("phase \"" + phase + "\" is not createRuntime or poststop; " + USAGE);
        }
        if (!IFNAME.matcher(bridge).matches()) {
            throw new HookException("--bridge \"" + bridge + "\": an interface name of 1 to 15 characters"
                    + " (letters, digits, '_', '.', '-', starting with a letter)");
        }
        if (stateDir.isEmpty() || !stateDir.startsWith("/")) {
            throw new HookException("--state-dir \"" + stateDir + "\": must be an absolute path");
        }
        return new BridgeOptions(phase, bridge, Subnet.parse(subnet), Path.of(stateDir));
    }

    private static boolean isFlag(String name) {
        return name.equals("--bridge") || name.equals("--subnet") || name.equals("--state-dir");
    }

    /** Where this bridge's IPAM records live: one directory per bridge. */
    public Path ipamDir() {
        return stateDir.resolve(bridge);
    }
}
