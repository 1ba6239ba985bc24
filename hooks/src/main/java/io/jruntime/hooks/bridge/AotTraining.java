package io.jruntime.hooks.bridge;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run for the hook's AOT cache (src/main/sh/train-aot.sh, at build time): both halves
 * through {@link BridgeNetwork} with a {@link Commands} that changes nothing, in a temporary IPAM store,
 * plus one real process start, so the cache holds the classes a real run loads. It never touches a
 * network interface.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("jruntime-bridge-aot");
        try {
            Commands nothing = new Commands() {
                @Override
                public Result run(List<String> argv, String stdin) {
                    // no link exists yet; every other step succeeds
                    return new Result(String.join(" ", argv).startsWith("ip -o link show") ? 1 : 0, "", "");
                }

                @Override
                public boolean sharesOurNetns(int pid) {
                    return false;
                }
            };
            BridgeOptions options = BridgeOptions.parse(List.of("--state-dir=" + dir, "--bridge", "jrt0", "createRuntime"));
            ContainerState state = ContainerState.parse(("{\"ociVersion\":\"1.2.0\",\"id\":\"aot\",\"status\":\"creating\",\"pid\":1,"
                    + "\"bundle\":\"/\",\"annotations\":{\"" + PortMapping.ANNOTATION + "\":\"8080:80/tcp,53:53/udp\"}}")
                    .getBytes(StandardCharsets.UTF_8));
            BridgeNetwork network = new BridgeNetwork(nothing, options);
            network.attach(state);
            network.detach(state);
            try {
                PortMapping.parseList("x");
            } catch (HookException expected) {
                // the error path loads its classes too
            }
            new ExecCommands().run(List.of("true"), "");
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
