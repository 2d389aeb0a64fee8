package io.hanse.kernel.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps work items and hands each to one agent at a time. Claims are safe across nodes sharing
 * one database: an item is leased by a conditional update, so of two claimers of the same item
 * exactly one wins.
 */
@ProviderType
public interface WorkStore {

    /** Stores a new item with its audit entry. */
    void insert(StoredWorkItem item, AuditEntry audit);

    /**
     * Leases up to {@code max} items of these types to an agent: open ones, and leased ones whose
     * lease expired before {@code now}, oldest first. An expired item out of attempts is failed instead.
     * Items reserved for other agents are passed over.
     *
     * @return the items now leased to the agent; empty if {@code types} is empty or {@code max} below 1
     */
    List<StoredWorkItem> claim(String agent, Set<String> types, int max, Instant now);

    /**
     * Finishes an item if the agent still holds that lease. A lease that ran out still holds until
     * another agent claims the item: the work was done, so it is not handed out again.
     *
     * @return whether it did; {@code false} if the lease expired and was given to another, or the item is gone
     */
    boolean complete(UUID id, long lease, String agent, boolean succeeded, String result, Instant now);

    /** Returns an item. */
    Optional<StoredWorkItem> find(UUID id);

    /**
     * Returns the newest items, in one state or all ({@code state} null), at most {@code limit}.
     *
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    List<StoredWorkItem> list(String state, int limit);
}
