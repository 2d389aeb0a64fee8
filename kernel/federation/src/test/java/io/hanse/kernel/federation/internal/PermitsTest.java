package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.kernel.store.StoredGrant;
import io.hanse.testing.MemorySystems;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which actions a peer may ask for on which of this instance's systems, under which grants. */
class PermitsTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final String ACK = "monitoring.ack";

    private final MemorySystems systems = new MemorySystems();
    private final UUID ber = UUID.randomUUID();
    private final UUID muc = UUID.randomUUID();

    PermitsTest() {
        systems.add("disk");
        systems.add("db", "disk");
        systems.add("storage", "db");
        systems.add("web");
        systems.add("muc/queue");
        systems.add("app", "web", "muc/queue");
    }

    @Test
    void aGrantThatNamesTheActionCoversItsSystemAndItsMembersAtAnyDepth() {
        List<StoredGrant> grants = List.of(grant(ber, "storage", true, Set.of(ACK), null, null));
        assertTrue(permits(grants, ber, ACK, "storage"));
        assertTrue(permits(grants, ber, ACK, "disk"), "a member's member");
        assertFalse(permits(grants, ber, ACK, "web"), "not granted");
        assertFalse(permits(grants, ber, "tickets.mirror", "storage"), "an action the grant does not name");
        assertFalse(permits(grants, muc, ACK, "storage"), "another peer");
        List<StoredGrant> app = List.of(grant(ber, "app", true, Set.of(ACK), null, null));
        assertTrue(permits(app, ber, ACK, "web"));
        assertFalse(permits(app, ber, ACK, "muc/queue"), "a third instance's member: a grant is not passed on");
    }

    @Test
    void aGrantForTheSystemAloneARevokedOneAndAnExpiredOneDoNot() {
        assertTrue(permits(List.of(grant(ber, "db", false, Set.of(ACK), null, null)), ber, ACK, "db"));
        assertFalse(permits(List.of(grant(ber, "db", false, Set.of(ACK), null, null)), ber, ACK, "disk"));
        assertFalse(permits(List.of(grant(ber, "db", true, Set.of(), null, null)), ber, ACK, "db"), "read only");
        assertFalse(permits(List.of(grant(ber, "db", true, Set.of(ACK), NOW.minusSeconds(1), null)), ber, ACK, "db"));
        assertFalse(permits(List.of(grant(ber, "db", true, Set.of(ACK), null, NOW)), ber, ACK, "db"), "expired");
        assertTrue(permits(List.of(grant(ber, "db", true, Set.of(ACK), null, NOW.plusSeconds(1))), ber, ACK, "db"));
    }

    private boolean permits(List<StoredGrant> grants, UUID peer, String action, String slug) {
        return Federation.permits(grants, systems, peer, action, slug, NOW);
    }

    private StoredGrant grant(UUID peer, String system, boolean members, Set<String> actions, Instant revoked,
            Instant expires) {
        return new StoredGrant(UUID.randomUUID(), peer, systems.get(system).id(), members, actions, "admin",
                NOW.minusSeconds(60), expires, revoked);
    }
}
