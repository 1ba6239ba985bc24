package io.jruntime.cgroups.v2;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.CgroupException;
import io.jruntime.cgroups.Freezer;

/**
 * cgroup v2 freezer: cgroup.freeze, then cgroup.events reports "frozen 1" once every task stopped. Waits up
 * to about two seconds, then thaws again and reports.
 */
public final class FreezerV2 implements Freezer {

    @Override
    public void freeze(CgroupDir dir) {
        if (!dir.has("cgroup.freeze")) {
            throw new CgroupException("cannot freeze " + dir + ": cgroup.freeze does not exist (kernel older than 5.2?)");
        }
        dir.write("cgroup.freeze", "1");
        if (!waitFrozen(dir, true)) {
            dir.write("cgroup.freeze", "0");
            throw new CgroupException("unable to freeze " + dir + ": cgroup.events did not report frozen");
        }
    }

    @Override
    public void thaw(CgroupDir dir) {
        dir.write("cgroup.freeze", "0");
        if (!waitFrozen(dir, false)) {
            throw new CgroupException("unable to thaw " + dir + ": cgroup.events still reports frozen");
        }
    }

    private static boolean waitFrozen(CgroupDir dir, boolean want) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; ; i++) {
            Long frozen = dir.readKeyValues("cgroup.events").get("frozen");
            if (frozen == null || (frozen == 1) == want) {
                return true; // no "frozen" key (old kernel): trust cgroup.freeze
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(i < 10 ? 1 : 10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CgroupException("interrupted while waiting for the freezer");
            }
        }
    }

    @Override
    public boolean isFrozen(CgroupDir dir) {
        return "1".equals(dir.readOrNull("cgroup.freeze"));
    }
}
