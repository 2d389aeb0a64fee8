package io.hanse.api.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

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
        assertEquals("plugin:io.hanse.monitoring",
                ShellText.source(new Source(Source.Kind.PLUGIN, "io.hanse.monitoring")));
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

    @Test
    void printableTextKeepsLinesTabsAndEveryLetterButNoControlCharacter() {
        String text = "ok\tdone\nnext line: caf\u00e9 \u65e5\u672c \ud83d\ude00";
        assertSame(text, ShellText.printable(text));
        assertEquals("a\nb", ShellText.printable("a\r\nb"));
        assertEquals("\uFFFD[1mred\uFFFD \uFFFD\uFFFD\uFFFD\uFFFD",
                ShellText.printable("\u001b[1mred\r \u0000\u007f\u0085\u009b"));
        assertEquals("end\uFFFD", ShellText.printable("end\r"));
    }
}
