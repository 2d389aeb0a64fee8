package io.hanse.monitoring.internal;

import io.hanse.api.InvalidRequestException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times that recur in a time zone: when a review is due, and when the windows of a recurring
 * downtime start (a {@link Recurrence} adds to these how long each window lasts).
 * <p>
 * A spec has one of two forms; keywords and names may be in any case, and words may be separated
 * by any amount of whitespace:
 * <ul>
 * <li><b>Weekly</b>: {@code weekly <days> <HH:mm>}, such as {@code weekly mon 10:00}. The days are a
 * comma list of {@code mon..sun} and ranges such as {@code mon-fri}; a range may wrap past Sunday
 * ({@code fri-mon}). The time is a local wall-clock time.</li>
 * <li><b>Cron</b>: {@code cron <minute> <hour> <day-of-month> <month> <day-of-week>}, such as
 * {@code cron 0 10 * * mon-fri}. The five fields are standard cron: numbers, {@code *}, lists
 * ({@code 1,3}), ranges ({@code 1-5}) and steps (<code>*&#47;15</code>, {@code 10-50/10}); months
 * also {@code jan..dec}; days of the week {@code 0..7} (0 and 7 are Sunday) or {@code mon..sun}, and
 * {@code <day>#<n>} for the n-th such day of its month ({@code mon#1}, n from 1 to 5). As in Vixie
 * cron, when both day fields are restricted (neither starts with {@code *}) a day that matches
 * either one matches; otherwise a day must match both: {@code cron 0 10 1-7 * mon} is at 10:00 on
 * the 1st to the 7th and on every Monday, {@code cron 0 10 * * mon#1} on the first Monday of the
 * month. There is a time at every matching local minute.</li>
 * </ul>
 * Daylight saving time changes are handled so:
 * <ul>
 * <li>A weekly time that does not exist, because it falls into the gap of a spring-forward night,
 * is moved later by the length of the gap, as {@link ZonedDateTime#of} does: in Europe/Berlin on
 * 2026-03-29, 02:30 becomes 03:30 CEST.</li>
 * <li>A weekly time that occurs twice, in the repeated hour of a fall-back night, is taken at its
 * earlier occurrence.</li>
 * <li>A cron time happens once per matching local minute: at the earlier occurrence of a repeated
 * minute, never twice; a minute inside a gap does not happen that day at all.</li>
 * </ul>
 * Instances are immutable, and equal when their normalised spec and zone are.
 */
public final class Schedule {

    /** The longest spec {@link #parse} accepts, in characters. */
    public static final int MAX_SPEC = 200;

    /**
     * How many days {@link #next} looks ahead, and {@link #last} back: 53 weeks, the most a yearly
     * weekday such as the first Monday of January ({@code cron 0 10 * jan mon#1}) is apart.
     */
    public static final int LOOK_AHEAD_DAYS = 371;

    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{2})");
    private static final String WEEKLY_FORM = "'weekly <days> <HH:mm>', such as 'weekly mon 10:00'";
    private static final String CRON_FORM = "'cron <minute> <hour> <day-of-month> <month> <day-of-week>', such as"
            + " 'cron 0 10 * * mon#1'";
    /** The Gregorian calendar repeats, days of the week too, every 400 years: this many days. */
    private static final int CYCLE_DAYS = 146_097;
    private static final LocalDate CYCLE_START = LocalDate.of(2000, 1, 1);
    /** The bits of the days of the week in a month's n-th week start at {@code NTH * n} (see {@link #nth}). */
    private static final int NTH = 8;

    /**
     * A time of a schedule.
     *
     * @param local the local date and time it is scheduled at
     * @param instant when it happens: at {@code local}, or as a daylight saving time change has it
     */
    record Time(LocalDateTime local, Instant instant) {
    }

    /** What is wrong with a spec: whoever reads one tells it as an {@link InvalidRequestException} about its field. */
    static final class Malformed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    private final String spec;
    private final ZoneId zone;
    private final Times times;

    private Schedule(String spec, ZoneId zone, Times times) {
        this.spec = spec;
        this.zone = zone;
        this.times = times;
    }

    /**
     * Reads a schedule spec (see the class description).
     *
     * @param name the field or shell option that gave it, which an error names
     * @param spec the spec, at most {@value #MAX_SPEC} characters
     * @param zone the time zone its local times are read in
     * @return the schedule
     * @throws InvalidRequestException naming what is wrong, such as an unknown day or an hour out of range
     */
    public static Schedule parse(String name, String spec, ZoneId zone) {
        return read(name, spec, zone, WEEKLY_FORM + " or " + CRON_FORM, words -> {
            if (words.get(0).equals("weekly")) {
                if (words.size() != 3) {
                    throw new Malformed("write weekly times as " + WEEKLY_FORM);
                }
                return weekly(words.get(1), time(words.get(2)), zone);
            }
            if (words.size() != 6) {
                throw new Malformed("cron needs five fields (minute hour day-of-month month day-of-week), not "
                        + (words.size() - 1) + ": " + CRON_FORM);
            }
            return cron(words.subList(1, 6), zone);
        });
    }

    /**
     * Returns the time zone of an id such as {@code Europe/Berlin}; UTC for none.
     *
     * @param name the field or shell option that gave it, which an error names
     * @throws InvalidRequestException naming it if there is no such zone
     */
    public static ZoneId zone(String name, String zone) {
        try {
            return zone == null || zone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new InvalidRequestException(name + ": " + zone + " is not a time zone such as Europe/Berlin");
        }
    }

    /**
     * Returns the normalised spec: lower case, single spaces, times as {@code HH:mm}; it parses to
     * an equal schedule.
     */
    public String spec() {
        return spec;
    }

    /** Returns the time zone the spec's local times are read in. */
    public ZoneId zone() {
        return zone;
    }

    /**
     * Returns the first time strictly after an instant, looking at most {@value #LOOK_AHEAD_DAYS}
     * days ahead; empty if there is none in that span.
     */
    public Optional<Instant> next(Instant after) {
        return nextTime(Objects.requireNonNull(after, "after")).map(Time::instant);
    }

    /**
     * Returns the last time at or before an instant, looking at most {@value #LOOK_AHEAD_DAYS} days
     * back; empty if there is none in that span.
     */
    public Optional<Instant> last(Instant time) {
        Objects.requireNonNull(time, "time");
        return lastTime(time, time.minus(Duration.ofDays(LOOK_AHEAD_DAYS))).map(Time::instant);
    }

    /**
     * Returns whether two of its times in a row can be more than {@value #LOOK_AHEAD_DAYS} days
     * apart, so that {@link #next} finds none after the first of them: times on leap days only
     * ({@code cron 0 10 29 2 *}), or on the first Monday of January ({@code cron 0 10 * jan mon#1},
     * 364 or 371 days apart). It looks by date through the 400 years in which the calendar repeats;
     * a schedule without any time is too.
     */
    public boolean farApart() {
        LocalDate last = null;
        // A cycle and then a look-ahead more, for the gap that spans the end of the cycle.
        LocalDate end = CYCLE_START.plusDays(CYCLE_DAYS + LOOK_AHEAD_DAYS);
        for (LocalDate day = CYCLE_START; !day.isAfter(end); day = day.plusDays(1)) {
            if (times.has(day)) {
                if (last != null && ChronoUnit.DAYS.between(last, day) > LOOK_AHEAD_DAYS) {
                    return true;
                }
                last = day;
            }
        }
        return last == null || ChronoUnit.DAYS.between(last, end) >= LOOK_AHEAD_DAYS;
    }

    /** Returns the first time strictly after an instant, looking at most {@value #LOOK_AHEAD_DAYS} days ahead. */
    Optional<Time> nextTime(Instant after) {
        LocalDate first = LocalDate.ofInstant(after, zone);
        // From the day before: a weekly time moved across midnight by a gap belongs to the day before.
        for (LocalDate day = first.minusDays(1); !day.isAfter(first.plusDays(LOOK_AHEAD_DAYS)); day = day.plusDays(1)) {
            Optional<Time> time = times.first(day, after);
            if (time.isPresent()) {
                return time;
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the time after another of the schedule, looking at most {@value #LOOK_AHEAD_DAYS}
     * days ahead: the first strictly after it on its date, else the first of a later date at or
     * after its instant. That is the same instant where a gap moved a time onto the next date's
     * (Pacific/Apia skipped 2011-12-30: that Friday's 23:30 is Saturday's), which
     * {@link #nextTime(Instant)} passes over.
     */
    Optional<Time> nextTime(Time previous) {
        LocalDate day = previous.local().toLocalDate();
        Optional<Time> time = times.first(day, previous.instant());
        Instant before = previous.instant().minusNanos(1);
        for (LocalDate next = day.plusDays(1); time.isEmpty() && !next.isAfter(day.plusDays(LOOK_AHEAD_DAYS));
                next = next.plusDays(1)) {
            time = times.first(next, before);
        }
        return time;
    }

    /** Returns the last time at or before {@code time} and strictly after {@code since}. */
    Optional<Time> lastTime(Instant time, Instant since) {
        LocalDate today = LocalDate.ofInstant(time, zone);
        // One day of slack for zones whose fall-back crosses midnight.
        LocalDate oldest = LocalDate.ofInstant(since, zone).minusDays(1);
        for (LocalDate day = today; !day.isBefore(oldest); day = day.minusDays(1)) {
            Optional<Time> last = times.last(day, time);
            if (last.isPresent()) {
                return last.filter(found -> found.instant().isAfter(since));
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Schedule that && spec.equals(that.spec) && zone.equals(that.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, zone);
    }

    @Override
    public String toString() {
        return spec + " in " + zone;
    }

    // ---- reading ----

    /**
     * Reads a spec of a schedule, or of what is made of one, naming what is wrong after the field it is in.
     *
     * @param field the field, such as {@code schedule}
     * @param forms the forms the spec may have, for the messages
     * @param reader makes what the spec says of its words (see {@link #words}), or throws
     *     {@link Malformed} saying what is wrong
     * @throws InvalidRequestException naming the field and what is wrong in it
     */
    static <T> T read(String field, String spec, ZoneId zone, String forms, Function<List<String>, T> reader) {
        try {
            return reader.apply(words(spec, zone, forms));
        } catch (Malformed e) {
            throw new InvalidRequestException(field + ": " + e.getMessage());
        }
    }

    /**
     * Checks a spec's length and zone, and returns its words, the first of them {@code weekly} or
     * {@code cron}: in lower case, and with whitespace around list commas and range dashes taken out,
     * so that "sat, sun" reads as "sat,sun".
     *
     * @param forms the forms the spec may have, for the messages
     * @throws Malformed if the spec is blank, too long or of another form, or the zone missing
     */
    private static List<String> words(String spec, ZoneId zone, String forms) {
        if (spec == null || spec.isBlank()) {
            throw new Malformed("a spec is required, " + forms);
        }
        if (spec.length() > MAX_SPEC) {
            throw new Malformed("at most " + MAX_SPEC + " characters, not " + spec.length());
        }
        if (zone == null) {
            throw new Malformed("a time zone is required, such as Europe/Berlin");
        }
        String text = spec.strip().toLowerCase(Locale.ROOT).replaceAll("\\s*([,-])\\s*", "$1");
        List<String> words = List.of(text.split("\\s+"));
        if (!words.get(0).equals("weekly") && !words.get(0).equals("cron")) {
            throw new Malformed("a spec starts with 'weekly' or 'cron', not '" + words.get(0) + "': use " + forms);
        }
        return words;
    }

    /**
     * Returns the weekly schedule of these days at this time.
     *
     * @param days the days as a weekly spec lists them, such as {@code sat,sun} or {@code mon-fri}
     * @throws Malformed if a day is unknown
     */
    static Schedule weekly(String days, LocalTime at, ZoneId zone) {
        return new Schedule("weekly " + days + " " + at, zone, new Weekly(days(days), at, zone));
    }

    /** Reads the days of a weekly spec into a set indexed 1 (Monday) to 7 (Sunday). */
    private static BitSet days(String text) {
        BitSet days = new BitSet(8);
        for (String part : text.split(",", -1)) {
            String[] range = part.split("-", -1);
            if (range.length > 2) {
                throw new Malformed("day range '" + part + "' has more than one '-'");
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
            throw new Malformed("unknown day '" + name + "'; use mon..sun");
        }
        return index + 1;
    }

    /**
     * Reads a local time of day such as {@code 02:00} or {@code 2:00}.
     *
     * @throws Malformed if it is not one
     */
    static LocalTime time(String text) {
        Matcher m = TIME.matcher(text);
        if (!m.matches()) {
            throw new Malformed("'" + text + "' is not a time of day such as 02:00");
        }
        int hour = Integer.parseInt(m.group(1));
        int minute = Integer.parseInt(m.group(2));
        if (hour > 23) {
            throw new Malformed("hour " + hour + " in " + text + " is not between 0 and 23");
        }
        if (minute > 59) {
            throw new Malformed("minute " + minute + " in " + text + " is not between 0 and 59");
        }
        return LocalTime.of(hour, minute);
    }

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

    /**
     * Returns the cron schedule of these five fields.
     *
     * @param fields minute, hour, day of month, month and day of week
     * @throws Malformed naming the field that is wrong, and how
     */
    static Schedule cron(List<String> fields, ZoneId zone) {
        BitSet weekdays = field(fields.get(4), DAY_OF_WEEK);
        BitSet isoWeekdays = new BitSet(NTH * 6);
        weekdays.stream().forEach(day -> isoWeekdays.set(day == 0 ? 7 : day));
        boolean eitherDay = !fields.get(2).startsWith("*") && !fields.get(4).startsWith("*");
        Cron cron = new Cron(field(fields.get(0), MINUTE), field(fields.get(1), HOUR),
                field(fields.get(2), DAY_OF_MONTH), field(fields.get(3), MONTH), isoWeekdays, eitherDay, zone);
        return new Schedule("cron " + String.join(" ", fields), zone, cron);
    }

    /** Reads a cron field: {@code *}, numbers or names, lists, ranges and steps; and n-th days of the week. */
    private static BitSet field(String text, Field field) {
        BitSet values = new BitSet(field.max() + 1);
        for (String part : text.split(",", -1)) {
            if (part.isEmpty()) {
                throw new Malformed(field.name() + " '" + text + "' has an empty list entry");
            }
            if (part.contains("#")) {
                values.set(nth(part, field));
                continue;
            }
            String[] stepped = part.split("/", -1);
            if (stepped.length > 2) {
                throw new Malformed(field.name() + " '" + part + "' has more than one step");
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
                    throw new Malformed(field.name() + " range '" + range + "' needs a start and an end, such as 1-5");
                }
                from = value(ends[0], field);
                to = value(ends[1], field);
                if (field == DAY_OF_WEEK && to == 0) {
                    to = 7; // Sunday ends a range as 7: fri-sun is 5-7
                }
                if (to < from) {
                    throw new Malformed(field.name() + " range '" + range + "' runs backwards");
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

    /**
     * Reads a day of the week's n-th time in its month, such as {@code mon#1}, into the bit
     * {@code NTH * n} plus the day (1 Monday to 7 Sunday).
     */
    private static int nth(String part, Field field) {
        String[] nth = part.split("#", -1);
        if (field != DAY_OF_WEEK || nth.length != 2) {
            throw new Malformed(field.name() + " '" + part + "': only a day of week takes a '#', once, such as mon#1"
                    + " for the first Monday of the month");
        }
        int day = value(nth[0], field);
        if (!nth[1].matches("[1-5]")) {
            throw new Malformed(field.name() + " '" + part + "': a day is the 1st to the 5th of its kind in a month,"
                    + " such as mon#1, not '" + nth[1] + "'");
        }
        return NTH * Integer.parseInt(nth[1]) + (day == 0 ? 7 : day);
    }

    private static int value(String text, Field field) {
        int named = field.names().indexOf(text);
        if (named >= 0) {
            return field.firstNamed() + named;
        }
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
            throw new Malformed("unknown " + field.name() + " '" + text + "'; use " + field.hint());
        }
        if (text.length() > 9 || Integer.parseInt(text) < field.min() || Integer.parseInt(text) > field.max()) {
            throw new Malformed(field.name() + " " + text + " is not between " + field.min() + " and " + field.max());
        }
        return Integer.parseInt(text);
    }

    private static int step(String text, Field field) {
        int most = field.max() - field.min() + 1;
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
            throw new Malformed(field.name() + " step '" + text + "' is not a number");
        }
        if (text.length() > 9 || Integer.parseInt(text) < 1 || Integer.parseInt(text) > most) {
            throw new Malformed(field.name() + " step " + text + " is not between 1 and " + most);
        }
        return Integer.parseInt(text);
    }

    // ---- times ----

    /** How the times of a local date are found: one implementation per spec form. */
    private sealed interface Times permits Weekly, Cron {

        /** Returns whether the local date has a time, or would but for a gap. */
        boolean has(LocalDate day);

        /** Returns the first time of the local date that happens strictly after an instant. */
        Optional<Time> first(LocalDate day, Instant after);

        /** Returns the last time of the local date that happens at or before an instant. */
        Optional<Time> last(LocalDate day, Instant time);
    }

    private static final class Weekly implements Times {

        /** Indexed 1 (Monday) to 7 (Sunday). */
        private final BitSet days;
        private final LocalTime at;
        private final ZoneId zone;

        Weekly(BitSet days, LocalTime at, ZoneId zone) {
            this.days = days;
            this.at = at;
            this.zone = zone;
        }

        @Override
        public boolean has(LocalDate day) {
            return days.get(day.getDayOfWeek().getValue());
        }

        @Override
        public Optional<Time> first(LocalDate day, Instant after) {
            return on(day).filter(time -> time.instant().isAfter(after));
        }

        @Override
        public Optional<Time> last(LocalDate day, Instant time) {
            return on(day).filter(found -> !found.instant().isAfter(time));
        }

        /** The time of a local date, if the date is one of the days. */
        private Optional<Time> on(LocalDate day) {
            if (!has(day)) {
                return Optional.empty();
            }
            LocalDateTime local = day.atTime(at);
            // ZonedDateTime.of moves a gap time later by the gap and takes the earlier of a repeated time.
            return Optional.of(new Time(local, ZonedDateTime.of(local, zone).toInstant()));
        }
    }

    private static final class Cron implements Times {

        private final BitSet minutes;
        private final BitSet hours;
        private final BitSet daysOfMonth;
        private final BitSet months;
        /** Indexed 1 (Monday) to 7 (Sunday), and from {@code NTH * n} on those days in the n-th week of a month. */
        private final BitSet daysOfWeek;
        /** Whether a day matching either day field matches (both restricted), rather than one matching both. */
        private final boolean eitherDay;
        private final ZoneId zone;
        private final ZoneRules rules;
        /** The hours and minutes as arrays: a matching day's n-th minute is then worked out, not counted to. */
        private final int[] hourList;
        private final int[] minuteList;
        /** How many of the hours are before each hour, 0 to 24, and of the minutes before each minute, 0 to 60. */
        private final int[] hoursBefore;
        private final int[] minutesBefore;
        /** How many minutes of a matching day match. */
        private final int perDay;

        Cron(BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek, boolean eitherDay,
                ZoneId zone) {
            this.minutes = minutes;
            this.hours = hours;
            this.daysOfMonth = daysOfMonth;
            this.months = months;
            this.daysOfWeek = daysOfWeek;
            this.eitherDay = eitherDay;
            this.zone = zone;
            this.rules = zone.getRules();
            this.hourList = hours.stream().toArray();
            this.minuteList = minutes.stream().toArray();
            this.hoursBefore = before(hours, 24);
            this.minutesBefore = before(minutes, 60);
            this.perDay = hourList.length * minuteList.length;
        }

        /** Returns how many of the values are below each value from 0 to {@code max + 1}. */
        private static int[] before(BitSet values, int max) {
            int[] before = new int[max + 2];
            for (int value = 0; value <= max; value++) {
                before[value + 1] = before[value] + (values.get(value) ? 1 : 0);
            }
            return before;
        }

        /*
         * Times are found by local date, hour and minute, each at its earliest instant; gap minutes
         * have none. That mapping keeps local order, so on each date the times come in order, and a
         * minute at or before an instant's own local time happens at or before it. So the first time
         * after an instant is worked out from its local time rather than looked for minute by minute,
         * which matters as a sweep asks for hundreds of times of a downtime (see Downtimes.announce);
         * only in a repeated hour may later minutes lie before it too, and those are bisected.
         */

        @Override
        public Optional<Time> first(LocalDate day, Instant after) {
            if (!has(day)) {
                return Optional.empty();
            }
            // A minute in a gap is ordered as the gap's end, but does not fire: the next one may.
            for (int index = firstAfter(day, after); index < perDay; index++) {
                Optional<Time> time = at(minute(day, index));
                if (time.isPresent()) {
                    return time;
                }
            }
            return Optional.empty();
        }

        @Override
        public Optional<Time> last(LocalDate day, Instant time) {
            if (!has(day)) {
                return Optional.empty();
            }
            for (int index = firstAfter(day, time) - 1; index >= 0; index--) {
                Optional<Time> found = at(minute(day, index));
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }

        /** Returns the index of the date's first matching minute that is ordered after the instant; none, the count. */
        private int firstAfter(LocalDate day, Instant instant) {
            int low = upTo(day, LocalDateTime.ofInstant(instant, zone));
            if (low == perDay || order(minute(day, low)).isAfter(instant)) {
                return low;
            }
            // In a repeated hour: the instant is in its second run, the minute at its first.
            if (!order(minute(day, perDay - 1)).isAfter(instant)) {
                return perDay;
            }
            // The minute at low is not after the instant and the last is: the first that is lies between.
            low++;
            int high = perDay - 1;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (order(minute(day, middle)).isAfter(instant)) {
                    high = middle;
                } else {
                    low = middle + 1;
                }
            }
            return low;
        }

        /** Returns how many of the date's matching minutes are at or before a local date and time. */
        private int upTo(LocalDate day, LocalDateTime local) {
            int days = day.compareTo(local.toLocalDate());
            if (days != 0) {
                return days < 0 ? perDay : 0;
            }
            int hour = local.getHour();
            return hoursBefore[hour] * minuteList.length + (hours.get(hour) ? minutesBefore[local.getMinute() + 1] : 0);
        }

        /** The date's matching minute at an index, in local order. */
        private LocalDateTime minute(LocalDate day, int index) {
            return day.atTime(hourList[index / minuteList.length], minuteList[index % minuteList.length]);
        }

        /**
         * Where a local minute lies in time: its earliest instant, or for a minute in a gap the
         * gap's end. So every minute has a place, in local order, for the bisection.
         */
        private Instant order(LocalDateTime local) {
            List<ZoneOffset> offsets = rules.getValidOffsets(local);
            return offsets.isEmpty() ? rules.getTransition(local).getInstant() : local.toInstant(offsets.get(0));
        }

        @Override
        public boolean has(LocalDate day) {
            if (!months.get(day.getMonthValue())) {
                return false;
            }
            boolean dayOfMonth = daysOfMonth.get(day.getDayOfMonth());
            int weekday = day.getDayOfWeek().getValue();
            boolean dayOfWeek = daysOfWeek.get(weekday)
                    || daysOfWeek.get(NTH * ((day.getDayOfMonth() - 1) / 7 + 1) + weekday);
            return eitherDay ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
        }

        /** The earliest instant of a local minute; empty for a minute in a gap, which does not fire. */
        private Optional<Time> at(LocalDateTime local) {
            List<ZoneOffset> offsets = rules.getValidOffsets(local);
            return offsets.isEmpty() ? Optional.empty() : Optional.of(new Time(local, local.toInstant(offsets.get(0))));
        }
    }
}
