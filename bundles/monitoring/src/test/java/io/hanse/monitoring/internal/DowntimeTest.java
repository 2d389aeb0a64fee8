package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A downtime says the window it is in, or its next one, from its own window logic. */
class DowntimeTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** A Wednesday. */
    private static final Instant STARTS = Instant.parse("2026-12-09T12:00:00Z");

    private static Downtime downtime(Instant starts, Instant ends, Recurrence recurrence) {
        return new Downtime(UUID.randomUUID(), "web-1", UUID.randomUUID(), null, false, starts, ends, recurrence,
                "user:alice", "x", starts);
    }

    private static Optional<Recurrence.Window> window(String start, String end) {
        return Optional.of(new Recurrence.Window(Instant.parse(start), Instant.parse(end)));
    }

    @Test
    void aRecurringOnesNextWindowIsTheOneItIsInElseTheNextCutToItsEnd() {
        Downtime weekends = downtime(STARTS, Instant.parse("2026-12-20T02:00:00Z"),
                Recurrence.parse("weekly sat,sun 01:00-05:00", BERLIN));
        assertEquals(window("2026-12-12T00:00:00Z", "2026-12-12T04:00:00Z"),
                weekends.nextWindow(STARTS.minus(Duration.ofDays(30))), "before it starts: its first");
        assertEquals(window("2026-12-12T00:00:00Z", "2026-12-12T04:00:00Z"),
                weekends.nextWindow(Instant.parse("2026-12-12T03:00:00Z")), "in a window: that one");
        assertEquals(window("2026-12-13T00:00:00Z", "2026-12-13T04:00:00Z"),
                weekends.nextWindow(Instant.parse("2026-12-12T04:00:00Z")), "the end is not in it");
        assertEquals(window("2026-12-20T00:00:00Z", "2026-12-20T02:00:00Z"),
                weekends.nextWindow(Instant.parse("2026-12-19T12:00:00Z")), "cut to when the downtime ends");
        assertEquals(Optional.empty(), weekends.nextWindow(Instant.parse("2026-12-20T02:00:00Z")), "ended");
    }

    @Test
    void aOneOffsNextWindowIsItselfUntilItEnds() {
        Downtime once = downtime(STARTS, STARTS.plus(Duration.ofHours(1)), null);
        Optional<Recurrence.Window> itself = Optional.of(new Recurrence.Window(once.starts(), once.ends()));
        assertEquals(itself, once.nextWindow(STARTS.minus(Duration.ofDays(1))));
        assertEquals(itself, once.nextWindow(STARTS.plus(Duration.ofMinutes(30))));
        assertEquals(Optional.empty(), once.nextWindow(once.ends()));
    }
}
