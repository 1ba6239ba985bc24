package io.jruntime.cgroups;

/**
 * One cgroup controller of one cgroup version: which part of {@link Resources} it owns, how it writes that
 * part into a cgroup directory, and which statistics it reads back. Implementations live in {@code v1/} and
 * {@code v2/}, one small class per controller; they keep no state.
 */
public interface Controller {

    /** The kernel's name of the controller ({@code memory}, {@code cpu}, {@code io}, {@code blkio} ...). */
    String name();

    /**
     * The first spec field of {@code r} this controller would have to write, or {@code null} when {@code r}
     * asks nothing of it. Used to fail with a precise message when the controller is not available.
     */
    String requestedField(Resources r);

    /** Writes what {@code r} asks of this controller into {@code dir}. */
    void apply(CgroupDir dir, Resources r);

    /** Adds this controller's statistics from {@code dir} to {@code stats}. */
    default void stats(CgroupDir dir, Stats stats) {}

    /** Prepares a freshly created directory (below {@code mountPoint}) before any process joins it (v1 cpuset copies cpus/mems). */
    default void prepare(CgroupDir dir, java.nio.file.Path mountPoint) {}
}
