package io.hanse.kernel.store;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A work item as stored.
 *
 * @param id its id
 * @param type the capability an agent needs to take it
 * @param parameters a JSON object for the agent
 * @param agents the names of the agents that may take it; {@code null} for any with the capability
 * @param state {@code open}, {@code leased}, {@code succeeded} or {@code failed}
 * @param lease how many times it was leased; a completion names the lease it holds
 * @param holder the agent that holds or last held it; {@code null} before the first lease
 * @param leaseExpires when the current lease ends; {@code null} if it is not leased
 * @param leaseSeconds how long each lease lasts
 * @param maxAttempts how many leases it gets before it fails
 * @param createdBy who created it
 * @param created when
 * @param finished when it succeeded or failed; {@code null} before
 * @param result the JSON object the agent reported, or why it failed; {@code null} before
 */
public record StoredWorkItem(UUID id, String type, String parameters, Set<String> agents, String state, long lease,
        String holder, Instant leaseExpires, int leaseSeconds, int maxAttempts, String createdBy, Instant created,
        Instant finished, String result) {

    public StoredWorkItem {
        agents = agents == null ? null : Set.copyOf(agents);
    }
}
