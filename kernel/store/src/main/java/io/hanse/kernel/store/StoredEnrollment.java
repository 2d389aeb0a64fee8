package io.hanse.kernel.store;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A one-time agent enrollment token as stored: never the token itself, only its hash.
 *
 * @param id its id
 * @param secretHash the SHA-256 of the token, in hex
 * @param agent the name the agent that redeems it gets
 * @param systems the systems that agent may report on
 * @param createdBy who created it
 * @param created when
 * @param expires when it stops working if unused
 * @param used when it was redeemed; {@code null} while it is not
 */
public record StoredEnrollment(UUID id, String secretHash, String agent, Set<UUID> systems, String createdBy,
        Instant created, Instant expires, Instant used) {

    public StoredEnrollment {
        systems = Set.copyOf(systems);
    }
}
