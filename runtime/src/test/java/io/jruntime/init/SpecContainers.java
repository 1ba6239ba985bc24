package io.jruntime.init;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jruntime.spec.Json;
import io.jruntime.spec.Spec;

/** config.json for integration tests: runc's default `spec`, made to run a shell script that writes to /out. */
final class SpecContainers {
    private SpecContainers() {}

    static final String BASE = """
            {
              "ociVersion": "1.3.0",
              "process": {
                "terminal": false,
                "user": {"uid": 0, "gid": 0},
                "args": ["sh", "-c", "true"],
                "env": ["PATH=/usr/local/bin:/usr/bin:/bin", "TERM=xterm", "HOME=/root"],
                "cwd": "/",
                "capabilities": {
                  "bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
                  "effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
                  "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
                },
                "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
                "noNewPrivileges": true
              },
              "root": {"path": "rootfs", "readonly": false},
              "hostname": "jruntime",
              "mounts": [
                {"destination": "/proc", "type": "proc", "source": "proc"},
                {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
                {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
                {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
                {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
                {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
                {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]},
                {"destination": "/out", "type": "bind", "source": "OUT", "options": ["rbind", "rw"]}
              ],
              "linux": {
                "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "cgroup"}],
                "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                  "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
                "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
              }
            }
            """;

    /** The base config as a tree to adjust, with /out bound to the bundle's out dir and the script set. */
    static ObjectNode config(TestBundle b, String script) throws Exception {
        ObjectNode root = (ObjectNode) Json.mapper().readTree(BASE);
        for (var m : root.withArray("mounts")) {
            if (m.get("source").asText().equals("OUT")) {
                ((ObjectNode) m).put("source", b.out.toString());
            }
        }
        ArrayNode args = root.with("process").putArray("args");
        args.add("sh").add("-c").add(script);
        return root;
    }

    static Spec spec(ObjectNode config) throws Exception {
        return Json.mapper().treeToValue(config, Spec.class);
    }

    static LaunchRequest request(TestBundle b, ObjectNode config) throws Exception {
        return new LaunchRequest("it-" + ProcessHandle.current().pid(), b.bundle, spec(config), b.state, b.fifo, null, 0, false, false);
    }
}
