package io.hanse.kernel.store;

import io.hanse.api.UnavailableException;
import java.nio.file.Path;
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

    /**
     * Writes a copy of the embedded database, as of one moment, to a new ZIP file readable by its owner
     * only, while it runs: a copy of its file taken meanwhile may miss what was committed. Restored by
     * unpacking it into {@code data/hanse/} while Hanse is stopped. PostgreSQL is backed up with its
     * own tools.
     *
     * @param target the file to write, in a directory that exists; it must not exist
     * @throws io.hanse.api.ConflictException if this is not the embedded database, or the file exists
     * @throws io.hanse.api.InvalidRequestException if its directory does not exist
     * @throws UnavailableException if the backup failed, with the reason
     * @since 0.9.0
     */
    void backUp(Path target);
}
