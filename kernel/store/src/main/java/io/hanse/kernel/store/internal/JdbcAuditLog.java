package io.hanse.kernel.store.internal;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditLog;
import io.hanse.kernel.store.AuditQuery;
import io.hanse.kernel.store.AuditRecord;
import io.hanse.kernel.store.AuditVerification;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The audit log in plain JDBC; see {@link AuditChain} for how entries are chained. */
@Component(service = AuditLog.class)
public final class JdbcAuditLog implements AuditLog {

    private static final int MAX_LIMIT = 1000;
    private static final int FETCH_SIZE = 500;

    private final Jdbc jdbc;

    @Activate
    public JdbcAuditLog(@Reference KernelSchema schema,
            @Reference(target = "(osgi.jndi.service.name=hanse)") DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public AuditRecord append(AuditEntry entry) {
        return jdbc.inTransaction(connection -> AuditChain.append(connection, entry, Instant.now()));
    }

    @Override
    public List<AuditRecord> query(AuditQuery query) {
        if (query.limit() < 1 || query.limit() > MAX_LIMIT) {
            throw new InvalidRequestException("limit must be 1 to " + MAX_LIMIT);
        }
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + AuditChain.COLUMNS + " FROM hanse_audit WHERE 1 = 1");
        if (query.actor() != null) {
            sql.append(" AND actor_name = ?");
            Optional<Source> kindAndName = query.kindAndName();
            if (kindAndName.isPresent()) {
                parameters.add(kindAndName.get().name());
                sql.append(" AND actor_kind = ?");
                parameters.add(kindAndName.get().kind().name());
            } else {
                parameters.add(query.actor());
            }
        }
        if (query.target() != null) {
            sql.append(" AND (target = ? OR target LIKE ? ESCAPE '\\')");
            parameters.add(query.target());
            // A target's own \, % and _ are escaped: they are plain characters, not LIKE's wildcards.
            parameters.add(query.target().replaceAll("[\\\\%_]", "\\\\$0") + "/%");
        }
        if (query.from() != null) {
            sql.append(" AND time >= ?");
            parameters.add(query.from());
        }
        if (query.until() != null) {
            sql.append(" AND time < ?");
            parameters.add(query.until());
        }
        if (query.before() > 0) {
            sql.append(" AND seq < ?");
            parameters.add(query.before());
        }
        sql.append(" ORDER BY seq DESC LIMIT ").append(query.limit());
        return jdbc.inTransaction(connection -> {
            List<AuditRecord> records = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                Jdbc.bind(select, parameters.toArray());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        records.add(AuditChain.record(rows));
                    }
                }
            }
            return records;
        });
    }

    /**
     * Checks the entries up to the head as it was when the check started: entries appended while
     * it runs lie beyond that head and are left for the next check, never taken for tampering.
     */
    @Override
    public AuditVerification verify() {
        return jdbc.inTransaction(connection -> {
            long headSeq;
            String headHash;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT seq, hash FROM hanse_audit_head WHERE singleton = 1");
                    ResultSet head = select.executeQuery()) {
                if (!head.next()) {
                    return broken(1, "the log's head row is missing");
                }
                headSeq = head.getLong(1);
                headHash = head.getString(2);
            }
            long last = 0;
            String lastHash = AuditChain.GENESIS;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + AuditChain.COLUMNS + " FROM hanse_audit WHERE seq <= ? ORDER BY seq")) {
                select.setLong(1, headSeq);
                select.setFetchSize(FETCH_SIZE);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        AuditRecord record = AuditChain.record(rows);
                        long seq = last + 1;
                        if (record.seq() != seq) {
                            return broken(seq, record.seq() == seq + 1 ? "entry " + seq + " is missing"
                                    : "entries " + seq + " to " + (record.seq() - 1) + " are missing");
                        }
                        if (!record.hash().equals(
                                AuditChain.hash(seq, record.time(), record.entry(), record.previousHash()))) {
                            return broken(seq, "entry " + seq + " was changed after it was written");
                        }
                        // Fits its own hash but not its place: it or the one before was rewritten, hash and all.
                        if (!record.previousHash().equals(lastHash)) {
                            return broken(seq, "entry " + seq + " does not link to the entry before it:"
                                    + " one of them was rewritten");
                        }
                        last = seq;
                        lastHash = record.hash();
                    }
                }
            }
            if (last < headSeq) {
                return broken(last + 1, headSeq - last == 1 ? "the last entry is missing"
                        : "the last " + (headSeq - last) + " entries are missing");
            }
            if (!lastHash.equals(headHash)) {
                return last == 0 ? broken(1, "the log's head was changed")
                        : broken(last, "entry " + last + " does not match the log's head: one of them was rewritten");
            }
            return new AuditVerification(true, last, 0, null);
        });
    }

    /** Every entry before the broken one was checked and found in order. */
    private static AuditVerification broken(long seq, String problem) {
        return new AuditVerification(false, seq - 1, seq, problem);
    }
}
