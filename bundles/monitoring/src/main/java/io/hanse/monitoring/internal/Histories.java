package io.hanse.monitoring.internal;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
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
    /** The longest range availability is counted over. */
    public static final Duration MAX_RANGE = Duration.ofDays(400);
    /** A check broken more than this share of a period is chronic. */
    public static final double CHRONIC = 0.5;

    /**
     * How a check did over a range.
     *
     * @param from the start of the range, or of the check's first result if that came later, but
     *     never after {@code to}
     * @param to the end of the range
     * @param shares the share of the range, from 0 to 1, in each hard status; none if the range has
     *     no span, as when an agent whose clock runs ahead sent the check's first result
     */
    public record Availability(Instant from, Instant to, Map<CheckStatus, Double> shares) {

        /**
         * Returns the share of the range in which the check was broken: anything but ok. A range
         * without span was not broken: the check had no time to be.
         */
        public double broken() {
            return shares.isEmpty() ? 0 : 1 - shares.getOrDefault(CheckStatus.OK, 0.0);
        }
    }

    /**
     * A check's record at a glance.
     *
     * @param firstSeen when its first result came
     * @param breaks7d how often it broke (hard, from ok) in the last 7 days
     * @param breaks30d and in the last 30 days
     * @param availability30d its availability over the last 30 days
     */
    public record Record(Instant firstSeen, int breaks7d, int breaks30d, Availability availability30d) {

        /** Returns whether it was broken most of the last 30 days; time before it was first seen is not broken. */
        public boolean chronic() {
            double broken = availability30d.broken()
                    * Duration.between(availability30d.from(), availability30d.to()).toMillis();
            return broken > CHRONIC * Duration.ofDays(30).toMillis();
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
        Instant month = now.minus(Duration.ofDays(30));
        // From the month's start, not from first seen: the database keeps times less exactly than memory.
        List<HistoryEntry> changes = hardChanges(state, month, now);
        Instant start = month.isBefore(state.firstSeen()) ? state.firstSeen() : month;
        Instant week = now.minus(Duration.ofDays(7));
        int breaks30 = 0;
        int breaks7 = 0;
        for (HistoryEntry change : changes) {
            if (change.from() == CheckStatus.OK && change.status() != CheckStatus.OK
                    && !change.time().isBefore(month)) {
                breaks30++;
                breaks7 += change.time().isBefore(week) ? 0 : 1;
            }
        }
        return new Record(state.firstSeen(), breaks7, breaks30, availability(start, now, changes));
    }

    /** The hard changes that shaped a range, as {@link CheckStore#hardChanges} gives them; none for an empty range. */
    private List<HistoryEntry> hardChanges(CheckState state, Instant start, Instant end) {
        return end.isAfter(start) ? store.hardChanges(state.system(), state.check(), start, end) : List.of();
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
            return new Availability(from, end, shares);
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
        return new Availability(from, end, shares);
    }

    private CheckState state(String system, String check) {
        return checks.get(system, check).orElseThrow(() -> new NotFoundException("System " + system
                + " has no check " + check + "."));
    }
}
