package io.hanse.monitoring.internal;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.agent.AgentObservation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
    /**
     * How far ahead of the server's clock the time of a result may be, as the kernel takes agents'
     * observations: a range up to now reaches this far ahead.
     */
    public static final Duration AHEAD = AgentObservation.MAX_AHEAD;
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
     * @param breaks when it broke in the range: hard changes from ok to anything else, oldest first,
     *     with those timed ahead of the server's clock after {@code to} = now by a range that asked for them
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
        this(new CheckStore(database.sql()), checks, Sql.CLOCK);
    }

    Histories(CheckStore store, Checks checks, Clock clock) {
        this.store = store;
        this.checks = checks;
        this.clock = clock;
    }

    /**
     * Returns the end of a range up to now, where REST and the shell end one by default and a
     * check's record reads its changes to: now and {@link #AHEAD}, so that a change timed ahead of
     * the server's clock by an agent's is in it.
     */
    public Instant latest() {
        return clock.instant().plus(AHEAD);
    }

    /**
     * A check's history between two times, newest first.
     *
     * @throws NotFoundException if the system does not exist, or the check has no results
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
     * Counts how long a check spent in each hard status between two times, up to now at the latest,
     * and when it broke: also, for a range that ends after now, such as at {@link #latest()}, at a
     * change timed ahead of the server's clock, which took no time of the range.
     *
     * @throws NotFoundException if the system does not exist, or the check has no results
     * @throws InvalidRequestException if {@code to} is not after {@code from} or the range up to now is
     *     too long
     */
    public Availability availability(String system, String check, Instant from, Instant to) {
        CheckState state = state(system, check);
        Instant end = upToNow(to);
        if (!to.isAfter(from) || Duration.between(from, end).compareTo(MAX_RANGE) > 0) {
            throw new InvalidRequestException("the range must end after it starts and span at most "
                    + MAX_RANGE.toDays() + " days");
        }
        Instant start = sinceSeen(state, from);
        Tally tally = new Tally(start, end);
        if (end.isAfter(start)) {
            store.hardChanges(system, check, start, to, tally::add);
        }
        return tally.availability();
    }

    /** Returns a check's record at a glance. */
    public Record record(String system, String check) {
        CheckState state = state(system, check);
        Instant now = clock.instant();
        Tally tally = recordTally(state, now);
        store.hardChanges(system, check, now.minus(RECORD_PERIOD), now.plus(AHEAD), tally::add);
        return record(state, now, tally);
    }

    /**
     * Returns the records of many checks, such as a review's items, reading their history together
     * instead of one check at a time.
     */
    Map<Key, Record> records(List<CheckState> states) {
        Instant now = clock.instant();
        Map<Key, Tally> tallies = new HashMap<>();
        states.forEach(state -> tallies.put(Key.of(state), recordTally(state, now)));
        read(states, now.minus(RECORD_PERIOD), now.plus(AHEAD), tallies);
        Map<Key, Record> records = new HashMap<>();
        states.forEach(state -> records.put(Key.of(state), record(state, now, tallies.get(Key.of(state)))));
        return records;
    }

    /** Returns where a range's counted time ends: at its end, or now if that is earlier. */
    private Instant upToNow(Instant to) {
        Instant now = clock.instant();
        return to.isAfter(now) ? now : to;
    }

    /**
     * Returns the availability of many checks over the same range, reading their history together,
     * as {@link #availability} counts it.
     */
    Map<Key, Availability> availabilities(List<CheckState> states, Instant from, Instant to) {
        Instant end = upToNow(to);
        Map<Key, Tally> tallies = new HashMap<>();
        states.forEach(state -> tallies.put(Key.of(state), new Tally(sinceSeen(state, from), end)));
        read(states, from, to, tallies);
        Map<Key, Availability> availabilities = new HashMap<>();
        tallies.forEach((key, tally) -> availabilities.put(key, tally.availability()));
        return availabilities;
    }

    /**
     * A tally for a check's record: over the month before now, or since it was first seen if later,
     * with the changes up to {@link #AHEAD} after now.
     */
    private static Tally recordTally(CheckState state, Instant now) {
        return new Tally(sinceSeen(state, now.minus(RECORD_PERIOD)), now);
    }

    /**
     * A time, or when the check was first seen if that was later: before, it had no status to count;
     * to the microsecond, as the database keeps the times of changes (see {@link Change#time}), so
     * that the change of the first result, kept at or before its time, is in the range.
     */
    private static Instant sinceSeen(CheckState state, Instant time) {
        return (time.isBefore(state.firstSeen()) ? state.firstSeen() : time).truncatedTo(ChronoUnit.MICROS);
    }

    /** Counts a check's breaks and availability over the month before now. */
    private static Record record(CheckState state, Instant now, Tally tally) {
        // From the week's and month's start, not from first seen: the database keeps times less exactly than memory.
        return new Record(state, tally.breaksSince(now.minus(Duration.ofDays(7))).size(),
                tally.breaksSince(now.minus(RECORD_PERIOD)).size(), tally.availability());
    }

    /** Hands the hard changes that shaped a range to each check's tally, a thousand checks a statement. */
    private void read(List<CheckState> states, Instant start, Instant end, Map<Key, Tally> tallies) {
        for (int i = 0; i < states.size(); i += READ_TOGETHER) {
            store.hardChanges(states.subList(i, Math.min(states.size(), i + READ_TOGETHER)), start, end,
                    change -> tallies.get(new Key(change.system(), change.check())).add(change));
        }
    }

    /**
     * Counts how long each hard status held from a start to an end, and when the check broke, from
     * the hard changes that shaped the range, oldest first, keeping none of them: a check can have
     * hundreds of thousands in a range. Those before its start only set the status it starts with;
     * those after its end, timed ahead of the server's clock, take no time of it, but break.
     */
    private static final class Tally {

        private final Instant from;
        private final Instant end;
        private final Map<CheckStatus, Long> millis = new EnumMap<>(CheckStatus.class);
        /** When it broke, oldest first: hard changes from ok to anything else. */
        private final List<Instant> broke = new ArrayList<>();
        /** The status since {@link #since}; none before the first change. */
        private CheckStatus status;
        private Instant since;

        Tally(Instant start, Instant end) {
            this.from = start.isAfter(end) ? end : start;
            this.end = end;
            this.since = from;
        }

        void add(CheckStore.HardChange change) {
            if (status == null) {
                // Before its oldest change known the check was in the status it changed from: ok before its
                // first, or whatever it was before the oldest history kept (see CheckStore#prune).
                status = change.from();
            }
            // A change timed ahead of the server's clock, as an agent's may be, counts as of the end, now.
            Instant time = change.time().isAfter(end) ? end : change.time();
            if (time.isAfter(since)) {
                millis.merge(status, Duration.between(since, time).toMillis(), Long::sum);
                since = time;
            }
            status = change.status();
            if (change.from() == CheckStatus.OK && change.status() != CheckStatus.OK) {
                broke.add(change.time());
            }
        }

        /** When it broke from a time on. */
        List<Instant> breaksSince(Instant time) {
            return broke.stream().filter(when -> !when.isBefore(time)).toList();
        }

        Availability availability() {
            Map<CheckStatus, Double> shares = new EnumMap<>(CheckStatus.class);
            double total = Duration.between(from, end).toMillis();
            if (total == 0) {
                return new Availability(from, end, shares, List.of());
            }
            Map<CheckStatus, Long> held = new EnumMap<>(millis);
            if (end.isAfter(since)) {
                // Not a status taken on at the end, such as by a change timed ahead: it held for no time.
                held.merge(status == null ? CheckStatus.OK : status, Duration.between(since, end).toMillis(),
                        Long::sum);
            }
            held.forEach((s, ms) -> shares.put(s, ms / total));
            return new Availability(from, end, shares, breaksSince(from));
        }
    }

    private CheckState state(String system, String check) {
        return checks.get(system, check).orElseThrow(() -> checks.noCheck(system, check));
    }
}
