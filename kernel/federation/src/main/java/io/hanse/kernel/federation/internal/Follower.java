package io.hanse.kernel.federation.internal;

import io.hanse.api.timeline.Event;
import io.hanse.kernel.store.EventStore;
import io.hanse.kernel.store.SequenceRange;
import io.hanse.kernel.store.StoredEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Follows what the timeline stores of one instance's events, from the database in storage order,
 * seeing every number but reading only those events, rather than through a live subscription, which
 * the timeline ends when its subscriber falls behind: federation must not lose an event under load. A
 * transaction that commits after others with higher sequence numbers were read leaves a gap; the
 * numbers in it are looked for again on every call for {@link #GAP_WAIT}, and then given up, since an
 * insert that was rolled back or was a duplicate takes a number and stores nothing. A run of missing
 * numbers is kept as one gap, however long: PostgreSQL burns a number for every row an
 * {@code INSERT … ON CONFLICT DO NOTHING} skips, so agents sending again after a failover leave runs
 * of thousands. None is given up sooner than its {@link #GAP_WAIT}: it reads no further while as many
 * gaps as it keeps, {@link #MAX_GAPS}, are looked for, nor while more numbers than that are missing,
 * until some commit or are given up; a long run is then given up whole after one wait.
 */
final class Follower {

    static final Duration GAP_WAIT = Duration.ofSeconds(10);
    /**
     * The most gaps it reads on with, which bounds what a follower holds, and the most missing numbers
     * it reads on past. A late commit inside a gap splits it in two, one more until they are given up.
     */
    private static final int MAX_GAPS = 10_000;

    private final EventStore events;
    private final String origin;
    private final Clock clock;
    private final int maxGaps;
    /** Every number up to it was read, or is looked for or given up. */
    private long highest;
    /** Runs of missing sequence numbers up to {@link #highest}, by their first. */
    private final TreeMap<Long, Gap> gaps = new TreeMap<>();
    /** How many numbers the {@link #gaps} hold. */
    private long missing;

    /** Missing numbers up to {@code last} from the one it is kept under, and since when they are missing. */
    private record Gap(long last, Instant since) {
    }

    /**
     * Follows from what is stored after this sequence number, for the events that first happened at
     * {@code origin}.
     */
    Follower(EventStore events, String origin, long after, Clock clock) {
        this(events, origin, after, clock, MAX_GAPS);
    }

    /** Follows as above, keeping at most {@code maxGaps} gaps and reading on past as many missing numbers. */
    Follower(EventStore events, String origin, long after, Clock clock, int maxGaps) {
        this.events = events;
        this.origin = origin;
        this.highest = after;
        this.clock = clock;
        this.maxGaps = maxGaps;
    }

    /**
     * Returns the events of its origin stored since the last call: late commits first, at most
     * {@code max} of them, then those among the next {@code max} numbers, as far as the gaps before
     * them may be looked for.
     */
    List<Event> next(int max) {
        Instant now = clock.instant();
        List<SequenceRange> looked = gaps.entrySet().stream()
                .map(gap -> new SequenceRange(gap.getKey(), gap.getValue().last())).toList();
        List<StoredEvent> found = new ArrayList<>(events.withSequence(looked, max, origin));
        found.forEach(late -> came(late.seq()));
        // Only gaps looked through to their end are given up: more may have come than were read.
        long seenThrough = found.size() < max ? Long.MAX_VALUE : found.get(found.size() - 1).seq();
        for (Iterator<Map.Entry<Long, Gap>> it = gaps.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Gap> gap = it.next();
            if (gap.getValue().last() <= seenThrough && gap.getValue().since().plus(GAP_WAIT).isBefore(now)) {
                missing -= gap.getValue().last() - gap.getKey() + 1;
                it.remove();
            }
        }
        if (missing <= maxGaps) {
            for (StoredEvent fresh : events.since(highest, max, origin)) {
                if (fresh.seq() > highest + 1) {
                    if (gaps.size() >= maxGaps) {
                        // No room to look for the numbers before it: it is read again once some came or were given up.
                        break;
                    }
                    gaps.put(highest + 1, new Gap(fresh.seq() - 1, now));
                    missing += fresh.seq() - 1 - highest;
                    highest = fresh.seq() - 1;
                    if (missing > maxGaps) {
                        // So many missing may be one transaction yet to commit: what follows waits for it.
                        break;
                    }
                }
                highest = fresh.seq();
                found.add(fresh);
            }
        }
        return found.stream().map(StoredEvent::event).filter(Objects::nonNull).toList();
    }

    /** A missing number came: its gap is split around it. */
    private void came(long seq) {
        Map.Entry<Long, Gap> gap = gaps.floorEntry(seq);
        if (gap == null || gap.getValue().last() < seq) {
            return;
        }
        gaps.remove(gap.getKey());
        missing--;
        if (gap.getKey() < seq) {
            gaps.put(gap.getKey(), new Gap(seq - 1, gap.getValue().since()));
        }
        if (seq < gap.getValue().last()) {
            gaps.put(seq + 1, gap.getValue());
        }
    }

    /**
     * Returns the sequence number up to which everything stored was returned, or given up: where a
     * follower that starts again must start, to miss nothing. What it then reads again is read twice.
     */
    long position() {
        return gaps.isEmpty() ? highest : gaps.firstKey() - 1;
    }
}
