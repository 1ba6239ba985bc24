package io.jruntime.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * A bundle directory: {@code config.json} and a private copy of the test rootfs. The config
 * starts as a base like {@code runc spec}'s default (no terminal, the probe as the process, rw
 * root) and each test changes what its requirement needs before {@link #write()}.
 */
public final class Bundle {
    private final Path dir;
    private final ObjectNode config;

    private Bundle(Path dir, ObjectNode config) {
        this.dir = dir;
        this.config = config;
    }

    /** Creates {@code dir} with a rootfs copy and the base config running {@code /bin/probe args...}. */
    public static Bundle create(Path dir, String... probeArgs) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Rootfs.copyTo(dir.resolve("rootfs"));
        Bundle b = new Bundle(dir, baseConfig());
        String[] args = new String[probeArgs.length + 1];
        args[0] = "/bin/probe";
        System.arraycopy(probeArgs, 0, args, 1, probeArgs.length);
        b.args(args);
        return b;
    }

    public Path dir() {
        return dir;
    }

    public Path rootfs() {
        return dir.resolve("rootfs");
    }

    public ObjectNode config() {
        return config;
    }

    public ObjectNode process() {
        return config.withObject("/process");
    }

    public ObjectNode linux() {
        return config.withObject("/linux");
    }

    public ArrayNode mounts() {
        return config.withArray("/mounts");
    }

    public ArrayNode namespaces() {
        return linux().withArray("/namespaces");
    }

    public Bundle args(String... args) {
        process().set("args", Json.array(args));
        return this;
    }

    public Bundle env(String... env) {
        process().set("env", Json.array(env));
        return this;
    }

    /** Removes a namespace type from linux.namespaces (the container then shares the runtime's). */
    public Bundle withoutNamespace(String type) {
        for (Iterator<JsonNode> it = namespaces().iterator(); it.hasNext(); ) {
            if (type.equals(it.next().path("type").asText())) {
                it.remove();
            }
        }
        return this;
    }

    /** Adds (or replaces) a namespace entry; {@code path} null means a new namespace. */
    public Bundle namespace(String type, String path) {
        withoutNamespace(type);
        ObjectNode ns = namespaces().addObject().put("type", type);
        if (path != null) {
            ns.put("path", path);
        }
        return this;
    }

    public boolean hasNamespace(String type) {
        for (JsonNode n : namespaces()) {
            if (type.equals(n.path("type").asText())) {
                return true;
            }
        }
        return false;
    }

    public ObjectNode addMount(String destination, String type, String source, String... options) {
        ObjectNode m = mounts().addObject();
        m.put("destination", destination);
        if (type != null) {
            m.put("type", type);
        }
        if (source != null) {
            m.put("source", source);
        }
        if (options.length > 0) {
            m.set("options", Json.array(options));
        }
        return m;
    }

    /** Appends a hook of {@code kind} (prestart, createRuntime, ..., poststop). */
    public ObjectNode addHook(String kind, String path, String... args) {
        ObjectNode h = config.withObject("/hooks").withArray(kind).addObject();
        h.put("path", path);
        if (args.length > 0) {
            h.set("args", Json.array(args));
        }
        return h;
    }

    public Bundle annotation(String key, String value) {
        config.withObject("/annotations").put(key, value);
        return this;
    }

    public Bundle write() {
        try {
            Files.writeString(dir.resolve("config.json"), Json.write(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A base config like runc's default spec: five new namespaces, the usual mounts, masked and read-only paths. */
    public static ObjectNode baseConfig() {
        ObjectNode c = Json.object();
        c.put("ociVersion", Settings.ociVersion());
        ObjectNode p = c.putObject("process");
        p.put("terminal", false);
        p.putObject("user").put("uid", 0).put("gid", 0);
        p.set("args", Json.array("/bin/probe"));
        p.set("env", Json.array("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"));
        p.put("cwd", "/");
        ObjectNode caps = p.putObject("capabilities");
        for (String set : new String[] {"bounding", "effective", "permitted"}) {
            caps.set(set, Json.array("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"));
        }
        p.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("hard", 1024).put("soft", 1024);
        p.put("noNewPrivileges", true);
        c.putObject("root").put("path", "rootfs").put("readonly", false);
        c.put("hostname", "conformance");
        ArrayNode m = c.putArray("mounts");
        mount(m, "/proc", "proc", "proc");
        mount(m, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(m, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
        mount(m, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(m, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        mount(m, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        mount(m, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro");
        ObjectNode l = c.putObject("linux");
        l.putObject("resources").putArray("devices").addObject().put("allow", false).put("access", "rwm");
        ArrayNode ns = l.putArray("namespaces");
        for (String t : new String[] {"pid", "network", "ipc", "uts", "mount"}) {
            ns.addObject().put("type", t);
        }
        l.set("maskedPaths", Json.array("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"));
        l.set("readonlyPaths", Json.array("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        return c;
    }

    private static void mount(ArrayNode m, String dest, String type, String source, String... options) {
        ObjectNode o = m.addObject().put("destination", dest).put("type", type).put("source", source);
        if (options.length > 0) {
            o.set("options", Json.array(options));
        }
    }
}
