package io.jruntime.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The test root filesystem: a static busybox with its applets, the probe at {@code /bin/probe},
 * and the usual directories. Built once per JVM into a template and copied for each bundle, so
 * what one container writes never reaches another.
 */
public final class Rootfs {
    private static Path template;

    private Rootfs() {}

    public static synchronized Path template() {
        if (template != null) {
            return template;
        }
        Path busybox = Settings.busybox();
        Path probe = Settings.probe();
        if (!Files.isExecutable(busybox)) {
            throw new IllegalStateException("no static busybox at " + busybox + " (apt-get install busybox-static)");
        }
        if (!Files.isExecutable(probe)) {
            throw new IllegalStateException("no probe at " + probe + " (build the module: mvn -pl conformance compile)");
        }
        try {
            Files.createDirectories(Settings.workDir());
            Path dir = Files.createTempDirectory(Settings.workDir(), "jrt-conformance-rootfs-");
            TempDirs.deleteOnExit(dir);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "tmp", "root",
                    "home/probe", "var", "run", "mnt")) {
                Files.createDirectories(dir.resolve(d));
            }
            Files.setPosixFilePermissions(dir.resolve("tmp"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.copy(busybox, dir.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
            Files.copy(probe, dir.resolve("bin/probe"), StandardCopyOption.COPY_ATTRIBUTES);
            CommandResult list = Exec.run(List.of(busybox.toString(), "--list"), dir.resolve("tmp"), Duration.ofSeconds(20));
            for (String applet : list.stdout().split("\n")) {
                applet = applet.strip();
                if (!applet.isEmpty() && !applet.equals("busybox") && !Files.exists(dir.resolve("bin/" + applet))) {
                    Files.createSymbolicLink(dir.resolve("bin/" + applet), Path.of("busybox"));
                }
            }
            Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nprobe:x:1000:1000:probe:/home/probe:/bin/sh\n");
            Files.writeString(dir.resolve("etc/group"), "root:x:0:\nprobe:x:1000:\n");
            Files.writeString(dir.resolve("etc/hostname"), "conformance\n");
            template = dir;
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A private copy of the template at {@code dest} (cp -a keeps modes, owners and links). */
    public static void copyTo(Path dest) {
        Path t = template();
        CommandResult r = Exec.run(List.of("cp", "-a", t.toString(), dest.toString()), dest.getParent(), Duration.ofSeconds(60));
        if (!r.ok()) {
            throw new IllegalStateException("cannot copy the rootfs: " + r.describe());
        }
    }
}
