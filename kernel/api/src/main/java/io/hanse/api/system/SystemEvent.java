package io.hanse.api.system;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change to a system.
 *
 * @param type what happened
 * @param subject the system after the change; for {@link Type#REMOVED}, as it was
 * @param previous the system before the change; empty for {@link Type#ADDED}
 * @param added slugs of the systems that became direct members (explicit or selected), sorted
 * @param removed slugs of the systems that stopped being direct members, sorted
 */
public record SystemEvent(Type type, ManagedSystem subject, Optional<ManagedSystem> previous, List<String> added,
        List<String> removed) {

    /** What happened to a system. */
    public enum Type {
        /** It was created. */
        ADDED,
        /** Something about it changed, possibly only its explicit members. */
        UPDATED,
        /** It was deleted. */
        REMOVED,
        /** Only its selected members changed, because other systems changed. */
        MEMBERS_CHANGED
    }

    public SystemEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(previous, "previous");
        added = added.stream().sorted().toList();
        removed = removed.stream().sorted().toList();
    }
}
