package io.hanse.kernel.store.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hanse.api.ConflictException;
import io.hanse.api.NotFoundException;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.Database;
import io.hanse.kernel.store.FederationStore;
import io.hanse.kernel.store.OutboxMessage;
import io.hanse.kernel.store.StoredGrant;
import io.hanse.kernel.store.StoredIdentity;
import io.hanse.kernel.store.StoredInvitation;
import io.hanse.kernel.store.StoredPeer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Federation in plain JDBC. Changes of peers, invitations and grants are written with their audit
 * entry in one transaction; a peer's grants and outbox go with it by foreign-key cascades, and a
 * system's grants with the system. Outbox messages are written in batches: on PostgreSQL one
 * statement over arrays, on H2 a JDBC batch.
 */
@Component(service = FederationStore.class)
public final class JdbcFederationStore implements FederationStore {

    private static final String UNIQUE_VIOLATION = "23505";
    /** PostgreSQL's, then H2's, code for a foreign key that points nowhere. */
    private static final Set<String> MISSING_REFERENCE = Set.of("23503", "23506");
    private static final String PEER_COLUMNS = "id, name, url, public_key, fingerprint, dial_out, suspended, created,"
            + " acknowledged, received";
    /** A peer's highest enqueued number: its outbox's highest, or what it acknowledged when that is empty. */
    private static final String ENQUEUED = "GREATEST(acknowledged, COALESCE((SELECT MAX(seq) FROM hanse_peer_outbox"
            + " WHERE peer_id = hanse_peer.id), 0)) AS enqueued";
    private static final String INVITATION_COLUMNS = "id, secret_hash, dial_out, created_by, created, expires, used,"
            + " used_by";
    private static final String GRANT_COLUMNS = "id, peer_id, system_id, members, actions, created_by, created,"
            + " expires, revoked";
    private static final String OUTBOX_COLUMNS = "peer_id, seq, type, system_id, body";
    private static final String POSTGRES_OUTBOX_INSERT = "INSERT INTO hanse_peer_outbox (" + OUTBOX_COLUMNS + ")"
            + " SELECT * FROM unnest(?::uuid[], ?::bigint[], ?::varchar[], ?::uuid[], ?::text[])";
    private static final String OUTBOX_INSERT = "INSERT INTO hanse_peer_outbox (" + OUTBOX_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?)";
    private static final TypeReference<Set<String>> ACTIONS = new TypeReference<>() { };

    private final Jdbc jdbc;
    private final boolean postgres;

    @Activate
    public JdbcFederationStore(@Reference KernelSchema schema, @Reference Database database,
            @Reference(target = "(osgi.jndi.service.name=hanse)") DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
        this.postgres = database.kind() == Database.Kind.POSTGRESQL;
    }

    /**
     * Inserts the candidate unless a key pair is stored, then reads the stored one. Of nodes
     * inserting at once, all but one either see the row or fail on its primary key, and then read it.
     */
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
                + " FROM hanse_invitation ORDER BY created DESC, id", JdbcFederationStore::invitation));
    }

    /**
     * The conditional update decides among concurrent redeemers: the losers wait for the winner's
     * row lock and then find the invitation used. A clashing peer rolls the update back with it.
     */
    @Override
    public Optional<StoredInvitation> redeem(UUID id, String secretHash, Instant now, StoredPeer peer,
            AuditEntry audit) {
        return jdbc.inTransaction(connection -> {
            List<StoredInvitation> found = Jdbc.select(connection, "SELECT " + INVITATION_COLUMNS
                    + " FROM hanse_invitation WHERE secret_hash = ? AND id = ?", JdbcFederationStore::invitation,
                    secretHash, id);
            if (found.isEmpty() || Jdbc.execute(connection, "UPDATE hanse_invitation SET used = ?, used_by = ?"
                    + " WHERE secret_hash = ? AND id = ? AND used IS NULL AND expires > ?", now, peer.name(),
                    secretHash, id, now) == 0) {
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

    /** The conditional delete decides against a concurrent redeemer: whichever comes second finds no row. */
    @Override
    public boolean cancelInvitation(UUID id, Instant now, AuditEntry audit) {
        return jdbc.inTransaction(connection -> {
            boolean found = Jdbc.execute(connection, "DELETE FROM hanse_invitation WHERE id = ? AND used IS NULL"
                    + " AND expires > ?", id, now) == 1;
            if (found) {
                AuditChain.append(connection, audit, Instant.now());
            }
            return found;
        });
    }

    @Override
    public List<StoredPeer> peers() {
        return jdbc.inTransaction(connection -> Jdbc.select(connection, "SELECT " + PEER_COLUMNS + ", " + ENQUEUED
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

    /**
     * Looks for a clash first, to name it; the unique constraints still decide between concurrent
     * inserts, and then the constraint's name tells what clashed.
     */
    private static void insertPeer(Connection connection, StoredPeer peer) throws SQLException {
        if (!Jdbc.select(connection, "SELECT id FROM hanse_peer WHERE name = ?", row -> true, peer.name()).isEmpty()) {
            throw new ConflictException(nameClash(peer));
        }
        if (!Jdbc.select(connection, "SELECT id FROM hanse_peer WHERE fingerprint = ?", row -> true,
                peer.fingerprint()).isEmpty()) {
            throw new ConflictException(keyClash(peer));
        }
        try {
            Jdbc.execute(connection, "INSERT INTO hanse_peer (" + PEER_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", peer.id(), peer.name(), peer.url(),
                    peer.publicKey(), peer.fingerprint(), peer.dialOut(), peer.suspended(), peer.created(),
                    peer.acknowledged(), peer.received());
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            String violated = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            throw new ConflictException(violated.contains("hanse_peer_name_uq") ? nameClash(peer)
                    : violated.contains("hanse_peer_fingerprint_uq") ? keyClash(peer)
                    : "a peer with the link id " + peer.id() + " exists");
        }
    }

    private static String nameClash(StoredPeer peer) {
        return "a peer named " + peer.name() + " exists";
    }

    private static String keyClash(StoredPeer peer) {
        return "a peer with the key " + peer.fingerprint() + " exists";
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
            // The row lock taken by that delete waits for an enqueue in progress, whose messages go too.
            Jdbc.execute(connection, "DELETE FROM hanse_peer_outbox WHERE peer_id = ?", id);
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
                if (!MISSING_REFERENCE.contains(e.getSQLState())) {
                    throw e;
                }
                String violated = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                throw new NotFoundException(violated.contains("hanse_grant_peer_fk")
                        ? "there is no peer with the id " + grant.peer()
                        : violated.contains("hanse_grant_system_fk")
                        ? "there is no system with the id " + grant.system()
                        : "the grant's peer " + grant.peer() + " or system " + grant.system() + " does not exist");
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

    /**
     * Locks each peer's row first, on PostgreSQL with a lock that acknowledgements, which update it,
     * do not wait for, but removing the peer does: so no message is left behind for a peer removed
     * meanwhile. The messages go in with one statement on PostgreSQL, one batch on H2: the round trips
     * do not grow with the messages. The cursor moves in the same transaction.
     */
    @Override
    public void enqueue(List<OutboxMessage> messages, long followed) {
        Set<UUID> peers = new HashSet<>();
        messages.forEach(message -> peers.add(message.peer()));
        jdbc.inTransaction(connection -> {
            Set<UUID> existing = peers.isEmpty() ? Set.of() : existing(connection, peers);
            List<OutboxMessage> kept = existing.size() == peers.size() ? messages
                    : messages.stream().filter(message -> existing.contains(message.peer())).toList();
            if (!kept.isEmpty()) {
                insert(connection, kept);
            }
            Jdbc.execute(connection, "UPDATE hanse_federation_cursor SET seq = ? WHERE id = 1 AND (seq IS NULL"
                    + " OR seq < ?)", followed, followed);
            return null;
        });
    }

    @Override
    public OptionalLong followed() {
        List<Long> cursor = jdbc.inTransaction(connection -> Jdbc.select(connection,
                "SELECT seq FROM hanse_federation_cursor WHERE id = 1 AND seq IS NOT NULL", row -> row.getLong("seq")));
        return cursor.isEmpty() ? OptionalLong.empty() : OptionalLong.of(cursor.get(0));
    }

    /** Returns those of these peers that exist, and locks them until the transaction ends. */
    private Set<UUID> existing(Connection connection, Set<UUID> peers) throws SQLException {
        Set<UUID> existing = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM hanse_peer WHERE id = ANY(?)"
                + (postgres ? " FOR KEY SHARE" : " FOR UPDATE"))) {
            select.setArray(1, connection.createArrayOf("uuid", peers.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    existing.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return existing;
    }

    /** Inserts messages of existing peers. */
    private void insert(Connection connection, List<OutboxMessage> messages) throws SQLException {
        if (postgres) {
            int size = messages.size();
            Object[][] columns = new Object[5][size];
            for (int i = 0; i < size; i++) {
                OutboxMessage message = messages.get(i);
                columns[0][i] = message.peer();
                columns[1][i] = message.seq();
                columns[2][i] = message.type();
                columns[3][i] = message.system();
                columns[4][i] = message.body();
            }
            String[] types = {"uuid", "bigint", "varchar", "uuid", "text"};
            try (PreparedStatement insert = connection.prepareStatement(POSTGRES_OUTBOX_INSERT)) {
                for (int c = 0; c < columns.length; c++) {
                    insert.setArray(c + 1, connection.createArrayOf(types[c], columns[c]));
                }
                insert.executeUpdate();
            }
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(OUTBOX_INSERT)) {
            for (OutboxMessage message : messages) {
                Jdbc.bind(insert, message.peer(), message.seq(), message.type(), message.system(), message.body());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Reads the next {@code max} numbers first: an outbox holds consecutive numbers, and bounded on
     * both sides the read costs what it returns whatever plan PostgreSQL makes, where {@code seq > ?}
     * alone, planned without fresh statistics for a table that churns, read and sorted a backlog of
     * hundreds of thousands of messages for every batch. Only when nothing is there, as after a
     * resynchronisation dropped the outbox, does it look further.
     */
    @Override
    public List<OutboxMessage> outbox(UUID peer, long afterSeq, int max) {
        if (max <= 0) {
            return List.of();
        }
        return jdbc.inTransaction(connection -> {
            List<OutboxMessage> next = Jdbc.select(connection, "SELECT " + OUTBOX_COLUMNS + " FROM hanse_peer_outbox"
                    + " WHERE peer_id = ? AND seq > ? AND seq <= ? ORDER BY seq", JdbcFederationStore::outboxMessage,
                    peer, afterSeq, afterSeq + max);
            return !next.isEmpty() ? next : Jdbc.select(connection, "SELECT " + OUTBOX_COLUMNS
                    + " FROM hanse_peer_outbox WHERE peer_id = ? AND seq > ? ORDER BY seq LIMIT " + max,
                    JdbcFederationStore::outboxMessage, peer, afterSeq);
        });
    }

    private static OutboxMessage outboxMessage(ResultSet row) throws SQLException {
        return new OutboxMessage(row.getObject("peer_id", UUID.class), row.getLong("seq"), row.getString("type"),
                row.getObject("system_id", UUID.class), row.getString("body"));
    }

    /**
     * Every change of a peer's outbox locks the peer's row first, as deleting the peer does, so that
     * they cannot deadlock one another; on PostgreSQL with a lock that enqueueing's, which only keeps
     * the row from going, does not wait for. The delete starts above the previous acknowledgement: what
     * lies below it is deleted already, and on PostgreSQL a range from the start would walk every
     * deleted row the vacuum has not yet removed, which under load is most of them.
     */
    @Override
    public void acknowledge(UUID peer, long seq) {
        jdbc.inTransaction(connection -> {
            List<Long> before = Jdbc.select(connection, "SELECT acknowledged FROM hanse_peer WHERE id = ?"
                    + (postgres ? " FOR NO KEY UPDATE" : " FOR UPDATE"), row -> row.getLong("acknowledged"), peer);
            if (before.isEmpty() || before.get(0) >= seq) {
                return null;
            }
            Jdbc.execute(connection, "UPDATE hanse_peer SET acknowledged = ? WHERE id = ?", seq, peer);
            return Jdbc.execute(connection, "DELETE FROM hanse_peer_outbox WHERE peer_id = ? AND seq > ?"
                    + " AND seq <= ?", peer, before.get(0), seq);
        });
    }

    @Override
    public void overflow(UUID peer, OutboxMessage resync) {
        jdbc.inTransaction(connection -> {
            // Locks the peer first, as acknowledge does, and finds out whether it still exists.
            if (Jdbc.execute(connection, "UPDATE hanse_peer SET acknowledged = GREATEST(acknowledged, ?) WHERE id = ?",
                    resync.seq() - 1, peer) == 1) {
                Jdbc.execute(connection, "DELETE FROM hanse_peer_outbox WHERE peer_id = ?", peer);
                insert(connection, List.of(resync));
            }
            return null;
        });
    }

    @Override
    public void received(UUID peer, long seq) {
        jdbc.inTransaction(connection -> Jdbc.execute(connection,
                "UPDATE hanse_peer SET received = GREATEST(received, ?) WHERE id = ?", seq, peer));
    }

    private static StoredInvitation invitation(ResultSet row) throws SQLException {
        return new StoredInvitation(row.getObject("id", UUID.class), row.getString("secret_hash"),
                row.getBoolean("dial_out"), row.getString("created_by"), Jdbc.instant(row, "created"),
                Jdbc.instant(row, "expires"), Jdbc.instant(row, "used"), row.getString("used_by"));
    }
}
