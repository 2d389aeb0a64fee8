package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.ForbiddenException;
import io.hanse.api.federation.PeerMessage;
import io.hanse.api.federation.PeerMessageHandler;
import io.hanse.api.security.Caller;
import io.hanse.api.status.Status;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemAdminService;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.federation.internal.Link.Message;
import io.hanse.kernel.store.StoredPeer;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.MemoryTimeline;
import io.hanse.testing.StatusReports;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The receiving side: a peer's snapshot becomes remote systems here, its events and statuses apply
 * only to what it granted, and everything else is refused while the rest of the batch applies.
 */
class RemoteTest {

    private final MemorySystems systems = new MemorySystems();
    private final Set<String> slugs = ConcurrentHashMap.newKeySet();
    private final MemoryTimeline timeline = new MemoryTimeline(slugs);
    private final StatusReports reports = new StatusReports();
    private final List<String> refusals = new ArrayList<>();
    private final List<PeerMessage> notes = new ArrayList<>();
    /** What grants here allow peers to ask for: "peer action system". */
    private final Set<String> permitted = ConcurrentHashMap.newKeySet();
    private final PeerMessageHandler noteHandler = new PeerMessageHandler() {
        @Override
        public Set<String> types() {
            return Set.of("example.note");
        }

        @Override
        public void receive(PeerMessage message) {
            if (message.body().contains("boom")) {
                throw new IllegalStateException("the plugin failed");
            }
            notes.add(message);
        }
    };
    private final Remote remote = new Remote(new Admin(), systems, timeline,
            (peer, reason) -> refusals.add(peer.name() + ": " + reason),
            type -> noteHandler.types().contains(type) ? noteHandler : null,
            (peer, action, system) -> permitted.contains(peer.name() + " " + action + " " + system));
    private final Peer fra = peer("fra");
    /** Putting the remote system of this slug waits for {@link #resume}, after counting {@link #putting} down. */
    private volatile String held;
    private final CountDownLatch putting = new CountDownLatch(1);
    private final CountDownLatch resume = new CountDownLatch(1);

    RemoteTest() {
        remote.start(reports);
    }

    @Test
    void aSnapshotMakesThePeersGrantedSystemsRemoteSystemsHereWithTheirStatus() {
        receive(snapshot(system("db", "critical", "monitoring disk /var 99%"), system("storage", "no-data", "",
                "db")));
        assertEquals(List.of("fra/db"), systems.get("fra/storage").members());
        assertEquals(Status.CRITICAL, reports.status("fra/db"));
        assertEquals("on fra: monitoring disk /var 99%", reports.summary("fra/db"));
        assertEquals(Set.of("db", "storage"), remote.granted("fra"));

        // The next snapshot no longer lists db: it goes, with its status.
        receive(snapshot(system("storage", "ok", "")));
        assertFalse(systems.find("fra/db").isPresent());
        assertNull(reports.status("fra/db"));
        assertEquals(List.of(), systems.get("fra/storage").members());
        assertTrue(refusals.isEmpty(), refusals.toString());
    }

    @Test
    void eventsAndStatusesAboutSystemsThePeerDidNotGrantAreRefusedAndTheRestApplies() {
        receive(snapshot(system("db", "ok", "")));
        ObjectNode granted = event("e-1", "db");
        ObjectNode notGranted = event("e-2", "secret");
        ObjectNode status = JsonNodeFactory.instance.objectNode().put("system", "secret").put("status", "critical");
        receive(new Message(Delivery.EVENT, granted), new Message(Delivery.EVENT, notGranted),
                new Message(Delivery.STATUS, status), new Message("tickets.mirror", JsonNodeFactory.instance
                        .objectNode()));

        List<Event> stored = timeline.ofType("deploy.finished");
        assertEquals(1, stored.size());
        assertEquals("fra:e-1", stored.get(0).id());
        assertEquals("fra/db", stored.get(0).system());
        assertEquals(new Source(Source.Kind.PEER, "fra"), stored.get(0).source());
        assertEquals(List.of("fra: an event about secret, which it has not granted to this instance",
                "fra: the status of secret, which it has not granted to this instance"), refusals);
        assertEquals(1, fra.unknownTypes.get(), "a newer peer's message type is skipped, not fatal");

        // The same event again stores nothing twice.
        receive(new Message(Delivery.EVENT, granted));
        assertEquals(1, timeline.ofType("deploy.finished").size());
    }

    @Test
    void pluginMessagesGoToTheirHandlerOnlyAboutGrantedSystemsAndAFailingHandlerStopsNothing() {
        receive(snapshot(system("db", "ok", "")));
        receive(note("n-1", "db", "{\"text\":\"boom\"}"), note("n-2", "db", "{\"text\":\"disk swapped\"}"),
                note("n-3", "secret", "{\"text\":\"x\"}"), new Message("example.reaction", JsonNodeFactory.instance
                        .objectNode()));
        assertEquals(List.of(new PeerMessage("n-2", "fra", "example.note", "fra/db", "{\"text\":\"disk swapped\"}")),
                notes);
        assertEquals(1, fra.handlerFailures.get());
        assertEquals(1, fra.unknownTypes.get(), "a type of a newer plugin version is skipped");
        assertEquals(List.of("fra: a example.note message about secret, which it has not granted to this instance"),
                refusals);
    }

    @Test
    void anActionAskedForReachesItsHandlerOnlyWhereAGrantAllowsIt() {
        permitted.add("fra example.note db");
        permitted.add("fra example.unknown db");
        receive(ask("a-1", "example.note", "db", "{\"text\":\"look at the disk\"}"),
                ask("a-2", "example.note", "secret", "{\"text\":\"let me in\"}"),
                ask("a-3", "example.unknown", "db", "{}"));
        assertEquals(List.of(new PeerMessage("a-1", "fra", "example.note", "db", "{\"text\":\"look at the disk\"}")),
                notes, "about this instance's own db, as it is called here");
        assertEquals(List.of("fra: it asked for example.note on secret, which no grant to it allows"), refusals);
        assertEquals(1, fra.unknownTypes.get(), "an allowed action nobody here takes");
    }

    @Test
    void aRevocationTakesTheSystemsAwayAtOnceAndLaterMessagesAboutThemAreRefused() {
        receive(snapshot(system("db", "critical", "x"), system("web", "ok", "")));
        remote.revoked(fra, List.of("db", "unknown"));
        assertFalse(systems.find("fra/db").isPresent());
        assertTrue(systems.find("fra/web").isPresent());
        receive(new Message(Delivery.EVENT, event("late", "db")));
        assertEquals(List.of("fra: an event about db, which it has not granted to this instance"), refusals);
        assertTrue(timeline.events().isEmpty());
    }

    @Test
    void aRevocationWaitsForASnapshotBeingAppliedRatherThanTheSnapshotPuttingTheSystemBack() throws Exception {
        receive(snapshot(system("db", "ok", "")));
        held = "fra/web";
        Thread applying = new Thread(() -> fra.apply(1, List.of(snapshot(system("db", "ok", ""), system("web", "ok",
                ""))), messages -> remote.receive(fra, messages)));
        applying.start();
        Thread revoking = new Thread(() -> remote.revoked(fra, List.of("db")));
        try {
            assertTrue(putting.await(15, TimeUnit.SECONDS), "the snapshot is being applied");
            revoking.start();
            LinkTest.await(() -> !revoking.isAlive() || revoking.getState() == Thread.State.WAITING,
                    "the revocation done or waiting");
        } finally {
            resume.countDown();
        }
        applying.join();
        revoking.join();
        assertFalse(systems.find("fra/db").isPresent());
        assertEquals(Set.of("web"), remote.granted("fra"));
    }

    @Test
    void aRevocationAfterThePeerWasRemovedChangesNothing() {
        receive(snapshot(system("db", "ok", "")));
        fra.removed();
        remote.revoked(fra, List.of("db"));
        assertTrue(systems.find("fra/db").isPresent(), "forgetting the peer deletes it");
        assertEquals(Set.of("db"), remote.granted("fra"));
    }

    @Test
    void aSnapshotEntryThatIsNotAValidSystemIsRefusedAndTheOthersApply() {
        receive(snapshot(system("Bad Slug", "ok", ""), system("db", "ok", "")));
        assertTrue(systems.find("fra/db").isPresent());
        assertEquals(1, refusals.size());
        assertTrue(refusals.get(0).startsWith("fra: system Bad Slug in a snapshot: slug 'Bad Slug'"), refusals.get(0));
    }

    @Test
    void forgettingAPeerDeletesItsRemoteSystems() {
        receive(snapshot(system("db", "ok", "")));
        remote.forget(fra);
        assertFalse(systems.find("fra/db").isPresent());
        assertEquals(Set.of(), remote.granted("fra"));
    }

    // --- helpers ---

    private void receive(Message... messages) {
        remote.receive(fra, List.of(messages));
    }

    private Peer peer(String name) {
        InstanceKey key = InstanceKey.generate(name);
        StoredPeer stored = new StoredPeer(UUID.randomUUID(), name, "http://127.0.0.1:1", key.publicKey().line(),
                key.publicKey().fingerprint(), false, false, Instant.now(), 0, 0, 0);
        return new Peer(stored);
    }

    private static Message snapshot(ObjectNode... entries) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("resync", false);
        ArrayNode list = body.putArray("systems");
        List.of(entries).forEach(list::add);
        return new Message(Delivery.SNAPSHOT, body);
    }

    private static ObjectNode system(String slug, String status, String summary, String... members) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("id", UUID.randomUUID().toString()).put("slug", slug).put("name", slug).put("kind", "host")
                .put("status", status).put("summary", summary);
        ArrayNode list = entry.putArray("members");
        List.of(members).forEach(list::add);
        return entry;
    }

    private static Message note(String id, String system, String body) {
        ObjectNode message = JsonNodeFactory.instance.objectNode().put("id", id).put("system", system)
                .put("systemId", UUID.randomUUID().toString());
        message.set("body", CanonicalJson.parseObject(body, 1000));
        return new Message("example.note", message);
    }

    private static Message ask(String id, String action, String system, String body) {
        ObjectNode message = JsonNodeFactory.instance.objectNode().put("id", id).put("action", action)
                .put("system", system);
        message.set("body", CanonicalJson.parseObject(body, 1000));
        return new Message(Delivery.ASK, message);
    }

    private static ObjectNode event(String id, String system) {
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("id", id).put("type", "deploy.finished")
                .put("system", system).put("time", "2026-12-05T10:00:00Z");
        event.putObject("body").put("version", "1.2");
        return event;
    }

    /** Puts remote systems into the memory systems as the kernel's system manager does, for peers only. */
    private final class Admin implements SystemAdminService {

        @Override
        public ManagedSystem putRemote(UUID id, SystemDraft draft, Caller caller) {
            if (caller.source().kind() != Source.Kind.PEER) {
                throw new ForbiddenException("only peers");
            }
            if (draft.slug().equals(held)) {
                putting.countDown();
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (systems.find(draft.slug()).isPresent()) {
                systems.remove(draft.slug());
            }
            slugs.add(draft.slug());
            return systems.add(draft.slug(), draft.members().toArray(String[]::new));
        }

        @Override
        public ManagedSystem delete(String slug, Caller caller) {
            slugs.remove(slug);
            return systems.remove(slug);
        }

        @Override
        public ManagedSystem create(SystemDraft draft, Caller caller) {
            throw new UnsupportedOperationException("federation creates no local systems");
        }

        @Override
        public ManagedSystem update(String slug, SystemDraft draft, Caller caller) {
            throw new UnsupportedOperationException("federation changes no local systems");
        }

        @Override
        public ManagedSystem addMember(String aggregate, String member, Caller caller) {
            throw new UnsupportedOperationException("federation changes no local systems");
        }

        @Override
        public ManagedSystem removeMember(String aggregate, String member, Caller caller) {
            throw new UnsupportedOperationException("federation changes no local systems");
        }
    }
}
