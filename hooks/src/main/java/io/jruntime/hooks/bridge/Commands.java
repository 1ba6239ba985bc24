package io.jruntime.hooks.bridge;

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
}
