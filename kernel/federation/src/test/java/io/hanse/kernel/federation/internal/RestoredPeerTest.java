package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.instance.Instance;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusService;
import io.hanse.api.status.SystemStatus;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemAdminService;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.federation.internal.Link.Message;
import io.hanse.kernel.store.AuditEntry;
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
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer restored from a backup, or this instance restored from one: what the peer says it has in
 * the handshake does not fit this instance's outbox. fra is a federation over H2; ber, at the other
 * end of an in-memory line, is the test host of {@link LinkTest}, with what it has received as its
 * backup says.
 */
class RestoredPeerTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final UUID LINK = UUID.randomUUID();
    /** fra is sent nothing by ber, so it changes no systems: a call fails the test. */
    static final SystemAdminService NO_ADMIN = (SystemAdminService) Proxy.newProxyInstance(
            SystemAdminService.class.getClassLoader(), new Class<?>[] {SystemAdminService.class},
            (proxy, method, arguments) -> {
                throw new AssertionError("fra was asked to change a system: " + method.getName());
            });

    private final KernelDatabase database = KernelDatabase.h2();
    private final JdbcEventStore events = new JdbcEventStore(null, database.database(), database.dataSource());
    private final JdbcFederationStore store = new JdbcFederationStore(null, database.database(),
            database.dataSource());
    private final MemorySystems systems = new MemorySystems();
    private final ManagedSystem db = systems.add("db");
    private final InstanceKey berKey = InstanceKey.generate("ber");
    private final List<LinkTest.Line> lines = new ArrayList<>();
    private Federation fra;
    private Peer berAtFra;

    @BeforeEach
    void start() {
        // The grant's system is stored as well as kept in memory: the grant refers to it.
        new JdbcSystemStore(null, database.dataSource()).insert(new StoredSystem(db.id(),
                SystemDraft.builder("db").build(), List.of(), Instant.now(), Instant.now()),
                new AuditEntry(new Source(Source.Kind.USER, "admin"), "system.create", "system/db", null, null));
        store.insertPeer(new StoredPeer(LINK, "ber", null, berKey.publicKey().line(), berKey.publicKey().fingerprint(),
                false, false, Instant.now(), 0, 0, 0), new AuditEntry(new Source(Source.Kind.USER, "admin"),
                        "federation.join", "peer/ber", null, null));
        fra = new Federation(store, new JdbcAuditLog(null, database.dataSource()),
                () -> new Instance("fra", "fra", "1.0"), systems, NO_ADMIN, new AllOk(),
                new MemoryTimeline(Set.of()), events, "http://127.0.0.1:1", new Config(), CLOCK);
        fra.open();
        berAtFra = fra.allPeers().iterator().next();
        fra.grant(TestCaller.everywhere("admin"), "ber", "db", true, Set.of(), null);
        events.insert(List.of(event("first"), event("second")));
        LinkTest.await(() -> store.outbox(LINK, 0, 100).size() == 3, "a snapshot and two events in ber's outbox");
    }

    @AfterEach
    void stop() {
        lines.forEach(line -> line.close("test over"));
        fra.close();
        database.close();
    }

    @Test
    void aPeerThatHasLessThanItAcknowledgedIsResynchronisedOnceInsteadOfReconnectingForEver() {
        LinkTest.Host ber = connect(0);
        LinkTest.await(() -> eventIds(ber).contains("second") && berAtFra.acknowledged.get() == berAtFra.enqueued.get(),
                "ber has and acknowledged all");
        hangUp(ber);

        // ber as its backup from before it had the events: refused once, as a link replacing another
        // could say so a moment, then resynchronised when it says so again.
        refused(connect(1));
        assertEquals(0, berAtFra.resyncs.get());
        LinkTest.Host restored = connect(1);
        events.insert(List.of(event("third")));
        LinkTest.await(() -> eventIds(restored).contains("third"), "the third event at the restored ber");
        assertTrue(Delivery.resynchronises(restored.received.get(0).type(), restored.received.get(0).body()),
                "first a resynchronisation: " + restored.received.get(0));
        assertEquals(List.of(), restored.refusals);
        assertEquals(1, berAtFra.resyncs.get());

        hangUp(restored);
        LinkTest.Host again = connect(restored.peer.received.get());
        events.insert(List.of(event("fourth")));
        LinkTest.await(() -> eventIds(again).contains("fourth"), "the fourth event");
        assertEquals(1, berAtFra.resyncs.get(), "once: what ber has now fits");
    }

    @Test
    void aPeerThatSaysLessThanItAcknowledgedOnceAndThenFitsLosesNothing() {
        LinkTest.Host ber = connect(0);
        LinkTest.await(() -> eventIds(ber).contains("second") && berAtFra.acknowledged.get() == berAtFra.enqueued.get(),
                "ber has and acknowledged all");
        long has = ber.peer.received.get();
        hangUp(ber);

        // A link whose handshake read what ber had before the link it replaces stored the rest.
        refused(connect(1));
        LinkTest.Host fits = connect(has);
        events.insert(List.of(event("third")));
        LinkTest.await(() -> eventIds(fits).contains("third"), "the third event");
        assertEquals(0, berAtFra.resyncs.get(), "no resynchronisation, which would drop what was not yet sent");
        assertEquals("third", eventIds(fits).get(0));
    }

    @Test
    void aPeerThatHasMoreThanWasEverSentHereIsSentWhatComesNextNumberedAfterIt() {
        // fra as its backup from before it had sent ber up to 100.
        LinkTest.Host ber = connect(100);
        events.insert(List.of(event("third")));
        LinkTest.await(() -> eventIds(ber).contains("third"), "the third event at ber");
        assertTrue(Delivery.resynchronises(ber.received.get(0).type(), ber.received.get(0).body()),
                "first a resynchronisation: " + ber.received.get(0));
        // ber stores how far it has received after it applied the messages: wait for that too.
        LinkTest.await(() -> ber.peer.received.get() > 101, "the resynchronisation as 101, then the event");
        assertEquals(List.of(), ber.refusals);
        // The outbox is emptied before the acknowledgement is taken in memory: both are waited for.
        LinkTest.await(() -> store.outbox(LINK, 0, 100).isEmpty()
                && berAtFra.acknowledged.get() == ber.peer.received.get(),
                "fra's outbox emptied as ber acknowledges");
    }

    @Test
    void whatIsReceivedFromAPeerIsOnlyEverRaisedInMemoryAsInTheStore() {
        fra.received(berAtFra, 10);
        fra.received(berAtFra, 5);
        assertEquals(10, berAtFra.received.get());
        assertEquals(10, store.peers().get(0).received());
    }

    // --- helpers ---

    /** Connects ber, dialing, to fra, with ber having received everything up to {@code received}. */
    private LinkTest.Host connect(long received) {
        Federation.Identity identity = fra.identity(TestCaller.everywhere("admin"));
        LinkTest.Host ber = new LinkTest.Host("ber", berKey, new Peer(new StoredPeer(LINK, "fra", null,
                identity.publicKey(), identity.fingerprint(), false, false, Instant.now(), 0, 0, received)));
        LinkTest.Line toFra = new LinkTest.Line();
        LinkTest.Line toBer = new LinkTest.Line();
        Link dialing = Link.dialed(ber, toFra, CLOCK, ber.peer);
        Link accepting = fra.accept(toBer);
        toFra.connect(accepting, toBer);
        toBer.connect(dialing, toFra);
        lines.add(toFra);
        lines.add(toBer);
        accepting.start();
        LinkTest.await(() -> ber.opened.size() == 1, "linked");
        return ber;
    }

    /** Waits until fra refused the link, having sent nothing, and hangs up ber's end of it. */
    private void refused(LinkTest.Host ber) {
        LinkTest.await(() -> berAtFra.link() == null
                && String.valueOf(berAtFra.lastProblem()).endsWith("connect again"),
                "the link refused");
        assertEquals(List.of(), ber.received);
        ber.peer.link().close("hung up");
    }

    private void hangUp(LinkTest.Host ber) {
        berAtFra.link().close("hung up");
        ber.peer.link().close("hung up");
        LinkTest.await(() -> berAtFra.link() == null, "fra sees the link end");
    }

    private static List<String> eventIds(LinkTest.Host ber) {
        return ber.received.stream().filter(message -> message.type().equals(Delivery.EVENT))
                .map(Message::body).map(body -> body.path("id").asText()).toList();
    }

    private Event event(String id) {
        Instant now = Instant.now();
        return new Event(id, "deploy.finished", db.id(), db.slug(), now, now, new Source(Source.Kind.USER, "alice"),
                "fra", "{}");
    }

    static final class AllOk implements StatusService {
        @Override
        public SystemStatus status(String slug, int maxCauses) {
            return new SystemStatus(slug, Status.OK, List.of(), Status.OK, Instant.now(), List.of(), 0);
        }

        @Override
        public Status rolledUp(String slug) {
            return Status.OK;
        }
    }

    static class Config implements FederationConfig {
        @Override
        public Class<? extends Annotation> annotationType() {
            return FederationConfig.class;
        }

        @Override
        public String url() {
            return "";
        }

        @Override
        public int invitationHours() {
            return 24;
        }

        @Override
        public int outboxLimit() {
            return 1_000;
        }

        @Override
        public int maxFrameBytes() {
            return 1 << 20;
        }

        @Override
        public int maxBatch() {
            return 100;
        }

        @Override
        public int maxRetrySeconds() {
            return 1;
        }

        @Override
        public int unlinkedSeconds() {
            return 120;
        }
    }
}
