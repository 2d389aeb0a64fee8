package io.hanse.monitoring.internal;

import io.hanse.api.NotFoundException;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Rules;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Systems with members, as the kernel's system service shows them, for tests of what reads them. */
final class MemorySystems implements SystemService {

    private final Map<String, ManagedSystem> systems = new LinkedHashMap<>();

    MemorySystems add(String slug, String... members) {
        systems.put(slug, new ManagedSystem(UUID.randomUUID(), slug, slug, "service", Map.of(), "", List.of(),
                List.of(), Rules.NONE, List.of(members), Optional.empty(), Instant.EPOCH, Instant.EPOCH));
        return this;
    }

    @Override
    public Optional<ManagedSystem> find(String slug) {
        return Optional.ofNullable(systems.get(slug));
    }

    @Override
    public Optional<ManagedSystem> find(UUID id) {
        return systems.values().stream().filter(system -> system.id().equals(id)).findFirst();
    }

    @Override
    public ManagedSystem get(String slug) {
        return find(slug).orElseThrow(() -> new NotFoundException("no system '" + slug + "'"));
    }

    @Override
    public List<ManagedSystem> list(String kind, Selector selector) {
        return List.copyOf(systems.values());
    }

    @Override
    public List<ManagedSystem> members(String slug) {
        return get(slug).members().stream().map(this::get).toList();
    }

    @Override
    public List<String> transitiveMembers(String slug) {
        List<String> all = new ArrayList<>();
        for (String member : get(slug).members()) {
            all.add(member);
            all.addAll(transitiveMembers(member));
        }
        return all;
    }

    @Override
    public List<ManagedSystem> aggregates(String slug) {
        return systems.values().stream().filter(system -> system.members().contains(slug)).toList();
    }

    @Override
    public int count() {
        return systems.size();
    }

    @Override
    public long version() {
        return systems.size();
    }
}
