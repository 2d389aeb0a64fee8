package io.hanse.api.security;

import java.util.Set;

/**
 * Where a caller holds a permission: everywhere, or on a set of systems (those bound and
 * everything they aggregate, at any depth), possibly none.
 *
 * @param everywhere whether the permission is held on the whole instance
 * @param systems the slugs of the systems it is held on when not everywhere; empty when everywhere
 */
public record Scope(boolean everywhere, Set<String> systems) {

    /** The whole instance. */
    public static final Scope EVERYWHERE = new Scope(true, Set.of());
    /** No system at all. */
    public static final Scope NOWHERE = new Scope(false, Set.of());

    public Scope {
        systems = everywhere ? Set.of() : Set.copyOf(systems);
    }

    /** Returns a scope of the given systems. */
    public static Scope of(Set<String> systems) {
        return new Scope(false, systems);
    }

    /** Returns whether the scope includes the system. */
    public boolean includes(String system) {
        return everywhere || systems.contains(system);
    }

    /** Returns whether the scope includes nothing. */
    public boolean isEmpty() {
        return !everywhere && systems.isEmpty();
    }
}
