package io.jruntime.cli;

/** Usage text, built from the commands' own flag tables so it can't drift from what is parsed. */
final class Help {
    private Help() {}

    static String main() {
        StringBuilder b = new StringBuilder();
        b.append("NAME:\n   jruntime - an OCI runtime-spec v1.3.0 container runtime in Java\n\n");
        b.append("USAGE:\n   jruntime [global options] command [command options] [arguments...]\n\n");
        b.append("COMMANDS:\n");
        for (String name : Main.COMMANDS) {
            Command c = Main.command(name);
            if (c != null) {
                b.append(String.format("   %-10s %s%n", c.name(), c.summary()));
            }
        }
        b.append("\nGLOBAL OPTIONS:\n");
        flags(b, Main.GLOBAL_FLAGS);
        return b.toString();
    }

    static String command(Command c) {
        StringBuilder b = new StringBuilder();
        b.append("NAME:\n   jruntime ").append(c.name()).append(" - ").append(c.summary()).append("\n\n");
        b.append("USAGE:\n   jruntime ").append(c.name()).append(c.flags().isEmpty() ? "" : " [command options]")
                .append(' ').append(c.usage()).append("\n");
        if (!c.flags().isEmpty()) {
            b.append("\nOPTIONS:\n");
            flags(b, c.flags());
        }
        return b.toString();
    }

    private static void flags(StringBuilder b, java.util.List<Flag> flags) {
        for (Flag f : flags) {
            String names = "--" + f.name() + (f.alias() != null ? ", -" + f.alias() : "")
                    + (f.takesValue() ? " " + f.valueName() : "");
            b.append(String.format("   %-34s %s%n", names, f.help()));
        }
    }
}
