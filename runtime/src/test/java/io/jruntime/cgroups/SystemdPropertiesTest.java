package io.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.cgroups.Systemd.Property;
import io.jruntime.cgroups.v2.CpuV2;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemdPropertiesTest {

    static Map<String, Object> byName(List<Property> props) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Property p : props) {
            m.put(p.name(), p.value());
        }
        return m;
    }

    static Resources resources(Resources.Memory m, Resources.Cpu c, Resources.Pids p, Map<String, String> unified) {
        return new Resources(null, m, c, p, null, null, null, null, unified);
    }

    @Test
    void aNewScopeIsDelegatedWithTheInitAndAccountingAsRunc() {
        SystemdUnit unit = SystemdUnit.parse("c", "machine.slice:jrt:c");
        Map<String, Object> p = byName(SystemdProperties.forNewUnit(unit, 4242, "jruntime container jrt-c.scope", true, null, 252));
        assertEquals("jruntime container jrt-c.scope", p.get("Description"));
        assertEquals("machine.slice", p.get("Slice"));
        assertEquals(true, p.get("Delegate"));
        assertEquals(List.of(4242), p.get("PIDs"));
        assertEquals(true, p.get("IOAccounting"));
        assertEquals(false, p.get("DefaultDependencies"));
        assertFalse(p.containsKey("BlockIOAccounting"));
        assertTrue(byName(SystemdProperties.forNewUnit(unit, 1, "d", false, null, 252)).containsKey("BlockIOAccounting"));
    }

    @Test
    void aSliceUnitWantsItsParentAndHoldsNoPids() {
        SystemdUnit unit = SystemdUnit.parse("c", "system.slice:x:jrt-pod.slice");
        Map<String, Object> p = byName(SystemdProperties.forNewUnit(unit, 4242, "d", true, null, 252));
        assertEquals(List.of("system.slice"), p.get("Wants"));
        assertFalse(p.containsKey("PIDs"));
        assertFalse(p.containsKey("Delegate"));
        assertFalse(p.containsKey("Slice"));
    }

    @Test
    void memoryOnV2IsMaxLowAndSwapBeyondTheLimit() {
        Map<String, Object> p = byName(SystemdProperties.forResources(resources(
                new Resources.Memory(64L << 20, 32L << 20, 96L << 20, null, null, null, null, null, null), null, null, null), true, 252));
        assertEquals(64L << 20, p.get("MemoryMax"));
        assertEquals(32L << 20, p.get("MemoryLow"));
        assertEquals(32L << 20, p.get("MemorySwapMax")); // the spec's swap is memory+swap
        Map<String, Object> v1 = byName(SystemdProperties.forResources(resources(Resources.Memory.limit(64L << 20), null, null, null), false, 252));
        assertEquals(Map.of("MemoryLimit", 64L << 20), v1);
    }

    @Test
    void cpuSharesBecomeTheWeightCgroupfsWritesAndQuotaIsRoundedUpToAWholePercent() {
        Resources.Cpu cpu = new Resources.Cpu(512L, 33_333L, null, 100_000L, null, null, "0-3,8", "0", null);
        Map<String, Object> p = byName(SystemdProperties.forResources(resources(null, cpu, null, null), true, 252));
        assertEquals(CpuV2.sharesToWeight(512), p.get("CPUWeight"));
        assertEquals(100_000L, p.get("CPUQuotaPeriodUSec"));
        assertEquals(340_000L, p.get("CPUQuotaPerSecUSec")); // 333,330 us per second is 33.333%: 34%
        assertArrayEquals(new byte[] {0x0f, 0x01}, (byte[]) p.get("AllowedCPUs"));
        assertArrayEquals(new byte[] {0x01}, (byte[]) p.get("AllowedMemoryNodes"));
        Map<String, Object> v1 = byName(SystemdProperties.forResources(resources(null, cpu, null, null), false, 252));
        assertEquals(512L, v1.get("CPUShares"));
    }

    @Test
    void olderSystemdsGetOnlyWhatTheyKnow() {
        Resources.Cpu cpu = new Resources.Cpu(null, 50_000L, null, 100_000L, null, null, "0-1", null, null);
        Map<String, Object> p = byName(SystemdProperties.forResources(resources(null, cpu, null, null), true, 241));
        assertEquals(Map.of("CPUQuotaPerSecUSec", 500_000L), p);
    }

    @Test
    void noQuotaIsInfinityAndUnlimitedPidsIsTheAllOnesValue() {
        Resources.Cpu cpu = new Resources.Cpu(null, -1L, null, null, null, null, null, null, null);
        Map<String, Object> p = byName(SystemdProperties.forResources(resources(null, cpu, new Resources.Pids(-1L), null), true, 252));
        assertEquals(-1L, p.get("CPUQuotaPerSecUSec"));
        assertEquals(-1L, p.get("TasksMax"));
        assertTrue(byName(SystemdProperties.forResources(resources(null, null, new Resources.Pids(0L), null), true, 252)).isEmpty());
        assertEquals(50L, byName(SystemdProperties.forResources(resources(null, null, new Resources.Pids(50L), null), true, 252)).get("TasksMax"));
    }

    @Test
    void unifiedKeysSystemdKnowsBecomeProperties() {
        Map<String, String> unified = new LinkedHashMap<>();
        unified.put("memory.high", "1048576");
        unified.put("memory.max", "max");
        unified.put("pids.max", " 20 ");
        unified.put("cpu.max", "max 50000");
        unified.put("io.weight", "100");
        Map<String, Object> p = byName(SystemdProperties.forResources(resources(null, null, null, unified), true, 252));
        assertEquals(1048576L, p.get("MemoryHigh"));
        assertEquals(-1L, p.get("MemoryMax"));
        assertEquals(20L, p.get("TasksMax"));
        assertEquals(50_000L, p.get("CPUQuotaPeriodUSec"));
        assertEquals(-1L, p.get("CPUQuotaPerSecUSec"));
        assertFalse(p.containsKey("IOWeight")); // written to io.weight only
        assertEquals("linux.resources.unified[\"memory.max\"]: invalid value \"lots\"", assertThrows(CgroupException.class,
                () -> SystemdProperties.forResources(resources(null, null, null, Map.of("memory.max", "lots")), true, 252)).getMessage());
    }

    @Test
    void cpuListsAreValidated() {
        assertArrayEquals(new byte[] {0x06}, SystemdProperties.rangeToBits("1, 2", "cpus"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 1}, SystemdProperties.rangeToBits("64", "cpus"));
        assertEquals("linux.resources.cpu.cpus: invalid range \"3-1\" in \"3-1\"",
                assertThrows(CgroupException.class, () -> SystemdProperties.rangeToBits("3-1", "cpus")).getMessage());
        assertThrows(CgroupException.class, () -> SystemdProperties.rangeToBits("a", "mems"));
    }
}
