package io.jruntime.cgroups;

/** The freezer of one cgroup: v1 {@code freezer.state} or v2 {@code cgroup.freeze}. */
public interface Freezer {
    /** Freezes every process of the cgroup and returns once the kernel reports it frozen. */
    void freeze(CgroupDir dir);

    /** Thaws the cgroup. */
    void thaw(CgroupDir dir);

    boolean isFrozen(CgroupDir dir);
}
