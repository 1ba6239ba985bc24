package io.jruntime.cgroups.systemd;

import java.util.Arrays;
import java.util.List;

/** A D-Bus struct "(...)": its members in order. */
public record Struct(List<Object> members) {
    public Struct {
        members = List.copyOf(members);
    }

    public static Struct of(Object... members) {
        return new Struct(Arrays.asList(members));
    }
}
