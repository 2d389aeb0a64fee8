package io.hanse.kernel.store;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * An API token as stored: never the token itself, only its hash.
 *
 * @param id its id
 * @param name what its owner called it, unique per owner
 * @param principal whose token it is
 * @param secretHash the SHA-256 of the token, in hex
 * @param roles the roles it is limited to; {@code null} for all of its owner's
 * @param systems the systems it is limited to, with everything they aggregate; {@code null} for all
 * @param expires when it stops working; {@code null} for never
 * @param created when it was created
 * @param revoked when it was revoked; {@code null} while it is not
 */
public record StoredToken(UUID id, String name, UUID principal, String secretHash, Set<String> roles,
        Set<UUID> systems, Instant expires, Instant created, Instant revoked) {

    public StoredToken {
        roles = roles == null ? null : Set.copyOf(roles);
        systems = systems == null ? null : Set.copyOf(systems);
    }
}
