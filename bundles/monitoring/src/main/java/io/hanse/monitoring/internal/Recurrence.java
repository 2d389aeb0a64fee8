package io.hanse.monitoring.internal;

import io.hanse.api.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schedule of a recurring downtime: the windows in which it applies, read in a time zone. The
 * windows start at the times of a {@link Schedule} and last to a time of day or for a duration.
 * <p>
 * A spec has one of two forms; keywords and names may be in any case, and words may be separated
 * by any amount of whitespace:
 * <ul>
 * <li><b>Weekly</b>: {@code weekly <days> <HH:mm>-<HH:mm>}, such as {@code weekly sat,sun 02:00-04:00}:
 * the days and the start as a weekly schedule has them ({@code weekly sat,sun 02:00}), then the end.
 * Start and end are local wall-clock times; an end before the start runs into the next day
 * ({@code weekly mon-fri 22:00-06:00} ends on Saturday at 06:00).</li>
 * <li><b>Cron</b>: {@code cron <minute> <hour> <day-of-month> <month> <day-of-week> for <duration>},
 * such as {@code cron 0 22 * * mon-fri for 8h}: the five fields of a cron schedule, then how long
 * each window lasts ({@code 30m}, {@code 2h}, {@code 1h30m}, {@code 1d}; from 1 minute to 7 days) in
 * elapsed real time. A window starts at every time of the schedule.</li>
 * </ul>
 * Daylight saving time changes are handled as for the times of a schedule, so:
 * <ul>
 * <li>A weekly start or end time that does not exist, because it falls into the gap of a
 * spring-forward night, is moved later by the length of the gap, as {@link ZonedDateTime#of}
 * does: in Europe/Berlin on 2026-03-29, 02:30 becomes 03:30 CEST. A window that this leaves with
 * nothing in it (its end no longer after its start) does not happen that night.</li>
 * <li>A weekly start or end time that occurs twice, in the repeated hour of a fall-back night, is
 * taken at its earlier occurrence. So {@code weekly sun 01:00-04:00} lasts four real hours on
 * Berlin's fall-back night and two on its spring-forward night, and {@code 22:00-06:00} always
 * ends at 06:00 local time on the next day.</li>
 * <li>A cron window starts once per matching local minute: at the earlier occurrence of a
 * repeated minute, never twice; a minute inside a gap does not fire that day at all.</li>
 * </ul>
 * Instances are immutable, and equal when their normalised spec and zone are.
 */
public final class Recurrence {

    /**
     * One window of a recurrence.
     *
     * @param start its first instant (inclusive)
     * @param end the instant it ends (exclusive), after {@code start}
     */
    public record Window(Instant start, Instant end) {

        /**
         * @throws IllegalArgumentException if either is missing or the end is not after the start
         */
        public Window {
            if (start == null || end == null || !end.isAfter(start)) {
                throw new IllegalArgumentException("a window needs a start and a later end, not " + start + " to "
                        + end);
            }
        }

        /** Returns whether the time lies in this window. */
        public boolean contains(Instant time) {
            return !time.isBefore(start) && time.isBefore(end);
        }
    }

    private static final Duration MAX_DURATION = Duration.ofDays(7);
    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,4})d)?(?:(\\d{1,5})h)?(?:(\\d{1,6})m)?");
    private static final String WEEKLY_FORM = "'weekly <days> <HH:mm>-<HH:mm>', such as 'weekly sat,sun 02:00-04:00'";
    private static final String CRON_FORM = "'cron <minute> <hour> <day-of-month> <month> <day-of-week> for"
            + " <duration>', such as 'cron 0 22 * * mon-fri for 8h'";

    private final String spec;
    private final Schedule starts;
    private final Length length;

    private Recurrence(String spec, Schedule starts, Length length) {
        if (spec.length() > Schedule.MAX_SPEC) {
            // Times written as HH:mm make a spec longer than it was given.
            throw new Schedule.Malformed("at most " + Schedule.MAX_SPEC + " characters with its times written as"
                    + " HH:mm, not " + spec.length());
        }
        this.spec = spec;
        this.starts = starts;
        this.length = length;
    }

    /** Reads a recurrence spec given as REST's field {@code recurrence}, or stored. */
    public static Recurrence parse(String spec, ZoneId zone) {
        return parse("recurrence", spec, zone);
    }

    /**
     * Reads a recurrence spec (see the class description).
     *
     * @param name the field or shell option that gave it, which an error names
     * @param spec the spec, at most {@value Schedule#MAX_SPEC} characters
     * @param zone the time zone its local times are read in
     * @return the recurrence
     * @throws InvalidRequestException naming what is wrong, such as an unknown day or an hour out of range
     */
    public static Recurrence parse(String name, String spec, ZoneId zone) {
        return Schedule.read(name, spec, zone, WEEKLY_FORM + " or " + CRON_FORM,
                words -> words.get(0).equals("weekly") ? weekly(words, zone) : cron(words, zone));
    }

    /**
     * Returns the normalised spec: lower case, single spaces, times as {@code HH:mm}; it parses to
     * an equal recurrence.
     */
    public String spec() {
        return spec;
    }

    /** Returns the time zone the spec's local times are read in. */
    public ZoneId zone() {
        return starts.zone();
    }

    /**
     * Returns the window that holds the time (start inclusive, end exclusive), if there is one;
     * this may be a window that started days before. Where cron windows overlap, it returns the
     * one that started last; where a weekly window overlaps the next, because a gap moved its end
     * into the next date, the earlier one.
     */
    public Optional<Window> windowAt(Instant time) {
        Objects.requireNonNull(time, "time");
        // No window lasts longer than the longest, so only the latest starts at or before the time can hold it.
        Instant since = time.minus(length.longest());
        Optional<Schedule.Time> last = starts.lastTime(time, since);
        if (length instanceof Lasting || last.isEmpty()) {
            // Every cron window lasts the same: if the latest does not hold the time, none does.
            return last.flatMap(length::window).filter(window -> window.contains(time));
        }
        // Only an end moved past midnight by a gap makes a weekly window overlap the next: the earlier one then.
        Optional<Window> before = starts.lastTime(last.get().instant().minusNanos(1), since).flatMap(length::window);
        return before.filter(window -> window.contains(time))
                .or(() -> length.window(last.get()).filter(window -> window.contains(time)));
    }

    /**
     * Returns the window that holds the time and started first, if there is one: where cron windows
     * overlap, the earliest of them, which {@link #windowAt} does not return.
     */
    public Optional<Window> firstWindowAt(Instant time) {
        // Windows start in the order of the times of the schedule, and none lasts longer than the longest.
        Optional<Window> window = next(time.minus(length.longest()));
        while (window.isPresent() && !window.get().start().isAfter(time)) {
            if (window.get().contains(time)) {
                return window;
            }
            window = next(window.get().start());
        }
        return Optional.empty();
    }

    /**
     * Returns the first window that starts strictly after the time, looking at most
     * {@value Schedule#LOOK_AHEAD_DAYS} days ahead; empty if none starts in that span.
     */
    public Optional<Window> next(Instant after) {
        Optional<Schedule.Time> start = starts.nextTime(Objects.requireNonNull(after, "after"));
        while (start.isPresent()) {
            Optional<Window> window = length.window(start.get());
            if (window.isPresent()) {
                return window;
            }
            // A gap left the window with nothing in it: it does not happen, the next one does, even at its instant.
            start = starts.nextTime(start.get());
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Recurrence that && spec.equals(that.spec) && zone().equals(that.zone());
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, zone());
    }

    @Override
    public String toString() {
        return spec + " in " + zone();
    }

    // ---- reading ----

    private static Recurrence weekly(List<String> words, ZoneId zone) {
        if (words.size() != 3) {
            throw new Schedule.Malformed("write weekly windows as " + WEEKLY_FORM);
        }
        String[] times = words.get(2).split("-", -1);
        if (times.length != 2) {
            throw new Schedule.Malformed("'" + words.get(2) + "' is not a time range such as 02:00-04:00");
        }
        LocalTime start = Schedule.time(times[0]);
        LocalTime end = Schedule.time(times[1]);
        if (start.equals(end)) {
            throw new Schedule.Malformed("a weekly window must end at another time than it starts, not " + start + "-"
                    + end);
        }
        Schedule starts = Schedule.weekly(words.get(1), start, zone);
        return new Recurrence(starts.spec() + "-" + end, starts, new Until(end, zone));
    }

    private static Recurrence cron(List<String> words, ZoneId zone) {
        int forAt = words.indexOf("for");
        if (forAt < 0) {
            throw new Schedule.Malformed("a cron window needs 'for <duration>' after its five fields: " + CRON_FORM);
        }
        if (forAt != 6) {
            throw new Schedule.Malformed("cron needs five fields (minute hour day-of-month month day-of-week) before"
                    + " 'for', not " + (forAt - 1) + ": " + CRON_FORM);
        }
        if (words.size() != 8) {
            throw new Schedule.Malformed("'for' takes one duration such as 30m, 2h, 1h30m or 1d: " + CRON_FORM);
        }
        Schedule starts = Schedule.cron(words.subList(1, 6), zone);
        return new Recurrence(starts.spec() + " for " + words.get(7), starts, new Lasting(duration(words.get(7))));
    }

    private static Duration duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw new Schedule.Malformed("duration '" + text + "' is not like 30m, 2h, 1h30m or 1d");
        }
        Duration duration = Duration.ofDays(number(m.group(1))).plusHours(number(m.group(2)))
                .plusMinutes(number(m.group(3)));
        if (duration.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new Schedule.Malformed("duration " + text + " is shorter than 1 minute");
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw new Schedule.Malformed("duration " + text + " is longer than 7 days");
        }
        return duration;
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    // ---- lengths ----

    /** How long the windows last: one implementation per spec form. */
    private sealed interface Length permits Until, Lasting {

        /** Returns the window that starts at a time of the schedule; empty if it has no time in it. */
        Optional<Window> window(Schedule.Time start);

        /** Returns how long a window lasts at most. */
        Duration longest();
    }

    /**
     * Weekly windows end at a local time of day: on the day they start if that is later, else on
     * the next.
     */
    private record Until(LocalTime end, ZoneId zone) implements Length {

        @Override
        public Optional<Window> window(Schedule.Time start) {
            LocalDate day = start.local().toLocalDate();
            LocalDate endDay = end.isAfter(start.local().toLocalTime()) ? day : day.plusDays(1);
            // As a weekly start: ZonedDateTime.of moves a gap time later and takes the earlier of a repeated time.
            Instant to = ZonedDateTime.of(endDay.atTime(end), zone).toInstant();
            return to.isAfter(start.instant()) ? Optional.of(new Window(start.instant(), to)) : Optional.empty();
        }

        /**
         * Less than a day, and a gap its end is moved on by, or a fall-back hour: a gap is a whole day
         * where one was skipped (Samoa, 2011). Three days, to spare.
         */
        @Override
        public Duration longest() {
            return Duration.ofDays(3);
        }
    }

    /** Cron windows last a duration in elapsed real time. */
    private record Lasting(Duration duration) implements Length {

        @Override
        public Optional<Window> window(Schedule.Time start) {
            return Optional.of(new Window(start.instant(), start.instant().plus(duration)));
        }

        @Override
        public Duration longest() {
            return duration;
        }
    }
}
