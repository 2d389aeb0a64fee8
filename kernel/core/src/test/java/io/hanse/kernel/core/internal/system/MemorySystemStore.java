package io.hanse.kernel.core.internal.system;

import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.StoredSystem;
import io.hanse.kernel.store.SystemStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps systems in memory as the JDBC store keeps them in its tables, and can be told to fail the
 * next write, as a database that goes away would.
 */
final class MemorySystemStore implements SystemStore {

    final Map<UUID, StoredSystem> systems = new LinkedHashMap<>();
    /** The audit entries of the writes that succeeded, in order. */
    final List<AuditEntry> audit = new ArrayList<>();
    private RuntimeException nextFailure;

    /** Makes the next insert, update or delete throw this, and store nothing. */
    void failNextWrite(RuntimeException failure) {
        nextFailure = failure;
    }

    StoredSystem stored(UUID id) {
        return systems.get(id);
    }

    @Override
    public List<StoredSystem> loadAll() {
        return List.copyOf(systems.values());
    }

    @Override
    public void insert(StoredSystem system, AuditEntry entry) {
        failIfTold();
        if (systems.containsKey(system.id())) {
            throw new IllegalStateException("duplicate id " + system.id());
        }
        systems.put(system.id(), system);
        audit.add(entry);
    }

    @Override
    public void update(StoredSystem system, AuditEntry entry) {
        failIfTold();
        if (!systems.containsKey(system.id())) {
            throw new IllegalStateException("no stored system " + system.id());
        }
        systems.put(system.id(), system);
        audit.add(entry);
    }

    @Override
    public void delete(UUID id, Instant at, AuditEntry entry) {
        failIfTold();
        if (systems.remove(id) == null) {
            throw new IllegalStateException("no stored system " + id);
        }
        // as the foreign key's ON DELETE CASCADE does for the member table
        systems.replaceAll((key, system) -> system.members().contains(id)
                ? new StoredSystem(system.id(), system.draft(),
                        system.members().stream().filter(member -> !member.equals(id)).toList(), system.created(),
                        at)
                : system);
        audit.add(entry);
    }

    private void failIfTold() {
        RuntimeException failure = nextFailure;
        if (failure != null) {
            nextFailure = null;
            throw failure;
        }
    }
}
