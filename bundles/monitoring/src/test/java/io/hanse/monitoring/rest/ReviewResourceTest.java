package io.hanse.monitoring.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.InvalidRequestException;
import io.hanse.kernel.store.Database;
import io.hanse.monitoring.internal.MonitoringParts;
import io.hanse.monitoring.rest.ReviewDtos.ReviewDto;
import io.hanse.monitoring.rest.ReviewResource.ReviewInput;
import io.hanse.monitoring.rest.ReviewResource.ScheduleInput;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** When a review is due, as the review resource takes it from a body and shows it. */
class ReviewResourceTest {

    /** A Sunday. */
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final TestCaller ALICE = TestCaller.everywhere("alice");

    /** Returns a review's name, everyDays, schedule, zone and due time as a list. */
    private static List<Object> due(ReviewDto review) {
        return Arrays.asList(review.name(), review.everyDays(), review.schedule(), review.zone(), review.due());
    }

    @Test
    void aReviewIsDefinedByAScheduleInATimeZoneOrEverySevenDaysAndShownWithWhenItIsDue() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("shop");
            ReviewResource resource = new ReviewResource(parts.reviews);
            Response created = resource.define(new ReviewInput("shop-mondays", "shop", null, null, "weekly mon 10:00",
                    "Europe/Berlin"), ALICE);
            assertEquals(201, created.getStatus());
            List<Object> mondays = Arrays.asList("shop-mondays", null, "weekly mon 10:00", "Europe/Berlin",
                    Instant.parse("2026-12-07T09:00:00Z"));
            assertEquals(mondays, due((ReviewDto) created.getEntity()));
            resource.define(new ReviewInput("shop-weekly", "shop", null, null, null, null), ALICE);
            List<Object> weekly = Arrays.asList("shop-weekly", 7, null, null, NOW.plus(Duration.ofDays(7)));

            assertEquals(List.of(mondays, weekly), resource.list(ALICE).stream().map(ReviewResourceTest::due).toList());
            assertEquals(mondays, due(resource.show("shop-mondays", ALICE)));
            assertEquals(Arrays.asList("shop-weekly", null, "cron 0 10 * * mon#1", "UTC",
                    Instant.parse("2026-12-07T10:00:00Z")), due(resource.schedule("shop-weekly",
                            new ScheduleInput(null, "cron 0 10 * * mon#1", null), ALICE)));
            assertEquals(Arrays.asList("shop-mondays", 14, null, null, NOW.plus(Duration.ofDays(14))),
                    due(resource.schedule("shop-mondays", new ScheduleInput(14, null, null), ALICE)));
            assertEquals(List.of("cron 0 10 * * mon#1", "shop-mondays 14"), resource.list(ALICE).stream()
                    .map(review -> review.schedule() != null ? review.schedule()
                            : review.name() + " " + review.everyDays()).sorted().toList());
        }
    }

    @Test
    void aListOfReviewsLeavesOutTheItemsThatAReviewShownAloneHas() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.system("shop", "web-1");
            parts.report("web-1", "disk", "critical", Duration.ofHours(1));
            ReviewResource resource = new ReviewResource(parts.reviews);
            ReviewDto defined = (ReviewDto) resource.define(new ReviewInput("shop-weekly", "shop", null, null, null,
                    null), ALICE).getEntity();
            assertNull(defined.items(), "as a list shows it");
            assertEquals(List.of(), resource.show("shop-weekly", ALICE).items(), "no pass yet");
            assertEquals(List.of("web-1/disk"), resource.start("shop-weekly", ALICE).items().stream()
                    .map(item -> item.system() + "/" + item.check()).toList());
            assertEquals(1, resource.show("shop-weekly", ALICE).items().size());
            assertEquals(Arrays.asList((Object) null), resource.list(ALICE).stream().map(ReviewDto::items).toList(),
                    "a list says where each review stands, not what its pass holds");
        }
    }

    @Test
    void aBodyWithBothOrNeitherOrAScheduleThatCannotBeIsABadRequestNamingWhatIsWrong() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("shop");
            ReviewResource resource = new ReviewResource(parts.reviews);
            Function<ReviewInput, String> defining = input -> assertThrows(InvalidRequestException.class,
                    () -> resource.define(input, ALICE)).getMessage();
            assertEquals("give everyDays or schedule, not both: a review is due every so many days after its last pass"
                    + " or at the times of its schedule", defining.apply(new ReviewInput("shop-mondays", "shop", null,
                            7, "weekly mon 10:00", null)));
            assertEquals("zone is the time zone of a schedule; a review due every so many days has none",
                    defining.apply(new ReviewInput("shop-mondays", "shop", null, null, null, "Europe/Berlin")));
            assertEquals("zone: Berlin is not a time zone such as Europe/Berlin", defining.apply(new ReviewInput(
                    "shop-mondays", "shop", null, null, "weekly mon 10:00", "Berlin")));
            assertEquals("schedule: unknown day 'monday'; use mon..sun", defining.apply(new ReviewInput("shop-mondays",
                    "shop", null, null, "weekly monday 10:00", null)));
            assertEquals("schedule: at most 200 characters, not 201", defining.apply(new ReviewInput("shop-mondays",
                    "shop", null, null, "cron 0 10 * * " + "1,".repeat(93) + "1", null)));
            assertEquals("schedule: cron 0 10 31 apr * in UTC has no time in the next 371 days; the review would"
                    + " never be due", defining.apply(new ReviewInput("shop-mondays", "shop", null, null,
                            "cron 0 10 31 apr *", null)));
            assertEquals(List.of(), resource.list(ALICE), "none defined");

            resource.define(new ReviewInput("shop-weekly", "shop", null, null, null, null), ALICE);
            assertEquals("everyDays or schedule is required: how many days after its last pass the review is due, or"
                    + " the times it is due at, such as weekly mon 10:00", assertThrows(InvalidRequestException.class,
                            () -> resource.schedule("shop-weekly", new ScheduleInput(null, null, null), ALICE))
                            .getMessage());
            assertEquals("schedule: cron needs five fields (minute hour day-of-month month day-of-week), not 7:"
                    + " 'cron <minute> <hour> <day-of-month> <month> <day-of-week>', such as 'cron 0 10 * * mon#1'",
                    assertThrows(InvalidRequestException.class, () -> resource.schedule("shop-weekly",
                            new ScheduleInput(null, "cron 0 22 * * mon-fri for 8h", null), ALICE)).getMessage());
            assertEquals(List.of(Arrays.asList("shop-weekly", 7, null, null, NOW.plus(Duration.ofDays(7)))),
                    resource.list(ALICE).stream().map(ReviewResourceTest::due).toList(), "unchanged");
        }
    }
}
