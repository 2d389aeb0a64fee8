package io.hanse.monitoring.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.InvalidRequestException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ShellTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aTimeIsAnInstantOrALocalTimeInTheZone() {
        assertEquals(Instant.parse("2026-12-08T21:00:00Z"), Shell.time("--starts", "2026-12-08T22:00", BERLIN));
        assertEquals(Instant.parse("2026-12-08T22:00:00Z"), Shell.time("--starts", "2026-12-08T22:00",
                ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-12-08T21:00:00Z"), Shell.time("--starts", "2026-12-08T21:00:00Z", BERLIN),
                "an instant says its own offset");
        assertEquals(Instant.parse("2026-12-08T21:00:00Z"), Shell.time("--starts", "2026-12-08T23:00:00+02:00",
                BERLIN));
    }

    @Test
    void aLocalTimeInAGapMovesForwardAndOneInARepeatedHourIsItsFirst() {
        assertEquals(Instant.parse("2026-03-29T01:30:00Z"), Shell.time("--starts", "2026-03-29T02:30", BERLIN),
                "02:30 does not exist that night: 03:30 summer time");
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"), Shell.time("--starts", "2026-10-25T02:30", BERLIN),
                "02:30 comes twice that night: the first, in summer time");
    }

    @Test
    void anythingElseIsRefusedNamingTheOption() {
        assertEquals("--ends must be an ISO-8601 time such as 2026-11-23T10:15:30Z, not 'tonight'",
                assertThrows(InvalidRequestException.class, () -> Shell.time("--ends", "tonight", BERLIN))
                        .getMessage());
        assertThrows(InvalidRequestException.class, () -> Shell.time("--ends", "+10000-01-02T00:00", BERLIN));
    }
}
