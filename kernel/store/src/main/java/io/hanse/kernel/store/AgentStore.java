package io.hanse.kernel.store;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Keeps what agents last said about themselves; the registry reads it all at start. */
@ProviderType
public interface AgentStore {

    /** Returns every agent's record. */
    List<StoredAgent> loadAll();

    /**
     * Stores agents' records in one transaction, each new or replacing the one of its principal. A
     * record whose principal no longer exists is skipped: deleting the principal deleted the agent.
     */
    void saveAll(List<StoredAgent> agents);
}
