package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hanse.api.UnavailableException;
import io.hanse.api.status.Cause;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusChange;
import io.hanse.api.status.StatusReport;
import io.hanse.api.status.StatusService;
import io.hanse.api.status.SystemStatus;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.FederationStore;
import io.hanse.kernel.store.OutboxMessage;
import io.hanse.kernel.store.StoredGrant;
import io.hanse.kernel.store.StoredPeer;
import io.hanse.kernel.store.internal.JdbcEventStore;
import io.hanse.kernel.store.internal.JdbcFederationStore;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MemorySystems;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Filling a peer's outbox from the timeline, on H2. */
class DeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KernelDatabase database = KernelDatabase.h2();
    private final JdbcEventStore events = new JdbcEventStore(null, database.database(), database.dataSource());
    private final JdbcFederationStore store = new JdbcFederationStore(null, database.database(),
            database.dataSource());
    private final MemorySystems systems = new MemorySystems();
    private final ManagedSystem db = systems.add("db");
    private final ManagedSystem web = systems.add("web");
    private final Peer ber = peer("ber");
    /** How many times a system's status was asked for: once for each snapshot of it. */
    private final AtomicInteger statusAsked = new AtomicInteger();
    /** Every system's own status, as the status service tells it. */
    private volatile Status current = Status.OK;
    /** What the status service tells of particular systems instead. */
    private final Map<String, SystemStatus> statuses = new ConcurrentHashMap<>();
    /** While held, the delivery thread waits in the status service, once it has read {@link #current}. */
    private volatile CountDownLatch held = new CountDownLatch(0);
    private final CountDownLatch holding = new CountDownLatch(1);
    private Delivery delivery;

    @AfterEach
    void close() {
        if (delivery != null) {
            delivery.stop();
        }
        database.close();
    }

    @Test
    void anEventWhoseBodyCannotBeWrittenAsCanonicalJsonHoldsBackNoOther() throws InterruptedException {
        start(List.of(grant(db, null)));
        // The timeline takes a member name twice; canonical JSON has no way to write it.
        events.insert(List.of(event("twice", db, "{\"a\":1,\"a\":2}"), event("after", db, "{\"a\":1}")));
        assertEquals(List.of("after"), sentEvents("after"));
    }

    @Test
    void aBatchWhoseCommitWentThroughThoughItsAnswerWasLostIsNotNumberedAgainForEver() throws InterruptedException {
        AtomicBoolean lost = new AtomicBoolean();
        // The outbox as stored, but the first commit of an event answers as if it failed.
        FederationStore losing = (FederationStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {FederationStore.class}, (proxy, method, arguments) -> {
                    Object result = invoke(method, arguments);
                    if (method.getName().equals("enqueue") && ((List<?>) arguments[0]).stream()
                            .anyMatch(message -> ((OutboxMessage) message).type().equals("event"))
                            && lost.compareAndSet(false, true)) {
                        throw new UnavailableException("the connection was lost during the commit");
                    }
                    return result;
                });
        start(losing, List.of(grant(db, null)));
        events.insert(List.of(event("first", db, "{}")));
        await(() -> lost.get());
        events.insert(List.of(event("second", db, "{}")));
        assertEquals(List.of("first", "first", "second"), sentEvents("second"), "the first twice: peers take it once");
    }

    @Test
    void anErrorFillingOutboxesDoesNotEndDelivery() throws InterruptedException {
        AtomicBoolean failed = new AtomicBoolean();
        FederationStore failing = (FederationStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {FederationStore.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("enqueue") && ((List<?>) arguments[0]).stream()
                            .anyMatch(message -> ((OutboxMessage) message).type().equals("event"))
                            && failed.compareAndSet(false, true)) {
                        throw new LinkageError("a class gone with a bundle refresh");
                    }
                    return invoke(method, arguments);
                });
        start(failing, List.of(grant(db, null)));
        events.insert(List.of(event("first", db, "{}")));
        await(() -> failed.get());
        events.insert(List.of(event("second", db, "{}")));
        assertEquals(List.of("first", "second"), sentEvents("second"));
    }

    @Test
    void pastItsLimitTheQueueRefusesPluginMessagesAndLeavesOutChangesThatAFreshSnapshotCarries() throws Exception {
        start(List.of(grant(db, null)));
        await(() -> !snapshots().isEmpty());
        held = new CountDownLatch(1);
        delivery.statusChanged(change(db));
        assertTrue(holding.await(10, TimeUnit.SECONDS), "the delivery thread waits for db's status");
        for (int i = 0; i < Delivery.WORK_LIMIT; i++) {
            delivery.statusChanged(change(web));
        }
        assertThrows(UnavailableException.class, () -> delivery.send(new Delivery.Outgoing("note-1", "example.note",
                db, JsonNodeFactory.instance.objectNode())));

        current = Status.CRITICAL;
        delivery.statusChanged(change(db));
        held.countDown();
        String critical = "\"status\":\"" + Status.CRITICAL.label() + "\"";
        await(() -> snapshots().stream().anyMatch(snapshot -> snapshot.contains(critical)));
        assertTrue(snapshots().stream().anyMatch(snapshot -> snapshot.contains(critical)),
                "the change left out reaches the peer in a fresh snapshot: " + snapshots());
    }

    @Test
    void aGrantThatExpiredBesideOneInForceIsWorkedOutOnceNotAtEveryPass() throws InterruptedException {
        start(List.of(grant(db, null), grant(web, Instant.now().minusSeconds(1))));
        Thread.sleep(1_000);
        int settled = statusAsked.get();
        Thread.sleep(1_500);
        assertEquals(settled, statusAsked.get(), "nothing changed, so no snapshot was made again");
    }

    @Test
    void aSnapshotQueuedBeforeARevocationLeavesWithoutTheSystemsRevoked() throws InterruptedException {
        ManagedSystem shop = systems.add("shop", "db", "web");
        StoredGrant dbGrant = grant(db, true, null);
        List<StoredGrant> grants = new CopyOnWriteArrayList<>(List.of(grant(shop, false, null), dbGrant));
        start(grants);
        await(() -> snapshots().size() == 1);
        OutboxMessage queued = store.outbox(ber.id(), 0, 1).get(0);
        assertTrue(queued.body().contains("\"members\":[\"db\"]"), queued.body());

        grants.replaceAll(grant -> grant == dbGrant ? revoked(grant) : grant);
        delivery.grantsChanged();
        await(() -> snapshots().size() == 2);
        Link.Outgoing sent = delivery.current(ber, queued);
        assertEquals(Delivery.SNAPSHOT, sent.type());
        assertEquals(snapshots().get(1), sent.body(), "as the snapshot made after the revocation: shop alone,"
                + " without db among its members");
        assertEquals(snapshots().get(1), delivery.current(ber, store.outbox(ber.id(), 1, 1).get(0)).body());
    }

    @Test
    void anAggregatesStatusCountsAnotherInstancesSystemsAmongItsMembersWithoutExplainingThem() throws Exception {
        systems.add("zrh/web");
        ManagedSystem shop = systems.add("shop", "db", "zrh/web");
        given("zrh/web", new Cause(List.of("zrh/web"), Status.CRITICAL, List.of(new StatusReport("federation",
                Status.CRITICAL, "on zrh: web: monitoring http CRITICAL", Instant.now()))));
        given("db", new Cause(List.of("db"), Status.CRITICAL, List.of(new StatusReport("monitoring",
                Status.CRITICAL, "disk full", Instant.now()))));
        start(List.of(grant(shop, false, null)));
        await(() -> snapshots().size() == 1);
        JsonNode entry = JSON.readTree(snapshots().get(0)).path("systems").get(0);
        assertEquals("shop", entry.path("slug").asText());
        assertEquals(Status.CRITICAL.label(), entry.path("status").asText());
        assertEquals("db: monitoring disk full", entry.path("summary").asText());
    }

    @Test
    void aRecordOfMembersChangingNamesOnlyTheMembersThePeerIsGranted() throws Exception {
        systems.add("zrh/db");
        ManagedSystem shop = systems.add("shop", "db", "zrh/db");
        ManagedSystem stock = systems.add("stock", "web");
        start(List.of(grant(shop, true, null), grant(stock, false, null)));
        events.insert(List.of(
                record("shop-changed", shop, "{\"name\":\"shop\",\"kind\":\"service\",\"addedMembers\":[\"db\","
                        + "\"zrh/db\"],\"removedMembers\":[\"gone\"]}"),
                record("stock-changed", stock, "{\"name\":\"stock\",\"kind\":\"service\",\"addedMembers\":"
                        + "[\"web\"]}")));
        sentEvents("stock-changed");
        Map<String, JsonNode> sent = new HashMap<>();
        for (OutboxMessage message : store.outbox(ber.id(), 0, 100)) {
            JsonNode body = JSON.readTree(message.body());
            if (message.type().equals(Delivery.EVENT)) {
                sent.put(body.path("id").asText(), body.path("body"));
            }
        }
        assertEquals(JSON.readTree("{\"name\":\"shop\",\"kind\":\"service\",\"addedMembers\":[\"db\"]}"),
                sent.get("shop-changed"), "neither a third instance's system nor one it is not granted");
        assertEquals(JSON.readTree("{\"name\":\"stock\",\"kind\":\"service\"}"), sent.get("stock-changed"),
                "granted without members, it is told of none");
    }

    /** Returns the ids of the events in the peer's outbox, once the last is there (or after 10 s). */
    private List<String> sentEvents(String last) throws InterruptedException {
        List<List<String>> sent = new ArrayList<>(List.of(List.of()));
        await(() -> {
            sent.set(0, store.outbox(ber.id(), 0, 100).stream().filter(message -> message.type().equals("event"))
                    .map(message -> message.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1")).toList());
            return sent.get(0).contains(last);
        });
        return sent.get(0);
    }

    private List<String> snapshots() {
        return store.outbox(ber.id(), 0, 100).stream().filter(message -> message.type().equals(Delivery.SNAPSHOT))
                .map(OutboxMessage::body).toList();
    }

    /** Has the status service tell of a system's own status as this one cause says. */
    private void given(String slug, Cause cause) {
        statuses.put(slug, new SystemStatus(slug, cause.status(), cause.reports(), cause.status(), Instant.now(),
                List.of(cause), 1));
    }

    private static StatusChange change(ManagedSystem system) {
        return new StatusChange(system.slug(), Status.OK, Status.OK, Status.OK, Status.OK, Instant.now());
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && !done.getAsBoolean()) {
            Thread.sleep(100);
        }
    }

    private Object invoke(Method method, Object[] arguments) throws Throwable {
        try {
            return method.invoke(store, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private void start(List<StoredGrant> grants) {
        start(store, grants);
    }

    private void start(FederationStore outboxes, List<StoredGrant> grants) {
        StatusService ok = new StatusService() {
            @Override
            public SystemStatus status(String slug, int maxCauses) {
                statusAsked.incrementAndGet();
                if (statuses.containsKey(slug)) {
                    return statuses.get(slug);
                }
                Status now = current;
                if (held.getCount() > 0) {
                    holding.countDown();
                    try {
                        held.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return new SystemStatus(slug, now, List.of(), now, Instant.now(), List.of(), 0);
            }

            @Override
            public Status rolledUp(String slug) {
                return Status.OK;
            }
        };
        delivery = new Delivery(outboxes, systems, ok, events, "fra", () -> List.of(ber), () -> grants, 1_000,
                Clock.systemUTC());
        delivery.start();
    }

    private Peer peer(String name) {
        InstanceKey key = InstanceKey.generate(name);
        StoredPeer stored = new StoredPeer(UUID.randomUUID(), name, null, key.publicKey().line(),
                key.publicKey().fingerprint(), false, false, Instant.now(), 0, 0, 0);
        store.insertPeer(stored, new AuditEntry(new Source(Source.Kind.USER, "admin"), "federation.join",
                "peer/" + name, null, null));
        return new Peer(stored);
    }

    private StoredGrant grant(ManagedSystem system, Instant expires) {
        return grant(system, true, expires);
    }

    private StoredGrant grant(ManagedSystem system, boolean members, Instant expires) {
        return new StoredGrant(UUID.randomUUID(), ber.id(), system.id(), members, Set.of(), "admin",
                Instant.now().minusSeconds(60), expires, null);
    }

    private static StoredGrant revoked(StoredGrant grant) {
        return new StoredGrant(grant.id(), grant.peer(), grant.system(), grant.members(), grant.actions(),
                grant.createdBy(), grant.created(), grant.expires(), Instant.now());
    }

    /** A record the kernel keeps of a change to a system. */
    private static Event record(String id, ManagedSystem system, String body) {
        Instant now = Instant.now();
        return new Event(id, "system.members-changed", system.id(), system.slug(), now, now, Source.KERNEL, "fra",
                body);
    }

    private static Event event(String id, ManagedSystem system, String body) {
        Instant now = Instant.now();
        return new Event(id, "deploy.finished", system.id(), system.slug(), now, now,
                new Source(Source.Kind.USER, "alice"), "fra", body);
    }
}
