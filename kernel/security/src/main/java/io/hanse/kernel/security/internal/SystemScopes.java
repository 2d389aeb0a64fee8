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
 * The systems each binding root reaches, kept between requests: an agent bound to an aggregate of a
 * thousand systems would otherwise walk the graph on every request it makes. Each reach holds for
 * the {@link SystemService#version() version} of the systems it was worked out on.
 */
final class SystemScopes {

    /** A root's reach, and the generation of the graph it was worked out on. */
    private record Reached(long generation, Set<String> slugs) {
    }

    private final SystemService systems;
    private final Map<GrantedCaller.Root, Reached> reached = new ConcurrentHashMap<>();

    SystemScopes(SystemService systems) {
        this.systems = systems;
    }

    /** Returns the slugs the roots reach: their systems, and all they aggregate where a root says so. */
    Set<String> expand(List<GrantedCaller.Root> roots) {
        if (roots.size() == 1) {
            return expand(roots.get(0));
        }
        Set<String> slugs = new HashSet<>();
        roots.forEach(root -> slugs.addAll(expand(root)));
        return slugs;
    }

    private Set<String> expand(GrantedCaller.Root root) {
        long current = systems.version();
        Reached known = reached.get(root);
        if (known != null && known.generation() == current) {
            return known.slugs();
        }
        Set<String> slugs = new HashSet<>();
        Optional<ManagedSystem> system = systems.find(root.system());
        if (system.isPresent()) {
            slugs.add(system.get().slug());
            if (root.includeMembers()) {
                slugs.addAll(systems.transitiveMembers(system.get().slug()));
            }
        }
        Set<String> immutable = Set.copyOf(slugs);
        if (systems.version() == current) {
            reached.put(root, new Reached(current, immutable));
        }
        return immutable;
    }
}
