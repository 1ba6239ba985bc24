package io.jruntime.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process with captured streams, for tests of one command's behaviour and wording. */
final class CliHarness {
    record Result(int code, String out, String err) {}

    private CliHarness() {}

    static Result run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(argv, new PrintStream(out, true), new PrintStream(err, true));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
