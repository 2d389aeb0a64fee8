package io.hanse.kernel.store;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Read access, and optionally named actions, given to a peer on one of this instance's systems.
 *
 * @param id its id
 * @param peer the peer's id
 * @param system the system's id
 * @param members whether the grant reaches the system's members, at any depth
 * @param actions named actions the peer may ask for, such as {@code monitoring.ack}; may be empty
 * @param createdBy who gave it
 * @param created when
 * @param expires when it ends by itself; {@code null} for never
 * @param revoked when it was revoked; {@code null} while it is not
 */
public record StoredGrant(UUID id, UUID peer, UUID system, boolean members, Set<String> actions, String createdBy,
        Instant created, Instant expires, Instant revoked) {

    public StoredGrant {
        actions = Set.copyOf(actions);
    }

    /** Returns whether it is in force at this time: not revoked, and not expired. */
    public boolean inForce(Instant now) {
        return revoked == null && (expires == null || expires.isAfter(now));
    }
}
