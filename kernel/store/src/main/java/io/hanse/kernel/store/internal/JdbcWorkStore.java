package io.hanse.kernel.store.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.StoredWorkItem;
import io.hanse.kernel.store.WorkStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Work items in plain JDBC. Each lease is a compare-and-set on the item's lease counter: the update
 * that leases an item requires the counter it read, so of two claimers, on H2 as on PostgreSQL, the
 * second finds it changed and updates nothing. A claim runs in auto-commit mode: each such update
 * commits on its own, so a claim holds no lock while it goes on to the next item.
 */
@Component(service = WorkStore.class)
public final class JdbcWorkStore implements WorkStore {

    private static final String COLUMNS = "id, type, parameters, agents, state, lease, holder, lease_expires,"
            + " lease_seconds, max_attempts, created_by, created, finished, result";
    /** Open, or leased with the lease run out; its one parameter is the time now. */
    private static final String CLAIMABLE = "(state = 'open' OR (state = 'leased' AND lease_expires < ?))";
    /**
     * Candidates read per item asked for: claimers racing for the same oldest items lose some of
     * them, and still find others among the rest.
     */
    private static final int CANDIDATES_PER_ITEM = 4;

    private static final TypeReference<Set<String>> NAMES = new TypeReference<>() { };

    private final Jdbc jdbc;

    @Activate
    public JdbcWorkStore(@Reference KernelSchema schema,
            @Reference(target = "(osgi.jndi.service.name=hanse)") DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public void insert(StoredWorkItem item, AuditEntry audit) {
        jdbc.change(audit, connection -> Jdbc.execute(connection, "INSERT INTO hanse_work_item (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", item.id(), item.type(), item.parameters(),
                item.agents() == null ? null : Json.write(new TreeSet<>(item.agents())), item.state(), item.lease(),
                item.holder(), item.leaseExpires(), item.leaseSeconds(), item.maxAttempts(), item.createdBy(),
                item.created(), item.finished(), item.result()));
    }

    /**
     * Reads a bounded number of the oldest candidates, then leases them one at a time until it has
     * {@code max}; a candidate another claimer took in between is passed over. The agents filter in
     * SQL only narrows by the name's JSON text, so that items reserved for other agents cannot crowd
     * this agent's out of the bound; the exact test is on the parsed list.
     */
    @Override
    public List<StoredWorkItem> claim(String agent, Set<String> types, int max, Instant now) {
        if (types.isEmpty() || max < 1) {
            return List.of();
        }
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        List<Object> parameters = new ArrayList<>(types);
        parameters.add(at);
        // The agent's name as it appears in the JSON array; its \, % and _ are not LIKE's wildcards.
        parameters.add("%" + Json.write(agent).replaceAll("[\\\\%_]", "\\\\$0") + "%");
        String sql = "SELECT " + COLUMNS + " FROM hanse_work_item WHERE type IN ("
                + String.join(", ", Collections.nCopies(types.size(), "?")) + ") AND " + CLAIMABLE
                + " AND (agents IS NULL OR agents LIKE ? ESCAPE '\\') ORDER BY created, id LIMIT "
                + (long) max * CANDIDATES_PER_ITEM;
        return jdbc.autoCommit(connection -> {
            List<StoredWorkItem> leased = new ArrayList<>();
            for (StoredWorkItem candidate : Jdbc.select(connection, sql, JdbcWorkStore::item, parameters.toArray())) {
                if (leased.size() == max) {
                    break;
                }
                if (candidate.agents() != null && !candidate.agents().contains(agent)) {
                    continue;
                }
                if (candidate.state().equals("leased") && candidate.lease() >= candidate.maxAttempts()) {
                    failExpired(connection, candidate, at);
                } else {
                    lease(connection, candidate, agent, at).ifPresent(leased::add);
                }
            }
            return leased;
        });
    }

    /** Returns the item as leased to the agent, or nothing if another claimer changed it first. */
    private static Optional<StoredWorkItem> lease(Connection connection, StoredWorkItem candidate, String agent,
            Instant now) throws SQLException {
        Instant expires = now.plusSeconds(candidate.leaseSeconds());
        if (Jdbc.execute(connection, "UPDATE hanse_work_item SET state = 'leased', lease = lease + 1, holder = ?,"
                + " lease_expires = ? WHERE id = ? AND lease = ? AND " + CLAIMABLE, agent, expires, candidate.id(),
                candidate.lease(), now) == 0) {
            return Optional.empty();
        }
        return Optional.of(new StoredWorkItem(candidate.id(), candidate.type(), candidate.parameters(),
                candidate.agents(), "leased", candidate.lease() + 1, agent, expires, candidate.leaseSeconds(),
                candidate.maxAttempts(), candidate.createdBy(), candidate.created(), candidate.finished(),
                candidate.result()));
    }

    /** Fails an item whose last lease ran out, unless another claimer got to it first. */
    private static void failExpired(Connection connection, StoredWorkItem candidate, Instant now)
            throws SQLException {
        long attempts = candidate.lease();
        String result = Json.write(Map.of("error",
                "lease expired after " + attempts + (attempts == 1 ? " attempt" : " attempts")));
        Jdbc.execute(connection, "UPDATE hanse_work_item SET state = 'failed', finished = ?, result = ?,"
                + " lease_expires = NULL WHERE id = ? AND lease = ? AND state = 'leased' AND lease_expires < ?",
                now, result, candidate.id(), candidate.lease(), now);
    }

    /**
     * Accepts a completion after the lease ran out as long as no other agent claimed the item
     * since: the holder and the lease still match, and the work is done, so it is not done twice.
     */
    @Override
    public boolean complete(UUID id, long lease, String agent, boolean succeeded, String result, Instant now) {
        return jdbc.inTransaction(connection -> Jdbc.execute(connection, "UPDATE hanse_work_item"
                + " SET state = ?, finished = ?, result = ?, lease_expires = NULL"
                + " WHERE id = ? AND lease = ? AND holder = ? AND state = 'leased'",
                succeeded ? "succeeded" : "failed", now.truncatedTo(ChronoUnit.MICROS), result, id, lease, agent))
                == 1;
    }

    @Override
    public Optional<StoredWorkItem> find(UUID id) {
        return jdbc.inTransaction(connection -> Jdbc.select(connection,
                "SELECT " + COLUMNS + " FROM hanse_work_item WHERE id = ?", JdbcWorkStore::item, id))
                .stream().findFirst();
    }

    @Override
    public List<StoredWorkItem> list(String state, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        String sql = "SELECT " + COLUMNS + " FROM hanse_work_item" + (state == null ? "" : " WHERE state = ?")
                + " ORDER BY created DESC, id DESC LIMIT " + limit;
        return jdbc.inTransaction(connection -> Jdbc.select(connection, sql, JdbcWorkStore::item,
                state == null ? new Object[0] : new Object[] {state}));
    }

    private static StoredWorkItem item(ResultSet row) throws SQLException {
        String agents = row.getString("agents");
        return new StoredWorkItem(row.getObject("id", UUID.class), row.getString("type"), row.getString("parameters"),
                agents == null ? null : Json.read(agents, NAMES), row.getString("state"), row.getLong("lease"),
                row.getString("holder"), Jdbc.instant(row, "lease_expires"), row.getInt("lease_seconds"),
                row.getInt("max_attempts"), row.getString("created_by"), Jdbc.instant(row, "created"),
                Jdbc.instant(row, "finished"), row.getString("result"));
    }
}
