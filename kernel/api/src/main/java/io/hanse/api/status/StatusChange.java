package io.hanse.api.status;

import java.time.Instant;
import java.util.UUID;

/**
 * A change of a system's own or rolled-up status.
 *
 * @param systemId the system's id, which stays the system's when it is renamed (since 0.3.0);
 *     {@code null} only in a change made with the constructor without it, which the kernel never uses
 * @param system the system's slug when the status changed
 * @param previousOwn its own status before
 * @param own its own status now
 * @param previousRolledUp its rolled-up status before
 * @param rolledUp its rolled-up status now
 * @param at when it changed
 */
public record StatusChange(UUID systemId, String system, Status previousOwn, Status own, Status previousRolledUp,
        Status rolledUp, Instant at) {

    /**
     * Makes a change without the system's id, as before there was one.
     *
     * @deprecated a listener cannot tell which system such a change is about once the slug is another's;
     *     give the system's id
     */
    @Deprecated(since = "0.3.0")
    public StatusChange(String system, Status previousOwn, Status own, Status previousRolledUp, Status rolledUp,
            Instant at) {
        this(null, system, previousOwn, own, previousRolledUp, rolledUp, at);
    }
}
