package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ConflictException;
import io.hanse.api.NotFoundException;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditQuery;
import io.hanse.kernel.store.Database;
import io.hanse.kernel.store.OutboxMessage;
import io.hanse.kernel.store.StoredGrant;
import io.hanse.kernel.store.StoredIdentity;
import io.hanse.kernel.store.StoredInvitation;
import io.hanse.kernel.store.StoredPeer;
import io.hanse.kernel.store.StoredSystem;
import io.hanse.testing.KernelDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tests share one database per kind, each with peers, invitations and systems of its own names, and
 * look only at those; the key pair, one per database, has a database of its own.
 */
class JdbcFederationStoreTest extends OnBothDatabases {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123456Z");
    private static final int THREADS = 8;
    /** The system the test's messages are about. */
    private static final UUID ABOUT = UUID.fromString("0b1e5c1a-7d2f-4c3e-9a8b-5f6e7d8c9b0a");

    private static JdbcFederationStore federation(KernelDatabase database) {
        return new JdbcFederationStore(null, database.database(), database.dataSource());
    }

    private static AuditEntry entry(String action, String target) {
        return new AuditEntry(new Source(Source.Kind.USER, "admin"), action, target, null, null);
    }

    /** Returns the hex SHA-256 of a secret no other test uses, as invitations store it. */
    private static String secretHash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Returns a name no other test uses. */
    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static StoredPeer peer(String name) {
        return new StoredPeer(UUID.randomUUID(), name, "https://" + name + ".example:8443",
                "ssh-ed25519 AAAAC3Nza" + name, "SHA256:" + name, true, false, T0, 0, 0, 0);
    }

    private static StoredInvitation invitation(String secretHash, Instant expires) {
        return new StoredInvitation(UUID.randomUUID(), secretHash, false, "admin", T0, expires, null, null);
    }

    private static StoredGrant grant(StoredPeer peer, UUID system, int second) {
        return new StoredGrant(UUID.randomUUID(), peer.id(), system, true, Set.of("monitoring.ack"), "admin",
                T0.plusSeconds(second), T0.plusSeconds(86_400), null);
    }

    private static StoredSystem system(Database.Kind kind, String slug) {
        StoredSystem system = new StoredSystem(UUID.randomUUID(), SystemDraft.builder(slug).build(), List.of(), T0, T0);
        systems(kind).insert(system, entry("system.create", "system/" + slug));
        return system;
    }

    private static OutboxMessage message(StoredPeer peer, long seq) {
        return new OutboxMessage(peer.id(), seq, "event", ABOUT, "{\"n\":" + seq + "}");
    }

    private static Optional<StoredPeer> find(JdbcFederationStore store, UUID id) {
        return store.peers().stream().filter(peer -> peer.id().equals(id)).findFirst();
    }

    private static StoredPeer load(JdbcFederationStore store, UUID id) {
        return find(store, id).orElseThrow(() -> new AssertionError("peer " + id + " is not stored"));
    }

    private static List<StoredGrant> grantsOf(JdbcFederationStore store, StoredPeer peer) {
        return store.grants().stream().filter(grant -> grant.peer().equals(peer.id())).toList();
    }

    private static List<Long> seqs(List<OutboxMessage> messages) {
        return messages.stream().map(OutboxMessage::seq).toList();
    }

    /** Returns the actions audited on this target, oldest first. */
    private static List<String> audited(Database.Kind kind, String target) {
        List<String> actions = new ArrayList<>();
        audit(kind).query(new AuditQuery(null, target, null, null, 0, 1000))
                .forEach(record -> actions.add(0, record.entry().action()));
        return actions;
    }

    /** Runs the tasks at once, on a thread each, and returns their results in order. */
    private static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> outcomes = new ArrayList<>();
            for (Callable<T> task : tasks) {
                outcomes.add(threads.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> outcome : outcomes) {
                try {
                    results.add(outcome.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError("a racer failed instead of losing quietly: " + e.getCause(), e);
                }
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void nodesStartingAtOnceAllGetTheOneKeyPairThatWasStored(Database.Kind kind) throws Exception {
        try (KernelDatabase database = fresh(kind)) {
            JdbcFederationStore store = federation(database);
            List<Callable<StoredIdentity>> nodes = new ArrayList<>();
            Set<StoredIdentity> candidates = new HashSet<>();
            for (int i = 0; i < THREADS; i++) {
                StoredIdentity candidate = new StoredIdentity("ssh-ed25519 AAAAnode" + i, "cHJpdmF0ZQ" + i,
                        T0.plusSeconds(i));
                candidates.add(candidate);
                nodes.add(() -> store.identity(candidate));
            }

            List<StoredIdentity> identities = race(nodes);

            assertEquals(THREADS, identities.size());
            assertTrue(identities.stream().allMatch(identities.get(0)::equals),
                    "every node gets the same key pair: " + identities);
            assertTrue(candidates.contains(identities.get(0)), "the stored one is one of the candidates");
            StoredIdentity later = new StoredIdentity("ssh-ed25519 AAAAlater", "bGF0ZXI", T0.plusSeconds(99));
            assertEquals(identities.get(0), store.identity(later), "a later candidate is not stored");
            assertEquals(identities.get(0).privateKey(), store.identity(later).privateKey());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void ofConcurrentRedeemersOfAnInvitationExactlyOneWins(Database.Kind kind) throws Exception {
        JdbcFederationStore store = federation(kind);
        String hash = secretHash();
        StoredInvitation invitation = invitation(hash, T0.plusSeconds(3600));
        store.insertInvitation(invitation, entry("federation.invite", "invitation/" + hash));
        List<StoredPeer> candidates = new ArrayList<>();
        List<Callable<Optional<StoredInvitation>>> redeemers = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            StoredPeer candidate = peer(unique("racer" + i));
            candidates.add(candidate);
            redeemers.add(() -> store.redeem(invitation.id(), hash, T0.plusSeconds(60), candidate,
                    entry("federation.join", "peer/" + candidate.name())));
        }

        List<Optional<StoredInvitation>> outcomes = race(redeemers);

        List<Integer> winners = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).isPresent()) {
                winners.add(i);
            }
        }
        assertEquals(1, winners.size(), "exactly one redeemer wins, the others find nothing: " + outcomes);
        StoredPeer winner = candidates.get(winners.get(0));
        assertEquals(invitation, outcomes.get(winners.get(0)).orElseThrow(), "the invitation as it was before");
        for (StoredPeer candidate : candidates) {
            assertEquals(candidate == winner, find(store, candidate.id()).isPresent(),
                    "only the winner is stored: " + candidate.name());
            assertEquals(candidate == winner ? List.of("federation.join") : List.of(),
                    audited(kind, "peer/" + candidate.name()));
        }
        StoredInvitation used = store.invitations().stream().filter(stored -> stored.id().equals(invitation.id()))
                .findFirst().orElseThrow();
        assertEquals(T0.plusSeconds(60), used.used());
        assertEquals(winner.name(), used.usedBy());
        assertEquals(winner, load(store, winner.id()));
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void usedExpiredAndUnknownInvitationsAreNotRedeemed(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        String usedHash = secretHash();
        String expiredHash = secretHash();
        String otherHash = secretHash();
        StoredInvitation used = invitation(usedHash, T0.plusSeconds(3600));
        StoredInvitation expiring = invitation(expiredHash, T0.plusSeconds(60));
        StoredInvitation other = invitation(otherHash, T0.plusSeconds(3600));
        store.insertInvitation(used, entry("federation.invite", "i/u"));
        store.insertInvitation(expiring, entry("federation.invite", "i/e"));
        store.insertInvitation(other, entry("federation.invite", "i/o"));
        StoredPeer first = peer(unique("first"));
        assertTrue(store.redeem(used.id(), usedHash, T0, first, entry("federation.join", "peer/" + first.name()))
                .isPresent());

        StoredPeer again = peer(unique("again"));
        StoredPeer late = peer(unique("late"));
        StoredPeer stranger = peer(unique("stranger"));
        StoredPeer mismatched = peer(unique("mismatched"));
        assertEquals(Optional.empty(), store.redeem(used.id(), usedHash, T0.plusSeconds(1), again,
                entry("federation.join", "peer/" + again.name())), "used");
        assertEquals(Optional.empty(), store.redeem(expiring.id(), expiredHash, T0.plusSeconds(60), late,
                entry("federation.join", "peer/" + late.name())), "expires at this very time");
        assertEquals(Optional.empty(), store.redeem(UUID.randomUUID(), secretHash(), T0, stranger,
                entry("federation.join", "peer/" + stranger.name())), "unknown");
        assertEquals(Optional.empty(), store.redeem(expiring.id(), otherHash, T0, mismatched,
                entry("federation.join", "peer/" + mismatched.name())), "the secret of another invitation");

        for (StoredPeer refused : List.of(again, late, stranger, mismatched)) {
            assertFalse(find(store, refused.id()).isPresent(), refused.name());
            assertEquals(List.of(), audited(kind, "peer/" + refused.name()));
        }
        StoredInvitation expired = store.invitations().stream()
                .filter(stored -> stored.secretHash().equals(expiredHash)).findFirst().orElseThrow();
        assertNull(expired.used());
        assertNull(expired.usedBy());
        assertEquals(first.name(), store.invitations().stream()
                .filter(stored -> stored.secretHash().equals(usedHash)).findFirst().orElseThrow().usedBy());
        StoredPeer rightful = peer(unique("rightful"));
        assertTrue(store.redeem(other.id(), otherHash, T0, rightful, entry("federation.join", "peer/"
                + rightful.name())).isPresent(), "an invitation whose secret came with another's id is still unused");
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void onlyAnUnusedUnexpiredInvitationIsCancelledAndThenCannotBeRedeemed(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        String hash = secretHash();
        String usedHash = secretHash();
        StoredInvitation open = invitation(hash, T0.plusSeconds(3600));
        StoredInvitation used = invitation(usedHash, T0.plusSeconds(3600));
        StoredInvitation expiring = invitation(secretHash(), T0.plusSeconds(60));
        for (StoredInvitation invitation : List.of(open, used, expiring)) {
            store.insertInvitation(invitation, entry("federation.invite", "invitation/" + invitation.id()));
        }
        StoredPeer joined = peer(unique("joined"));
        store.redeem(used.id(), usedHash, T0, joined, entry("federation.join", "peer/" + joined.name()));

        assertFalse(store.cancelInvitation(used.id(), T0, entry("federation.invite-cancel", "invitation/"
                + used.id())), "used");
        assertFalse(store.cancelInvitation(expiring.id(), T0.plusSeconds(60), entry("federation.invite-cancel",
                "invitation/" + expiring.id())), "expires at this very time");
        assertFalse(store.cancelInvitation(UUID.randomUUID(), T0, entry("federation.invite-cancel",
                "invitation/unknown")), "unknown");
        assertTrue(store.cancelInvitation(open.id(), T0, entry("federation.invite-cancel", "invitation/"
                + open.id())), "unused and not expired");
        assertFalse(store.cancelInvitation(open.id(), T0, entry("federation.invite-cancel", "invitation/"
                + open.id())), "cancelled already");

        assertEquals(1, audited(kind, "invitation/" + open.id()).stream()
                .filter(action -> action.equals("federation.invite-cancel")).count(), "audited once");
        assertEquals(List.of(), audited(kind, "invitation/" + used.id()).stream()
                .filter(action -> action.equals("federation.invite-cancel")).toList(), "nothing stored when refused");
        assertTrue(store.invitations().stream().noneMatch(stored -> stored.id().equals(open.id())), "deleted");
        assertTrue(store.invitations().stream().anyMatch(stored -> stored.id().equals(used.id())),
                "a used one stays, as the record of who joined by it");
        StoredPeer late = peer(unique("late"));
        assertEquals(Optional.empty(), store.redeem(open.id(), hash, T0, late, entry("federation.join", "peer/"
                + late.name())), "a cancelled invitation cannot be redeemed");
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void invitationsAreListedNewestFirstAndOnlyUnusedExpiredOnesAreDeleted(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcFederationStore store = federation(database);
            StoredInvitation old = new StoredInvitation(UUID.randomUUID(), "a".repeat(64), true, "alice", T0,
                    T0.plusSeconds(60), null, null);
            StoredInvitation redeemed = new StoredInvitation(UUID.randomUUID(), "b".repeat(64), false, "bob",
                    T0.plusSeconds(1), T0.plusSeconds(60), null, null);
            StoredInvitation fresh = new StoredInvitation(UUID.randomUUID(), "c".repeat(64), false, "carol",
                    T0.plusSeconds(2), T0.plusSeconds(3600), null, null);
            for (StoredInvitation invitation : List.of(old, redeemed, fresh)) {
                store.insertInvitation(invitation, entry("federation.invite", "invitation/" + invitation.id()));
            }
            StoredPeer peer = peer("joined");
            store.redeem(redeemed.id(), "b".repeat(64), T0.plusSeconds(30), peer, entry("federation.join",
                    "peer/joined"));

            assertEquals(List.of(fresh, new StoredInvitation(redeemed.id(), redeemed.secretHash(), false, "bob",
                    redeemed.created(), redeemed.expires(), T0.plusSeconds(30), "joined"), old), store.invitations());
            assertEquals(1, store.deleteExpiredInvitations(T0.plusSeconds(61)));
            assertEquals(List.of(fresh.id(), redeemed.id()),
                    store.invitations().stream().map(StoredInvitation::id).toList());
            assertEquals(0, store.deleteExpiredInvitations(T0.plusSeconds(61)));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aPeerWhoseNameOrKeyIsTakenIsRefusedAndNothingIsStored(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredPeer existing = peer(unique("ham"));
        store.insertPeer(existing, entry("federation.join", "peer/" + existing.name()));
        StoredPeer sameName = new StoredPeer(UUID.randomUUID(), existing.name(), null, "ssh-ed25519 AAAAother",
                "SHA256:" + unique("other"), false, false, T0, 0, 0, 0);
        StoredPeer sameKey = new StoredPeer(UUID.randomUUID(), unique("bremen"), null, existing.publicKey(),
                existing.fingerprint(), false, false, T0, 0, 0, 0);

        ConflictException name = assertThrows(ConflictException.class,
                () -> store.insertPeer(sameName, entry("federation.join", "peer/" + sameName.name() + "/2")));
        ConflictException key = assertThrows(ConflictException.class,
                () -> store.insertPeer(sameKey, entry("federation.join", "peer/" + sameKey.name())));

        assertEquals("a peer named " + existing.name() + " exists", name.getMessage());
        assertEquals("a peer with the key " + existing.fingerprint() + " exists", key.getMessage());
        assertEquals(existing, load(store, existing.id()));
        assertFalse(find(store, sameName.id()).isPresent());
        assertFalse(find(store, sameKey.id()).isPresent());
        assertEquals(List.of("federation.join"), audited(kind, "peer/" + existing.name()),
                "no audit entry for a refused peer");
        assertEquals(List.of(), audited(kind, "peer/" + sameKey.name()));
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void redeemingWithATakenNameOrKeyLeavesTheInvitationUnused(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredPeer existing = peer(unique("kiel"));
        store.insertPeer(existing, entry("federation.join", "peer/" + existing.name()));
        String hash = secretHash();
        StoredInvitation invitation = invitation(hash, T0.plusSeconds(3600));
        store.insertInvitation(invitation, entry("federation.invite", "invitation/x"));
        StoredPeer sameName = new StoredPeer(UUID.randomUUID(), existing.name(), null, "ssh-ed25519 AAAAother",
                "SHA256:" + unique("other"), false, false, T0, 0, 0, 0);
        StoredPeer sameKey = new StoredPeer(UUID.randomUUID(), unique("rostock"), null, existing.publicKey(),
                existing.fingerprint(), false, false, T0, 0, 0, 0);

        ConflictException name = assertThrows(ConflictException.class, () -> store.redeem(invitation.id(), hash, T0,
                sameName, entry("federation.join", "peer/" + sameName.name() + "/2")));
        ConflictException key = assertThrows(ConflictException.class, () -> store.redeem(invitation.id(), hash, T0,
                sameKey, entry("federation.join", "peer/" + sameKey.name())));

        assertEquals("a peer named " + existing.name() + " exists", name.getMessage());
        assertEquals("a peer with the key " + existing.fingerprint() + " exists", key.getMessage());
        StoredInvitation unused = store.invitations().stream().filter(stored -> stored.secretHash().equals(hash))
                .findFirst().orElseThrow();
        assertNull(unused.used(), "the invitation's update was rolled back with the peer");
        assertFalse(find(store, sameKey.id()).isPresent());
        assertEquals(List.of(), audited(kind, "peer/" + sameKey.name()));
        StoredPeer other = peer(unique("luebeck"));
        assertTrue(store.redeem(invitation.id(), hash, T0, other, entry("federation.join", "peer/" + other.name()))
                .isPresent(),
                "the invitation still works");
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void updatingAPeerChangesItsSettingsOnly(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredPeer peer = peer(unique("wismar"));
        store.insertPeer(peer, entry("federation.join", "peer/" + peer.name()));
        store.enqueue(List.of(message(peer, 1), message(peer, 2)), 0);
        store.acknowledge(peer.id(), 1);
        store.received(peer.id(), 7);
        StoredPeer changed = new StoredPeer(peer.id(), "renamed", null, "ssh-ed25519 AAAAnew", "SHA256:new", false,
                true, T0.plusSeconds(5), 100, 100, 100);

        assertTrue(store.updatePeer(changed, entry("federation.suspend", "peer/" + peer.name())));

        assertEquals(new StoredPeer(peer.id(), peer.name(), null, peer.publicKey(), peer.fingerprint(), false, true,
                T0, 2, 1, 7), load(store, peer.id()));
        assertEquals(List.of("federation.join", "federation.suspend"), audited(kind, "peer/" + peer.name()));
        StoredPeer missing = peer(unique("missing"));
        assertFalse(store.updatePeer(missing, entry("federation.suspend", "peer/" + missing.name())));
        assertFalse(find(store, missing.id()).isPresent());
        assertEquals(List.of(), audited(kind, "peer/" + missing.name()));
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void deletingAPeerTakesItsGrantsAndOutboxAlong(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredSystem system = system(kind, unique("web"));
        StoredPeer gone = peer(unique("gone"));
        StoredPeer kept = peer(unique("kept"));
        store.insertPeer(gone, entry("federation.join", "peer/" + gone.name()));
        store.insertPeer(kept, entry("federation.join", "peer/" + kept.name()));
        StoredGrant goneGrant = grant(gone, system.id(), 1);
        StoredGrant keptGrant = grant(kept, system.id(), 2);
        store.insertGrant(goneGrant, entry("federation.grant", "peer/" + gone.name()));
        store.insertGrant(keptGrant, entry("federation.grant", "peer/" + kept.name()));
        store.enqueue(List.of(message(gone, 1), message(gone, 2), message(kept, 1)), 0);

        assertTrue(store.deletePeer(gone.id(), entry("federation.remove", "peer/" + gone.name())));

        assertFalse(find(store, gone.id()).isPresent());
        assertEquals(List.of(), grantsOf(store, gone));
        assertEquals(List.of(), store.outbox(gone.id(), 0, 100));
        assertEquals(List.of(keptGrant), grantsOf(store, kept));
        assertEquals(List.of(1L), seqs(store.outbox(kept.id(), 0, 100)));
        assertEquals(List.of("federation.join", "federation.grant", "federation.remove"),
                audited(kind, "peer/" + gone.name()));
        assertFalse(store.deletePeer(gone.id(), entry("federation.remove", "peer/" + gone.name())),
                "deleted already");
        assertEquals(3, audited(kind, "peer/" + gone.name()).size());
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aGrantIsStoredAsGivenAndOnlyForAnExistingPeerAndSystem(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredSystem system = system(kind, unique("db"));
        StoredPeer peer = peer(unique("stade"));
        store.insertPeer(peer, entry("federation.join", "peer/" + peer.name()));
        StoredGrant full = new StoredGrant(UUID.randomUUID(), peer.id(), system.id(), true,
                Set.of("monitoring.ack", "tickets.comment"), "alice", T0, T0.plusSeconds(3600), null);
        StoredGrant plain = new StoredGrant(UUID.randomUUID(), peer.id(), system.id(), false, Set.of(), "bob",
                T0.plusSeconds(1), null, null);
        store.insertGrant(full, entry("federation.grant", "peer/" + peer.name()));
        store.insertGrant(plain, entry("federation.grant", "peer/" + peer.name()));
        UUID nowhere = UUID.randomUUID();
        StoredPeer stranger = peer(unique("stranger"));

        NotFoundException noSystem = assertThrows(NotFoundException.class, () -> store.insertGrant(
                grant(peer, nowhere, 2), entry("federation.grant", "peer/" + peer.name())));
        NotFoundException noPeer = assertThrows(NotFoundException.class, () -> store.insertGrant(
                grant(stranger, system.id(), 2), entry("federation.grant", "peer/" + stranger.name())));

        assertEquals("there is no system with the id " + nowhere, noSystem.getMessage());
        assertEquals("there is no peer with the id " + stranger.id(), noPeer.getMessage());
        assertEquals(List.of(full, plain), grantsOf(store, peer), "oldest first, as given");
        assertEquals(List.of(), grantsOf(store, stranger));
        assertEquals(List.of("federation.join", "federation.grant", "federation.grant"),
                audited(kind, "peer/" + peer.name()), "no audit entry for a refused grant");
        assertEquals(List.of(), audited(kind, "peer/" + stranger.name()));
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aGrantIsRevokedOnce(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredSystem system = system(kind, unique("mq"));
        StoredPeer peer = peer(unique("emden"));
        store.insertPeer(peer, entry("federation.join", "peer/" + peer.name()));
        StoredGrant grant = grant(peer, system.id(), 1);
        store.insertGrant(grant, entry("federation.grant", "peer/" + peer.name()));

        assertTrue(store.revokeGrant(grant.id(), T0.plusSeconds(10), entry("federation.revoke",
                "peer/" + peer.name())));
        assertFalse(store.revokeGrant(grant.id(), T0.plusSeconds(20), entry("federation.revoke",
                "peer/" + peer.name())), "revoked already");
        assertFalse(store.revokeGrant(UUID.randomUUID(), T0.plusSeconds(20), entry("federation.revoke",
                "peer/" + peer.name())), "no such grant");

        assertEquals(T0.plusSeconds(10), grantsOf(store, peer).get(0).revoked(), "the first revocation stays");
        assertEquals(List.of("federation.join", "federation.grant", "federation.revoke"),
                audited(kind, "peer/" + peer.name()));
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aDeletedSystemTakesItsGrantsAlong(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredSystem deleted = system(kind, unique("old"));
        StoredSystem kept = system(kind, unique("new"));
        StoredPeer peer = peer(unique("husum"));
        store.insertPeer(peer, entry("federation.join", "peer/" + peer.name()));
        StoredGrant onDeleted = grant(peer, deleted.id(), 1);
        StoredGrant onKept = grant(peer, kept.id(), 2);
        store.insertGrant(onDeleted, entry("federation.grant", "peer/" + peer.name()));
        store.insertGrant(onKept, entry("federation.grant", "peer/" + peer.name()));

        systems(kind).delete(deleted.id(), T0.plusSeconds(5), entry("system.delete", "system/old"));

        assertEquals(List.of(onKept), grantsOf(store, peer));
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void enqueueingAcrossPeersRaisesEachPeersEnqueuedAndNeverLowersIt(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredPeer a = peer(unique("a"));
        StoredPeer b = peer(unique("b"));
        store.insertPeer(a, entry("federation.join", "peer/" + a.name()));
        store.insertPeer(b, entry("federation.join", "peer/" + b.name()));

        store.enqueue(List.of(message(a, 1), message(b, 1), message(a, 2), message(a, 3), message(b, 2)), 0);
        store.enqueue(List.of(), 0);

        assertEquals(3, load(store, a.id()).enqueued());
        assertEquals(2, load(store, b.id()).enqueued());
        assertEquals(List.of(message(a, 1), message(a, 2), message(a, 3)), store.outbox(a.id(), 0, 100),
                "stored as given");
        assertEquals(List.of(message(b, 1), message(b, 2)), store.outbox(b.id(), 0, 100));

        store.acknowledge(a.id(), 3);
        store.overflow(b.id(), new OutboxMessage(b.id(), 10, "snapshot", null, "{}"));
        store.enqueue(List.of(message(b, 5)), 0);
        assertEquals(10, load(store, b.id()).enqueued(), "an older number does not lower it");
        assertEquals(List.of(5L, 10L), seqs(store.outbox(b.id(), 0, 100)));
        assertEquals(List.of(5L), seqs(store.outbox(b.id(), 0, 6)), "the next numbers first");
        assertEquals(List.of(10L), seqs(store.outbox(b.id(), 5, 2)), "then past the gap a resynchronisation leaves");

        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> store.enqueue(List.of(message(a, 4), message(b, 5)), 0), "b's 5 is stored already");
        assertTrue(twice.getMessage().startsWith("database failure"), twice.getMessage());
        assertEquals(List.of(), store.outbox(a.id(), 0, 100), "nothing of a failed batch is stored");
        assertEquals(3, load(store, a.id()).enqueued());
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void theTimelinesCursorMovesWithTheOutboxesAndNeverBack(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcFederationStore store = federation(database);
            StoredPeer peer = peer(unique("cursor"));
            store.insertPeer(peer, entry("federation.join", "peer/" + peer.name()));
            assertEquals(OptionalLong.empty(), store.followed(), "nothing followed yet");

            store.enqueue(List.of(message(peer, 1)), 40);
            assertEquals(OptionalLong.of(40), store.followed());
            store.enqueue(List.of(), 55);
            assertEquals(OptionalLong.of(55), store.followed(), "the cursor moves without messages too");
            store.enqueue(List.of(message(peer, 2)), 50);
            assertEquals(OptionalLong.of(55), store.followed(), "never back");

            assertThrows(IllegalStateException.class, () -> store.enqueue(List.of(message(peer, 2)), 90));
            assertEquals(OptionalLong.of(55), store.followed(), "a failed batch does not move it");
            assertEquals(List.of(1L, 2L), seqs(store.outbox(peer.id(), 0, 10)));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void messagesOfAPeerThatIsGoneAreSkipped(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredPeer live = peer(unique("live"));
        StoredPeer gone = peer(unique("gone"));
        store.insertPeer(live, entry("federation.join", "peer/" + live.name()));
        store.insertPeer(gone, entry("federation.join", "peer/" + gone.name()));
        store.deletePeer(gone.id(), entry("federation.remove", "peer/" + gone.name()));

        store.enqueue(List.of(message(gone, 1), message(live, 1), message(gone, 2), message(live, 2)), 0);
        store.enqueue(List.of(message(gone, 3)), 0);

        assertEquals(List.of(1L, 2L), seqs(store.outbox(live.id(), 0, 100)));
        assertEquals(2, load(store, live.id()).enqueued());
        assertEquals(List.of(), store.outbox(gone.id(), 0, 100));
        assertFalse(find(store, gone.id()).isPresent(), "not brought back");
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aBatchOfThousandsIsStoredWhole(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        List<StoredPeer> peers = List.of(peer(unique("p1")), peer(unique("p2")), peer(unique("p3")));
        peers.forEach(peer -> store.insertPeer(peer, entry("federation.join", "peer/" + peer.name())));
        List<OutboxMessage> batch = new ArrayList<>();
        for (int seq = 1; seq <= 1_500; seq++) {
            for (StoredPeer peer : peers) {
                batch.add(message(peer, seq));
            }
        }

        store.enqueue(batch, 0);

        for (StoredPeer peer : peers) {
            assertEquals(1_500, store.outbox(peer.id(), 0, 2_000).size());
            assertEquals(1_500, load(store, peer.id()).enqueued());
            List<OutboxMessage> tail = store.outbox(peer.id(), 1_498, 10);
            assertEquals(List.of(message(peer, 1_499), message(peer, 1_500)), tail);
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void theOutboxIsReadInPagesInAscendingOrder(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredPeer peer = peer(unique("celle"));
        StoredPeer other = peer(unique("verden"));
        store.insertPeer(peer, entry("federation.join", "peer/" + peer.name()));
        store.insertPeer(other, entry("federation.join", "peer/" + other.name()));
        // Stored out of order, to show that reading sorts.
        store.enqueue(List.of(message(peer, 4), message(peer, 2), message(other, 1), message(peer, 5),
                message(peer, 1), message(peer, 3)), 0);

        assertEquals(List.of(1L, 2L), seqs(store.outbox(peer.id(), 0, 2)));
        assertEquals(List.of(3L, 4L), seqs(store.outbox(peer.id(), 2, 2)));
        assertEquals(List.of(5L), seqs(store.outbox(peer.id(), 4, 2)));
        assertEquals(List.of(), store.outbox(peer.id(), 5, 2));
        assertEquals(List.of(), store.outbox(peer.id(), 0, 0));
        assertEquals(List.of(message(peer, 3), message(peer, 4), message(peer, 5)), store.outbox(peer.id(), 2, 100));
        assertEquals(List.of(message(other, 1)), store.outbox(other.id(), 0, 100));
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void acknowledgingDeletesWhatItCoversAndNeverLowersTheMark(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredPeer busy = peer(unique("busy"));
        StoredPeer other = peer(unique("other"));
        for (StoredPeer peer : List.of(busy, other)) {
            store.insertPeer(peer, entry("federation.join", "peer/" + peer.name()));
        }
        store.enqueue(List.of(message(busy, 1), message(busy, 2), message(busy, 3), message(busy, 4),
                message(other, 1)), 0);

        store.acknowledge(busy.id(), 2);
        assertEquals(List.of(3L, 4L), seqs(store.outbox(busy.id(), 0, 100)));
        store.acknowledge(busy.id(), 1);
        assertEquals(2, load(store, busy.id()).acknowledged(), "an older acknowledgement does not lower it");
        store.acknowledge(busy.id(), 3);
        assertEquals(List.of(4L), seqs(store.outbox(busy.id(), 0, 100)));
        assertEquals(3, load(store, busy.id()).acknowledged());
        assertEquals(List.of(1L), seqs(store.outbox(other.id(), 0, 100)), "another peer's outbox is left alone");
        store.acknowledge(UUID.randomUUID(), 5);
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void acknowledgingDeletesUpToTheNumberAndNeverLowersIt(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredPeer peer = peer(unique("aurich"));
        store.insertPeer(peer, entry("federation.join", "peer/" + peer.name()));
        store.enqueue(List.of(message(peer, 1), message(peer, 2), message(peer, 3), message(peer, 4),
                message(peer, 5)), 0);

        store.acknowledge(peer.id(), 3);
        assertEquals(List.of(4L, 5L), seqs(store.outbox(peer.id(), 0, 100)));
        assertEquals(3, load(store, peer.id()).acknowledged());

        store.acknowledge(peer.id(), 2);
        assertEquals(3, load(store, peer.id()).acknowledged(), "a lower number changes nothing");
        assertEquals(List.of(4L, 5L), seqs(store.outbox(peer.id(), 0, 100)));

        store.acknowledge(peer.id(), 5);
        assertEquals(5, load(store, peer.id()).acknowledged());
        assertEquals(List.of(), store.outbox(peer.id(), 0, 100));
        assertEquals(5, load(store, peer.id()).enqueued(), "acknowledging leaves enqueued alone");
        store.acknowledge(UUID.randomUUID(), 9);
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void receivedIsRaisedAndNeverLowered(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredPeer peer = peer(unique("leer"));
        store.insertPeer(peer, entry("federation.join", "peer/" + peer.name()));

        store.received(peer.id(), 7);
        assertEquals(7, load(store, peer.id()).received());
        store.received(peer.id(), 3);
        assertEquals(7, load(store, peer.id()).received(), "a lower number changes nothing");
        store.received(peer.id(), 8);
        StoredPeer stored = load(store, peer.id());
        assertEquals(8, stored.received());
        assertEquals(0, stored.enqueued());
        assertEquals(0, stored.acknowledged());
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void anOverflowReplacesTheOutboxWithTheResynchronisation(Database.Kind kind) {
        JdbcFederationStore store = federation(kind);
        StoredPeer peer = peer(unique("norden"));
        StoredPeer other = peer(unique("jever"));
        store.insertPeer(peer, entry("federation.join", "peer/" + peer.name()));
        store.insertPeer(other, entry("federation.join", "peer/" + other.name()));
        store.enqueue(List.of(message(peer, 1), message(peer, 2), message(peer, 3), message(other, 1)), 0);
        store.acknowledge(peer.id(), 1);
        OutboxMessage resync = new OutboxMessage(peer.id(), 4, "snapshot", null, "{\"resync\":true}");

        store.overflow(peer.id(), resync);

        assertEquals(List.of(resync), store.outbox(peer.id(), 0, 100));
        StoredPeer stored = load(store, peer.id());
        assertEquals(4, stored.enqueued());
        assertEquals(3, stored.acknowledged(), "everything before the resynchronisation counts as acknowledged");
        assertEquals(List.of(message(other, 1)), store.outbox(other.id(), 0, 100), "other peers keep theirs");

        store.enqueue(List.of(message(peer, 5)), 0);
        assertEquals(List.of(4L, 5L), seqs(store.outbox(peer.id(), 0, 100)), "delivery goes on after it");

        StoredPeer gone = peer(unique("gone"));
        store.overflow(gone.id(), new OutboxMessage(gone.id(), 1, "snapshot", null, "{}"));
        assertEquals(List.of(), store.outbox(gone.id(), 0, 100), "nothing for a peer that does not exist");
    }
}
