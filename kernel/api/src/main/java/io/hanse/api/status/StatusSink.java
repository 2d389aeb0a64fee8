package io.hanse.api.status;

import io.hanse.api.NotFoundException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where one {@link StatusContributor} reports. Reports are applied at once; the roll-up over the
 * aggregates is updated before the call returns.
 */
@ProviderType
public interface StatusSink {

    /**
     * Reports this contributor's status of a system, replacing its previous report. Reporting the
     * same status again only updates the summary.
     *
     * @param system the system's slug
     * @param status the status; not {@code null} (use {@link #clear} to withdraw)
     * @param summary one line that says why, at most 500 characters (longer is cut)
     * @throws NotFoundException if there is no such system
     */
    void report(String system, Status status, String summary);

    /**
     * Withdraws this contributor's report about a system; does nothing if there is none.
     */
    void clear(String system);
}
