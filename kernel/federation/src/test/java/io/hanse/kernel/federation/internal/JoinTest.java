package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.UnauthenticatedException;
import io.hanse.api.config.Settings;
import io.hanse.api.instance.Instance;
import io.hanse.kernel.federation.internal.Federation.JoinRequest;
import io.hanse.kernel.store.AuditQuery;
import io.hanse.kernel.store.StoredPeer;
import io.hanse.kernel.store.internal.JdbcAuditLog;
import io.hanse.kernel.store.internal.JdbcEventStore;
import io.hanse.kernel.store.internal.JdbcFederationStore;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.MemoryTimeline;
import io.hanse.testing.MutableClock;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What fra, a federation over H2, does with the join requests anyone may send it: a malformed one is
 * a 400 naming the field, counted as a refusal of its address; one refused stores nothing.
 */
class JoinTest {

    private static final String ADDRESS = "192.0.2.7";

    private final KernelDatabase database = KernelDatabase.h2();
    private final JdbcAuditLog audit = new JdbcAuditLog(null, database.dataSource());
    private final JdbcFederationStore store = new JdbcFederationStore(null, database.database(),
            database.dataSource());
    private final Federation fra = new Federation(store, audit, () -> new Instance("fra", "fra", "1.0"),
            new MemorySystems(), RestoredPeerTest.NO_ADMIN, new RestoredPeerTest.AllOk(),
            new MemoryTimeline(Set.of()), new JdbcEventStore(null, database.database(), database.dataSource()),
            "http://127.0.0.1:1", new RestoredPeerTest.Config(),
            new MutableClock(Instant.parse("2026-03-01T12:00:00Z")));
    private final InstanceKey zrh = InstanceKey.generate("zrh");

    @AfterEach
    void stop() {
        database.close();
    }

    @Test
    void aBadUrlOrInvitationHoursIsLoggedAndInvitationsCarryTheEndpointAndTheDefaultInstead() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
        Federation misconfigured = new Federation(store, audit, () -> new Instance("fra", "fra", "1.0"),
                new MemorySystems(), RestoredPeerTest.NO_ADMIN, new RestoredPeerTest.AllOk(),
                new MemoryTimeline(Set.of()), new JdbcEventStore(null, database.database(), database.dataSource()),
                "http://127.0.0.1:1", new RestoredPeerTest.Config() {
                    @Override
                    public String url() {
                        return "ftp://hanse.example.org";
                    }

                    @Override
                    public int invitationHours() {
                        return 0;
                    }
                }, clock);

        Invitation invitation = Invitation.decode(misconfigured.invite(TestCaller.everywhere("admin"), false, null)
                .invitation());

        assertEquals("http://127.0.0.1:1", invitation.url());
        assertEquals(clock.instant().plus(Duration.ofHours(24)), invitation.expires());
        assertEquals(List.of("etc/io.hanse.federation.cfg: invitationHours = 0 is below 1; using 24",
                "etc/io.hanse.federation.cfg: url = \"ftp://hanse.example.org\": the url must be http or https with a"
                + " host, such as https://hanse.example.org; using \"\""), Settings.problems().stream()
                        .filter(problem -> problem.startsWith("etc/io.hanse.federation.cfg:")).toList());
    }

    @Test
    void aMissingOrMalformedFieldIsRefusedNamingIt() {
        Invitation invitation = invitation();
        JoinRequest valid = signed(invitation.id(), invitation.secret(), "zrh");
        UUID id = valid.invitation();
        String secret = valid.secret();
        String url = valid.url();
        String key = valid.publicKey();
        String signature = valid.signature();
        Map<JoinRequest, String> broken = new LinkedHashMap<>();
        broken.put(new JoinRequest(null, secret, "zrh", url, key, signature), "invitation");
        broken.put(new JoinRequest(id, "not a secret", "zrh", url, key, signature), "secret");
        broken.put(new JoinRequest(id, secret, "zrh/db", url, key, signature), "name");
        broken.put(new JoinRequest(id, secret, "zrh", null, key, signature), "url");
        broken.put(new JoinRequest(id, secret, "zrh", url, "ssh-rsa AAAA", signature), "publicKey");
        broken.put(new JoinRequest(id, secret, "zrh", url, key, null), "signature");
        broken.put(new JoinRequest(id, secret, "zrh", url, key, "%%% not base64 %%%"), "signature");
        broken.put(new JoinRequest(id, secret, "zrh", url, key, Base64.getEncoder().encodeToString(new byte[63])),
                "signature");
        broken.forEach((request, field) -> {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> fra.accept(request, ADDRESS), request.toString());
            assertTrue(refused.getMessage().startsWith("field '" + field + "': "), refused.getMessage());
        });
        assertEquals(List.of("address/" + ADDRESS + " {\"reason\":\"a malformed join request: field 'invitation':"
                + " the invitation's id is required\",\"suppressed\":0}"), refusals(),
                "each a refusal of the address: the first audited, the others within its minute not");
        assertEquals(List.of(), store.peers());

        assertEquals("fra", fra.accept(valid, ADDRESS).name(), "the invitation is still unused");
    }

    @Test
    void aRequestNotSignedByTheKeyItCarriesIsUnauthenticated() {
        Invitation invitation = invitation();
        JoinRequest request = signed(invitation.id(), invitation.secret(), "zrh");
        String otherSignature = signed(invitation.id(), invitation.secret(), "bsl").signature();
        assertThrows(UnauthenticatedException.class, () -> fra.accept(new JoinRequest(request.invitation(),
                request.secret(), request.name(), request.url(), request.publicKey(), otherSignature), ADDRESS));
        assertEquals(List.of(), store.peers());
    }

    @Test
    void aJoinNamingAnotherInvitationStoresNothingAndLeavesTheInvitationUsable() {
        Invitation invitation = invitation();
        assertThrows(UnauthenticatedException.class,
                () -> fra.accept(signed(UUID.randomUUID(), invitation.secret(), "zrh"), ADDRESS));
        assertEquals(List.of(), store.peers(), "no peer is stored");
        assertEquals(List.of(), fra.peers(TestCaller.everywhere("admin")));
        assertEquals(List.of(), audit.query(new AuditQuery(null, null, null, null, 0, 1000)).stream()
                .filter(record -> record.entry().action().equals("federation.joined")).toList());

        fra.accept(signed(invitation.id(), invitation.secret(), "zrh"), ADDRESS);
        assertEquals(List.of(invitation.id()), store.peers().stream().map(StoredPeer::id).toList(),
                "the invitation still works, and the peer is known by its id");
    }

    @Test
    void aJoinRefusedAsAConflictIsLoggedAndAuditedAsARefusalOfItsAddress() {
        Invitation first = invitation();
        Invitation second = invitation();
        fra.accept(signed(first.id(), first.secret(), "zrh"), ADDRESS);

        ConflictException sameName = assertThrows(ConflictException.class,
                () -> fra.accept(signed(second.id(), second.secret(), "fra"), "192.0.2.8"));
        ConflictException peerExists = assertThrows(ConflictException.class,
                () -> fra.accept(signed(second.id(), second.secret(), "zrh"), "198.51.100.9"));
        assertThrows(ConflictException.class, () -> fra.accept(signed(second.id(), second.secret(), "zrh"),
                "198.51.100.9"));

        assertEquals("this instance is fra too; instance names must differ to peer", sameName.getMessage());
        assertEquals("a peer named zrh exists", peerExists.getMessage());
        assertEquals(List.of("address/198.51.100.9 {\"reason\":\"a conflicting join: a peer named zrh exists\","
                + "\"suppressed\":0}", "address/192.0.2.8 {\"reason\":\"a conflicting join: this instance is fra"
                + " too; instance names must differ to peer\",\"suppressed\":0}"), refusals(),
                "newest first, each address's first refusal audited and the repeat within its minute not");
    }

    private Invitation invitation() {
        return Invitation.decode(fra.invite(TestCaller.everywhere("admin"), false, null).invitation());
    }

    /** A join request as zrh makes one, signed with its key, under the given name. */
    private JoinRequest signed(UUID invitation, String secret, String name) {
        JoinRequest unsigned = new JoinRequest(invitation, secret, name, "http://192.0.2.7:8181",
                zrh.publicKey().line(), null);
        return new JoinRequest(invitation, secret, name, unsigned.url(), unsigned.publicKey(),
                Base64.getEncoder().encodeToString(zrh.sign(Federation.joinText(unsigned))));
    }

    /** The refusals audited, newest first, as their target and what the entry says. */
    private List<String> refusals() {
        return audit.query(new AuditQuery(null, null, null, null, 0, 1000)).stream()
                .filter(record -> record.entry().action().equals("federation.refused"))
                .map(record -> record.entry().target() + " " + record.entry().after()).toList();
    }
}
