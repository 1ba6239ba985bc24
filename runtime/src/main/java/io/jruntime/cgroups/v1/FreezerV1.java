package io.jruntime.cgroups.v1;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.CgroupException;
import io.jruntime.cgroups.Freezer;

/**
 * cgroup v1 freezer: freezer.state. Freezing is asynchronous (FREEZING until every task stopped), so
 * {@link #freeze} polls; a cgroup that stays FREEZING (a task stuck in the kernel) is nudged by re-writing
 * FROZEN, and after about two seconds thawed again and reported, as runc does.
 */
public final class FreezerV1 implements Freezer {
    static final String STATE = "freezer.state";

    @Override
    public void freeze(CgroupDir dir) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; ; i++) {
            if (i % 50 == 0) {
                dir.write(STATE, "FROZEN");
            }
            String state = dir.read(STATE);
            if (state.equals("FROZEN")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                dir.write(STATE, "THAWED");
                throw new CgroupException("unable to freeze " + dir + ": " + STATE + " stayed " + state);
            }
            sleep(i < 10 ? 1 : 10);
        }
    }

    @Override
    public void thaw(CgroupDir dir) {
        dir.write(STATE, "THAWED");
        for (int i = 0; i < 1000; i++) {
            if (dir.read(STATE).equals("THAWED")) {
                return;
            }
            sleep(1);
        }
        throw new CgroupException("unable to thaw " + dir + ": " + STATE + " is " + dir.read(STATE));
    }

    @Override
    public boolean isFrozen(CgroupDir dir) {
        String s = dir.readOrNull(STATE);
        return s != null && (s.equals("FROZEN") || s.equals("FREEZING"));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CgroupException("interrupted while waiting for the freezer");
        }
    }
}
