package io.hanse.kernel.core.internal.system;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** What the timeline needs to know about the graph, by id: the kernel's internal view. */
public interface SystemIndex {

    /** Returns the id of the system with this slug, if there is one. */
    Optional<UUID> id(String slug);

    /** Returns the ids of a system and of everything below it. */
    Set<UUID> selfAndBelow(UUID system);

    /** Returns whether {@code system} is {@code ancestor} or lies anywhere below it. */
    boolean isWithin(UUID system, UUID ancestor);
}
