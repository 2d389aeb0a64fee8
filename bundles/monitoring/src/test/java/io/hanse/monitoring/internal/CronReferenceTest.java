package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.monitoring.internal.Recurrence.Window;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Cron schedules and recurrences, windows far longer than their period among them, against a
 * brute-force reference that tries every local minute: around the daylight saving time changes of
 * zones that move by an hour (Europe/Berlin), just before midnight (America/Nuuk) and by half an
 * hour (Australia/Lord_Howe), at many random times. The schedule finds its times from the local
 * time instead of minute by minute, which this pins to the plain reading of the class description.
 */
class CronReferenceTest {

    /** Looked at this many days either side of each change; the reference knows the starts of twice as many. */
    private static final int DAYS = 9;

    /** A cron spec, its duration, and which local minutes it matches, written out plainly. */
    private record Case(String fields, Duration length, Predicate<LocalDateTime> matches) {

        String spec() {
            return "cron " + fields + " for " + length.toMinutes() + "m";
        }
    }

    private static final List<Case> CASES = List.of(
            new Case("* * * * *", Duration.ofDays(7), local -> true),
            new Case("*/2 * * * *", Duration.ofDays(1), local -> local.getMinute() % 2 == 0),
            new Case("* 2 * * *", Duration.ofDays(3), local -> local.getHour() == 2),
            new Case("* 23 * * *", Duration.ofHours(30), local -> local.getHour() == 23),
            new Case("30 2 * * *", Duration.ofDays(7), local -> local.getHour() == 2 && local.getMinute() == 30),
            new Case("0 * * * *", Duration.ofDays(7), local -> local.getMinute() == 0),
            new Case("*/7 1-3 * * sun", Duration.ofDays(2), local -> local.getMinute() % 7 == 0
                    && local.getHour() >= 1 && local.getHour() <= 3 && local.getDayOfWeek() == DayOfWeek.SUNDAY),
            new Case("15,45 0-2,22-23 * * *", Duration.ofMinutes(45), local -> local.getMinute() % 30 == 15
                    && (local.getHour() <= 2 || local.getHour() >= 22)));

    private static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Berlin"), ZoneId.of("America/Nuuk"),
            ZoneId.of("Australia/Lord_Howe"));

    /** The starts of the reference: each matching local minute at its earliest instant; none in a gap. */
    private static List<Instant> starts(Case spec, ZoneId zone, Instant from, Instant to) {
        List<Instant> starts = new ArrayList<>();
        LocalDateTime last = LocalDateTime.ofInstant(to, zone).plusDays(1);
        for (LocalDateTime local = LocalDateTime.ofInstant(from, zone).minusDays(1).truncatedTo(ChronoUnit.MINUTES);
                local.isBefore(last); local = local.plusMinutes(1)) {
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
            if (spec.matches().test(local) && !offsets.isEmpty()) {
                starts.add(local.toInstant(offsets.get(0)));
            }
        }
        starts.sort(null);
        return starts;
    }

    /** The daylight saving time changes of 2026 in a zone. */
    private static List<Instant> changes(ZoneId zone) {
        Instant first = zone.getRules().nextTransition(Instant.parse("2026-01-01T00:00:00Z")).getInstant();
        return List.of(first, zone.getRules().nextTransition(first).getInstant());
    }

    /** A random time near a change: on a whole minute half of the time, where windows start and end. */
    private static Instant near(Instant change, Random random) {
        Instant time = change.plusSeconds(random.nextLong(-DAYS * 86_400L, DAYS * 86_400L));
        return random.nextBoolean() ? time.truncatedTo(ChronoUnit.MINUTES) : time.plusNanos(random.nextInt(1000));
    }

    private static Optional<Instant> lastAtOrBefore(List<Instant> starts, Instant time) {
        int after = indexAfter(starts, time);
        return after > 0 ? Optional.of(starts.get(after - 1)) : Optional.empty();
    }

    private static Optional<Instant> firstAfter(List<Instant> starts, Instant time) {
        int after = indexAfter(starts, time);
        return after < starts.size() ? Optional.of(starts.get(after)) : Optional.empty();
    }

    /** The index of the first start after the time in the sorted starts, each of them a different instant. */
    private static int indexAfter(List<Instant> starts, Instant time) {
        int found = Collections.binarySearch(starts, time);
        return found >= 0 ? found + 1 : -found - 1;
    }

    @Test
    void scheduleTimesAreThoseOfEveryMatchingMinute() {
        Random random = new Random(1);
        for (ZoneId zone : ZONES) {
            for (Instant change : changes(zone)) {
                for (Case spec : CASES) {
                    Schedule schedule = Schedule.parse("schedule", "cron " + spec.fields(), zone);
                    List<Instant> starts = starts(spec, zone, change.minus(Duration.ofDays(2 * DAYS)),
                            change.plus(Duration.ofDays(2 * DAYS)));
                    for (int i = 0; i < 200; i++) {
                        Instant time = near(change, random);
                        assertEquals(firstAfter(starts, time), schedule.next(time), schedule + " next after " + time);
                        assertEquals(lastAtOrBefore(starts, time), schedule.last(time), schedule + " last at " + time);
                    }
                }
            }
        }
    }

    @Test
    void longCronWindowsAtATimeAreTheLatestAndTheEarliestThatHoldIt() {
        Random random = new Random(2);
        for (ZoneId zone : ZONES) {
            for (Instant change : changes(zone)) {
                for (Case spec : CASES) {
                    Recurrence recurrence = Recurrence.parse(spec.spec(), zone);
                    List<Instant> starts = starts(spec, zone, change.minus(Duration.ofDays(2 * DAYS)),
                            change.plus(Duration.ofDays(2 * DAYS)));
                    for (int i = 0; i < 200; i++) {
                        Instant time = near(change, random);
                        // All last as long: the latest start holds the time if any does, the first after time - length
                        // is the earliest that does, if it started by then.
                        Optional<Window> latest = lastAtOrBefore(starts, time).map(start -> window(start, spec))
                                .filter(window -> window.contains(time));
                        Optional<Window> earliest = firstAfter(starts, time.minus(spec.length()))
                                .map(start -> window(start, spec)).filter(window -> window.contains(time));
                        assertEquals(latest, recurrence.windowAt(time), recurrence + " at " + time);
                        assertEquals(earliest, recurrence.firstWindowAt(time), recurrence + " first at " + time);
                        assertEquals(firstAfter(starts, time).map(start -> window(start, spec)), recurrence.next(time),
                                recurrence + " next after " + time);
                    }
                }
            }
        }
    }

    @Test
    void aDowntimesWindowsFromATimeAreTheEarliestThatHoldsItAndThoseAfter() {
        Random random = new Random(3);
        for (ZoneId zone : ZONES) {
            for (Instant change : changes(zone)) {
                for (Case spec : CASES) {
                    Instant starts = change.minus(Duration.ofDays(DAYS));
                    Downtime downtime = new Downtime(UUID.randomUUID(), "web-1", UUID.randomUUID(), null, false,
                            starts, null, Recurrence.parse(spec.spec(), zone), "user:alice", "reference", starts);
                    List<Instant> reference = starts(spec, zone, change.minus(Duration.ofDays(2 * DAYS)),
                            change.plus(Duration.ofDays(2 * DAYS)));
                    for (int i = 0; i < 20; i++) {
                        Instant from = near(change, random);
                        Instant to = from.plusSeconds(random.nextInt(7200));
                        int max = Downtimes.MAX_WINDOWS_TOLD + 1;
                        Instant first = from.isBefore(starts) ? starts : from;
                        List<Window> expected = reference.stream().filter(start -> start.isAfter(first.minus(
                                spec.length())) && !start.isAfter(to)).limit(max)
                                .map(start -> new Window(start.isBefore(starts) ? starts : start, start.plus(
                                        spec.length()))).toList();
                        assertEquals(expected, downtime.windows(from, to, max), downtime.recurrence() + " from " + from
                                + " to " + to);
                    }
                }
            }
        }
    }

    private static Window window(Instant start, Case spec) {
        return new Window(start, start.plus(spec.length()));
    }
}
