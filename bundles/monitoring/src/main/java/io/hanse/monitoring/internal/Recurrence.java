package io.hanse.monitoring.internal;

import io.hanse.api.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The recurring windows of a downtime, in a time zone: {@code weekly <days> <HH:mm>-<HH:mm>} (days
 * such as {@code sat,sun} or {@code mon-fri}; an end before the start runs into the next day), or
 * {@code cron <min> <hour> <day-of-month> <month> <day-of-week> for <duration>} with the five
 * standard cron fields and a duration such as {@code 2h} or {@code 1h30m}.
 * <p>
 * Times are local wall-clock times. Across a change of daylight saving time: a start or end that
 * falls into the gap of a spring-forward night moves to the first instant after the gap; one that
 * falls into the repeated hour of a fall-back night takes its earlier occurrence. A weekly window
 * therefore ends at its local end time whatever the night did; a cron window lasts its duration in
 * real time, fires once per matching local minute (never twice in a repeated hour) and not at all
 * for a minute inside a gap.
 */
public final class Recurrence {

    /**
     * One window: from its start (inclusive) to its end (exclusive).
     */
    public record Window(Instant start, Instant end) {
    }

    static final int MAX_SPEC = 200;
    private static final Duration MAX_DURATION = Duration.ofDays(7);
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    private static final Pattern WEEKLY = Pattern.compile("weekly\\s+(\\S+)\\s+(\\d{1,2}:\\d{2})-(\\d{1,2}:\\d{2})");
    private static final Pattern CRON = Pattern.compile("cron\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+for\\s+(\\S+)");
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?");

    private final String spec;
    private final ZoneId zone;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    /** Days of the week, 1 (Monday) to 7 (Sunday). */
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;
    /** For weekly windows: local start and end; for cron, null. */
    private final LocalTime weeklyStart;
    private final LocalTime weeklyEnd;
    private final Duration duration;

    private Recurrence(String spec, ZoneId zone, BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months,
            BitSet daysOfWeek, boolean anyDayOfMonth, boolean anyDayOfWeek, LocalTime weeklyStart, LocalTime weeklyEnd,
            Duration duration) {
        this.spec = spec;
        this.zone = zone;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.anyDayOfMonth = anyDayOfMonth;
        this.anyDayOfWeek = anyDayOfWeek;
        this.weeklyStart = weeklyStart;
        this.weeklyEnd = weeklyEnd;
        this.duration = duration;
    }

    /**
     * Reads a recurrence.
     *
     * @throws InvalidRequestException naming what is wrong
     */
    public static Recurrence parse(String spec, ZoneId zone) {
        if (spec == null || spec.isBlank() || spec.length() > MAX_SPEC) {
            throw new InvalidRequestException("recurrence: 1 to " + MAX_SPEC + " characters, such as 'weekly sat"
                    + " 02:00-04:00' or 'cron 0 22 * * 1-5 for 8h'");
        }
        String text = spec.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        Objects.requireNonNull(zone, "zone");
        Matcher weekly = WEEKLY.matcher(text);
        if (weekly.matches()) {
            LocalTime start = time(weekly.group(2));
            LocalTime end = time(weekly.group(3));
            if (start.equals(end)) {
                throw new InvalidRequestException("recurrence: a weekly window's end must differ from its start");
            }
            BitSet days = field(weekly.group(1), 1, 7, DAYS, "day");
            return new Recurrence(text, zone, null, null, null, null, days, true, false, start, end, null);
        }
        Matcher cron = CRON.matcher(text);
        if (cron.matches()) {
            BitSet dow = field(cron.group(5).replace("7", "0"), 0, 6, List.of("sun", "mon", "tue", "wed", "thu", "fri",
                    "sat"), "day of week");
            BitSet isoDow = new BitSet(8);
            dow.stream().forEach(d -> isoDow.set(d == 0 ? 7 : d));
            return new Recurrence(text, zone, field(cron.group(1), 0, 59, null, "minute"),
                    field(cron.group(2), 0, 23, null, "hour"), field(cron.group(3), 1, 31, null, "day of month"),
                    field(cron.group(4), 1, 12, MONTHS, "month"), isoDow, cron.group(3).equals("*"),
                    cron.group(5).equals("*"), null, null, duration(cron.group(6)));
        }
        throw new InvalidRequestException("recurrence: '" + spec + "' is neither 'weekly <days> <HH:mm>-<HH:mm>' nor"
                + " 'cron <min> <hour> <day-of-month> <month> <day-of-week> for <duration>'");
    }

    public String spec() {
        return spec;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Returns the window that holds the time, if there is one. */
    public Optional<Window> windowAt(Instant time) {
        LocalDate today = time.atZone(zone).toLocalDate();
        long lookBack = weeklyStart != null ? 1 : MAX_DURATION.toDays() + 1;
        for (LocalDate day = today.minusDays(lookBack); !day.isAfter(today); day = day.plusDays(1)) {
            for (Window window : windows(day)) {
                if (!time.isBefore(window.start()) && time.isBefore(window.end())) {
                    return Optional.of(window);
                }
            }
        }
        return Optional.empty();
    }

    /** Returns the first window that starts after the time, looking at most 366 days ahead. */
    public Optional<Window> next(Instant after) {
        LocalDate first = after.atZone(zone).toLocalDate();
        for (LocalDate day = first; !day.isAfter(first.plusDays(366)); day = day.plusDays(1)) {
            for (Window window : windows(day)) {
                if (window.start().isAfter(after)) {
                    return Optional.of(window);
                }
            }
        }
        return Optional.empty();
    }

    /** The windows that start on a local day, in order. */
    private List<Window> windows(LocalDate day) {
        if (weeklyStart != null) {
            if (!daysOfWeek.get(day.getDayOfWeek().getValue())) {
                return List.of();
            }
            LocalDate endDay = weeklyEnd.isAfter(weeklyStart) ? day : day.plusDays(1);
            return List.of(new Window(instant(day.atTime(weeklyStart)), instant(endDay.atTime(weeklyEnd))));
        }
        if (!cronDay(day)) {
            return List.of();
        }
        List<Window> windows = new ArrayList<>();
        for (int hour = hours.nextSetBit(0); hour >= 0; hour = hours.nextSetBit(hour + 1)) {
            for (int minute = minutes.nextSetBit(0); minute >= 0; minute = minutes.nextSetBit(minute + 1)) {
                LocalDateTime local = day.atTime(hour, minute);
                if (zone.getRules().getValidOffsets(local).isEmpty()) {
                    continue;
                }
                Instant start = instant(local);
                windows.add(new Window(start, start.plus(duration)));
            }
        }
        return windows;
    }

    /** Whether a cron recurrence fires on a day: both day fields restricted means either matches. */
    private boolean cronDay(LocalDate day) {
        if (!months.get(day.getMonthValue())) {
            return false;
        }
        boolean dom = daysOfMonth.get(day.getDayOfMonth());
        boolean dow = daysOfWeek.get(day.getDayOfWeek().getValue());
        if (anyDayOfMonth || anyDayOfWeek) {
            return dom && dow;
        }
        return dom || dow;
    }

    private Instant instant(LocalDateTime local) {
        return ZonedDateTime.ofLocal(local, zone, null).withEarlierOffsetAtOverlap().toInstant();
    }

    private static LocalTime time(String text) {
        try {
            return LocalTime.parse(text.length() == 4 ? "0" + text : text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("recurrence: " + text + " is not a time of day such as 02:00");
        }
    }

    private static Duration duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw new InvalidRequestException("recurrence: duration " + text + " is not like 30m, 2h, 1h30m or 1d");
        }
        Duration d = Duration.ofDays(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
                .plusHours(m.group(2) == null ? 0 : Long.parseLong(m.group(2)))
                .plusMinutes(m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
        if (d.toMinutes() < 1 || d.compareTo(MAX_DURATION) > 0) {
            throw new InvalidRequestException("recurrence: duration " + text + " must be from 1 minute to 7 days");
        }
        return d;
    }

    /** Reads a cron-like field: *, numbers or names, lists, ranges and steps. */
    private static BitSet field(String text, int min, int max, List<String> names, String what) {
        BitSet set = new BitSet(max + 1);
        for (String part : text.split(",")) {
            String[] stepped = part.split("/", 2);
            int step = stepped.length == 2 ? number(stepped[1], 1, max, null, min, what + " step") : 1;
            int from;
            int to;
            if (stepped[0].equals("*")) {
                from = min;
                to = max;
            } else if (stepped[0].contains("-")) {
                String[] range = stepped[0].split("-", 2);
                from = number(range[0], min, max, names, min, what);
                to = number(range[1], min, max, names, min, what);
                if (to < from) {
                    throw new InvalidRequestException("recurrence: " + what + " range " + stepped[0] + " runs backwards");
                }
            } else {
                from = number(stepped[0], min, max, names, min, what);
                to = stepped.length == 2 ? max : from;
            }
            for (int i = from; i <= to; i += step) {
                set.set(i);
            }
        }
        return set;
    }

    private static int number(String text, int min, int max, List<String> names, int base, String what) {
        if (names != null && names.contains(text)) {
            return names.indexOf(text) + (what.equals("day") || what.equals("month") ? 1 : base);
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new InvalidRequestException("recurrence: " + what + " " + value + " is not between " + min
                        + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("recurrence: unknown " + what + " '" + text + "'"
                    + (names == null ? "" : "; use " + names.get(0) + ".." + names.get(names.size() - 1)));
        }
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
        return spec + " (" + zone + ")";
    }
}
