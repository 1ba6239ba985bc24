package io.jruntime.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What the suite runs against, from system properties.
 *
 * <ul>
 *   <li>{@code conformance.runtime}: path of the runtime binary (runc's command line). Default: the
 *       {@code jruntime} launcher at the repository root, {@code ../jruntime} from this module.
 *   <li>{@code conformance.runtimeArgs}: global flags put before every subcommand (space separated).
 *   <li>{@code conformance.runtimeName}: the runtime's column name in the report (default: file name).
 *   <li>{@code conformance.probe}: the static probe binary (default {@code target/probe}).
 *   <li>{@code conformance.busybox}: a static busybox for the rootfs (default {@code /bin/busybox}).
 *   <li>{@code conformance.workDir}: where temporary bundles and state dirs go (default java.io.tmpdir).
 *   <li>{@code conformance.reportDir}: where the JUnit run writes its one-runtime report.
 *   <li>{@code conformance.ociVersion}: the ociVersion of generated bundles (default 1.3.0, the spec
 *       under test; an older runtime that refuses it can be measured with e.g. 1.1.0).
 * </ul>
 */
public final class Settings {
    private Settings() {}

    /** The module directory, whether we run from it (Maven) or from the repository root. */
    public static Path moduleDir() {
        Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        if (Files.isDirectory(cwd.resolve("src/main/c")) && cwd.getFileName().toString().equals("conformance")) {
            return cwd;
        }
        if (Files.isDirectory(cwd.resolve("conformance/src/main/c"))) {
            return cwd.resolve("conformance");
        }
        return cwd;
    }

    public static Path runtime() {
        String p = System.getProperty("conformance.runtime");
        if (p == null || p.isBlank()) {
            return moduleDir().resolve("../jruntime").normalize();
        }
        return Path.of(p).toAbsolutePath().normalize();
    }

    public static List<String> runtimeArgs() {
        String a = System.getProperty("conformance.runtimeArgs", "").trim();
        return a.isEmpty() ? List.of() : Arrays.asList(a.split("\\s+"));
    }

    public static String runtimeName() {
        String n = System.getProperty("conformance.runtimeName");
        return n == null || n.isBlank() ? runtime().getFileName().toString() : n;
    }

    public static Path probe() {
        String p = System.getProperty("conformance.probe");
        return p == null ? moduleDir().resolve("target/probe") : Path.of(p).toAbsolutePath();
    }

    public static Path busybox() {
        String p = System.getProperty("conformance.busybox");
        if (p != null) {
            return Path.of(p);
        }
        for (String c : List.of("/bin/busybox", "/usr/bin/busybox", "/usr/sbin/busybox")) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return Path.of("/bin/busybox");
    }

    public static Path workDir() {
        return Path.of(System.getProperty("conformance.workDir", System.getProperty("java.io.tmpdir")));
    }

    public static String ociVersion() {
        return System.getProperty("conformance.ociVersion", "1.3.0");
    }

    public static Path reportDir() {
        String p = System.getProperty("conformance.reportDir");
        return p == null ? moduleDir().resolve("target/conformance-report") : Path.of(p);
    }
}
