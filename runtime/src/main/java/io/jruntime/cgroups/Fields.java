package io.jruntime.cgroups;

/** Spec field names for error messages: {@code linux.resources.memory.limit}. */
public final class Fields {
    private Fields() {}

    public static final String RESOURCES = "linux.resources";

    public static String of(String section, String field) {
        return RESOURCES + "." + section + "." + field;
    }

    /** The first non-null of (name, value) pairs, as the field name; null when all values are null. */
    public static String firstSet(String section, Object... nameValuePairs) {
        for (int i = 0; i + 1 < nameValuePairs.length; i += 2) {
            if (nameValuePairs[i + 1] != null) {
                return of(section, (String) nameValuePairs[i]);
            }
        }
        return null;
    }

    /** An unsigned spec value (uint64 carried in a long) as the kernel reads it. */
    public static String u(long v) {
        return Long.toUnsignedString(v);
    }
}
