package io.hanse.api.store;

import io.hanse.api.UnavailableException;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.Bundle;

/**
 * Brings a bundle's part of the database schema up to date.
 */
@ProviderType
public interface SchemaMigrator {

    /**
     * Applies the change sets of {@code db/<symbolic-name>/changelog.xml} in {@code owner} that
     * have not yet been applied, and returns once the schema is current. Applying is idempotent
     * and serialised across bundles and nodes by a database lock.
     *
     * @param owner the bundle whose change log to apply
     * @throws IllegalArgumentException if the bundle has no change log at that path
     * @throws UnavailableException if the database cannot be reached or a change set fails
     */
    void migrate(Bundle owner);
}
