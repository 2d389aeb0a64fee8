package io.hanse.kernel.store;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Which events to read, newest first.
 *
 * @param systems only events about these systems; {@code null} for all
 * @param types only these types; one ending in {@code .*} stands for its namespace. Empty for all
 * @param from only events at or after this time; {@code null} for no bound
 * @param until only events before this time; {@code null} for no bound
 * @param after only events older than this one, for paging; {@code null} to start at the newest
 * @param limit at most this many
 */
public record EventFilter(Set<UUID> systems, Set<String> types, Instant from, Instant until, Position after,
        int limit) {

    /** Where a page ended: the time and sequence number of its last event. */
    public record Position(Instant time, long seq) {
    }
}
