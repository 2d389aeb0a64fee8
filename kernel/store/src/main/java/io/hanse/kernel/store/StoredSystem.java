package io.hanse.kernel.store;

import io.hanse.api.system.SystemDraft;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A system as it is stored.
 *
 * @param id the system's id
 * @param draft everything about it; its {@code members} are not used here, see {@code members}
 * @param members the ids of its explicit members, in order
 * @param created when it was created
 * @param updated when it was last changed
 */
public record StoredSystem(UUID id, SystemDraft draft, List<UUID> members, Instant created, Instant updated) {

    public StoredSystem {
        members = List.copyOf(members);
    }
}
