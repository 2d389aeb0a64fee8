package io.hanse.api.status;

import io.hanse.api.NotFoundException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads status. Answers come from memory, kept current incrementally as contributors report.
 */
@ProviderType
public interface StatusService {

    /**
     * Returns a system's status with its explanation.
     *
     * @param slug the system
     * @param maxCauses at most this many causes are listed, at least 1
     * @throws NotFoundException if there is no such system
     */
    SystemStatus status(String slug, int maxCauses);

    /**
     * Returns a system's rolled-up status alone: cheaper than {@link #status} when listing many systems.
     *
     * @throws NotFoundException if there is no such system
     */
    Status rolledUp(String slug);
}
