package io.hanse.kernel.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps systems and their explicit members. Each change is one transaction that also writes its
 * audit entry: either both are stored or neither is.
 */
@ProviderType
public interface SystemStore {

    /** Returns all systems, to build the graph at start. */
    List<StoredSystem> loadAll();

    /** Stores a new system. */
    void insert(StoredSystem system, AuditEntry audit);

    /** Replaces a stored system, its explicit members included. */
    void update(StoredSystem system, AuditEntry audit);

    /**
     * Deletes a system. It disappears from the explicit members of others too, which are then
     * updated at {@code at}. Role bindings on it go with it.
     */
    void delete(UUID id, Instant at, AuditEntry audit);
}
