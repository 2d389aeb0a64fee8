package io.hanse.monitoring.internal;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * What a check did over time: its history, its availability over a range, and how often it broke
 * lately — the data behind "is this always broken, or did that just happen?".
 */
@Component(service = Histories.class)
public final class Histories {

    public static final int MAX_LIMIT = 1000;
    /** How many entries a page of history holds unless asked for another number. */
    public static final int DEFAULT_LIMIT = 100;
    /** The longest range availability is counted over. */
    public static final Duration MAX_RANGE = Duration.ofDays(400);
    /** A check broken more than this share of a period is chronic. */
    private static final double CHRONIC = 0.5;
    /** The period of a check's record. */
    private static final Duration RECORD_PERIOD = Duration.ofDays(30);
    /**
     * How many checks' hard changes are read in one statement: each check takes four of its
     * parameters, well below what PostgreSQL and H2 allow.
     */
    private static final int READ_TOGETHER = 1000;

    /**
     * How a check did over a range.
     *
     * @param from the start of the range, or of the check's first result if that came later, but
     *     never after {@code to}
     * @param to the end of the range
     * @param shares the share of the range, from 0 to 1, in each hard status; none if the range has
     *     no span, as when an agent whose clock runs ahead sent the check's first result
     * @param breaks when it broke in the range: hard changes from ok to anything else, oldest first
     */
    public record Availability(Instant from, Instant to, Map<CheckStatus, Double> shares, List<Instant> breaks) {

        /** Returns how often it broke in the range from this time on. */
        public int breaksSince(Instant time) {
            return (int) breaks.stream().filter(broke -> !broke.isBefore(time)).count();
        }

        /**
         * Returns the share of the range in which the check was broken: anything but ok. A range
         * without span was not broken: the check had no time to be.
         */
        public double broken() {
            return shares.isEmpty() ? 0 : 1 - shares.getOrDefault(CheckStatus.OK, 0.0);
        }

        /**
         * Returns whether the check was broken more than half of a period that ends with the range:
         * time in the period but not in the range, before the check was first seen, was not broken.
         */
        boolean brokenMostOf(Duration period) {
            return broken() * Duration.between(from, to).toMillis() > CHRONIC * period.toMillis();
        }
    }

    /**
     * A check's record at a glance.
     *
     * @param state the check's state it was read for
     * @param breaks7d how often it broke (hard, from ok) in the last 7 days
     * @param breaks30d and in the last 30 days
     * @param availability30d its availability over the last 30 days
     */
    public record Record(CheckState state, int breaks7d, int breaks30d, Availability availability30d) {

        /** When its first result came. */
        public Instant firstSeen() {
            return state.firstSeen();
        }

        /** Returns whether it was broken most of the last 30 days; time before it was first seen is not broken. */
        public boolean chronic() {
            return availability30d.brokenMostOf(RECORD_PERIOD);
        }
    }

    /** A check, by its system and name: how the records of many checks are found. */
    record Key(String system, String check) {

        static Key of(CheckState state) {
            return new Key(state.system(), state.check());
        }
    }

    private final CheckStore store;
    private final Checks checks;
    private final Clock clock;

    @Activate
    public Histories(@Reference MonitoringDatabase database, @Reference Checks checks) {
        this(new CheckStore(database.sql()), checks, Clock.systemUTC());
    }

    Histories(CheckStore store, Checks checks, Clock clock) {
        this.store = store;
        this.checks = checks;
        this.clock = clock;
    }

    /**
     * A check's history between two times, newest first.
     *
     * @throws NotFoundException if the check has no results
     * @throws InvalidRequestException if the range or limit is out of bounds
     */
    public List<HistoryEntry> history(String system, String check, Instant from, Instant to, int limit) {
        state(system, check);
        if (!to.isAfter(from)) {
            throw new InvalidRequestException("the range must end after it starts, not from " + from + " to " + to);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit: between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        return store.history(system, check, from, to, limit);
    }

    /**
     * Counts how long a check spent in each hard status between two times.
     *
     * @throws NotFoundException if the check has no results
     * @throws InvalidRequestException if {@code to} is not after {@code from} or the range is too long
     */
    public Availability availability(String system, String check, Instant from, Instant to) {
        CheckState state = state(system, check);
        if (!to.isAfter(from) || Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new InvalidRequestException("the range must end after it starts and span at most "
                    + MAX_RANGE.toDays() + " days");
        }
        Instant end = to.isAfter(clock.instant()) ? clock.instant() : to;
        Instant start = from.isBefore(state.firstSeen()) ? state.firstSeen() : from;
        return availability(start, end, hardChanges(state, start, end));
    }

    /** Returns a check's record at a glance. */
    public Record record(String system, String check) {
        CheckState state = state(system, check);
        Instant now = clock.instant();
        // From the month's start, not from first seen: the database keeps times less exactly than memory.
        return record(state, now, hardChanges(state, now.minus(RECORD_PERIOD), now));
    }

    /**
     * Returns the records of many checks, such as a review's items, reading their history together
     * instead of one check at a time.
     */
    Map<Key, Record> records(List<CheckState> states) {
        Instant now = clock.instant();
        Map<Key, List<HistoryEntry>> changes = hardChanges(states, now.minus(RECORD_PERIOD), now);
        Map<Key, Record> records = new HashMap<>();
        for (CheckState state : states) {
            Key key = Key.of(state);
            records.put(key, record(state, now, changes.getOrDefault(key, List.of())));
        }
        return records;
    }

    /** Returns the availability of many checks over the same range, reading their history together. */
    Map<Key, Availability> availabilities(List<CheckState> states, Instant from, Instant to) {
        Map<Key, List<HistoryEntry>> changes = hardChanges(states, from, to);
        Map<Key, Availability> availabilities = new HashMap<>();
        for (CheckState state : states) {
            Key key = Key.of(state);
            Instant start = from.isBefore(state.firstSeen()) ? state.firstSeen() : from;
            availabilities.put(key, availability(start, to, changes.getOrDefault(key, List.of())));
        }
        return availabilities;
    }

    /** Counts a check's breaks and availability over the month before now from the hard changes that shaped it. */
    private static Record record(CheckState state, Instant now, List<HistoryEntry> changes) {
        Instant month = now.minus(RECORD_PERIOD);
        Instant week = now.minus(Duration.ofDays(7));
        Instant start = month.isBefore(state.firstSeen()) ? state.firstSeen() : month;
        // From the week's and month's start, not from first seen: the database keeps times less exactly than memory.
        return new Record(state, breaks(changes, week).size(), breaks(changes, month).size(),
                availability(start, now, changes));
    }

    /** The hard changes that shaped a range, as {@link CheckStore#hardChanges} gives them; none for an empty range. */
    private List<HistoryEntry> hardChanges(CheckState state, Instant start, Instant end) {
        return end.isAfter(start) ? store.hardChanges(state.system(), state.check(), start, end) : List.of();
    }

    /** The hard changes that shaped a range for each of many checks, a thousand checks a statement. */
    private Map<Key, List<HistoryEntry>> hardChanges(List<CheckState> states, Instant start, Instant end) {
        Map<Key, List<HistoryEntry>> changes = new HashMap<>();
        for (int i = 0; i < states.size(); i += READ_TOGETHER) {
            List<CheckState> some = states.subList(i, Math.min(states.size(), i + READ_TOGETHER));
            for (HistoryEntry change : store.hardChanges(some, start, end)) {
                changes.computeIfAbsent(new Key(change.system(), change.check()), key -> new ArrayList<>()).add(change);
            }
        }
        return changes;
    }

    /**
     * Counts how long each hard status held from start to end, given the hard changes that shaped
     * the range: those before its start only set the status it starts with.
     */
    private static Availability availability(Instant start, Instant end, List<HistoryEntry> changes) {
        Instant from = start.isAfter(end) ? end : start;
        Map<CheckStatus, Double> shares = new EnumMap<>(CheckStatus.class);
        double total = Duration.between(from, end).toMillis();
        if (total == 0) {
            return new Availability(from, end, shares, List.of());
        }
        Map<CheckStatus, Long> millis = new EnumMap<>(CheckStatus.class);
        CheckStatus status = CheckStatus.OK;
        Instant since = from;
        for (HistoryEntry change : changes) {
            if (change.time().isAfter(since)) {
                millis.merge(status, Duration.between(since, change.time()).toMillis(), Long::sum);
                since = change.time();
            }
            status = change.status();
        }
        millis.merge(status, Duration.between(since, end).toMillis(), Long::sum);
        millis.forEach((s, ms) -> shares.put(s, ms / total));
        // The changes begin with the one the range started in, which may be before it.
        return new Availability(from, end, shares, breaks(changes, from));
    }

    /** When a check broke, from a time on: its hard changes from ok to anything else. */
    private static List<Instant> breaks(List<HistoryEntry> changes, Instant since) {
        return changes.stream().filter(change -> change.from() == CheckStatus.OK && change.status() != CheckStatus.OK
                && !change.time().isBefore(since)).map(HistoryEntry::time).toList();
    }

    private CheckState state(String system, String check) {
        return checks.get(system, check).orElseThrow(() -> new NotFoundException("System " + system
                + " has no check " + check + "."));
    }
}
