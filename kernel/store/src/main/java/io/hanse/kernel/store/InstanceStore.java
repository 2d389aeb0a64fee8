package io.hanse.kernel.store;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps the one record that says who this instance is.
 */
@ProviderType
public interface InstanceStore {

    /**
     * Returns the stored record, creating it with a new id and the given name if there is none.
     * Safe when several nodes start at once on one database: exactly one record is created.
     */
    InstanceRecord loadOrCreate(String name);

    /**
     * Renames the instance and returns the updated record.
     */
    InstanceRecord rename(String name);
}
