package io.hanse.api.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventQueryTest {

    private static final Instant T = Instant.parse("2026-12-06T12:00:00.000001Z");

    @Test
    void boundsBetweenMicrosecondsAreTakenAsTheNextOneAsTheDatabaseAndTheLiveStreamCanBothCompareThem() {
        EventQuery query = new EventQuery(null, false, Set.of(), T.plusNanos(400), T.plusNanos(600_400), 10, null,
                null);

        assertEquals(T.plusNanos(1_000), query.from(), "an event at T is before it, as it is before T + 400 ns");
        assertEquals(T.plusNanos(601_000), query.until(), "an event at T + 600 µs is before it");
        assertEquals(T, new EventQuery(null, false, Set.of(), T, null, 10, null, null).from());
        EventQuery within = new EventQuery(null, false, Set.of(), T.plusNanos(100), T.plusNanos(200), 10, null,
                null);
        assertEquals(within.from(), within.until(), "no microsecond between them: nothing is selected");
    }
}
