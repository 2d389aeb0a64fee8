package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReviewTest {

    /** A Monday, 10:00 in Berlin. */
    private static final Instant CREATED = Instant.parse("2026-11-30T09:00:00Z");
    /** Springs forward 2026-03-29 02:00 to 03:00, falls back 2026-10-25 03:00 to 02:00. */
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final Review weekly = new Review(UUID.randomUUID(), "weekly-shop", "shop", UUID.randomUUID(), null, 7, null,
            CREATED, "user:alice");

    @Test
    void aReviewThatNeverRanIsDueAPeriodAfterItWasDefined() {
        Review.View view = new Review.View(weekly, null, List.of(), weekly.due(null));
        assertEquals(Instant.parse("2026-12-07T09:00:00Z"), view.due());
        assertFalse(view.overdue(Instant.parse("2026-12-07T09:00:00Z")));
        assertTrue(view.overdue(Instant.parse("2026-12-07T09:00:01Z")));
    }

    @Test
    void thePeriodCountsFromTheLastPassesStartAndAPassInProgressPastItIsOverdueToo() {
        Review.Pass open = new Review.Pass(UUID.randomUUID(), weekly.id(), 3, Instant.parse("2026-12-01T10:00:00Z"),
                "user:alice", null, null, null);
        Review.View inProgress = new Review.View(weekly, open, List.of(), weekly.due(open));
        assertEquals(Instant.parse("2026-12-08T10:00:00Z"), inProgress.due());
        assertTrue(inProgress.inProgress());
        assertFalse(inProgress.overdue(Instant.parse("2026-12-08T10:00:00Z")));
        assertTrue(inProgress.overdue(Instant.parse("2026-12-20T00:00:00Z")), "left unclosed past the next's due");
        Review.Pass closed = new Review.Pass(open.id(), weekly.id(), 3, open.started(), "user:alice",
                Instant.parse("2026-12-01T11:00:00Z"), "user:bob", "all fine");
        assertTrue(new Review.View(weekly, closed, List.of(), weekly.due(closed))
                .overdue(Instant.parse("2026-12-20T00:00:00Z")));
    }

    @Test
    void aScheduledReviewIsDueAtTheFirstTimeOfItsScheduleAfterItWasDefinedOrItsLastPassStarted() {
        Review mondays = scheduled("weekly mon 10:00");
        assertEquals(Instant.parse("2026-12-07T09:00:00Z"), mondays.due(null), "not at the minute it was defined");
        assertEquals(Instant.parse("2026-12-14T09:00:00Z"), mondays.due(started(mondays, "2026-12-13T08:00:00Z")),
                "started more than a day early, on the Sunday before: due the next day all the same");
        assertEquals(Instant.parse("2026-12-21T09:00:00Z"), mondays.due(started(mondays, "2026-12-13T15:00:00Z")),
                "started less than a day early, on the Sunday afternoon before: that pass was Monday's");
        Review.Pass open = started(mondays, "2026-12-07T09:30:00Z");
        Review.View inProgress = new Review.View(mondays, open, List.of(), mondays.due(open));
        assertEquals(Instant.parse("2026-12-14T09:00:00Z"), inProgress.due());
        assertFalse(inProgress.overdue(Instant.parse("2026-12-14T09:00:00Z")));
        assertTrue(inProgress.overdue(Instant.parse("2026-12-14T09:00:01Z")), "left unclosed past the next's due");
    }

    @Test
    void aPassStartedMinutesBeforeADueTimeCountsForItAndLeavesTheReviewDueAtTheNext() {
        Review mondays = scheduled("weekly mon 10:00");
        Review.Pass open = started(mondays, "2026-12-14T08:58:00Z");
        Review.View inProgress = new Review.View(mondays, open, List.of(), mondays.due(open));
        assertEquals(Instant.parse("2026-12-21T09:00:00Z"), inProgress.due(), "09:58 covers 10:00");
        assertFalse(inProgress.overdue(Instant.parse("2026-12-14T09:00:01Z")));
        Review.Pass closed = new Review.Pass(open.id(), mondays.id(), 1, open.started(), "user:alice",
                Instant.parse("2026-12-14T09:30:00Z"), "user:bob", "all fine");
        assertFalse(new Review.View(mondays, closed, List.of(), mondays.due(closed))
                .overdue(Instant.parse("2026-12-17T12:00:00Z")), "not overdue for the rest of the week once closed");

        Review hourly = scheduled("cron 0 * * * *");
        assertEquals(Instant.parse("2026-12-14T11:00:00Z"), hourly.due(started(hourly, "2026-12-14T09:40:00Z")),
                "20 minutes early is within half of an hour's period");
        assertEquals(Instant.parse("2026-12-14T10:00:00Z"), hourly.due(started(hourly, "2026-12-14T09:20:00Z")),
                "40 minutes early is not");

        Review definedEarly = new Review(UUID.randomUUID(), "shop", "shop", UUID.randomUUID(), null, null,
                mondays.schedule(), Instant.parse("2026-12-14T08:58:00Z"), "user:alice");
        assertEquals(Instant.parse("2026-12-14T09:00:00Z"), definedEarly.due(null),
                "defined minutes before a due time, a review that never ran is due at it");
    }

    @Test
    void aScheduledReviewIsDueAtItsLocalTimeAcrossTheSpringAndFallChanges() {
        Review mondays = scheduled("weekly mon 10:00");
        assertEquals(Instant.parse("2026-03-30T08:00:00Z"), mondays.due(started(mondays, "2026-03-23T09:05:00Z")),
                "10:00 CET, then 10:00 CEST");
        assertEquals(Instant.parse("2026-10-26T09:00:00Z"), mondays.due(started(mondays, "2026-10-19T08:05:00Z")),
                "10:00 CEST, then 10:00 CET");
        Review sundays = scheduled("weekly sun 02:30");
        assertEquals(Instant.parse("2026-03-29T01:30:00Z"), sundays.due(started(sundays, "2026-03-22T01:35:00Z")),
                "02:30 does not exist on the spring-forward night: 03:30 CEST");
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"), sundays.due(started(sundays, "2026-10-18T00:35:00Z")),
                "02:30 happens twice on the fall-back night: the first");
        assertEquals(Instant.parse("2026-11-01T01:30:00Z"), sundays.due(started(sundays, "2026-10-25T00:35:00Z")),
                "and not again an hour later");
        Review firstMonday = scheduled("cron 0 10 * * mon#1");
        assertEquals(Instant.parse("2026-04-06T08:00:00Z"), firstMonday.due(started(firstMonday,
                "2026-03-02T09:30:00Z")));
    }

    @Test
    void thePeriodIsEveryDaysOrTheTimeBetweenTheDueTimesAroundTheStartOfAPass() {
        assertEquals(Duration.ofDays(7), weekly.period(Instant.parse("2026-03-25T12:00:00Z")));
        Review mondays = scheduled("weekly mon 10:00");
        assertEquals(Duration.ofDays(7), mondays.period(Instant.parse("2026-06-10T12:00:00Z")));
        assertEquals(Duration.ofDays(7), mondays.period(Instant.parse("2026-06-08T08:00:00Z")), "at a due time");
        assertEquals(Duration.ofDays(7).minusHours(1), mondays.period(Instant.parse("2026-03-25T12:00:00Z")),
                "less the hour the clocks sprang forward by");
        Review twice = scheduled("weekly mon,thu 10:00");
        assertEquals(Duration.ofDays(3), twice.period(Instant.parse("2026-06-09T12:00:00Z")), "Monday to Thursday");
        assertEquals(Duration.ofDays(4), twice.period(Instant.parse("2026-06-12T12:00:00Z")), "Thursday to Monday");
        assertEquals(Duration.ofDays(371), scheduled("cron 0 10 29 2 *").period(Instant.parse("2026-06-01T00:00:00Z")),
                "due less often than once a year");
    }

    @Test
    void aScheduleWithoutATimeInTheYearAfterTheLastPassLeavesTheReviewWithoutADueTimeNeverOverdue() {
        Review leapDay = scheduled("cron 0 10 29 2 *");
        Review.Pass pass = started(leapDay, "2028-02-29T09:30:00Z");
        Review.View view = new Review.View(leapDay, pass, List.of(), leapDay.due(pass));
        assertNull(view.due());
        assertFalse(view.overdue(Instant.parse("2031-01-01T00:00:00Z")));
    }

    @Test
    void aReviewIsDueEitherEverySoManyDaysOrByASchedule() {
        Schedule mondays = Schedule.parse("schedule", "weekly mon 10:00", BERLIN);
        assertThrows(IllegalArgumentException.class, () -> new Review(UUID.randomUUID(), "both", "shop",
                UUID.randomUUID(), null, 7, mondays, CREATED, "user:alice"));
        assertThrows(IllegalArgumentException.class, () -> new Review(UUID.randomUUID(), "neither", "shop",
                UUID.randomUUID(), null, null, null, CREATED, "user:alice"));
    }

    @Test
    void marksAreReadByTheirLabels() {
        assertEquals(Review.Mark.ACTION_NEEDED, Review.Mark.ofLabel("action-needed"));
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> Review.Mark.ofLabel("ignored"));
        assertEquals("mark is looked-at, action-needed, accepted, noise or none (no mark), not 'ignored'",
                refused.getMessage());
        assertEquals(null, Review.Mark.ofLabel("none"), "no mark, which clears one");
        assertEquals(null, Review.Mark.ofLabel(null));
    }

    @Test
    void aPassCountsItsItemsByGroupAndMarkInTheirOrder() {
        List<Review.Item> items = List.of(item(Review.Group.CHRONIC, null), item(Review.Group.NEW, Review.Mark.NOISE),
                item(Review.Group.NEW, null), item(Review.Group.RESOLVED, Review.Mark.LOOKED_AT));
        Review.Counts counts = new Review.PassView(null, items).counts();
        assertEquals(List.of("new=2", "chronic=1", "resolved=1"), counts.groups().entrySet().stream()
                .map(Object::toString).toList());
        assertEquals(List.of("looked-at=1", "noise=1", "unmarked=2"), counts.marks().entrySet().stream()
                .map(Object::toString).toList());
        assertEquals(Map.of(), Review.Counts.of(List.of()).groups());
    }

    /** A review of shop defined at {@link #CREATED}, due at the times of a schedule in Berlin. */
    private static Review scheduled(String schedule) {
        return new Review(UUID.randomUUID(), "shop", "shop", UUID.randomUUID(), null, null,
                Schedule.parse("schedule", schedule, BERLIN), CREATED, "user:alice");
    }

    /** A pass of the review that started then and is in progress. */
    private static Review.Pass started(Review review, String started) {
        return new Review.Pass(UUID.randomUUID(), review.id(), 1, Instant.parse(started), "user:alice", null, null,
                null);
    }

    private static Review.Item item(Review.Group group, Review.Mark mark) {
        return new Review.Item("web-1", UUID.randomUUID(), "disk", group, "critical", null, null, mark, null,
                mark == null ? null : "user:alice", mark == null ? null : CREATED);
    }
}
