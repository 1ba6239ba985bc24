package io.jruntime.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A CI gate for one runtime: a file of requirement ids it is known to fail (one per line, '#' comments),
 * each with the reason in the comment. The run fails on a failure not in the file, so a regression
 * cannot hide among known gaps; a listed requirement that now passes is reported so the list shrinks.
 */
final class Gate {
    private Gate() {}

    /** true when every failure of {@code runtime} is listed. */
    static boolean check(Report report, String runtime, Path knownFailures, Consumer<String> out) {
        Set<String> known = read(knownFailures);
        Set<String> unexpected = new TreeSet<>(), fixed = new TreeSet<>();
        for (Report.Row row : report.rows()) {
            Outcome o = report.outcome(row.id(), runtime);
            if (o == null) {
                continue;
            }
            boolean failedNow = o.status() == Outcome.Status.FAIL;
            if (failedNow && !known.contains(row.id())) {
                unexpected.add(row.id() + " -- " + o.message());
            } else if (!failedNow && known.contains(row.id()) && o.status() == Outcome.Status.PASS) {
                fixed.add(row.id());
            }
        }
        fixed.forEach(id -> out.accept("gate " + runtime + ": now passes, remove from " + knownFailures.getFileName() + ": " + id));
        unexpected.forEach(f -> out.accept("gate " + runtime + ": UNEXPECTED FAILURE " + f));
        out.accept("gate " + runtime + ": " + (unexpected.isEmpty() ? "ok" : unexpected.size() + " unexpected failure(s)")
                + " (" + known.size() + " known failures listed in " + knownFailures + ")");
        return unexpected.isEmpty();
    }

    static Set<String> read(Path file) {
        Set<String> ids = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String id = line.replaceAll("(^|\\s)#.*", "").strip(); // ids contain '#': comments start a line or follow a space
                if (!id.isEmpty()) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }
}
