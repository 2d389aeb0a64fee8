package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.system.Link;
import io.hanse.api.system.Rules;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditQuery;
import io.hanse.kernel.store.AuditRecord;
import io.hanse.kernel.store.Database;
import io.hanse.kernel.store.StoredSystem;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JdbcSystemStoreTest extends OnBothDatabases {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123456Z");

    private static AuditEntry entry(String actor, String action, String target) {
        return new AuditEntry(new Source(Source.Kind.USER, actor), action, target, null, null);
    }

    private static StoredSystem system(String slug, List<UUID> members) {
        return new StoredSystem(UUID.randomUUID(), SystemDraft.builder(slug).build(), members, T0, T0);
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void keepsARemoteSystemWhoseSlugIsThePeersNameASlashAndItsSlugThere(Database.Kind kind) {
        JdbcSystemStore store = systems(kind);
        String slug = "p" + kind.name().toLowerCase().charAt(0) + "e".repeat(61) + "/" + "s".repeat(63);
        assertEquals(127, slug.length());
        StoredSystem remote = system(slug, List.of());
        store.insert(remote, entry("federation", "system.put-remote", "system/" + slug));
        assertTrue(store.loadAll().stream().anyMatch(stored -> stored.draft().slug().equals(slug)));
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void keepsEverythingAboutASystemAndItsMembersInOrder(Database.Kind kind) {
        JdbcSystemStore store = systems(kind);
        UUID db1 = UUID.randomUUID();
        UUID db2 = UUID.randomUUID();
        UUID storage = UUID.randomUUID();
        store.insert(new StoredSystem(db1, SystemDraft.builder(kind.name().toLowerCase() + "-db-1").build(), List.of(),
                T0, T0), entry("alice", "system.create", "system/db-1"));
        store.insert(new StoredSystem(db2, SystemDraft.builder(kind.name().toLowerCase() + "-db-2").build(), List.of(),
                T0, T0), entry("alice", "system.create", "system/db-2"));
        SystemDraft draft = SystemDraft.builder(kind.name().toLowerCase() + "-storage")
                .name("Storage")
                .kind("service")
                .labels(Map.of("dc", "fra1", "tier", "gold"))
                .description("All the disks")
                .owners(List.of("team-storage", "alice"))
                .links(List.of(new Link("Runbook", URI.create("https://wiki.example/storage"), "runbook")))
                .rules(new Rules("No restarts in business hours", List.of("team-storage"), List.of("oncall")))
                .selector(Selector.parse("kind=storage,dc=fra1"))
                .build();
        StoredSystem stored = new StoredSystem(storage, draft, List.of(db2, db1), T0, T0.plusSeconds(1));
        store.insert(stored, entry("alice", "system.create", "system/storage"));

        StoredSystem loaded = load(store, storage);
        assertEquals(stored.draft(), loaded.draft());
        assertEquals(List.of(db2, db1), loaded.members());
        assertEquals(T0, loaded.created());
        assertEquals(T0.plusSeconds(1), loaded.updated());

        store.update(new StoredSystem(storage, draft, List.of(db1), T0, T0.plusSeconds(2)),
                entry("alice", "system.update", "system/storage"));
        assertEquals(List.of(db1), load(store, storage).members());

        store.delete(db1, T0.plusSeconds(3), entry("alice", "system.delete", "system/db-1"));
        assertEquals(List.of(), load(store, storage).members(), "deleting a system removes it as a member");
        assertEquals(T0.plusSeconds(3), load(store, storage).updated(), "and updates the aggregate");
        assertTrue(store.loadAll().stream().noneMatch(system -> system.id().equals(db1)));
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void writesTheAuditEntryOfEachChange(Database.Kind kind) {
        JdbcSystemStore store = systems(kind);
        StoredSystem web = system("audited-web", List.of());
        AuditEntry created = new AuditEntry(new Source(Source.Kind.USER, "auditor"), "system.create",
                "system/audited-web", null, "{\"slug\":\"audited-web\"}");
        AuditEntry updated = entry("auditor", "system.update", "system/audited-web");
        AuditEntry deleted = entry("auditor", "system.delete", "system/audited-web");

        store.insert(web, created);
        store.update(new StoredSystem(web.id(), web.draft(), List.of(), T0, T0.plusSeconds(1)), updated);
        store.delete(web.id(), T0.plusSeconds(2), deleted);

        assertEquals(List.of(deleted, updated, created), audit(kind)
                .query(new AuditQuery("auditor", null, null, null, 0, 10)).stream().map(AuditRecord::entry).toList());
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aChangeThatFailsLeavesNoAuditEntry(Database.Kind kind) {
        JdbcSystemStore store = systems(kind);
        StoredSystem orphan = system("orphan", List.of(UUID.randomUUID()));

        assertThrows(IllegalStateException.class,
                () -> store.insert(orphan, entry("failing", "system.create", "system/orphan")),
                "a member that does not exist breaks a foreign key");

        assertTrue(store.loadAll().stream().noneMatch(system -> system.id().equals(orphan.id())));
        assertEquals(List.of(), audit(kind).query(new AuditQuery("failing", null, null, null, 0, 10)));
        assertTrue(audit(kind).verify().intact());
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void anAuditEntryThatFailsLeavesNoChange(Database.Kind kind) {
        JdbcSystemStore store = systems(kind);
        StoredSystem unrecorded = system("unrecorded", List.of());

        assertThrows(IllegalStateException.class,
                () -> store.insert(unrecorded, entry("failing", "system.create", "system/" + "x".repeat(300))),
                "a target longer than its column");

        assertTrue(store.loadAll().stream().noneMatch(system -> system.id().equals(unrecorded.id())));
        assertTrue(audit(kind).verify().intact());
    }

    private static StoredSystem load(JdbcSystemStore store, UUID id) {
        return store.loadAll().stream().filter(system -> system.id().equals(id)).findFirst().orElseThrow();
    }
}
