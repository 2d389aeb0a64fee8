package io.hanse.monitoring.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import io.hanse.kernel.store.Database;
import io.hanse.monitoring.internal.MonitoringParts;
import io.hanse.testing.Printed;
import io.hanse.testing.TestCaller;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The review commands say when a review is due: every so many days or by a schedule in a time zone.
 * Whether a review is overdue they tell by the real clock, so that is left out here.
 */
class ReviewCommandsTest {

    /** A Sunday. */
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final TestCaller ALICE = TestCaller.everywhere("alice");

    private static String added(MonitoringParts parts, String name, Integer everyDays, String schedule, String zone) {
        ReviewAddCommand add = new ReviewAddCommand();
        add.reviews = parts.reviews;
        add.review = name;
        add.system = "shop";
        add.everyDays = everyDays;
        add.schedule = schedule;
        add.zone = zone;
        return Printed.captured(() -> add.execute(ALICE)).strip();
    }

    private static String scheduled(MonitoringParts parts, String name, Integer everyDays, String schedule,
            String zone) {
        ReviewScheduleCommand command = new ReviewScheduleCommand();
        command.reviews = parts.reviews;
        command.review = name;
        command.everyDays = everyDays;
        command.schedule = schedule;
        command.zone = zone;
        return Printed.captured(() -> command.execute(ALICE)).strip();
    }

    private static List<String> shown(MonitoringParts parts, String name) {
        ReviewShowCommand show = new ReviewShowCommand();
        show.reviews = parts.reviews;
        show.review = name;
        return Printed.lines(() -> show.execute(ALICE));
    }

    private static List<String> listed(MonitoringParts parts, boolean json) {
        ReviewListCommand list = new ReviewListCommand();
        list.reviews = parts.reviews;
        list.json = json;
        return Printed.lines(() -> list.execute(ALICE));
    }

    @Test
    void aReviewIsAddedWithAScheduleInATimeZoneOrEverySoManyDaysAndSaysWhenItIsDue() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("shop");
            assertEquals("Defined review shop-mondays, due 2026-12-07T09:00:00Z (weekly mon 10:00 in Europe/Berlin)",
                    added(parts, "shop-mondays", null, "weekly mon 10:00", "Europe/Berlin"));
            assertEquals("Defined review shop-monthly, due 2026-12-07T10:00:00Z (cron 0 10 * * mon#1 in UTC)",
                    added(parts, "shop-monthly", null, "cron 0 10 * * mon#1", null));
            assertEquals("Defined review shop-weekly, due 2026-12-13T12:00:00Z (every 7 days)",
                    added(parts, "shop-weekly", null, null, null));
            assertEquals("give --every-days or --schedule, not both: a review is due every so many days after its last"
                    + " pass or at the times of its schedule", assertThrows(InvalidRequestException.class,
                            () -> added(parts, "shop-daily", 1, "cron 0 9 * * *", null)).getMessage());
            assertEquals("--schedule: unknown day 'mo'; use mon..sun", assertThrows(InvalidRequestException.class,
                    () -> added(parts, "shop-daily", null, "weekly mo 09:00", null)).getMessage());

            List<String> table = listed(parts, false);
            assertTrue(table.stream().anyMatch(row -> row.startsWith("shop-mondays") && row.contains(
                    "| weekly mon 10:00 in Europe/Berlin") && row.contains("| never") && row.contains(
                            "| 2026-12-07T09:00:00Z")), String.join("\n", table));
            assertTrue(table.stream().anyMatch(row -> row.startsWith("shop-weekly") && row.contains("| every 7 days")
                    && row.contains("| 2026-12-13T12:00:00Z")), String.join("\n", table));
            String json = String.join("\n", listed(parts, true));
            assertTrue(json.contains("\"name\" : \"shop-mondays\",\n  \"system\" : \"shop\",\n"
                    + "  \"schedule\" : \"weekly mon 10:00\",\n  \"zone\" : \"Europe/Berlin\",\n"
                    + "  \"due\" : \"2026-12-07T09:00:00Z\""), json);
            assertTrue(json.contains("\"name\" : \"shop-weekly\",\n  \"system\" : \"shop\",\n  \"everyDays\" : 7,\n"
                    + "  \"due\" : \"2026-12-13T12:00:00Z\""), json);
        }
    }

    @Test
    void whenAReviewIsDueIsRefusedNamingTheShellsOptionsNotRestsFields() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("shop");
            assertEquals("--zone: Berlin is not a time zone such as Europe/Berlin", assertThrows(
                    InvalidRequestException.class, () -> added(parts, "shop-mondays", null, "weekly mon 10:00",
                            "Berlin")).getMessage());
            assertEquals("--zone is the time zone of a schedule; a review due every so many days has none",
                    assertThrows(InvalidRequestException.class, () -> added(parts, "shop-mondays", null, null,
                            "Europe/Berlin")).getMessage());
            assertEquals("--schedule: cron 0 10 31 apr * in UTC has no time in the next 371 days; the review would"
                    + " never be due", assertThrows(InvalidRequestException.class, () -> added(parts, "shop-mondays",
                            null, "cron 0 10 31 apr *", null)).getMessage());
            added(parts, "shop-mondays", null, "weekly mon 10:00", "Europe/Berlin");
            assertEquals("give every-days or --schedule, not both: a review is due every so many days after its last"
                    + " pass or at the times of its schedule", assertThrows(InvalidRequestException.class,
                            () -> scheduled(parts, "shop-mondays", 7, "weekly tue 10:00", null)).getMessage());
            assertEquals("every-days or --schedule is required: how many days after its last pass the review is due,"
                    + " or the times it is due at, such as weekly mon 10:00", assertThrows(
                            InvalidRequestException.class, () -> scheduled(parts, "shop-mondays", null, null, null))
                            .getMessage());
            assertEquals("--zone is the time zone of a schedule and comes with it: a change of when a review is due"
                    + " replaces it as a whole, so give the schedule with its zone, such as --schedule 'weekly mon"
                    + " 10:00' in --zone Europe/Paris", assertThrows(InvalidRequestException.class,
                            () -> scheduled(parts, "shop-mondays", null, null, "Europe/Paris")).getMessage());
            assertEquals("--zone: Paris is not a time zone such as Europe/Berlin", assertThrows(
                    InvalidRequestException.class, () -> scheduled(parts, "shop-mondays", null, "weekly mon 10:00",
                            "Paris")).getMessage());
        }
    }

    @Test
    void daysAreNamedByTheShellsOptionAndCountedInWords() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("shop");
            assertEquals("--every-days is between 1 and 366, not 0", assertThrows(InvalidRequestException.class,
                    () -> added(parts, "x3", 0, null, null)).getMessage());
            assertEquals("Defined review shop-daily, due 2026-12-07T12:00:00Z (every day)",
                    added(parts, "shop-daily", 1, null, null));
            assertEquals("Defined review shop-2d, due 2026-12-08T12:00:00Z (every 2 days)",
                    added(parts, "shop-2d", 2, null, null));
            assertEquals("every-days is between 1 and 366, not 367", assertThrows(InvalidRequestException.class,
                    () -> scheduled(parts, "shop-2d", 367, null, null)).getMessage());
            List<String> table = listed(parts, false);
            assertTrue(table.stream().anyMatch(row -> row.startsWith("shop-daily") && row.contains("| every day ")),
                    String.join("\n", table));
        }
    }

    @Test
    void aReviewsScheduleIsChangedToOtherTimesOrToDaysAndShownWithItsPasses() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("shop");
            added(parts, "shop-weekly", null, null, null);
            assertTrue(shown(parts, "shop-weekly").get(0).startsWith("Review shop-weekly never ran; due"
                    + " 2026-12-13T12:00:00Z (every 7 days)"));

            assertEquals("Review shop-weekly is due weekly mon,thu 10:00 in Europe/Berlin, next 2026-12-07T09:00:00Z",
                    scheduled(parts, "shop-weekly", null, "weekly mon,thu 10:00", "Europe/Berlin"));
            assertTrue(shown(parts, "shop-weekly").get(0).startsWith("Review shop-weekly never ran; due"
                    + " 2026-12-07T09:00:00Z (weekly mon,thu 10:00 in Europe/Berlin)"));
            parts.reviews.start(ALICE, "shop-weekly");
            List<String> pass = shown(parts, "shop-weekly");
            assertTrue(pass.get(0).startsWith("Review shop-weekly, pass 1, started 2026-12-06T12:00:00Z"), pass.get(0));
            // Started on the Sunday afternoon, less than a day before Monday's due time: the pass counts for it.
            assertTrue(pass.get(pass.size() - 1).startsWith("Next due 2026-12-10T09:00:00Z (weekly mon,thu 10:00 in"
                    + " Europe/Berlin)"), String.join("\n", pass));

            assertEquals("Review shop-weekly is due every 14 days, next 2026-12-20T12:00:00Z",
                    scheduled(parts, "shop-weekly", 14, null, null));
            assertEquals("every-days or --schedule is required: how many days after its last pass the review is due,"
                    + " or the times it is due at, such as weekly mon 10:00", assertThrows(
                            InvalidRequestException.class, () -> scheduled(parts, "shop-weekly", null, null, null))
                            .getMessage());
            assertEquals("--zone is the time zone of a schedule; a review due every so many days has none",
                    assertThrows(InvalidRequestException.class, () -> scheduled(parts, "shop-weekly", 14, null,
                            "Europe/Berlin")).getMessage());
            List<String> unchanged = shown(parts, "shop-weekly");
            assertTrue(unchanged.get(unchanged.size() - 1).startsWith("Next due 2026-12-20T12:00:00Z (every 14 days)"));
            assertFalse(String.join("\n", listed(parts, false)).contains("Europe/Berlin"));
        }
    }
}
