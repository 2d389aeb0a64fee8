package io.hanse.kernel.store;

import io.hanse.api.UnavailableException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The database this instance keeps its state in. Registered while its data source is.
 */
@ProviderType
public interface Database {

    /** The database products Hanse runs on. */
    enum Kind {
        /** The embedded default: a file under the distribution's data directory. */
        H2,
        /** The production database. */
        POSTGRESQL
    }

    Kind kind();

    /**
     * Returns the JDBC URL with any password in it removed, fit to show.
     */
    String url();

    /**
     * Checks that the database answers within a few seconds.
     *
     * @throws UnavailableException if it does not, with the reason
     */
    void ping();
}
