package io.hanse.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void splitsAtBlanks() {
        assertEquals(List.of("/usr/lib/nagios/plugins/check_load", "-w", "5,4,3", "-c", "10,8,6"),
                CommandLine.split("  /usr/lib/nagios/plugins/check_load -w 5,4,3\t-c 10,8,6 "));
    }

    @Test
    void keepsQuotedTextTogether() {
        assertEquals(List.of("/bin/check", "a b", "it's", "x\"y\\z", "$(not run)", ""),
                CommandLine.split("/bin/check 'a b' \"it's\" \"x\\\"y\\\\z\" '$(not run)' ''"));
    }

    @Test
    void backslashKeepsTheNextCharacter() {
        assertEquals(List.of("/bin/check", "a b", "c'd", "semi;colon"),
                CommandLine.split("/bin/check a\\ b c\\'d semi;colon"));
    }

    @Test
    void refusesUnclosedQuotesAndALoneBackslash() {
        assertEquals("a single quote is not closed",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.split("/bin/x 'a")).getMessage());
        assertEquals("a double quote is not closed",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.split("/bin/x \"a")).getMessage());
        assertEquals("the line ends in a lone backslash",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.split("/bin/x \\")).getMessage());
    }

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s").orElseThrow());
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m").orElseThrow());
        assertEquals(Duration.ofHours(1), Durations.parse("1h").orElseThrow());
        assertEquals(Duration.ofDays(2), Durations.parse("2d").orElseThrow());
        assertEquals(Duration.ofSeconds(45), Durations.parse("45").orElseThrow());
        assertEquals(Optional.empty(), Durations.parse("1.5h"));
        assertEquals(Optional.empty(), Durations.parse("-5s"));
        assertEquals("10 s", Durations.format(Duration.ofSeconds(10)));
        assertEquals("5 min", Durations.format(Duration.ofMinutes(5)));
        assertEquals("2 h", Durations.format(Duration.ofHours(2)));
    }
}
