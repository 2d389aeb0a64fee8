package io.hanse.kernel.security.internal;

import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemService;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The systems binding roots reach, kept between requests: an agent bound to an aggregate of a
 * thousand systems would otherwise walk the graph, and copy what it found, on every request it
 * makes. Each reach holds for the {@link SystemService#version() version} of the systems it was
 * worked out on.
 */
final class SystemScopes {

    /** A reach, and the version of the systems it was worked out on. */
    private record Reached(long version, Set<String> slugs) {
    }

    /** Bounds the kept reaches: there is one per distinct set of roots, so per kind of binding. */
    private static final int MAX_KEPT = 10_000;

    private final SystemService systems;
    private final Map<List<GrantedCaller.Root>, Reached> reached = new ConcurrentHashMap<>();

    SystemScopes(SystemService systems) {
        this.systems = systems;
    }

    /** Returns the version of the systems: another number means a reach may have changed. */
    long version() {
        return systems.version();
    }

    /**
     * Returns the slugs the roots reach: their systems, and all they aggregate where a root says so.
     * The set is immutable and shared.
     */
    Set<String> expand(List<GrantedCaller.Root> roots) {
        long current = systems.version();
        Reached known = reached.get(roots);
        if (known != null && known.version() == current) {
            return known.slugs();
        }
        Set<String> slugs = new HashSet<>();
        for (GrantedCaller.Root root : roots) {
            Optional<ManagedSystem> system = systems.find(root.system());
            if (system.isPresent()) {
                slugs.add(system.get().slug());
                if (root.includeMembers()) {
                    slugs.addAll(systems.transitiveMembers(system.get().slug()));
                }
            }
        }
        Set<String> immutable = Set.copyOf(slugs);
        if (systems.version() == current) {
            if (reached.size() >= MAX_KEPT) {
                reached.clear();
            }
            reached.put(List.copyOf(roots), new Reached(current, immutable));
        }
        return immutable;
    }
}
