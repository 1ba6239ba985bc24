package io.jruntime.cgroups.systemd;

import java.util.Objects;

/**
 * A D-Bus variant ("v"): the signature of its one value (a single complete type, e.g. "au") and the value, in the
 * package's type mapping (see README). Equality is the record's: a byte[] value compares by identity.
 */
public record Variant(String signature, Object value) {
    public Variant {
        Objects.requireNonNull(signature, "variant signature");
        Objects.requireNonNull(value, "variant value");
    }
}
