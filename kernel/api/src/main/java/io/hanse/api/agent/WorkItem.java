package io.hanse.api.agent;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A work item and where it stands.
 *
 * @param id its id
 * @param type the capability it needs
 * @param parameters the JSON object the agent receives
 * @param agents the agents that may take it; {@code null} for any with the capability
 * @param state {@code open}, {@code leased}, {@code succeeded} or {@code failed}
 * @param lease how many times it was leased
 * @param holder the agent that holds or last held it; {@code null} before its first lease
 * @param leaseExpires when the current lease ends; {@code null} unless leased
 * @param maxAttempts how many leases it gets
 * @param createdBy who created it
 * @param created when
 * @param finished when it succeeded or failed; {@code null} before
 * @param result the JSON object the agent reported, or why it failed; {@code null} before
 */
public record WorkItem(UUID id, String type, String parameters, Set<String> agents, String state, long lease,
        String holder, Instant leaseExpires, int maxAttempts, String createdBy, Instant created, Instant finished,
        String result) {
}
