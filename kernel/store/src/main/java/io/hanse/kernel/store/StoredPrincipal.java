package io.hanse.kernel.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A user or a service principal as stored.
 *
 * @param id its id
 * @param name its unique login name
 * @param service whether it is a service principal (an agent, a peer) rather than a person
 * @param displayName how it is shown; may be empty
 * @param passwordHash the PHC-format hash of its password; {@code null} if it has none
 * @param oneTimePassword whether the password was generated and must be replaced
 * @param disabled whether it is refused at every login
 * @param created when it was created
 */
public record StoredPrincipal(UUID id, String name, boolean service, String displayName, String passwordHash,
        boolean oneTimePassword, boolean disabled, Instant created) {
}
