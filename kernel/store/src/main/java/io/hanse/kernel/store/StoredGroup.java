package io.hanse.kernel.store;

import java.util.Set;
import java.util.UUID;

/**
 * A group as stored.
 *
 * @param id its id
 * @param name its unique name
 * @param description what it is for; may be empty
 * @param members the ids of the principals in it
 */
public record StoredGroup(UUID id, String name, String description, Set<UUID> members) {

    public StoredGroup {
        members = Set.copyOf(members);
    }
}
