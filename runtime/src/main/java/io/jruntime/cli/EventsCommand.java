package io.jruntime.cli;

import io.jruntime.JRuntimeException;
import io.jruntime.container.Container;
import io.jruntime.container.Status;
import java.util.List;

/**
 * {@code events [--stats] [--interval 5s] ID}: JSON lines {@code {"type":"stats","id":..,"data":{..}}}
 * every interval (once with --stats), and {@code {"type":"oom","id":..}} when the cgroup's OOM-kill count
 * grows; ends when the container stops.
 */
final class EventsCommand implements Command {
    @Override
    public String name() {
        return "events";
    }

    @Override
    public String usage() {
        return "<container-id>";
    }

    @Override
    public String summary() {
        return "display container events such as OOM notifications, cpu, memory, and IO usage statistics";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.value("interval", null, "DURATION", "set the stats collection interval (default: 5s)"),
                Flag.bool("stats", null, "display the container's stats then exit"));
    }

    @Override
    public int run(Cli cli, Args args) throws InterruptedException {
        String id = Cli.requireId(this, args);
        long intervalMs = duration(args.value("interval", "5s"));
        Container c = Container.load(cli.store(), id);
        var cgroup = c.cgroup();
        if (cgroup == null) {
            throw new JRuntimeException("container has no cgroup");
        }
        if (args.bool("stats")) {
            if (c.status() == Status.STOPPED) {
                throw new JRuntimeException("container not running");
            }
            cli.out.println(stats(id, cgroup.stats().toJson()));
            return 0;
        }
        long ooms = cgroup.oomKillCount();
        long next = System.currentTimeMillis();
        while (true) {
            boolean live = c.status() != Status.STOPPED && cgroup.exists();
            // Checked once more after the container stops: an OOM kill of the init is what stops it.
            long now = cgroup.exists() ? cgroup.oomKillCount() : ooms;
            if (now > ooms) {
                cli.out.println("{\"type\":\"oom\",\"id\":\"" + id + "\"}");
                ooms = now;
            }
            if (!live) {
                break;
            }
            if (System.currentTimeMillis() >= next) {
                cli.out.println(stats(id, cgroup.stats().toJson()));
                next += intervalMs;
            }
            cli.out.flush();
            Thread.sleep(Math.min(100, intervalMs));
        }
        return 0;
    }

    private static String stats(String id, String data) {
        return "{\"type\":\"stats\",\"id\":\"" + id + "\",\"data\":" + data + "}";
    }

    /** Go durations as runc takes them: 500ms, 5s, 1m, 1h, combinations like 1m30s. */
    static long duration(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(s);
        long total = 0;
        int at = 0;
        while (m.find() && m.start() == at) {
            double n = Double.parseDouble(m.group(1));
            total += (long) (n * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                default -> 3_600_000;
            });
            at = m.end();
        }
        if (at != s.length() || at == 0 || total <= 0) {
            throw new JRuntimeException("invalid interval " + s + ": must be a positive duration like 5s");
        }
        return total;
    }
}
