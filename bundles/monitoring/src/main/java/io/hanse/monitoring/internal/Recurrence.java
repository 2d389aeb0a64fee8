package io.hanse.monitoring.internal;

import io.hanse.api.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schedule of a recurring downtime: the windows in which it applies, read in a time zone.
 * <p>
 * A spec has one of two forms; keywords and names may be in any case, and words may be separated
 * by any amount of whitespace:
 * <ul>
 * <li><b>Weekly</b>: {@code weekly <days> <HH:mm>-<HH:mm>}, such as {@code weekly sat,sun 02:00-04:00}.
 * The days are a comma list of {@code mon..sun} and ranges such as {@code mon-fri}; a range may
 * wrap past Sunday ({@code fri-mon}). Start and end are local wall-clock times; an end before the
 * start runs into the next day ({@code weekly mon-fri 22:00-06:00} ends on Saturday at 06:00).</li>
 * <li><b>Cron</b>: {@code cron <minute> <hour> <day-of-month> <month> <day-of-week> for <duration>},
 * such as {@code cron 0 22 * * mon-fri for 8h}. The five fields are standard cron: numbers,
 * {@code *}, lists ({@code 1,3}), ranges ({@code 1-5}) and steps (<code>*&#47;15</code>,
 * {@code 10-50/10}); months also {@code jan..dec}; days of the week {@code 0..7} (0 and 7 are
 * Sunday) or {@code mon..sun}. As in Vixie cron, when both day fields are restricted (neither starts
 * with {@code *}) a day that matches either one matches; otherwise a day must match both. A window
 * starts at every matching local minute and lasts the duration ({@code 30m}, {@code 2h},
 * {@code 1h30m}, {@code 1d}; from 1 minute to 7 days) in elapsed real time.</li>
 * </ul>
 * Daylight saving time changes are handled so:
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

    /** The longest spec {@link #parse} accepts, in characters. */
    public static final int MAX_SPEC = 200;

    /** How many days {@link #next} looks ahead. */
    public static final int LOOK_AHEAD_DAYS = 366;

    private static final Duration MAX_DURATION = Duration.ofDays(7);
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{2})");
    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,4})d)?(?:(\\d{1,5})h)?(?:(\\d{1,6})m)?");
    private static final String WEEKLY_FORM = "'weekly <days> <HH:mm>-<HH:mm>', such as 'weekly sat,sun 02:00-04:00'";
    private static final String CRON_FORM = "'cron <minute> <hour> <day-of-month> <month> <day-of-week> for"
            + " <duration>', such as 'cron 0 22 * * mon-fri for 8h'";

    private final String spec;
    private final ZoneId zone;
    private final Schedule schedule;

    private Recurrence(String spec, ZoneId zone, Schedule schedule) {
        this.spec = spec;
        this.zone = zone;
        this.schedule = schedule;
    }

    /**
     * Reads a recurrence spec (see the class description).
     *
     * @param spec the spec, at most {@value #MAX_SPEC} characters
     * @param zone the time zone its local times are read in
     * @return the recurrence
     * @throws InvalidRequestException naming what is wrong, such as an unknown day or an hour out of range
     */
    public static Recurrence parse(String spec, ZoneId zone) {
        if (spec == null || spec.isBlank()) {
            throw invalid("a spec is required, " + WEEKLY_FORM + " or " + CRON_FORM);
        }
        if (spec.length() > MAX_SPEC) {
            throw invalid("at most " + MAX_SPEC + " characters, not " + spec.length());
        }
        if (zone == null) {
            throw invalid("a time zone is required, such as Europe/Berlin");
        }
        // Whitespace around list commas and range dashes is tolerated, so "sat, sun" reads as "sat,sun".
        String text = spec.strip().toLowerCase(Locale.ROOT).replaceAll("\\s*([,-])\\s*", "$1");
        List<String> words = List.of(text.split("\\s+"));
        return switch (words.get(0)) {
            case "weekly" -> weekly(words, zone);
            case "cron" -> cron(words, zone);
            default -> throw invalid("a spec starts with 'weekly' or 'cron', not '" + words.get(0) + "': use "
                    + WEEKLY_FORM + " or " + CRON_FORM);
        };
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
        return zone;
    }

    /**
     * Returns the window that holds the time (start inclusive, end exclusive), if there is one;
     * this may be a window that started days before. Where cron windows overlap, it returns the
     * one that started last.
     */
    public Optional<Window> windowAt(Instant time) {
        return schedule.windowAt(Objects.requireNonNull(time, "time"));
    }

    /**
     * Returns the window that holds the time and started first, if there is one: where cron windows
     * overlap, the earliest of them, which {@link #windowAt} does not return.
     */
    public Optional<Window> firstWindowAt(Instant time) {
        return schedule.firstWindowAt(Objects.requireNonNull(time, "time"));
    }

    /**
     * Returns the first window that starts strictly after the time, looking at most
     * {@value #LOOK_AHEAD_DAYS} days ahead; empty if none starts in that span.
     */
    public Optional<Window> next(Instant after) {
        return schedule.next(Objects.requireNonNull(after, "after"));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Recurrence that && spec.equals(that.spec) && zone.equals(that.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, zone);
    }

    @Override
    public String toString() {
        return spec + " in " + zone;
    }

    // ---- weekly ----

    private static Recurrence weekly(List<String> words, ZoneId zone) {
        if (words.size() != 3) {
            throw invalid("write weekly windows as " + WEEKLY_FORM);
        }
        BitSet days = days(words.get(1));
        String[] times = words.get(2).split("-", -1);
        if (times.length != 2) {
            throw invalid("'" + words.get(2) + "' is not a time range such as 02:00-04:00");
        }
        LocalTime start = time(times[0]);
        LocalTime end = time(times[1]);
        if (start.equals(end)) {
            throw invalid("a weekly window must end at another time than it starts, not " + start + "-" + end);
        }
        String spec = "weekly " + words.get(1) + " " + start + "-" + end;
        return new Recurrence(spec, zone, new Weekly(days, start, end, zone));
    }

    /** Reads the days of a weekly spec into a set indexed 1 (Monday) to 7 (Sunday). */
    private static BitSet days(String text) {
        BitSet days = new BitSet(8);
        for (String part : text.split(",", -1)) {
            String[] range = part.split("-", -1);
            if (range.length > 2) {
                throw invalid("day range '" + part + "' has more than one '-'");
            }
            int from = day(range[0]);
            int to = day(range[range.length - 1]);
            // A range may wrap past Sunday: fri-mon is fri,sat,sun,mon.
            for (int day = from; ; day = day % 7 + 1) {
                days.set(day);
                if (day == to) {
                    break;
                }
            }
        }
        return days;
    }

    private static int day(String name) {
        int index = DAYS.indexOf(name);
        if (index < 0) {
            throw invalid("unknown day '" + name + "'; use mon..sun");
        }
        return index + 1;
    }

    private static LocalTime time(String text) {
        Matcher m = TIME.matcher(text);
        if (!m.matches()) {
            throw invalid("'" + text + "' is not a time of day such as 02:00");
        }
        int hour = Integer.parseInt(m.group(1));
        int minute = Integer.parseInt(m.group(2));
        if (hour > 23) {
            throw invalid("hour " + hour + " in " + text + " is not between 0 and 23");
        }
        if (minute > 59) {
            throw invalid("minute " + minute + " in " + text + " is not between 0 and 59");
        }
        return LocalTime.of(hour, minute);
    }

    // ---- cron ----

    /** A cron field: its name in messages, its range, and its names for values from {@code firstNamed} on. */
    private record Field(String name, int min, int max, List<String> names, int firstNamed, String hint) {
    }

    private static final Field MINUTE = new Field("minute", 0, 59, List.of(), 0, "0..59");
    private static final Field HOUR = new Field("hour", 0, 23, List.of(), 0, "0..23");
    private static final Field DAY_OF_MONTH = new Field("day of month", 1, 31, List.of(), 0, "1..31");
    private static final Field MONTH = new Field("month", 1, 12, List.of("jan", "feb", "mar", "apr", "may", "jun",
            "jul", "aug", "sep", "oct", "nov", "dec"), 1, "1..12 or jan..dec");
    private static final Field DAY_OF_WEEK = new Field("day of week", 0, 7, List.of("sun", "mon", "tue", "wed",
            "thu", "fri", "sat"), 0, "0..7 or mon..sun");

    private static Recurrence cron(List<String> words, ZoneId zone) {
        int forAt = words.indexOf("for");
        if (forAt < 0) {
            throw invalid("a cron window needs 'for <duration>' after its five fields: " + CRON_FORM);
        }
        if (forAt != 6) {
            throw invalid("cron needs five fields (minute hour day-of-month month day-of-week) before 'for', not "
                    + (forAt - 1) + ": " + CRON_FORM);
        }
        if (words.size() != 8) {
            throw invalid("'for' takes one duration such as 30m, 2h, 1h30m or 1d: " + CRON_FORM);
        }
        BitSet weekdays = field(words.get(5), DAY_OF_WEEK);
        BitSet isoWeekdays = new BitSet(8);
        weekdays.stream().forEach(day -> isoWeekdays.set(day == 0 ? 7 : day));
        boolean eitherDay = !words.get(3).startsWith("*") && !words.get(5).startsWith("*");
        Cron cron = new Cron(field(words.get(1), MINUTE), field(words.get(2), HOUR), field(words.get(3), DAY_OF_MONTH),
                field(words.get(4), MONTH), isoWeekdays, eitherDay, duration(words.get(7)), zone);
        return new Recurrence(String.join(" ", words), zone, cron);
    }

    /** Reads a cron field: {@code *}, numbers or names, lists, ranges and steps. */
    private static BitSet field(String text, Field field) {
        BitSet values = new BitSet(field.max() + 1);
        for (String part : text.split(",", -1)) {
            if (part.isEmpty()) {
                throw invalid(field.name() + " '" + text + "' has an empty list entry");
            }
            String[] stepped = part.split("/", -1);
            if (stepped.length > 2) {
                throw invalid(field.name() + " '" + part + "' has more than one step");
            }
            int step = stepped.length == 2 ? step(stepped[1], field) : 1;
            String range = stepped[0];
            int from;
            int to;
            if (range.equals("*")) {
                from = field.min();
                to = field.max();
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2 || ends[0].isEmpty() || ends[1].isEmpty()) {
                    throw invalid(field.name() + " range '" + range + "' needs a start and an end, such as 1-5");
                }
                from = value(ends[0], field);
                to = value(ends[1], field);
                if (field == DAY_OF_WEEK && to == 0) {
                    to = 7; // Sunday ends a range as 7: fri-sun is 5-7
                }
                if (to < from) {
                    throw invalid(field.name() + " range '" + range + "' runs backwards");
                }
            } else {
                from = value(range, field);
                to = stepped.length == 2 ? field.max() : from; // 10/5 means 10-max/5
            }
            for (int value = from; value <= to; value += step) {
                values.set(value);
            }
        }
        return values;
    }

    private static int value(String text, Field field) {
        int named = field.names().indexOf(text);
        if (named >= 0) {
            return field.firstNamed() + named;
        }
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
            throw invalid("unknown " + field.name() + " '" + text + "'; use " + field.hint());
        }
        if (text.length() > 9 || Integer.parseInt(text) < field.min() || Integer.parseInt(text) > field.max()) {
            throw invalid(field.name() + " " + text + " is not between " + field.min() + " and " + field.max());
        }
        return Integer.parseInt(text);
    }

    private static int step(String text, Field field) {
        int most = field.max() - field.min() + 1;
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
            throw invalid(field.name() + " step '" + text + "' is not a number");
        }
        if (text.length() > 9 || Integer.parseInt(text) < 1 || Integer.parseInt(text) > most) {
            throw invalid(field.name() + " step " + text + " is not between 1 and " + most);
        }
        return Integer.parseInt(text);
    }

    private static Duration duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw invalid("duration '" + text + "' is not like 30m, 2h, 1h30m or 1d");
        }
        Duration duration = Duration.ofDays(number(m.group(1))).plusHours(number(m.group(2)))
                .plusMinutes(number(m.group(3)));
        if (duration.compareTo(Duration.ofMinutes(1)) < 0) {
            throw invalid("duration " + text + " is shorter than 1 minute");
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw invalid("duration " + text + " is longer than 7 days");
        }
        return duration;
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    private static InvalidRequestException invalid(String message) {
        return new InvalidRequestException("recurrence: " + message);
    }

    // ---- schedules ----

    /** How windows are found: one implementation per spec form. */
    private sealed interface Schedule permits Weekly, Cron {

        Optional<Window> windowAt(Instant time);

        Optional<Window> firstWindowAt(Instant time);

        Optional<Window> next(Instant after);
    }

    private static final class Weekly implements Schedule {

        /** Indexed 1 (Monday) to 7 (Sunday). */
        private final BitSet days;
        private final LocalTime start;
        private final LocalTime end;
        private final ZoneId zone;

        Weekly(BitSet days, LocalTime start, LocalTime end, ZoneId zone) {
            this.days = days;
            this.start = start;
            this.end = end;
            this.zone = zone;
        }

        /**
         * A window is shorter than a day, so one that started the day before may still be open; and
         * one whose end falls in a gap just before midnight (America/Nuuk springs from 23:00 to
         * 00:00) ends two local dates after it started. Earliest first.
         */
        @Override
        public Optional<Window> windowAt(Instant time) {
            LocalDate today = LocalDate.ofInstant(time, zone);
            for (LocalDate day = today.minusDays(2); !day.isAfter(today); day = day.plusDays(1)) {
                Optional<Window> window = windowOn(day).filter(w -> w.contains(time));
                if (window.isPresent()) {
                    return window;
                }
            }
            return Optional.empty();
        }

        @Override
        public Optional<Window> firstWindowAt(Instant time) {
            // Only an end moved past midnight by a gap makes a window overlap the next: windowAt's, earliest first.
            return windowAt(time);
        }

        @Override
        public Optional<Window> next(Instant after) {
            LocalDate first = LocalDate.ofInstant(after, zone);
            // From the day before: a start moved across midnight by a gap belongs to the previous day.
            LocalDate last = first.plusDays(LOOK_AHEAD_DAYS);
            for (LocalDate day = first.minusDays(1); !day.isAfter(last); day = day.plusDays(1)) {
                Optional<Window> window = windowOn(day).filter(w -> w.start().isAfter(after));
                if (window.isPresent()) {
                    return window;
                }
            }
            return Optional.empty();
        }

        /** The window that starts on a local date, if the date is one of the days and the window has time in it. */
        private Optional<Window> windowOn(LocalDate day) {
            if (!days.get(day.getDayOfWeek().getValue())) {
                return Optional.empty();
            }
            // ZonedDateTime.of moves a gap time later by the gap and takes the earlier of a repeated time.
            Instant from = ZonedDateTime.of(day.atTime(start), zone).toInstant();
            LocalDate endDay = end.isAfter(start) ? day : day.plusDays(1);
            Instant to = ZonedDateTime.of(endDay.atTime(end), zone).toInstant();
            return to.isAfter(from) ? Optional.of(new Window(from, to)) : Optional.empty();
        }
    }

    private static final class Cron implements Schedule {

        private final BitSet minutes;
        private final BitSet hours;
        private final BitSet daysOfMonth;
        private final BitSet months;
        /** Indexed 1 (Monday) to 7 (Sunday). */
        private final BitSet daysOfWeek;
        /** Whether a day matching either day field matches (both restricted), rather than one matching both. */
        private final boolean eitherDay;
        private final Duration duration;
        private final ZoneId zone;
        private final int firstMinute;
        private final int lastMinute;

        Cron(BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek, boolean eitherDay,
                Duration duration, ZoneId zone) {
            this.minutes = minutes;
            this.hours = hours;
            this.daysOfMonth = daysOfMonth;
            this.months = months;
            this.daysOfWeek = daysOfWeek;
            this.eitherDay = eitherDay;
            this.duration = duration;
            this.zone = zone;
            this.firstMinute = minutes.nextSetBit(0);
            this.lastMinute = minutes.previousSetBit(59);
        }

        /*
         * Starts are found by local date, hour and minute, each at its earliest instant; gap minutes
         * have none. That mapping keeps local order, so on each date the starts come in time order,
         * and an hour whose first (or last) start is past the time can be skipped whole.
         */

        @Override
        public Optional<Window> windowAt(Instant time) {
            // Every window lasts the same, so only the latest start at or before the time can hold it.
            LocalDate today = LocalDate.ofInstant(time, zone);
            // One day of slack for zones whose fall-back crosses midnight.
            LocalDate oldest = LocalDate.ofInstant(time.minus(duration), zone).minusDays(1);
            for (LocalDate day = today; !day.isBefore(oldest); day = day.minusDays(1)) {
                Optional<Instant> start = fires(day) ? latestStart(day, time) : Optional.empty();
                if (start.isPresent()) {
                    Window window = new Window(start.get(), start.get().plus(duration));
                    return window.contains(time) ? Optional.of(window) : Optional.empty();
                }
            }
            return Optional.empty();
        }

        @Override
        public Optional<Window> firstWindowAt(Instant time) {
            // Every window lasts the same: the first to hold the time is the first to start after it less that.
            return next(time.minus(duration)).filter(window -> window.contains(time));
        }

        @Override
        public Optional<Window> next(Instant after) {
            LocalDate first = LocalDate.ofInstant(after, zone);
            for (LocalDate day = first; !day.isAfter(first.plusDays(LOOK_AHEAD_DAYS)); day = day.plusDays(1)) {
                Optional<Instant> start = fires(day) ? firstStart(day, after) : Optional.empty();
                if (start.isPresent()) {
                    return Optional.of(new Window(start.get(), start.get().plus(duration)));
                }
            }
            return Optional.empty();
        }

        private boolean fires(LocalDate day) {
            if (!months.get(day.getMonthValue())) {
                return false;
            }
            boolean dayOfMonth = daysOfMonth.get(day.getDayOfMonth());
            boolean dayOfWeek = daysOfWeek.get(day.getDayOfWeek().getValue());
            return eitherDay ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
        }

        private Optional<Instant> latestStart(LocalDate day, Instant time) {
            for (int hour = hours.previousSetBit(23); hour >= 0; hour = hours.previousSetBit(hour - 1)) {
                Optional<Instant> hourStart = start(day.atTime(hour, firstMinute));
                if (hourStart.isPresent() && hourStart.get().isAfter(time)) {
                    continue;
                }
                for (int minute = lastMinute; minute >= 0; minute = minutes.previousSetBit(minute - 1)) {
                    Optional<Instant> start = start(day.atTime(hour, minute));
                    if (start.isPresent() && !start.get().isAfter(time)) {
                        return start;
                    }
                }
            }
            return Optional.empty();
        }

        private Optional<Instant> firstStart(LocalDate day, Instant after) {
            for (int hour = hours.nextSetBit(0); hour >= 0; hour = hours.nextSetBit(hour + 1)) {
                Optional<Instant> hourEnd = start(day.atTime(hour, lastMinute));
                if (hourEnd.isPresent() && !hourEnd.get().isAfter(after)) {
                    continue;
                }
                for (int minute = firstMinute; minute >= 0; minute = minutes.nextSetBit(minute + 1)) {
                    Optional<Instant> start = start(day.atTime(hour, minute));
                    if (start.isPresent() && start.get().isAfter(after)) {
                        return start;
                    }
                }
            }
            return Optional.empty();
        }

        /** The earliest instant of a local minute; empty for a minute in a gap, which does not fire. */
        private Optional<Instant> start(LocalDateTime local) {
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
            return offsets.isEmpty() ? Optional.empty() : Optional.of(local.toInstant(offsets.get(0)));
        }
    }
}
