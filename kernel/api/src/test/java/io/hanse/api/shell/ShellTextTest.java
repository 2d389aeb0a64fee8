package io.hanse.api.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.api.timeline.Source;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellTextTest {

    @Test
    void timeIsUtcToTheSecond() {
        assertEquals("2026-11-23T10:15:07Z", ShellText.time(Instant.parse("2026-11-23T10:15:07.982Z")));
        assertEquals("", ShellText.time(null));
    }

    @Test
    void sourceIsKindAndName() {
        assertEquals("user:alice", ShellText.source(new Source(Source.Kind.USER, "alice")));
        assertEquals("plugin:io.hanse.monitoring", ShellText.source(new Source(Source.Kind.PLUGIN, "io.hanse.monitoring")));
        assertEquals("kernel", ShellText.source(Source.KERNEL));
    }

    @Test
    void labelsAreSortedByKeyAsASelectorReadsThem() {
        assertEquals("dc=fra1,env=,tier=gold", ShellText.labels(Map.of("tier", "gold", "dc", "fra1", "env", "")));
        assertEquals("", ShellText.labels(Map.of()));
    }

    @Test
    void aListIsJoinedByCommasOrSaysNone() {
        assertEquals("ops, dba", ShellText.list(List.of("ops", "dba")));
        assertEquals("none", ShellText.list(List.of()));
    }

    @Test
    void oneLineJoinsLinesAndCutsWithAnEllipsis() {
        assertEquals("{ \"a\": 1 }", ShellText.oneLine("{\n  \"a\": 1\n}", 20));
        assertEquals("abcdefghij", ShellText.oneLine("abcdefghij", 10));
        assertEquals("abcdefghi…", ShellText.oneLine("abcdefghijk", 10));
    }
}
