package io.hanse.kernel.store.internal;

import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The rules of the audit log's hash chain: how an entry is appended inside the transaction of the
 * change it records, and how its hash is computed.
 */
final class AuditChain {

    /** The previous hash of the first entry, and the head's hash while the log is empty. */
    static final String GENESIS = "0".repeat(64);
    static final String COLUMNS = "seq, time, actor_kind, actor_name, action, target, before_summary, after_summary,"
            + " previous_hash, hash";

    private AuditChain() {
    }

    /**
     * Appends an entry in the caller's open transaction. Locking the head row makes concurrent
     * writers wait until this transaction ends, so sequence numbers have no gaps and each entry
     * links to the one committed before it.
     */
    static AuditRecord append(Connection connection, AuditEntry entry, Instant now) throws SQLException {
        long seq;
        String previous;
        try (PreparedStatement head = connection.prepareStatement(
                "SELECT seq, hash FROM hanse_audit_head WHERE singleton = 1 FOR UPDATE");
                ResultSet row = head.executeQuery()) {
            if (!row.next()) {
                throw new IllegalStateException("the audit log's head row is missing");
            }
            seq = row.getLong(1) + 1;
            previous = row.getString(2);
        }
        // Both databases keep microseconds; the hash must cover the time as it is read back.
        Instant time = now.truncatedTo(ChronoUnit.MICROS);
        String hash = hash(seq, time, entry, previous);
        Jdbc.execute(connection, "INSERT INTO hanse_audit (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                seq, time, entry.actor().kind().name(), entry.actor().name(), entry.action(), entry.target(),
                entry.before(), entry.after(), previous, hash);
        Jdbc.execute(connection, "UPDATE hanse_audit_head SET seq = ?, hash = ? WHERE singleton = 1", seq, hash);
        return new AuditRecord(seq, time, entry, previous, hash);
    }

    /** Reads a row selected with {@link #COLUMNS}. */
    static AuditRecord record(ResultSet row) throws SQLException {
        AuditEntry entry = new AuditEntry(
                new Source(Source.Kind.valueOf(row.getString("actor_kind")), row.getString("actor_name")),
                row.getString("action"), row.getString("target"), row.getString("before_summary"),
                row.getString("after_summary"));
        return new AuditRecord(row.getLong("seq"), Jdbc.instant(row, "time"), entry, row.getString("previous_hash"),
                row.getString("hash"));
    }

    /**
     * Returns the hex SHA-256 of an entry. Each field is hashed as its length and its UTF-8 bytes,
     * and a missing one as length -1, so no two different entries share an encoding.
     */
    static String hash(long seq, Instant time, AuditEntry entry, String previousHash) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        for (String field : new String[] {Long.toString(seq), time.toString(), entry.actor().kind().name(),
            entry.actor().name(), entry.action(), entry.target(), entry.before(), entry.after(), previousHash}) {
            byte[] bytes = field == null ? new byte[0] : field.getBytes(StandardCharsets.UTF_8);
            digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(field == null ? -1 : bytes.length).array());
            digest.update(bytes);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
