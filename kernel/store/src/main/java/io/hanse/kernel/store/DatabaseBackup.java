package io.hanse.kernel.store;

import io.hanse.api.UnavailableException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Backs up the database this instance keeps its state in. Registered with {@link Database}, by the
 * same object; only the {@code hanse:backup} command uses it, so the stores' test doubles of
 * {@link Database} need not have it.
 *
 * @since 0.9.0
 */
@ProviderType
public interface DatabaseBackup {

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
     */
    void backUp(Path target);
}
