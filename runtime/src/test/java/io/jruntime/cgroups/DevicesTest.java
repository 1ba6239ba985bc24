package io.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.cgroups.v2.DeviceFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesTest {
    static final DeviceRule DENY_ALL = DeviceRule.deny('a', DeviceRule.WILDCARD, DeviceRule.WILDCARD, "rwm");

    static List<String> strings(List<DeviceRule> rules) {
        return rules.stream().map(r -> (r.allow() ? "allow " : "deny ") + r.cgroupString()).toList();
    }

    @Test
    void defaultsComeAfterTheConfiguredRules() {
        List<DeviceRule> all = DefaultDevices.withDefaults(List.of(DENY_ALL), List.of());
        assertEquals(DENY_ALL, all.get(0));
        assertEquals(12, all.size());
        assertTrue(all.contains(DeviceRule.allow('c', 10, 200, "rwm")));
        // a linux.devices entry of the same path drops the default rule
        assertEquals(11, DefaultDevices.withDefaults(List.of(DENY_ALL), List.of("/dev/null")).size());
    }

    @Test
    void emulatorGivesTheMinimalRuleSet() {
        DeviceEmulator e = DeviceEmulator.of(DefaultDevices.withDefaults(List.of(DENY_ALL), List.of()));
        assertFalse(e.defaultAllow());
        // sorted by (major, minor, type); wildcards (-1) first
        assertEquals(List.of("allow b *:* m", "allow c *:* m", "allow c 1:3 rwm", "allow c 1:5 rwm", "allow c 1:7 rwm",
                "allow c 1:8 rwm", "allow c 1:9 rwm", "allow c 5:0 rwm", "allow c 5:2 rwm", "allow c 10:200 rwm",
                "allow c 136:* rwm"), strings(e.rules()));
    }

    @Test
    void laterRulesOverrideEarlierOnes() {
        DeviceEmulator e = DeviceEmulator.of(List.of(DENY_ALL, DeviceRule.allow('c', 1, 3, "rwm"), DeviceRule.deny('c', 1, 3, "w")));
        assertEquals(List.of("allow c 1:3 rm"), strings(e.rules()));
        DeviceEmulator allowAll = DeviceEmulator.of(List.of(DeviceRule.allow('a', -1, -1, "rwm"), DeviceRule.deny('b', 8, 0, "rwm")));
        assertTrue(allowAll.defaultAllow());
        assertEquals(List.of("allow a *:* rwm", "deny b 8:0 rwm"), strings(allowAll.rules()));
    }

    @Test
    void punchingAHoleInAWildcardIsRefused() {
        CgroupException ex = assertThrows(CgroupException.class, () -> DeviceEmulator.of(List.of(DENY_ALL,
                DeviceRule.allow('c', DeviceRule.WILDCARD, DeviceRule.WILDCARD, "rwm"), DeviceRule.deny('c', 1, 3, "w"))));
        assertTrue(ex.getMessage().contains("cannot punch a hole"), ex.getMessage());
    }

    @Test
    void transitionFromAnAllowAllCgroupStartsWithDenyAll() {
        DeviceEmulator current = DeviceEmulator.fromList("a *:* rwm\n");
        DeviceEmulator target = DeviceEmulator.of(List.of(DENY_ALL, DeviceRule.allow('c', 1, 3, "rwm")));
        assertEquals(List.of("deny a *:* rwm", "allow c 1:3 rwm"), strings(current.transitionTo(target)));
    }

    @Test
    void transitionBetweenAllowListsOnlyWritesTheDifference() {
        DeviceEmulator current = DeviceEmulator.fromList("c 1:3 rwm\nc 1:5 rwm\n");
        DeviceEmulator target = DeviceEmulator.of(List.of(DENY_ALL, DeviceRule.allow('c', 1, 3, "rwm"), DeviceRule.allow('c', 1, 9, "r")));
        assertEquals(List.of("deny c 1:5 rwm", "allow c 1:9 r"), strings(current.transitionTo(target)));
        assertEquals(List.of(), current.transitionTo(DeviceEmulator.fromList("c 1:3 rwm\nc 1:5 rwm\n")));
    }

    @Test
    void ruleValidation() {
        assertThrows(CgroupException.class, () -> new DeviceRule(true, 'x', 1, 1, "rwm"));
        assertThrows(CgroupException.class, () -> new DeviceRule(true, 'c', 1, 1, "rwx"));
        assertEquals("rwm", new DeviceRule(true, 'c', 1, 1, null).access());
    }

    @Test
    void compiledFilterEnforcesTheDefaultPolicy() {
        byte[] prog = DeviceFilter.compile(DefaultDevices.withDefaults(List.of(DENY_ALL), List.of()));
        assertEquals(0, prog.length % 8);
        assertTrue(DeviceFilter.evaluate(prog, 'c', 1, 3, "rw"));    // /dev/null
        assertTrue(DeviceFilter.evaluate(prog, 'c', 1, 5, "r"));     // /dev/zero
        assertTrue(DeviceFilter.evaluate(prog, 'c', 136, 7, "rw"));  // /dev/pts/7
        assertTrue(DeviceFilter.evaluate(prog, 'b', 8, 0, "m"));     // mknod of anything
        assertFalse(DeviceFilter.evaluate(prog, 'b', 8, 0, "r"));    // but not reading a disk
        assertFalse(DeviceFilter.evaluate(prog, 'c', 1, 1, "r"));    // /dev/mem
    }

    @Test
    void compiledFilterWithDenyExceptions() {
        byte[] prog = DeviceFilter.compile(List.of(DeviceRule.allow('a', -1, -1, "rwm"), DeviceRule.deny('c', 1, 5, "r")));
        assertFalse(DeviceFilter.evaluate(prog, 'c', 1, 5, "r"));
        assertTrue(DeviceFilter.evaluate(prog, 'c', 1, 5, "w"));
        assertTrue(DeviceFilter.evaluate(prog, 'b', 8, 0, "rw"));
        byte[] none = DeviceFilter.compile(List.of(DENY_ALL));
        assertEquals(8 * 8, none.length); // 6 loads + mov + exit
        assertFalse(DeviceFilter.evaluate(none, 'c', 1, 3, "r"));
    }
}
