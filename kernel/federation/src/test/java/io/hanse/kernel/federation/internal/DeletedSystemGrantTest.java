package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.NotFoundException;
import io.hanse.api.instance.Instance;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.federation.internal.Federation.GrantView;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.OutboxMessage;
import io.hanse.kernel.store.StoredPeer;
import io.hanse.kernel.store.StoredSystem;
import io.hanse.kernel.store.internal.JdbcAuditLog;
import io.hanse.kernel.store.internal.JdbcEventStore;
import io.hanse.kernel.store.internal.JdbcFederationStore;
import io.hanse.kernel.store.internal.JdbcSystemStore;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.MemoryTimeline;
import io.hanse.testing.TestCaller;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A system granted to ber and then deleted on fra, a federation over H2: the store deletes the grant
 * with it, and fra forgets it too, so that it is neither shown as active nor refused as revoked already.
 */
class DeletedSystemGrantTest {

    private static final UUID LINK = UUID.randomUUID();
    private static final Source ADMIN = new Source(Source.Kind.USER, "admin");

    private final KernelDatabase database = KernelDatabase.h2();
    private final JdbcFederationStore store = new JdbcFederationStore(null, database.database(),
            database.dataSource());
    private final JdbcSystemStore systemStore = new JdbcSystemStore(null, database.dataSource());
    private final MemorySystems systems = new MemorySystems();
    private final ManagedSystem db = systems.add("db");
    private final InstanceKey berKey = InstanceKey.generate("ber");
    private Federation fra;
    private GrantView grant;

    @BeforeEach
    void start() {
        systemStore.insert(new StoredSystem(db.id(), SystemDraft.builder("db").build(), List.of(), Instant.now(),
                Instant.now()), new AuditEntry(ADMIN, "system.create", "system/db", null, null));
        store.insertPeer(new StoredPeer(LINK, "ber", null, berKey.publicKey().line(), berKey.publicKey().fingerprint(),
                false, false, Instant.now(), 0, 0, 0), new AuditEntry(ADMIN, "federation.join", "peer/ber", null,
                        null));
        fra = new Federation(store, new JdbcAuditLog(null, database.dataSource()),
                () -> new Instance("fra", "fra", "1.0"), systems, RestoredPeerTest.NO_ADMIN,
                new RestoredPeerTest.AllOk(), new MemoryTimeline(Set.of()),
                new JdbcEventStore(null, database.database(), database.dataSource()), "http://127.0.0.1:1",
                new RestoredPeerTest.Config(), Clock.systemUTC());
        fra.open();
        grant = fra.grant(TestCaller.everywhere("admin"), "ber", "db", true, Set.of(), null);
        LinkTest.await(() -> snapshotted().equals(List.of(List.of("db"))), "a snapshot with db in ber's outbox");
    }

    @AfterEach
    void stop() {
        fra.close();
        database.close();
    }

    @Test
    void aSystemDeletedTakesItsGrantsAndBerGetsASnapshotWithoutIt() {
        delete();
        fra.event(new SystemEvent(SystemEvent.Type.REMOVED, db, Optional.of(db), List.of(), List.of()));

        assertEquals(List.of(), fra.grants(TestCaller.everywhere("admin")));
        NotFoundException refused = assertThrows(NotFoundException.class,
                () -> fra.revoke(TestCaller.everywhere("admin"), grant.id()));
        assertEquals("no grant " + grant.id(), refused.getMessage());
        LinkTest.await(() -> snapshotted().equals(List.of(List.of("db"), List.of())),
                "a snapshot without db in ber's outbox");
    }

    @Test
    void aGrantWhoseSystemIsDeletedBeforeFraIsToldIsNotListedAndItsRevocationSaysWhy() {
        delete();

        assertEquals(List.of(), fra.grants(TestCaller.everywhere("admin")));
        NotFoundException refused = assertThrows(NotFoundException.class,
                () -> fra.revoke(TestCaller.everywhere("admin"), grant.id()));
        assertEquals("no grant " + grant.id() + ": it was deleted with its system", refused.getMessage());
        assertEquals("no grant " + grant.id(), assertThrows(NotFoundException.class,
                () -> fra.revoke(TestCaller.everywhere("admin"), grant.id())).getMessage(), "forgotten now");
    }

    /** Deletes db as the kernel does: from the store, which takes the grant with it, and from the systems. */
    private void delete() {
        systemStore.delete(db.id(), Instant.now(), new AuditEntry(ADMIN, "system.delete", "system/db", null, null));
        systems.remove("db");
        assertEquals(List.of(), store.grants(), "the store deleted the grant with its system");
    }

    /** The systems each snapshot in ber's outbox lists, in order. */
    private List<List<String>> snapshotted() {
        return store.outbox(LINK, 0, 100).stream().filter(row -> row.type().equals(Delivery.SNAPSHOT))
                .map(OutboxMessage::body).map(body -> CanonicalJson.parseObject(body, Integer.MAX_VALUE))
                .map(snapshot -> snapshot.path("systems").findValuesAsText("slug")).toList();
    }
}
