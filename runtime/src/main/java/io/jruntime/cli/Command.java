package io.jruntime.cli;

import java.util.List;

/** One subcommand, like runc's one file per command. Only the chosen command's class is loaded. */
public interface Command {
    String name();

    /** e.g. {@code <container-id>}. */
    String usage();

    String summary();

    List<Flag> flags();

    /** Runs with parsed flags; returns the exit code. Errors are thrown as JRuntimeException. */
    int run(Cli cli, Args args) throws Exception;
}
