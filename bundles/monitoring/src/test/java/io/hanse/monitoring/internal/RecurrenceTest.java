package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import io.hanse.monitoring.internal.Recurrence.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecurrenceTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    /** Springs forward 2026-03-29 02:00 to 03:00, falls back 2026-10-25 03:00 to 02:00. */
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Springs forward 2026-03-08 02:00 to 03:00, falls back 2026-11-01 02:00 to 01:00. */
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** Springs forward 2026-03-28 23:00 to 2026-03-29 00:00: a gap just before midnight. */
    private static final ZoneId NUUK = ZoneId.of("America/Nuuk");

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    private static Window window(String start, String end) {
        return new Window(at(start), at(end));
    }

    private static String refusal(String spec, ZoneId zone) {
        return assertThrows(InvalidRequestException.class, () -> Recurrence.parse(spec, zone)).getMessage();
    }

    private static String refusal(String spec) {
        return refusal(spec, UTC);
    }

    /** The starts of the next windows after a time, in order. */
    private static List<Instant> starts(Recurrence recurrence, String after, int count) {
        List<Instant> starts = new ArrayList<>();
        Instant time = at(after);
        for (int i = 0; i < count; i++) {
            time = recurrence.next(time).orElseThrow().start();
            starts.add(time);
        }
        return starts;
    }

    // ---- parsing ----

    @Test
    void refusesAMissingBlankOrTooLongSpecAndAMissingZone() {
        assertTrue(refusal(null).startsWith("recurrence: a spec is required"));
        assertTrue(refusal("   ").startsWith("recurrence: a spec is required"));
        assertEquals("recurrence: at most 200 characters, not 201",
                refusal("weekly sat 02:00-04:00" + " ".repeat(179)));
        String shortTimes = "weekly " + "mon,".repeat(45) + "mon 2:00-4:00";
        assertEquals(200, shortTimes.length());
        assertEquals("recurrence: at most 200 characters with its times written as HH:mm, not 202",
                refusal(shortTimes), "as it is stored and shown");
        assertEquals("recurrence: a time zone is required, such as Europe/Berlin",
                refusal("weekly sat 02:00-04:00", null));
    }

    @Test
    void refusesAnUnknownForm() {
        assertTrue(refusal("daily 02:00-04:00").startsWith("recurrence: a spec starts with 'weekly' or 'cron', not"
                + " 'daily'"));
        assertTrue(refusal("weekly sat sun 02:00-04:00").startsWith("recurrence: write weekly windows as"));
    }

    @Test
    void refusesAnUnknownWeeklyDay() {
        assertEquals("recurrence: unknown day 'mnday'; use mon..sun", refusal("weekly mnday 02:00-04:00"));
        assertEquals("recurrence: unknown day ''; use mon..sun", refusal("weekly sat,,sun 02:00-04:00"));
    }

    @Test
    void refusesAWeeklyTimeOutOfRange() {
        assertEquals("recurrence: hour 25 in 25:00 is not between 0 and 23", refusal("weekly sat 25:00-04:00"));
        assertEquals("recurrence: minute 60 in 04:60 is not between 0 and 59", refusal("weekly sat 02:00-04:60"));
        assertEquals("recurrence: '2am' is not a time of day such as 02:00", refusal("weekly sat 2am-04:00"));
    }

    @Test
    void refusesAWeeklyWindowThatEndsWhenItStarts() {
        assertEquals("recurrence: a weekly window must end at another time than it starts, not 02:00-02:00",
                refusal("weekly sat 02:00-02:00"));
    }

    @Test
    void refusesACronValueOutOfRangeOrUnknown() {
        assertEquals("recurrence: hour 25 is not between 0 and 23", refusal("cron 0 25 * * * for 1h"));
        assertEquals("recurrence: day of month 0 is not between 1 and 31", refusal("cron 0 0 0 * * for 1h"));
        assertEquals("recurrence: unknown month 'janu'; use 1..12 or jan..dec", refusal("cron 0 0 * janu * for 1h"));
        assertEquals("recurrence: unknown day of week 'mnday'; use 0..7 or mon..sun",
                refusal("cron 0 0 * * mnday for 1h"));
    }

    @Test
    void refusesABackwardsRangeAndABadStep() {
        assertEquals("recurrence: hour range '5-1' runs backwards", refusal("cron 0 5-1 * * * for 1h"));
        assertEquals("recurrence: minute step 0 is not between 1 and 60", refusal("cron */0 * * * * for 1h"));
        assertEquals("recurrence: minute step 'x' is not a number", refusal("cron */x * * * * for 1h"));
    }

    @Test
    void refusesACronSpecWithoutFiveFieldsAndADuration() {
        assertTrue(refusal("cron 0 0 * * *").startsWith("recurrence: a cron window needs 'for <duration>'"));
        assertTrue(refusal("cron 0 0 * * for 1h").startsWith("recurrence: cron needs five fields (minute hour"
                + " day-of-month month day-of-week) before 'for', not 4"));
        assertTrue(refusal("cron 0 0 * * * for 1h 2h").startsWith("recurrence: 'for' takes one duration"));
    }

    @Test
    void refusesADurationThatIsMalformedOrOutOfRange() {
        assertEquals("recurrence: duration '2x' is not like 30m, 2h, 1h30m or 1d", refusal("cron 0 0 * * * for 2x"));
        assertEquals("recurrence: duration 0m is shorter than 1 minute", refusal("cron 0 0 * * * for 0m"));
        assertEquals("recurrence: duration 7d1m is longer than 7 days", refusal("cron 0 0 * * * for 7d1m"));
    }

    @Test
    void normalisesTheSpecSoItParsesToAnEqualRecurrence() {
        Recurrence weekly = Recurrence.parse("  WEEKLY  Sat, Sun   2:00 - 4:00 ", BERLIN);
        assertEquals("weekly sat,sun 02:00-04:00", weekly.spec());
        assertEquals(weekly, Recurrence.parse(weekly.spec(), BERLIN));
        assertEquals(weekly.hashCode(), Recurrence.parse(weekly.spec(), BERLIN).hashCode());
        assertEquals("weekly sat,sun 02:00-04:00 in Europe/Berlin", weekly.toString());
        assertNotEquals(weekly, Recurrence.parse(weekly.spec(), NEW_YORK));

        Recurrence cron = Recurrence.parse("CRON */15  9-17 * * MON-FRI\tFOR 1H30M", BERLIN);
        assertEquals("cron */15 9-17 * * mon-fri for 1h30m", cron.spec());
        assertEquals(BERLIN, cron.zone());
    }

    // ---- weekly ----

    @Test
    void weeklyWindowIncludesItsStartAndExcludesItsEnd() {
        Recurrence weekends = Recurrence.parse("weekly sat,sun 02:00-04:00", UTC);
        Window saturday = window("2026-06-06T02:00:00Z", "2026-06-06T04:00:00Z");
        assertEquals(Optional.of(saturday), weekends.windowAt(at("2026-06-06T02:00:00Z")));
        assertEquals(Optional.of(saturday), weekends.windowAt(at("2026-06-06T03:59:59Z")));
        assertEquals(Optional.empty(), weekends.windowAt(at("2026-06-06T04:00:00Z")));
        assertEquals(Optional.empty(), weekends.windowAt(at("2026-06-05T03:00:00Z")));
    }

    @Test
    void weeklyDayRangeMonToFriCoversOnlyThoseNights() {
        Recurrence weeknights = Recurrence.parse("weekly mon-fri 22:00-06:00", UTC);
        assertEquals(Optional.of(window("2026-06-05T22:00:00Z", "2026-06-06T06:00:00Z")),
                weeknights.windowAt(at("2026-06-06T03:00:00Z")));
        assertEquals(Optional.empty(), weeknights.windowAt(at("2026-06-06T23:00:00Z")));
        assertEquals(Optional.empty(), weeknights.windowAt(at("2026-06-08T05:00:00Z")));
        assertEquals(Optional.of(window("2026-06-08T22:00:00Z", "2026-06-09T06:00:00Z")),
                weeknights.windowAt(at("2026-06-08T23:00:00Z")));
    }

    @Test
    void windowAtFindsAnOvernightWindowThatStartedTheDayBefore() {
        Recurrence fridayNight = Recurrence.parse("weekly fri 22:00-06:00", BERLIN);
        // Saturday 04:00 CEST; the window opened on Friday at 22:00 CEST.
        assertEquals(Optional.of(window("2026-06-05T20:00:00Z", "2026-06-06T04:00:00Z")),
                fridayNight.windowAt(at("2026-06-06T02:00:00Z")));
    }

    @Test
    void weeklyDayRangeMayWrapPastSunday() {
        Recurrence longWeekend = Recurrence.parse("weekly fri-mon 12:00-13:00", UTC);
        assertEquals(List.of(at("2026-06-05T12:00:00Z"), at("2026-06-06T12:00:00Z"), at("2026-06-07T12:00:00Z"),
                at("2026-06-08T12:00:00Z"), at("2026-06-12T12:00:00Z")),
                starts(longWeekend, "2026-06-03T00:00:00Z", 5));
    }

    @Test
    void nextReturnsTheFirstWindowStartingStrictlyAfter() {
        Recurrence weekends = Recurrence.parse("weekly sat,sun 02:00-04:00", UTC);
        assertEquals(Optional.of(window("2026-06-06T02:00:00Z", "2026-06-06T04:00:00Z")),
                weekends.next(at("2026-06-03T12:00:00Z")));
        assertEquals(Optional.of(window("2026-06-07T02:00:00Z", "2026-06-07T04:00:00Z")),
                weekends.next(at("2026-06-06T02:00:00Z")));
        assertEquals(Optional.of(window("2026-06-07T02:00:00Z", "2026-06-07T04:00:00Z")),
                weekends.next(at("2026-06-06T03:00:00Z")));
    }

    // ---- cron ----

    @Test
    void cronStepWithinARange() {
        Recurrence cron = Recurrence.parse("cron 10-50/20 * * * * for 1m", UTC);
        assertEquals(List.of(at("2026-06-01T00:10:00Z"), at("2026-06-01T00:30:00Z"), at("2026-06-01T00:50:00Z"),
                at("2026-06-01T01:10:00Z")), starts(cron, "2026-06-01T00:00:00Z", 4));
    }

    @Test
    void cronStepOverEveryMinuteInWorkingHoursOnWeekdays() {
        Recurrence cron = Recurrence.parse("cron */15 9-17 * * mon-fri for 5m", UTC);
        // Friday 17:40, then the weekend is skipped.
        assertEquals(List.of(at("2026-06-05T17:45:00Z"), at("2026-06-08T09:00:00Z"), at("2026-06-08T09:15:00Z")),
                starts(cron, "2026-06-05T17:40:00Z", 3));
    }

    @Test
    void cronListOfHours() {
        Recurrence cron = Recurrence.parse("cron 0 1,3 * * * for 30m", UTC);
        assertEquals(List.of(at("2026-06-01T01:00:00Z"), at("2026-06-01T03:00:00Z"), at("2026-06-02T01:00:00Z")),
                starts(cron, "2026-06-01T00:00:00Z", 3));
    }

    @Test
    void cronMonthAndDayNames() {
        Recurrence cron = Recurrence.parse("cron 0 12 * jan,jul sun for 1h", UTC);
        assertEquals(List.of(at("2026-07-05T12:00:00Z"), at("2026-07-12T12:00:00Z")),
                starts(cron, "2026-06-01T00:00:00Z", 2));
    }

    @Test
    void cronDayOfWeekZeroSevenAndSunAreSunday() {
        for (String sunday : List.of("0", "7", "sun")) {
            Recurrence cron = Recurrence.parse("cron 0 12 * * " + sunday + " for 1h", UTC);
            assertEquals(List.of(at("2026-06-07T12:00:00Z")), starts(cron, "2026-06-03T00:00:00Z", 1), sunday);
        }
        Recurrence fridayToSunday = Recurrence.parse("cron 0 12 * * fri-sun for 1h", UTC);
        assertEquals(List.of(at("2026-06-05T12:00:00Z"), at("2026-06-06T12:00:00Z"), at("2026-06-07T12:00:00Z"),
                at("2026-06-12T12:00:00Z")), starts(fridayToSunday, "2026-06-03T00:00:00Z", 4));
    }

    @Test
    void cronFiresOnADayMatchingEitherRestrictedDayField() {
        // The 13th, and every Friday: June 2026 has Fridays on the 5th, 12th and 19th.
        Recurrence cron = Recurrence.parse("cron 0 12 13 * fri for 1h", UTC);
        assertEquals(List.of(at("2026-06-05T12:00:00Z"), at("2026-06-12T12:00:00Z"), at("2026-06-13T12:00:00Z"),
                at("2026-06-19T12:00:00Z")), starts(cron, "2026-06-01T00:00:00Z", 4));
    }

    @Test
    void cronDayFieldStartingWithStarMustMatchToo() {
        // As in Vixie cron, */2 counts as unrestricted: odd days that are also Fridays.
        Recurrence cron = Recurrence.parse("cron 0 12 */2 * fri for 1h", UTC);
        assertEquals(List.of(at("2026-06-05T12:00:00Z"), at("2026-06-19T12:00:00Z"), at("2026-07-03T12:00:00Z")),
                starts(cron, "2026-06-01T00:00:00Z", 3));
    }

    @Test
    void cronWindowOnTheFirstSundayOfTheMonth() {
        Recurrence firstSunday = Recurrence.parse("cron 0 2 * * sun#1 for 2h", UTC);
        assertEquals("cron 0 2 * * sun#1 for 2h", firstSunday.spec());
        assertEquals(List.of(at("2026-06-07T02:00:00Z"), at("2026-07-05T02:00:00Z")),
                starts(firstSunday, "2026-06-01T00:00:00Z", 2));
        assertEquals(Optional.of(window("2026-06-07T02:00:00Z", "2026-06-07T04:00:00Z")),
                firstSunday.windowAt(at("2026-06-07T03:00:00Z")));
        assertEquals(Optional.empty(), firstSunday.windowAt(at("2026-06-14T03:00:00Z")));
    }

    @Test
    void cronThatNeverFiresHasNoWindows() {
        Recurrence february30 = Recurrence.parse("cron 0 0 30 2 * for 1h", UTC);
        assertEquals(Optional.empty(), february30.next(at("2026-01-01T00:00:00Z")));
        assertEquals(Optional.empty(), february30.windowAt(at("2026-03-02T00:30:00Z")));
    }

    @Test
    void cronOnLeapDayFiresEveryFourYearsAndNextLooksAtMostTheLookAheadOfDays() {
        Recurrence leapDay = Recurrence.parse("cron 0 0 29 2 * for 1d", BERLIN);
        Window window = window("2028-02-28T23:00:00Z", "2028-02-29T23:00:00Z");
        assertEquals(Optional.of(window), leapDay.next(at("2027-03-01T00:00:00Z")));
        assertEquals(Optional.of(window), leapDay.windowAt(at("2028-02-29T12:00:00Z")));
        assertEquals(Optional.empty(), leapDay.next(at("2026-01-01T00:00:00Z")));
    }

    @Test
    void cronWindowAtFindsAWindowThatStartedDaysBefore() {
        Recurrence monthly = Recurrence.parse("cron 0 6 1 * * for 7d", UTC);
        assertEquals(Optional.of(window("2026-06-01T06:00:00Z", "2026-06-08T06:00:00Z")),
                monthly.windowAt(at("2026-06-07T12:00:00Z")));
        assertEquals(Optional.empty(), monthly.windowAt(at("2026-06-08T06:00:00Z")));
    }

    @Test
    void cronWindowAtReturnsTheLatestOfOverlappingWindows() {
        Recurrence cron = Recurrence.parse("cron */15 * * * * for 1h", UTC);
        assertEquals(Optional.of(window("2026-06-01T10:15:00Z", "2026-06-01T11:15:00Z")),
                cron.windowAt(at("2026-06-01T10:20:00Z")));
    }

    // ---- daylight saving time ----

    @Test
    void weeklyStartInTheSpringForwardGapMovesLaterByTheGap() {
        // 02:30 does not exist that night and becomes 03:30 daylight time.
        assertEquals(Optional.of(window("2026-03-29T01:30:00Z", "2026-03-29T03:00:00Z")),
                Recurrence.parse("weekly sun 02:30-05:00", BERLIN).next(at("2026-03-28T00:00:00Z")));
        assertEquals(Optional.of(window("2026-03-08T07:30:00Z", "2026-03-08T09:00:00Z")),
                Recurrence.parse("weekly sun 02:30-05:00", NEW_YORK).next(at("2026-03-07T00:00:00Z")));
    }

    @Test
    void weeklyWindowLeftWithoutTimeByTheGapIsSkippedThatNight() {
        // 02:30 becomes 03:30, after the end at 03:15, so the next window is a week later.
        assertEquals(Optional.of(window("2026-04-05T00:30:00Z", "2026-04-05T01:15:00Z")),
                Recurrence.parse("weekly sun 02:30-03:15", BERLIN).next(at("2026-03-28T00:00:00Z")));
        assertEquals(Optional.of(window("2026-03-15T06:30:00Z", "2026-03-15T07:15:00Z")),
                Recurrence.parse("weekly sun 02:30-03:15", NEW_YORK).next(at("2026-03-07T00:00:00Z")));
    }

    @Test
    void weeklyStartInTheRepeatedHourTakesTheEarlierOccurrence() {
        assertEquals(Optional.of(window("2026-10-25T00:30:00Z", "2026-10-25T04:00:00Z")),
                Recurrence.parse("weekly sun 02:30-05:00", BERLIN).next(at("2026-10-24T00:00:00Z")));
        assertEquals(Optional.of(window("2026-11-01T05:30:00Z", "2026-11-01T10:00:00Z")),
                Recurrence.parse("weekly sun 01:30-05:00", NEW_YORK).next(at("2026-10-31T00:00:00Z")));
    }

    @Test
    void weeklyEndInTheRepeatedHourTakesTheEarlierOccurrence() {
        Recurrence berlin = Recurrence.parse("weekly sat 22:00-02:30", BERLIN);
        assertEquals(Optional.of(window("2026-10-24T20:00:00Z", "2026-10-25T00:30:00Z")),
                berlin.windowAt(at("2026-10-25T00:00:00Z")));
        assertEquals(Optional.empty(), berlin.windowAt(at("2026-10-25T01:00:00Z")));

        Recurrence newYork = Recurrence.parse("weekly sat 22:00-01:30", NEW_YORK);
        assertEquals(Optional.of(window("2026-11-01T02:00:00Z", "2026-11-01T05:30:00Z")),
                newYork.windowAt(at("2026-11-01T05:00:00Z")));
        assertEquals(Optional.empty(), newYork.windowAt(at("2026-11-01T06:00:00Z")));
    }

    @Test
    void weeklyOneToFourLastsFourRealHoursOnTheFallBackNight() {
        Window berlin = Recurrence.parse("weekly sun 01:00-04:00", BERLIN).next(at("2026-10-24T00:00:00Z"))
                .orElseThrow();
        assertEquals(window("2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z"), berlin);
        assertEquals(Duration.ofHours(4), Duration.between(berlin.start(), berlin.end()));

        Window newYork = Recurrence.parse("weekly sun 01:00-04:00", NEW_YORK).next(at("2026-10-31T00:00:00Z"))
                .orElseThrow();
        assertEquals(window("2026-11-01T05:00:00Z", "2026-11-01T09:00:00Z"), newYork);
    }

    @Test
    void weeklyOneToFourLastsTwoRealHoursOnTheSpringForwardNight() {
        Window berlin = Recurrence.parse("weekly sun 01:00-04:00", BERLIN).next(at("2026-03-28T00:00:00Z"))
                .orElseThrow();
        assertEquals(window("2026-03-29T00:00:00Z", "2026-03-29T02:00:00Z"), berlin);
        assertEquals(Duration.ofHours(2), Duration.between(berlin.start(), berlin.end()));

        Window newYork = Recurrence.parse("weekly sun 01:00-04:00", NEW_YORK).next(at("2026-03-07T00:00:00Z"))
                .orElseThrow();
        assertEquals(window("2026-03-08T06:00:00Z", "2026-03-08T08:00:00Z"), newYork);
    }

    @Test
    void overnightWindowEndsAtSixLocalTimeAcrossEitherChange() {
        Recurrence berlin = Recurrence.parse("weekly sat 22:00-06:00", BERLIN);
        assertEquals(Optional.of(window("2026-10-24T20:00:00Z", "2026-10-25T05:00:00Z")),
                berlin.windowAt(at("2026-10-25T04:30:00Z")));
        assertEquals(Optional.of(window("2026-03-28T21:00:00Z", "2026-03-29T04:00:00Z")),
                berlin.windowAt(at("2026-03-29T03:30:00Z")));

        Recurrence newYork = Recurrence.parse("weekly sat 22:00-06:00", NEW_YORK);
        assertEquals(Optional.of(window("2026-11-01T02:00:00Z", "2026-11-01T11:00:00Z")),
                newYork.windowAt(at("2026-11-01T10:30:00Z")));
        assertEquals(Optional.of(window("2026-03-08T03:00:00Z", "2026-03-08T10:00:00Z")),
                newYork.windowAt(at("2026-03-08T09:30:00Z")));
    }

    @Test
    void cronMinuteInTheRepeatedHourFiresOnceAtItsFirstOccurrence() {
        Recurrence berlin = Recurrence.parse("cron 30 2 * * * for 10m", BERLIN);
        assertEquals(List.of(at("2026-10-25T00:30:00Z"), at("2026-10-26T01:30:00Z")),
                starts(berlin, "2026-10-24T12:00:00Z", 2));
        assertEquals(Optional.empty(), berlin.windowAt(at("2026-10-25T01:35:00Z")));

        Recurrence newYork = Recurrence.parse("cron 30 1 * * * for 10m", NEW_YORK);
        assertEquals(List.of(at("2026-11-01T05:30:00Z"), at("2026-11-02T06:30:00Z")),
                starts(newYork, "2026-10-31T12:00:00Z", 2));
        assertEquals(Optional.empty(), newYork.windowAt(at("2026-11-01T06:35:00Z")));
    }

    @Test
    void hourlyCronSkipsTheRepeatedHour() {
        // 01:00 EDT, then 02:00 EST: 01:00 EST is the same local minute again.
        Recurrence hourly = Recurrence.parse("cron 0 * * * * for 10m", NEW_YORK);
        assertEquals(List.of(at("2026-11-01T05:00:00Z"), at("2026-11-01T07:00:00Z")),
                starts(hourly, "2026-11-01T04:30:00Z", 2));
    }

    @Test
    void cronMinuteInTheSpringForwardGapDoesNotFireThatDay() {
        Recurrence berlin = Recurrence.parse("cron 30 2 * * * for 1h", BERLIN);
        assertEquals(List.of(at("2026-03-28T01:30:00Z"), at("2026-03-30T00:30:00Z")),
                starts(berlin, "2026-03-28T00:00:00Z", 2));
        assertEquals(Optional.empty(), berlin.windowAt(at("2026-03-29T01:45:00Z")));

        Recurrence newYork = Recurrence.parse("cron 30 2 * * * for 1h", NEW_YORK);
        assertEquals(List.of(at("2026-03-07T07:30:00Z"), at("2026-03-09T06:30:00Z")),
                starts(newYork, "2026-03-07T00:00:00Z", 2));
    }

    @Test
    void cronDurationIsElapsedRealTimeAcrossTheChange() {
        // Midnight plus four real hours is 05:00 local time on the spring-forward night.
        assertEquals(Optional.of(window("2026-03-28T23:00:00Z", "2026-03-29T03:00:00Z")),
                Recurrence.parse("cron 0 0 * * * for 4h", BERLIN).windowAt(at("2026-03-29T02:30:00Z")));
        assertEquals(Optional.of(window("2026-03-08T05:00:00Z", "2026-03-08T09:00:00Z")),
                Recurrence.parse("cron 0 0 * * * for 4h", NEW_YORK).windowAt(at("2026-03-08T08:30:00Z")));
    }

    @Test
    void aWeeklyWindowWhoseEndAGapBeforeMidnightMovesTwoDatesOnCoversToItsEnd() {
        Recurrence overnight = Recurrence.parse("weekly fri 23:50-23:10", NUUK);
        // Friday 23:50 (-02) to Saturday 23:10, in the gap: moved on to Sunday 00:10 (-01).
        Window window = window("2026-03-28T01:50:00Z", "2026-03-29T01:10:00Z");
        assertEquals(Optional.of(window), overnight.windowAt(at("2026-03-29T01:05:00Z")));
        assertEquals(Optional.of(window), overnight.firstWindowAt(at("2026-03-29T01:05:00Z")));
        assertEquals(Optional.empty(), overnight.windowAt(at("2026-03-29T01:10:00Z")));
    }

    @Test
    void aWeeklyWindowThatStartsWhereAGapMovedTheStartOfAnEmptyOneIsNotLost() {
        // Pacific/Apia skipped Friday 2011-12-30: from Thursday 23:59:59 (-10) to Saturday 00:00 (+14).
        Recurrence nights = Recurrence.parse("weekly fri-mon 23:30-00:30", ZoneId.of("Pacific/Apia"));
        // Friday's start moves by the day onto Saturday's, its end stays before it: no window. Saturday's is.
        Window saturday = window("2011-12-31T09:30:00Z", "2011-12-31T10:30:00Z");
        assertEquals(List.of(saturday.start(), at("2012-01-01T09:30:00Z")), starts(nights, "2011-12-28T00:00:00Z", 2));
        assertEquals(Optional.of(saturday), nights.windowAt(at("2011-12-31T10:00:00Z")));
        assertEquals(Optional.of(saturday), nights.firstWindowAt(at("2011-12-31T10:00:00Z")));
    }

    @Test
    void weeklyWindowAtFindsTheWindowThatWalkingForwardFindsAcrossTheChanges() {
        // windowAt looks back from the time, firstWindowAt walks the windows forward to it: both find the same.
        List<String> specs = List.of("weekly sat,sun 02:00-04:00", "weekly mon-fri 22:00-06:00",
                "weekly sun 01:00-04:00", "weekly fri-mon 23:30-00:30", "weekly fri,sat 23:50-23:10");
        List<Instant> changes = List.of(at("2026-03-29T01:00:00Z"), at("2026-10-25T01:00:00Z"),
                at("2026-03-29T01:00:00Z"), at("2026-10-25T01:00:00Z"), at("2026-10-03T15:30:00Z"));
        List<ZoneId> zones = List.of(BERLIN, BERLIN, NUUK, NUUK, ZoneId.of("Australia/Lord_Howe"));
        for (String spec : specs) {
            for (int i = 0; i < zones.size(); i++) {
                Recurrence recurrence = Recurrence.parse(spec, zones.get(i));
                for (Instant time = changes.get(i).minus(Duration.ofDays(3));
                        time.isBefore(changes.get(i).plus(Duration.ofDays(3))); time = time.plusSeconds(300)) {
                    assertEquals(recurrence.firstWindowAt(time), recurrence.windowAt(time), recurrence + " at " + time);
                }
            }
        }
    }
}
