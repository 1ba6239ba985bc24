package io.jruntime.hooks.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The seam to the outside: runs one program (ip, nsenter, nft) and returns how it went. */
public interface Commands {
    record Result(int code, String out, String err) {
        public boolean ok() {
            return code == 0;
        }
    }

    /** Runs {@code argv} (argv[0] a program name such as "ip") with {@code stdin} (null: none). */
    Result run(List<String> argv, String stdin);

    /** Whether process {@code pid} is in this process's network namespace. */
    default boolean sharesOurNetns(int pid) {
        String netns = "/proc/" + pid + "/ns/net";
        try {
            return Files.readSymbolicLink(Path.of(netns)).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
        } catch (IOException e) {
            throw new HookException("reading " + netns + ": " + e.getMessage() + " (is the container's process alive?)");
        }
    }
}
