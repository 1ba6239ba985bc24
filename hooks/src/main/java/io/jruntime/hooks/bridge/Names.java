package io.jruntime.hooks.bridge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names derived from a container id. */
public final class Names {
    private Names() {}

    /** The name of the container's end inside its network namespace. */
    public static final String CONTAINER_IFNAME = "eth0";

    /**
     * The host end of the container's veth pair: "jv" and 13 hex digits of SHA-256(id), 15 characters
     * (IFNAMSIZ - 1), the same for the same id so poststop finds it without any state.
     */
    public static String hostVeth(String containerId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(containerId.getBytes(StandardCharsets.UTF_8));
            return "jv" + HexFormat.of().formatHex(digest).substring(0, 13);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
