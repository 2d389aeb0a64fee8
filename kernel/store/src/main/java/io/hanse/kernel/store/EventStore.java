package io.hanse.kernel.store;

import io.hanse.api.timeline.Event;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps the timeline's events. Stored events are never changed; old ones are deleted by retention.
 */
@ProviderType
public interface EventStore {

    /**
     * Stores, in one transaction, the events whose id is not stored yet.
     *
     * @return the ids of the events that were stored now
     */
    Set<String> insert(List<Event> events);

    /** Returns the stored events with these ids, by id. */
    Map<String, Event> find(Collection<String> ids);

    /** Returns the events that match, newest first. */
    List<StoredEvent> query(EventFilter filter);

    /**
     * Returns what is stored in storage order, for a reader that follows everything stored but wants
     * only the events that first happened at one instance: every sequence number above {@code seq},
     * ascending, at most {@code max}, each with its event if its origin is {@code origin} and without
     * one otherwise, so that the reader sees every number without reading other instances' events.
     * Numbers are taken when a transaction inserts, not when it commits, so a writer that commits late
     * adds events below numbers already read; {@link #withSequence} reads those when they come.
     */
    List<StoredEvent> since(long seq, int max, String origin);

    /** Returns the highest sequence number stored; 0 if nothing is. */
    long highestSequence();

    /**
     * Returns what is stored with sequence numbers in these ranges, ascending, at most {@code max}, as
     * {@link #since} does: with their event only where its origin is {@code origin}; numbers not stored
     * are left out. The ranges do not overlap; a reader that looks for a long run of numbers, such as
     * those a transaction rolled back, names it by its first and last.
     */
    List<StoredEvent> withSequence(List<SequenceRange> ranges, int max, String origin);

    /**
     * Deletes events of some types that happened before a time, at most {@code max} of them.
     *
     * @param type an event type, or a namespace such as {@code monitoring.*}, or {@code *} for all
     * @param except types or namespaces to keep although {@code type} covers them
     * @return how many were deleted
     */
    int deleteBefore(String type, Set<String> except, Instant before, int max);
}
