package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The due times of reviews; the starts of downtimes' windows are tested with them in {@link RecurrenceTest}. */
class ScheduleTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    /** Springs forward 2026-03-29 02:00 to 03:00, falls back 2026-10-25 03:00 to 02:00. */
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    private static String refusal(String spec) {
        return assertThrows(InvalidRequestException.class, () -> Schedule.parse("schedule", spec, UTC)).getMessage();
    }

    /** The next times after an instant, in order. */
    private static List<Instant> times(Schedule schedule, String after, int count) {
        List<Instant> times = new ArrayList<>();
        Instant time = at(after);
        for (int i = 0; i < count; i++) {
            time = schedule.next(time).orElseThrow();
            times.add(time);
        }
        return times;
    }

    @Test
    void refusesWhatIsNoScheduleNamingItAsTheScheduleField() {
        assertTrue(refusal(null).startsWith("schedule: a spec is required, 'weekly <days> <HH:mm>'"));
        assertEquals("schedule: at most 200 characters, not 201", refusal("weekly mon 10:00" + " ".repeat(185)));
        assertTrue(refusal("daily 10:00").startsWith("schedule: a spec starts with 'weekly' or 'cron', not 'daily'"));
        assertEquals("schedule: '10:00-11:00' is not a time of day such as 02:00", refusal("weekly mon 10:00-11:00"),
                "a downtime's window, not a time");
        assertTrue(refusal("weekly mon").startsWith("schedule: write weekly times as 'weekly <days> <HH:mm>'"));
        assertEquals("schedule: unknown day 'mnday'; use mon..sun", refusal("weekly mnday 10:00"));
        assertTrue(refusal("cron 0 22 * * mon-fri for 8h").startsWith("schedule: cron needs five fields (minute hour"
                + " day-of-month month day-of-week), not 7"), "a downtime's windows, not times");
        assertEquals("schedule: hour 24 is not between 0 and 23", refusal("cron 0 24 * * *"));
        assertEquals("schedule: a time zone is required, such as Europe/Berlin",
                assertThrows(InvalidRequestException.class, () -> Schedule.parse("schedule", "weekly mon 10:00", null))
                        .getMessage());
    }

    @Test
    void aZoneIsReadByItsIdAndIsUtcWhenNoneIsGiven() {
        assertEquals(BERLIN, Schedule.zone("zone", "Europe/Berlin"));
        assertEquals(ZoneId.of("UTC"), Schedule.zone("zone", null));
        assertEquals(ZoneId.of("UTC"), Schedule.zone("zone", " "));
        assertEquals("zone: Europe/Bonn is not a time zone such as Europe/Berlin",
                assertThrows(InvalidRequestException.class, () -> Schedule.zone("zone", "Europe/Bonn")).getMessage());
    }

    @Test
    void normalisesTheSpecSoItParsesToAnEqualSchedule() {
        Schedule weekly = Schedule.parse("schedule", "  WEEKLY  Mon , Thu   9:30 ", BERLIN);
        assertEquals("weekly mon,thu 09:30", weekly.spec());
        assertEquals(weekly, Schedule.parse("schedule", weekly.spec(), BERLIN));
        assertEquals(weekly.hashCode(), Schedule.parse("schedule", weekly.spec(), BERLIN).hashCode());
        assertEquals("weekly mon,thu 09:30 in Europe/Berlin", weekly.toString());
        assertNotEquals(weekly, Schedule.parse("schedule", weekly.spec(), UTC));
        assertEquals("cron 0 10 * * mon-fri", Schedule.parse("schedule", "CRON 0  10 * *\tMON - FRI", BERLIN).spec());
    }

    @Test
    void weeklyMondayAtTenIsAtTenLocalTimeOnEitherSideOfBothChanges() {
        Schedule mondays = Schedule.parse("schedule", "weekly mon 10:00", BERLIN);
        // CET (+01:00) until 2026-03-29, CEST (+02:00) until 2026-10-25, then CET again.
        assertEquals(List.of(at("2026-03-23T09:00:00Z"), at("2026-03-30T08:00:00Z")),
                times(mondays, "2026-03-20T00:00:00Z", 2));
        assertEquals(List.of(at("2026-10-19T08:00:00Z"), at("2026-10-26T09:00:00Z")),
                times(mondays, "2026-10-16T00:00:00Z", 2));
        assertEquals(Optional.of(at("2026-03-30T08:00:00Z")), mondays.next(at("2026-03-23T09:00:00Z")),
                "strictly after");
    }

    @Test
    void cronWithBothDayFieldsRestrictedIsOnEitherAsInVixieCron() {
        // June 2026 starts on a Monday: the 1st to the 7th, then the Mondays.
        Schedule cron = Schedule.parse("schedule", "cron 0 10 1-7 * mon", UTC);
        assertEquals(List.of(at("2026-06-06T10:00:00Z"), at("2026-06-07T10:00:00Z"), at("2026-06-08T10:00:00Z"),
                at("2026-06-15T10:00:00Z")), times(cron, "2026-06-05T12:00:00Z", 4));
    }

    @Test
    void cronDayOfWeekWithANumberIsThatDaysNthInItsMonth() {
        // The first Monday of the month, at 10:00 CET and then CEST: 2026 starts on a Thursday.
        Schedule firstMonday = Schedule.parse("schedule", "cron 0 10 * * mon#1", BERLIN);
        assertEquals(List.of(at("2026-01-05T09:00:00Z"), at("2026-02-02T09:00:00Z"), at("2026-03-02T09:00:00Z"),
                at("2026-04-06T08:00:00Z")), times(firstMonday, "2026-01-01T00:00:00Z", 4));
        // Sunday as 0 or 7, lists of such days, and plain days beside them; May 2026 has five Fridays.
        Schedule listed = Schedule.parse("schedule", "cron 0 12 * * 0#1,fri#5,7#3,wed", UTC);
        assertEquals(List.of(at("2026-05-03T12:00:00Z"), at("2026-05-06T12:00:00Z"), at("2026-05-13T12:00:00Z"),
                at("2026-05-17T12:00:00Z"), at("2026-05-20T12:00:00Z"), at("2026-05-27T12:00:00Z"),
                at("2026-05-29T12:00:00Z")), times(listed, "2026-05-01T00:00:00Z", 7));
    }

    @Test
    void refusesANthDayOutOfRangeOrInAnotherField() {
        assertEquals("schedule: day of week 'mon#6': a day is the 1st to the 5th of its kind in a month, such as"
                + " mon#1, not '6'", refusal("cron 0 10 * * mon#6"));
        assertEquals("schedule: day of week 'mon#1#2': only a day of week takes a '#', once, such as mon#1 for the"
                + " first Monday of the month", refusal("cron 0 10 * * mon#1#2"));
        assertEquals("schedule: hour '10#1': only a day of week takes a '#', once, such as mon#1 for the first Monday"
                + " of the month", refusal("cron 0 10#1 * * *"));
        assertEquals("schedule: unknown day of week 'mon-fri'; use 0..7 or mon..sun",
                refusal("cron 0 10 * * mon-fri#1"));
    }

    @Test
    void theLastTimeIsAtOrBeforeTheInstantAndLooksAtMostAYearBack() {
        Schedule mondays = Schedule.parse("schedule", "weekly mon 10:00", BERLIN);
        assertEquals(Optional.of(at("2026-06-08T08:00:00Z")), mondays.last(at("2026-06-10T00:00:00Z")));
        assertEquals(Optional.of(at("2026-06-08T08:00:00Z")), mondays.last(at("2026-06-08T08:00:00Z")));
        assertEquals(Optional.of(at("2026-06-01T08:00:00Z")), mondays.last(at("2026-06-08T07:59:59Z")));
        Schedule leapDay = Schedule.parse("schedule", "cron 0 10 29 2 *", UTC);
        assertEquals(Optional.of(at("2028-02-29T10:00:00Z")), leapDay.last(at("2029-01-01T00:00:00Z")));
        assertEquals(Optional.empty(), leapDay.last(at("2029-03-07T00:00:00Z")), "371 days back is 2028-03-01");
    }

    @Test
    void aScheduleThatNeverHappensHasNoTimes() {
        Schedule february30 = Schedule.parse("schedule", "cron 0 10 30 2 *", UTC);
        assertEquals(Optional.empty(), february30.next(at("2026-01-01T00:00:00Z")));
        assertEquals(Optional.empty(), february30.last(at("2026-12-31T00:00:00Z")));
    }

    @Test
    void timesMoreThanTheLookAheadApartAreFarApartWhateverTheYear() {
        for (String spec : List.of("weekly mon 10:00", "cron */15 * * * *", "cron 0 10 * * mon#1", "cron 0 10 1 1 *",
                "cron 0 10 31 * *", "cron 0 10 29 2 mon", "cron 0 10 * * mon#5", "cron 0 10 * jan mon#1")) {
            assertFalse(Schedule.parse("schedule", spec, BERLIN).farApart(), spec);
        }
        // Leap days; a fifth Monday in February or January, in some years only; never.
        for (String spec : List.of("cron 0 10 29 2 *", "cron 0 10,11 29 2 *", "cron 0 10 * feb mon#5",
                "cron 0 10 * jan mon#5", "cron 0 10 30 2 *")) {
            assertTrue(Schedule.parse("schedule", spec, BERLIN).farApart(), spec);
        }
    }
}
