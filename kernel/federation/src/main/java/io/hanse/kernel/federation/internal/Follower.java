package io.hanse.kernel.federation.internal;

import io.hanse.api.timeline.Event;
import io.hanse.kernel.store.EventStore;
import io.hanse.kernel.store.StoredEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Follows what the timeline stores of one instance's events, from the database in storage order,
 * seeing every number but reading only those events, rather than through a live subscription, which
 * the timeline ends when its subscriber falls behind: federation must not lose an event under load. A
 * transaction that commits after others with higher sequence numbers were read leaves a gap; the
 * numbers in it are looked for again on every call for {@link #GAP_WAIT}, and then given up, since an
 * insert that was rolled back or was a duplicate takes a number and stores nothing. None is given
 * up sooner: while as many are missing as it looks for at once, {@link #MAX_GAPS}, it reads no
 * further than it has room to look for the numbers it skips, until some commit or are given up.
 */
final class Follower {

    static final Duration GAP_WAIT = Duration.ofSeconds(10);
    /** The most missing numbers looked for at once, which bounds what a follower holds. */
    private static final int MAX_GAPS = 10_000;

    private final EventStore events;
    private final String origin;
    private final Clock clock;
    private final int maxGaps;
    /** Every number up to it was read, or is looked for or given up. */
    private long highest;
    /** Missing sequence numbers up to {@link #highest}, and since when they are missing. */
    private final TreeMap<Long, Instant> gaps = new TreeMap<>();

    /**
     * Follows from what is stored after this sequence number, for the events that first happened at
     * {@code origin}.
     */
    Follower(EventStore events, String origin, long after, Clock clock) {
        this(events, origin, after, clock, MAX_GAPS);
    }

    /** Follows as above, looking for at most {@code maxGaps} missing numbers at once. */
    Follower(EventStore events, String origin, long after, Clock clock, int maxGaps) {
        this.events = events;
        this.origin = origin;
        this.highest = after;
        this.clock = clock;
        this.maxGaps = maxGaps;
    }

    /**
     * Returns the events of its origin stored since the last call: late commits first, then those
     * among the next {@code max} numbers, as far as the gaps before them fit among those looked for.
     */
    List<Event> next(int max) {
        Instant now = clock.instant();
        List<StoredEvent> found = new ArrayList<>(events.withSequence(gaps.keySet(), origin));
        found.forEach(late -> gaps.remove(late.seq()));
        gaps.values().removeIf(since -> since.plus(GAP_WAIT).isBefore(now));
        for (StoredEvent fresh : events.since(highest, max, origin)) {
            long lastMissing = Math.min(fresh.seq() - 1, highest + maxGaps - gaps.size());
            for (long missing = highest + 1; missing <= lastMissing; missing++) {
                gaps.put(missing, now);
            }
            if (lastMissing < fresh.seq() - 1) {
                // No room to look for the numbers before it: it is read again once some came or were given up.
                highest = lastMissing;
                break;
            }
            highest = fresh.seq();
            found.add(fresh);
        }
        return found.stream().map(StoredEvent::event).filter(Objects::nonNull).toList();
    }

    /**
     * Returns the sequence number up to which everything stored was returned, or given up: where a
     * follower that starts again must start, to miss nothing. What it then reads again is read twice.
     */
    long position() {
        return gaps.isEmpty() ? highest : gaps.firstKey() - 1;
    }
}
