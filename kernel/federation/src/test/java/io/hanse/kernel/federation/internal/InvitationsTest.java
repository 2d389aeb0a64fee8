package io.hanse.kernel.federation.internal;

import static io.hanse.api.security.KernelPermissions.FEDERATION_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.ForbiddenException;
import io.hanse.api.NotFoundException;
import io.hanse.api.UnauthenticatedException;
import io.hanse.api.instance.Instance;
import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.federation.internal.Federation.InvitationView;
import io.hanse.kernel.federation.internal.Federation.IssuedInvitation;
import io.hanse.kernel.federation.internal.Federation.JoinRequest;
import io.hanse.kernel.store.AuditQuery;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What fra, a federation over H2, shows of its invitations, and how one is cancelled. */
class InvitationsTest {

    private static final TestCaller ADMIN = TestCaller.everywhere("admin");

    private final KernelDatabase database = KernelDatabase.h2();
    private final JdbcAuditLog audit = new JdbcAuditLog(null, database.dataSource());
    private final JdbcFederationStore store = new JdbcFederationStore(null, database.database(),
            database.dataSource());
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final Federation fra = new Federation(store, audit, () -> new Instance("fra", "fra", "1.0"),
            new MemorySystems(), RestoredPeerTest.NO_ADMIN, new RestoredPeerTest.AllOk(),
            new MemoryTimeline(Set.of()), new JdbcEventStore(null, database.database(), database.dataSource()),
            "http://127.0.0.1:1", new RestoredPeerTest.Config(), clock);
    private final InstanceKey zrh = InstanceKey.generate("zrh");

    @AfterEach
    void stop() {
        database.close();
    }

    @Test
    void onlyInvitationsThatCanBeUsedAreListedNewestFirstWithoutTheirSecret() {
        IssuedInvitation expiring = fra.invite(ADMIN, false, Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(1));
        IssuedInvitation used = fra.invite(ADMIN, false, null);
        clock.advance(Duration.ofMinutes(1));
        IssuedInvitation open = fra.invite(TestCaller.everywhere("alice"), true, null);
        fra.accept(signed(Invitation.decode(used.invitation())), "192.0.2.7");
        clock.advance(Duration.ofMinutes(58));

        assertEquals(List.of(new InvitationView(open.id(), "alice", Instant.parse("2026-03-01T12:02:00Z"),
                open.expires(), true)), fra.invitations(ADMIN), "neither the used one nor the expired one");
        assertEquals(new InvitationView(open.id(), "alice", Instant.parse("2026-03-01T12:02:00Z"), open.expires(),
                true), fra.invitation(ADMIN, open.id()));
        for (UUID gone : List.of(expiring.id(), used.id(), UUID.randomUUID())) {
            NotFoundException refused = assertThrows(NotFoundException.class, () -> fra.invitation(ADMIN, gone));
            assertEquals("no invitation " + gone + " that can be used: it is unknown, used, expired or cancelled",
                    refused.getMessage());
        }
        assertFalse(List.of(InvitationView.class.getRecordComponents()).stream()
                .anyMatch(component -> component.getName().startsWith("secret")), "no secret, nor its hash");
    }

    @Test
    void aCancelledInvitationIsAuditedNoLongerListedAndAJoinWithItIsRefusedAsUnknown() {
        IssuedInvitation issued = fra.invite(ADMIN, true, null);

        fra.cancelInvitation(ADMIN, issued.id());

        assertEquals(List.of(), fra.invitations(ADMIN));
        assertEquals(List.of("federation.invite-cancel invitation/" + issued.id() + " {\"expires\":\""
                + issued.expires() + "\",\"dialOut\":true} null", "federation.invite invitation/" + issued.id()
                + " null {\"expires\":\"" + issued.expires() + "\",\"dialOut\":true}"),
                audit.query(new AuditQuery(null, "invitation/" + issued.id(), null, null, 0, 10)).stream()
                        .map(record -> record.entry().action() + " " + record.entry().target() + " "
                                + record.entry().before() + " " + record.entry().after()).toList(),
                "audited as its creation was, newest first");
        UnauthenticatedException refused = assertThrows(UnauthenticatedException.class,
                () -> fra.accept(signed(Invitation.decode(issued.invitation())), "192.0.2.7"));
        assertEquals("the invitation is unknown, used or expired, or has another id", refused.getMessage());
        assertEquals(List.of(), store.peers());
        assertThrows(NotFoundException.class, () -> fra.cancelInvitation(ADMIN, issued.id()), "cancelled already");
    }

    @Test
    void onlyWhoMayInviteSeesOrCancelsInvitations() {
        IssuedInvitation issued = fra.invite(ADMIN, false, null);
        TestCaller reader = new TestCaller(new Source(Source.Kind.USER, "olga"), true, false,
                Map.of(FEDERATION_READ, Scope.EVERYWHERE));

        assertThrows(ForbiddenException.class, () -> fra.invitations(reader));
        assertThrows(ForbiddenException.class, () -> fra.invitation(reader, issued.id()));
        assertThrows(ForbiddenException.class, () -> fra.cancelInvitation(reader, issued.id()));
        assertEquals(1, fra.invitations(ADMIN).size(), "still there");
    }

    /** A join request as zrh makes one, signed with its key. */
    private JoinRequest signed(Invitation invitation) {
        JoinRequest unsigned = new JoinRequest(invitation.id(), invitation.secret(), "zrh", "http://192.0.2.7:8181",
                zrh.publicKey().line(), null);
        return new JoinRequest(invitation.id(), invitation.secret(), "zrh", unsigned.url(), unsigned.publicKey(),
                Base64.getEncoder().encodeToString(zrh.sign(Federation.joinText(unsigned))));
    }
}
