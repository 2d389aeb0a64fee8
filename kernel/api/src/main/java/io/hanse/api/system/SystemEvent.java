package io.hanse.api.system;

import java.util.Objects;
import java.util.Optional;

/**
 * A change to a system.
 *
 * @param type what happened
 * @param subject the system after the change; for {@link Type#REMOVED}, as it was
 * @param previous the system before the change; empty for {@link Type#ADDED}
 */
public record SystemEvent(Type type, ManagedSystem subject, Optional<ManagedSystem> previous) {

    /** What happened to a system. */
    public enum Type {
        /** It was created. */
        ADDED,
        /** Its description, labels, rules or explicit members changed. */
        UPDATED,
        /** It was deleted. */
        REMOVED,
        /** Its set of direct members changed because other systems changed, through its selector. */
        MEMBERS_CHANGED
    }

    public SystemEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(previous, "previous");
    }
}
