package io.hanse.api.status;

import java.time.Instant;

/**
 * A change of a system's own or rolled-up status.
 *
 * @param system the system's slug
 * @param previousOwn its own status before
 * @param own its own status now
 * @param previousRolledUp its rolled-up status before
 * @param rolledUp its rolled-up status now
 * @param at when it changed
 */
public record StatusChange(String system, Status previousOwn, Status own, Status previousRolledUp,
        Status rolledUp, Instant at) {
}
