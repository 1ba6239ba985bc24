package io.jruntime.cgroups;

import java.util.List;

/**
 * The few calls of systemd's manager API (org.freedesktop.systemd1.Manager) the systemd cgroup driver makes,
 * behind a seam: {@code io.jruntime.cgroups.systemd.DBusSystemd} talks D-Bus to the real manager; unit tests
 * record the calls. Every failure is a {@link CgroupException} in systemd's words, naming the unit.
 */
public interface Systemd extends AutoCloseable {

    /** A unit property: its name and D-Bus type signature ("t", "b", "au", ...) and value. */
    record Property(String name, String signature, Object value) {}

    /** StartTransientUnit(unit, "replace", properties), waiting until its job is done. */
    void startTransientUnit(String unit, List<Property> properties);

    /** StopUnit(unit, "replace"), waiting until its job is done; a unit that is not loaded is already stopped. */
    void stopUnit(String unit);

    /** ResetFailedUnit: lets systemd forget a failed unit, so that its name can be used again. Best effort. */
    void resetFailedUnit(String unit);

    /** SetUnitProperties(unit, runtime=true, properties). */
    void setUnitProperties(String unit, List<Property> properties);

    /** The manager's version (252 for "252.38-1~deb12u1"); -1 when it cannot be told. */
    int version();

    @Override
    void close();
}
