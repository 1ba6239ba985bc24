package io.jruntime.hooks.bridge;

/**
 * An IPv4 subnet in CIDR form. The first host address is the bridge's (the containers' gateway); the
 * containers get the rest, up to but not including the broadcast address.
 */
public record Subnet(int network, int prefix) {
    /** Parses {@code a.b.c.d/len}; host bits must be zero and len 8-30 (a /31 or /32 has no room for containers). */
    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new HookException("--subnet \"" + cidr + "\": expected an IPv4 subnet in CIDR form, e.g. 10.88.0.0/24");
        }
        int address = parseAddress(cidr.substring(0, slash), "--subnet \"" + cidr + "\"");
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 8 || prefix > 30) {
            throw new HookException("--subnet \"" + cidr + "\": the prefix length must be a number from 8 to 30");
        }
        int mask = mask(prefix);
        if ((address & ~mask) != 0) {
            throw new HookException("--subnet \"" + cidr + "\": host bits are set; the subnet is "
                    + format(address & mask) + "/" + prefix);
        }
        return new Subnet(address, prefix);
    }

    /** Parses a dotted-quad IPv4 address; {@code what} names the value in the error. */
    public static int parseAddress(String text, String what) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new HookException(what + ": \"" + text + "\" is not an IPv4 address");
        }
        int value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = part.isEmpty() || part.length() > 3 ? -1 : Integer.parseInt(part);
            } catch (NumberFormatException e) {
                octet = -1;
            }
            if (octet < 0 || octet > 255) {
                throw new HookException(what + ": \"" + text + "\" is not an IPv4 address");
            }
            value = value << 8 | octet;
        }
        return value;
    }

    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public int gateway() {
        return network + 1;
    }

    public int firstHost() {
        return network + 2;
    }

    /** The last address a container may get (the one before broadcast). */
    public int lastHost() {
        return (network | ~mask(prefix)) - 1;
    }

    public boolean contains(int address) {
        return (address & mask(prefix)) == network;
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }
}
