package io.hanse.kernel.core.command.system;

import io.hanse.api.system.Link;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Rules;
import io.hanse.api.system.Selector;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Systems as the kernel would store them, for tests. */
final class Systems {

    static final Instant CREATED = Instant.parse("2026-11-01T08:00:00Z");

    private Systems() {
    }

    /** Returns a system with this slug and nothing else set. */
    static ManagedSystem bare(String slug) {
        return new ManagedSystem(UUID.nameUUIDFromBytes(slug.getBytes()), slug, slug, "component", Map.of(), "",
                List.of(), List.of(), Rules.NONE, List.of(), Optional.empty(), CREATED, CREATED);
    }

    /** Returns a system with every part set. */
    static ManagedSystem storage() {
        return new ManagedSystem(UUID.fromString("00000000-0000-0000-0000-000000000001"), "storage-fra1",
                "Storage Frankfurt", "service", Map.of("dc", "fra1", "tier", "gold"), "Ceph for the fra1 hosts",
                List.of("team-storage"),
                List.of(new Link("Grafana", URI.create("https://grafana.example/d/ceph"), "dashboard")),
                new Rules("Never reboot two nodes at once", List.of("team-storage"), List.of("alice", "bob")),
                List.of("db-1"), Optional.of(Selector.parse("kind=host,dc=fra1")), CREATED, CREATED);
    }
}
