package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.kernel.store.Database;
import io.hanse.monitoring.rest.ReviewDtos;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checks' records and availability, on H2 and on PostgreSQL. */
class HistoriesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static Duration days(int days) {
        return Duration.ofDays(days);
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aCheckFirstSeenAheadOfTheServersClockHasNoSpanAndWasNotBroken(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("db-1");
            // The kernel takes results up to 5 minutes ahead of its clock.
            parts.report("db-1", "ntp", "critical", Duration.ofMinutes(-2));
            Histories.Record record = parts.histories.record("db-1", "ntp");
            assertEquals(NOW, record.availability30d().from());
            assertEquals(NOW, record.availability30d().to());
            assertTrue(record.availability30d().shares().isEmpty());
            assertEquals(0.0, record.availability30d().broken());
            assertFalse(record.chronic());
            Histories.Availability hour = parts.histories.availability("db-1", "ntp", NOW.minusSeconds(3600),
                    NOW.plusSeconds(3600));
            assertEquals(hour.to(), hour.from(), "no span, rather than starting after it ends");
            assertEquals(0.0, hour.broken());

            parts.reviews.define(TestCaller.everywhere("alice"), "daily", "db-1", null, 1);
            Review.Item item = parts.reviews.start(TestCaller.everywhere("alice"), "daily").items().get(0);
            assertEquals(Review.Group.NEW, item.group());
            assertEquals(0.0, ReviewDtos.ItemDto.of(item, parts.reviews.record(item)).brokenPercent30d());
        }
    }
}
