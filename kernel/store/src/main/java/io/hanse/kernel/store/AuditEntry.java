package io.hanse.kernel.store;

import io.hanse.api.timeline.Source;
import java.util.Objects;

/**
 * One change, as it goes into the audit log in the same transaction as the change itself.
 *
 * @param actor who made the change
 * @param action what was done, such as {@code system.update} or {@code token.create}
 * @param target what it was done to, such as {@code system/web} or {@code user/alice}
 * @param before a short JSON summary of the target before the change; {@code null} if it did not exist
 * @param after a short JSON summary of the target after the change; {@code null} if it no longer exists
 */
public record AuditEntry(Source actor, String action, String target, String before, String after) {

    public AuditEntry {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
    }
}
