package io.hanse.monitoring.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.monitoring.internal.Downtime;
import io.hanse.monitoring.internal.Recurrence;
import io.hanse.monitoring.rest.MonitoringResource.DowntimeDto;
import io.hanse.monitoring.rest.MonitoringResource.WindowDto;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** REST shows a downtime's next window, or the one it is in and when that ends. */
class DowntimeDtoTest {

    private static final Instant STARTS = Instant.parse("2026-12-09T12:00:00Z");
    private static final Downtime WEEKENDS = new Downtime(UUID.randomUUID(), "web-1", UUID.randomUUID(), null, false,
            STARTS, null, Recurrence.parse("weekly sat,sun 01:00-05:00", ZoneId.of("Europe/Berlin")), "user:alice",
            "x", STARTS);

    @Test
    void aRecurringDowntimeSaysItsNextWindowOrTheOneItIsIn() {
        DowntimeDto waiting = DowntimeDto.of(WEEKENDS, STARTS);
        assertFalse(waiting.active());
        assertEquals(new WindowDto(Instant.parse("2026-12-12T00:00:00Z"), Instant.parse("2026-12-12T04:00:00Z")),
                waiting.next());
        DowntimeDto active = DowntimeDto.of(WEEKENDS, Instant.parse("2026-12-13T01:00:00Z"));
        assertTrue(active.active());
        assertEquals(Instant.parse("2026-12-13T04:00:00Z"), active.next().ends(), "when the window it is in ends");
    }

    @Test
    void aOneOffThatEndedHasNone() {
        Downtime once = new Downtime(UUID.randomUUID(), "web-1", UUID.randomUUID(), null, false, STARTS,
                STARTS.plusSeconds(3600), null, "user:alice", "x", STARTS);
        assertNull(DowntimeDto.of(once, STARTS.plusSeconds(3600)).next());
    }
}
