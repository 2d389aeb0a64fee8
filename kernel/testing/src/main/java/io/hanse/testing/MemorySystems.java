package io.hanse.testing;

import io.hanse.api.Messages;
import io.hanse.api.NotFoundException;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.system.SystemService;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Systems with explicit members only, kept in memory: enough of the kernel's system graph for tests
 * of code that reads systems, their members and their version.
 */
public final class MemorySystems implements SystemService {

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private final Map<String, ManagedSystem> bySlug = new TreeMap<>();
    private long version;

    /** Adds a system whose explicit members are the given slugs. */
    public ManagedSystem add(String slug, String... members) {
        SystemDraft draft = SystemDraft.builder(slug).members(List.of(members)).build();
        ManagedSystem system = new ManagedSystem(UUID.randomUUID(), draft.slug(), draft.name(), draft.kind(),
                draft.labels(), draft.description(), draft.owners(), draft.links(), draft.rules(), draft.members(),
                draft.selector(), CREATED, CREATED);
        bySlug.put(slug, system);
        version++;
        return system;
    }

    /** Deletes a system, and takes it out of the aggregates it was a member of, as the kernel does. */
    public ManagedSystem remove(String slug) {
        ManagedSystem removed = get(slug);
        bySlug.remove(slug);
        version++;
        bySlug.replaceAll((key, system) -> withMembers(system, system.members().stream()
                .filter(member -> !member.equals(slug)).toList()));
        return removed;
    }

    /**
     * Gives a system a new slug, keeping its id, and names it so in the aggregates it is a member
     * of, as the kernel does.
     *
     * @return the system as it is now
     */
    public ManagedSystem rename(String slug, String newSlug) {
        ManagedSystem system = get(slug);
        ManagedSystem renamed = new ManagedSystem(system.id(), newSlug, system.name(), system.kind(), system.labels(),
                system.description(), system.owners(), system.links(), system.rules(), system.members(),
                system.selector(), system.created(), system.updated());
        bySlug.remove(slug);
        bySlug.put(newSlug, renamed);
        version++;
        bySlug.replaceAll((key, aggregate) -> withMembers(aggregate, aggregate.members().stream()
                .map(member -> member.equals(slug) ? newSlug : member).toList()));
        return renamed;
    }

    private static ManagedSystem withMembers(ManagedSystem system, List<String> members) {
        return members.equals(system.members()) ? system : new ManagedSystem(system.id(), system.slug(), system.name(),
                system.kind(), system.labels(), system.description(), system.owners(), system.links(), system.rules(),
                members, system.selector(), system.created(), system.updated());
    }

    @Override
    public Optional<ManagedSystem> find(String slug) {
        return Optional.ofNullable(bySlug.get(slug));
    }

    @Override
    public Optional<ManagedSystem> find(UUID id) {
        return bySlug.values().stream().filter(system -> system.id().equals(id)).findFirst();
    }

    @Override
    public ManagedSystem get(String slug) {
        return find(slug).orElseThrow(() -> new NotFoundException("no system " + Messages.quote(slug)));
    }

    @Override
    public List<ManagedSystem> list(String kind, Selector selector) {
        return bySlug.values().stream().filter(system -> kind == null || kind.equals(system.kind()))
                .filter(system -> selector == null || selector.matches(system.labels())).toList();
    }

    @Override
    public List<ManagedSystem> members(String slug) {
        return get(slug).members().stream().map(this::find).flatMap(Optional::stream)
                .sorted(Comparator.comparing(ManagedSystem::slug)).toList();
    }

    @Override
    public List<String> transitiveMembers(String slug) {
        Set<String> found = new LinkedHashSet<>();
        collect(get(slug), found);
        found.remove(slug);
        return found.stream().sorted().toList();
    }

    private void collect(ManagedSystem system, Set<String> found) {
        for (ManagedSystem member : members(system.slug())) {
            if (found.add(member.slug())) {
                collect(member, found);
            }
        }
    }

    @Override
    public List<ManagedSystem> aggregates(String slug) {
        get(slug);
        return bySlug.values().stream().filter(system -> system.members().contains(slug)).toList();
    }

    @Override
    public int count() {
        return bySlug.size();
    }

    @Override
    public long version() {
        return version;
    }
}
