package io.jruntime.cli;

import io.jruntime.container.ContainerRecord;
import io.jruntime.container.StateStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The AOT cache's training run (build time, see src/main/sh/train-aot.sh): runs every subcommand's
 * start-up path in-process, against a throw-away --root, so the classes each command loads are archived
 * pre-linked. Commands that need root and real namespaces are trained up to their validation.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] argv) throws IOException {
        Path tmp = Files.createTempDirectory("jruntime-aot");
        try {
            train(tmp);
        } finally {
            try (var walk = Files.walk(tmp)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static void train(Path tmp) throws IOException {
        String root = tmp.resolve("root").toString();
        StateStore store = new StateStore(Path.of(root));
        store.claim("aot");
        store.save(new ContainerRecord("aot", 1, 0, tmp.toString(), tmp.resolve("rootfs").toString(),
                "2026-01-01T00:00:00Z", "root", Map.of("a", "b"), Map.of(), false, true));
        Path bundle = Files.createDirectories(tmp.resolve("bundle"));
        Main.run(new String[] {"spec", "--bundle", bundle.toString()}, new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()));
        // A second bundle without its rootfs: create runs parsing, schema and semantic validation, then stops.
        Path noRootfs = Files.createDirectories(tmp.resolve("no-rootfs"));
        Files.copy(bundle.resolve("config.json"), noRootfs.resolve("config.json"));
        Files.createDirectories(bundle.resolve("rootfs"));
        List<String[]> runs = new ArrayList<>(List.of(
                new String[] {"validate", "--bundle", bundle.toString()},
                new String[] {"--root", root, "create", "--bundle", noRootfs.toString(), "aot-create"},
                new String[] {"--root", root, "run", "--bundle", noRootfs.toString(), "aot-run"},
                new String[] {"features"},
                new String[] {"--version"},
                new String[] {"--help"},
                new String[] {"--root", root, "state", "aot"},
                new String[] {"--root", root, "state", "missing"},
                new String[] {"--root", root, "--log-format", "json", "--log", tmp.resolve("log.json").toString(), "state", "missing"},
                new String[] {"--root", root, "list"},
                new String[] {"--root", root, "list", "--format", "json"},
                new String[] {"--root", root, "list", "-q"},
                new String[] {"--root", root, "kill", "missing", "9"},
                new String[] {"--root", root, "delete", "--force", "missing"},
                new String[] {"--root", root, "start", "missing"}));
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        for (int round = 0; round < 3; round++) {
            for (String[] run : runs) {
                Main.run(run, sink, sink);
            }
        }
    }
}
