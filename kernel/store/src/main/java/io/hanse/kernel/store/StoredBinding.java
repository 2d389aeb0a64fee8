package io.hanse.kernel.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A role granted to a principal or a group, on the whole instance or on one system.
 *
 * @param id its id
 * @param role the role's name
 * @param principal the principal it is granted to; {@code null} if granted to a group
 * @param group the group it is granted to; {@code null} if granted to a principal
 * @param system the system it is granted on; {@code null} for the whole instance. It goes when
 *     the system is deleted
 * @param includeMembers whether it also covers everything the system aggregates
 * @param created when it was granted
 */
public record StoredBinding(UUID id, String role, UUID principal, UUID group, UUID system, boolean includeMembers,
        Instant created) {
}
