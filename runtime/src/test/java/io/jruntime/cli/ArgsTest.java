package io.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.JRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {
    static final List<Flag> FLAGS = List.of(
            Flag.value("bundle", "b", "DIR", ""),
            Flag.bool("detach", "d", ""),
            Flag.list("env", "e", "K=V", ""));

    @Test
    void longShortSingleAndDoubleDashAreTheSameFlag() {
        for (String form : List.of("--bundle", "-bundle", "-b", "--b")) {
            Args a = Args.parse(FLAGS, List.of(form, "/x", "id"));
            assertEquals("/x", a.value("bundle"), form);
            assertEquals(List.of("id"), a.positionals());
        }
    }

    @Test
    void inlineValuesAndBooleans() {
        Args a = Args.parse(FLAGS, List.of("--bundle=/b", "-d", "id"));
        assertEquals("/b", a.value("bundle"));
        assertTrue(a.bool("detach"));
        assertFalse(Args.parse(FLAGS, List.of("--detach=false", "id")).bool("detach"));
        assertThrows(JRuntimeException.class, () -> Args.parse(FLAGS, List.of("--detach=maybe")));
    }

    @Test
    void parsingStopsAtFirstPositionalSoContainerCommandsKeepTheirFlags() {
        Args a = Args.parse(FLAGS, List.of("-e", "A=1", "--env=B=2", "ctr", "sh", "-c", "echo --detach"));
        assertEquals(List.of("A=1", "B=2"), a.values("env"));
        assertEquals(List.of("ctr", "sh", "-c", "echo --detach"), a.positionals());
        assertFalse(a.bool("detach"));
    }

    @Test
    void doubleDashEndsFlags() {
        assertEquals(List.of("-d"), Args.parse(FLAGS, List.of("--", "-d")).positionals());
    }

    @Test
    void unknownFlagAndMissingValueAreGoWordedErrors() {
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> Args.parse(FLAGS, List.of("--nope", "id")));
        assertEquals("flag provided but not defined: -nope", e.getMessage());
        e = assertThrows(JRuntimeException.class, () -> Args.parse(FLAGS, List.of("--bundle")));
        assertEquals("flag needs an argument: -bundle", e.getMessage());
    }

    @Test
    void lastValueWinsForSingleValueFlags() {
        assertEquals("/2", Args.parse(FLAGS, List.of("-b", "/1", "-b", "/2")).value("bundle"));
    }
}
