package io.hanse.kernel.store.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hanse.api.ConflictException;
import io.hanse.api.NotFoundException;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.FederationStore;
import io.hanse.kernel.store.OutboxMessage;
import io.hanse.kernel.store.StoredGrant;
import io.hanse.kernel.store.StoredIdentity;
import io.hanse.kernel.store.StoredInvitation;
import io.hanse.kernel.store.StoredPeer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Federation in plain JDBC. Changes of peers, invitations and grants are written with their audit
 * entry in one transaction; a peer's grants and outbox go with it by foreign-key cascades, and a
 * system's grants with the system.
 */
@Component(service = FederationStore.class)
public final class JdbcFederationStore implements FederationStore {

    private static final String UNIQUE_VIOLATION = "23505";
    /** PostgreSQL's, then H2's, code for a foreign key that points nowhere. */
    private static final Set<String> MISSING_REFERENCE = Set.of("23503", "23506");
    private static final String PEER_COLUMNS = "id, name, url, public_key, fingerprint, dial_out, suspended, created,"
            + " enqueued, acknowledged, received";
    private static final String INVITATION_COLUMNS = "id, secret_hash, dial_out, created_by, created, expires, used,"
            + " used_by";
    private static final String GRANT_COLUMNS = "id, peer_id, system_id, members, actions, created_by, created,"
            + " expires, revoked";
    private static final TypeReference<Set<String>> ACTIONS = new TypeReference<>() { };

    private final Jdbc jdbc;

    @Activate
    public JdbcFederationStore(@Reference KernelSchema schema,
            @Reference(target = "(osgi.jndi.service.name=hanse)") DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public StoredIdentity identity(StoredIdentity candidate) {
        try {
            jdbc.inTransaction(connection -> Jdbc.execute(connection, "INSERT INTO hanse_federation_identity"
                    + " (id, public_key, private_key, created) SELECT 1, ?, ?, ? WHERE NOT EXISTS"
                    + " (SELECT 1 FROM hanse_federation_identity)", candidate.publicKey(), candidate.privateKey(),
                    candidate.created()));
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof SQLException cause) || !UNIQUE_VIOLATION.equals(cause.getSQLState())) {
                throw e;
            }
            // Another node stored its key pair first: that one it is.
        }
        return jdbc.inTransaction(connection -> Jdbc.select(connection,
                "SELECT public_key, private_key, created FROM hanse_federation_identity WHERE id = 1",
                row -> new StoredIdentity(row.getString("public_key"), row.getString("private_key"),
                        Jdbc.instant(row, "created"))).get(0));
    }

    @Override
    public void insertInvitation(StoredInvitation invitation, AuditEntry audit) {
        jdbc.change(audit, connection -> Jdbc.execute(connection, "INSERT INTO hanse_invitation ("
                + INVITATION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", invitation.id(), invitation.secretHash(),
                invitation.dialOut(), invitation.createdBy(), invitation.created(), invitation.expires(),
                invitation.used(), invitation.usedBy()));
    }

    @Override
    public List<StoredInvitation> invitations() {
        return jdbc.inTransaction(connection -> Jdbc.select(connection, "SELECT " + INVITATION_COLUMNS
                + " FROM hanse_invitation ORDER BY created DESC", JdbcFederationStore::invitation));
    }

    @Override
    public Optional<StoredInvitation> redeem(String secretHash, Instant now, StoredPeer peer, AuditEntry audit) {
        return jdbc.inTransaction(connection -> {
            List<StoredInvitation> found = Jdbc.select(connection, "SELECT " + INVITATION_COLUMNS
                    + " FROM hanse_invitation WHERE secret_hash = ?", JdbcFederationStore::invitation, secretHash);
            if (found.isEmpty() || Jdbc.execute(connection, "UPDATE hanse_invitation SET used = ?, used_by = ?"
                    + " WHERE secret_hash = ? AND used IS NULL AND expires > ?", now, peer.name(), secretHash,
                    now) == 0) {
                return Optional.empty();
            }
            insertPeer(connection, peer);
            AuditChain.append(connection, audit, Instant.now());
            return Optional.of(found.get(0));
        });
    }

    @Override
    public int deleteExpiredInvitations(Instant before) {
        return jdbc.inTransaction(connection -> Jdbc.execute(connection,
                "DELETE FROM hanse_invitation WHERE used IS NULL AND expires < ?", before));
    }

    @Override
    public List<StoredPeer> peers() {
        return jdbc.inTransaction(connection -> Jdbc.select(connection, "SELECT " + PEER_COLUMNS
                + " FROM hanse_peer ORDER BY name", row -> new StoredPeer(row.getObject("id", UUID.class),
                        row.getString("name"), row.getString("url"), row.getString("public_key"),
                        row.getString("fingerprint"), row.getBoolean("dial_out"), row.getBoolean("suspended"),
                        Jdbc.instant(row, "created"), row.getLong("enqueued"), row.getLong("acknowledged"),
                        row.getLong("received"))));
    }

    @Override
    public void insertPeer(StoredPeer peer, AuditEntry audit) {
        jdbc.change(audit, connection -> insertPeer(connection, peer));
    }

    private static void insertPeer(Connection connection, StoredPeer peer) throws SQLException {
        if (!Jdbc.select(connection, "SELECT id FROM hanse_peer WHERE name = ?", row -> true, peer.name()).isEmpty()) {
            throw new ConflictException("a peer named " + peer.name() + " exists");
        }
        if (!Jdbc.select(connection, "SELECT id FROM hanse_peer WHERE fingerprint = ?", row -> true,
                peer.fingerprint()).isEmpty()) {
            throw new ConflictException("a peer with key " + peer.fingerprint() + " exists");
        }
        try {
            Jdbc.execute(connection, "INSERT INTO hanse_peer (" + PEER_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", peer.id(), peer.name(), peer.url(),
                    peer.publicKey(), peer.fingerprint(), peer.dialOut(), peer.suspended(), peer.created(),
                    peer.enqueued(), peer.acknowledged(), peer.received());
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new ConflictException("peer " + peer.name() + " or its key or link exists already");
            }
            throw e;
        }
    }

    @Override
    public boolean updatePeer(StoredPeer peer, AuditEntry audit) {
        return jdbc.inTransaction(connection -> {
            boolean found = Jdbc.execute(connection, "UPDATE hanse_peer SET url = ?, dial_out = ?, suspended = ?"
                    + " WHERE id = ?", peer.url(), peer.dialOut(), peer.suspended(), peer.id()) == 1;
            if (found) {
                AuditChain.append(connection, audit, Instant.now());
            }
            return found;
        });
    }

    @Override
    public boolean deletePeer(UUID id, AuditEntry audit) {
        return jdbc.inTransaction(connection -> {
            boolean found = Jdbc.execute(connection, "DELETE FROM hanse_peer WHERE id = ?", id) == 1;
            if (found) {
                AuditChain.append(connection, audit, Instant.now());
            }
            return found;
        });
    }

    @Override
    public List<StoredGrant> grants() {
        return jdbc.inTransaction(connection -> Jdbc.select(connection, "SELECT " + GRANT_COLUMNS
                + " FROM hanse_grant ORDER BY created, id", row -> new StoredGrant(row.getObject("id", UUID.class),
                        row.getObject("peer_id", UUID.class), row.getObject("system_id", UUID.class),
                        row.getBoolean("members"), Json.read(row.getString("actions"), ACTIONS),
                        row.getString("created_by"), Jdbc.instant(row, "created"), Jdbc.instant(row, "expires"),
                        Jdbc.instant(row, "revoked"))));
    }

    @Override
    public void insertGrant(StoredGrant grant, AuditEntry audit) {
        jdbc.change(audit, connection -> {
            try {
                Jdbc.execute(connection, "INSERT INTO hanse_grant (" + GRANT_COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", grant.id(), grant.peer(), grant.system(),
                        grant.members(), Json.write(grant.actions()), grant.createdBy(), grant.created(),
                        grant.expires(), grant.revoked());
            } catch (SQLException e) {
                if (MISSING_REFERENCE.contains(e.getSQLState())) {
                    throw new NotFoundException("the grant's peer or system does not exist (any more)");
                }
                throw e;
            }
        });
    }

    @Override
    public boolean revokeGrant(UUID id, Instant at, AuditEntry audit) {
        return jdbc.inTransaction(connection -> {
            boolean found = Jdbc.execute(connection, "UPDATE hanse_grant SET revoked = ? WHERE id = ?"
                    + " AND revoked IS NULL", at, id) == 1;
            if (found) {
                AuditChain.append(connection, audit, Instant.now());
            }
            return found;
        });
    }

    @Override
    public void enqueue(List<OutboxMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        Map<UUID, Long> highest = new HashMap<>();
        messages.forEach(message -> highest.merge(message.peer(), message.seq(), Math::max));
        jdbc.inTransaction(connection -> {
            insert(connection, messages);
            for (Map.Entry<UUID, Long> peer : highest.entrySet()) {
                Jdbc.execute(connection, "UPDATE hanse_peer SET enqueued = GREATEST(enqueued, ?) WHERE id = ?",
                        peer.getValue(), peer.getKey());
            }
            return null;
        });
    }

    /** Inserts messages in one batch, skipping those of peers that are gone. */
    private static void insert(Connection connection, List<OutboxMessage> messages) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO hanse_peer_outbox"
                + " (peer_id, seq, type, body, created) SELECT ?, ?, ?, ?, ? WHERE EXISTS"
                + " (SELECT 1 FROM hanse_peer WHERE id = ?)")) {
            for (OutboxMessage message : messages) {
                Jdbc.bind(insert, message.peer(), message.seq(), message.type(), message.body(), message.created(),
                        message.peer());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @Override
    public List<OutboxMessage> outbox(UUID peer, long afterSeq, int max) {
        return jdbc.inTransaction(connection -> Jdbc.select(connection, "SELECT peer_id, seq, type, body, created"
                + " FROM hanse_peer_outbox WHERE peer_id = ? AND seq > ? ORDER BY seq LIMIT " + Math.max(1, max),
                row -> new OutboxMessage(row.getObject("peer_id", UUID.class), row.getLong("seq"),
                        row.getString("type"), row.getString("body"), Jdbc.instant(row, "created")), peer, afterSeq));
    }

    @Override
    public Map<UUID, Long> outboxSizes() {
        Map<UUID, Long> sizes = new HashMap<>();
        jdbc.inTransaction(connection -> Jdbc.select(connection, "SELECT peer_id, COUNT(*) AS waiting"
                + " FROM hanse_peer_outbox GROUP BY peer_id", row -> sizes.put(row.getObject("peer_id", UUID.class),
                        row.getLong("waiting"))));
        return sizes;
    }

    @Override
    public void acknowledge(UUID peer, long seq) {
        jdbc.inTransaction(connection -> {
            Jdbc.execute(connection, "DELETE FROM hanse_peer_outbox WHERE peer_id = ? AND seq <= ?", peer, seq);
            return Jdbc.execute(connection, "UPDATE hanse_peer SET acknowledged = GREATEST(acknowledged, ?)"
                    + " WHERE id = ?", seq, peer);
        });
    }

    @Override
    public void overflow(UUID peer, OutboxMessage resync) {
        jdbc.inTransaction(connection -> {
            Jdbc.execute(connection, "DELETE FROM hanse_peer_outbox WHERE peer_id = ?", peer);
            Jdbc.execute(connection, "UPDATE hanse_peer SET acknowledged = GREATEST(acknowledged, ?),"
                    + " enqueued = GREATEST(enqueued, ?) WHERE id = ?", resync.seq() - 1, resync.seq(), peer);
            insert(connection, List.of(resync));
            return null;
        });
    }

    @Override
    public void received(UUID peer, long seq) {
        jdbc.inTransaction(connection -> Jdbc.execute(connection,
                "UPDATE hanse_peer SET received = GREATEST(received, ?) WHERE id = ?", seq, peer));
    }

    private static StoredInvitation invitation(java.sql.ResultSet row) throws SQLException {
        return new StoredInvitation(row.getObject("id", UUID.class), row.getString("secret_hash"),
                row.getBoolean("dial_out"), row.getString("created_by"), Jdbc.instant(row, "created"),
                Jdbc.instant(row, "expires"), Jdbc.instant(row, "used"), row.getString("used_by"));
    }
}
