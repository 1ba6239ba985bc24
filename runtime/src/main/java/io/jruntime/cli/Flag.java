package io.jruntime.cli;

/**
 * One command-line flag as runc declares it: a long name, an optional one-letter alias, whether it takes
 * a value, and its help text. {@code repeatable} flags collect every value (e.g. {@code exec --env}).
 */
public record Flag(String name, String alias, boolean takesValue, boolean repeatable, String valueName, String help) {

    public static Flag bool(String name, String alias, String help) {
        return new Flag(name, alias, false, false, null, help);
    }

    public static Flag value(String name, String alias, String valueName, String help) {
        return new Flag(name, alias, true, false, valueName, help);
    }

    public static Flag list(String name, String alias, String valueName, String help) {
        return new Flag(name, alias, true, true, valueName, help);
    }

    boolean matches(String n) {
        return name.equals(n) || (alias != null && alias.equals(n));
    }
}
