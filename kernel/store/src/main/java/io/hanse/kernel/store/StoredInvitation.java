package io.hanse.kernel.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A one-time invitation to peer with this instance, as stored: never its secret, only the hash.
 *
 * @param id its id
 * @param secretHash the SHA-256 of the secret, in hex
 * @param dialOut whether this instance dials the peer that joins (otherwise the peer dials)
 * @param createdBy who created it
 * @param created when
 * @param expires when it stops working if unused
 * @param used when it was redeemed; {@code null} while it is not
 * @param usedBy the name of the peer that redeemed it; {@code null} while unused
 */
public record StoredInvitation(UUID id, String secretHash, boolean dialOut, String createdBy, Instant created,
        Instant expires, Instant used, String usedBy) {
}
