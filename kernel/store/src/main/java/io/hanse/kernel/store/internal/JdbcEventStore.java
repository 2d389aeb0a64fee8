package io.hanse.kernel.store.internal;

import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.Database;
import io.hanse.kernel.store.EventFilter;
import io.hanse.kernel.store.EventStore;
import io.hanse.kernel.store.SequenceRange;
import io.hanse.kernel.store.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The timeline's events in plain JDBC, written in batches. On PostgreSQL a batch is one statement
 * over arrays that skips stored ids ({@code ON CONFLICT DO NOTHING}); on H2, one guarded insert per
 * event in a JDBC batch.
 */
@Component(service = EventStore.class)
public final class JdbcEventStore implements EventStore {

    private static final String COLUMNS =
            "id, type, system_id, system_slug, time, recorded, source_kind, source_name, origin, body";
    /** What a follower reads of each row: bodies only of the origin it follows, the first parameter. */
    private static final String FOLLOWED = "seq, id, type, system_id, system_slug, time, recorded, source_kind,"
            + " source_name, origin, CASE WHEN origin = ? THEN body END AS body";
    private static final String POSTGRES_INSERT = "INSERT INTO hanse_event (" + COLUMNS + ")"
            + " SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::uuid[], ?::varchar[], ?::timestamptz[],"
            + " ?::timestamptz[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[])"
            + " ON CONFLICT (id) DO NOTHING RETURNING id";
    private static final String GUARDED_INSERT = "INSERT INTO hanse_event (" + COLUMNS + ")"
            + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM hanse_event WHERE id = ?)";
    private static final String UNIQUE_VIOLATION = "23505";
    /** Up to this many systems, PostgreSQL reads each system's newest events and merges them. */
    static final int PER_SYSTEM_MAX = 1_000;

    private final Jdbc jdbc;
    private final boolean postgres;

    @Activate
    public JdbcEventStore(@Reference KernelSchema schema, @Reference Database database,
            @Reference(target = "(osgi.jndi.service.name=hanse)") DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
        this.postgres = database.kind() == Database.Kind.POSTGRESQL;
    }

    @Override
    public Set<String> insert(List<Event> events) {
        if (events.isEmpty()) {
            return Set.of();
        }
        return jdbc.inTransaction(connection -> postgres ? insertArrays(connection, events)
                : insertGuarded(connection, events));
    }

    private static Set<String> insertArrays(Connection connection, List<Event> events) throws SQLException {
        int size = events.size();
        Object[][] columns = new Object[10][size];
        for (int i = 0; i < size; i++) {
            Event event = events.get(i);
            columns[0][i] = event.id();
            columns[1][i] = event.type();
            columns[2][i] = event.systemId();
            columns[3][i] = event.system();
            columns[4][i] = event.time().toString();
            columns[5][i] = event.recorded().toString();
            columns[6][i] = event.source().kind().name();
            columns[7][i] = event.source().name();
            columns[8][i] = event.origin();
            columns[9][i] = event.body();
        }
        String[] types = {"varchar", "varchar", "uuid", "varchar", "varchar", "varchar", "varchar", "varchar",
            "varchar", "text"};
        Set<String> created = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(POSTGRES_INSERT)) {
            for (int c = 0; c < columns.length; c++) {
                insert.setArray(c + 1, connection.createArrayOf(types[c], columns[c]));
            }
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    created.add(rows.getString(1));
                }
            }
        }
        return created;
    }

    private Set<String> insertGuarded(Connection connection, List<Event> events) throws SQLException {
        Set<String> created = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(GUARDED_INSERT)) {
            for (Event event : events) {
                insert.setString(1, event.id());
                insert.setString(2, event.type());
                insert.setObject(3, event.systemId());
                insert.setString(4, event.system());
                insert.setObject(5, Jdbc.timestamp(event.time()));
                insert.setObject(6, Jdbc.timestamp(event.recorded()));
                insert.setString(7, event.source().kind().name());
                insert.setString(8, event.source().name());
                insert.setString(9, event.origin());
                insert.setString(10, event.body());
                insert.setString(11, event.id());
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    created.add(events.get(i).id());
                }
            }
        } catch (SQLException e) {
            // Another writer stored one of the ids after our check: the whole batch is redone, and the
            // guard then skips what the other writer stored.
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                connection.rollback();
                return insertGuarded(connection, events);
            }
            throw e;
        }
        return created;
    }

    @Override
    public Map<String, Event> find(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbc.inTransaction(connection -> {
            Map<String, Event> found = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT seq, " + COLUMNS + " FROM hanse_event WHERE id = ANY(?)")) {
                select.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        Event event = event(rows);
                        found.put(event.id(), event);
                    }
                }
            }
            return found;
        });
    }

    /**
     * The upper bound, which holds for every row, keeps PostgreSQL on the primary key: asked for
     * {@code seq > ?} alone, a plan made without fresh statistics, as on a table that grew fast or for
     * a prepared statement's generic plan, takes a third of the table and reads all of it.
     */
    @Override
    public List<StoredEvent> since(long seq, int max, String origin) {
        return jdbc.inTransaction(connection -> Jdbc.select(connection, "SELECT " + FOLLOWED
                + " FROM hanse_event WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT " + Math.max(1, max),
                row -> followed(row, origin), origin, seq, Long.MAX_VALUE));
    }

    @Override
    public long highestSequence() {
        return jdbc.inTransaction(connection -> Jdbc.select(connection,
                "SELECT COALESCE(MAX(seq), 0) AS highest FROM hanse_event", row -> row.getLong("highest")).get(0));
    }

    @Override
    public List<StoredEvent> withSequence(List<SequenceRange> ranges, int max, String origin) {
        if (ranges.isEmpty()) {
            return List.of();
        }
        Long[] firsts = ranges.stream().map(SequenceRange::first).toArray(Long[]::new);
        Long[] lasts = ranges.stream().map(SequenceRange::last).toArray(Long[]::new);
        return jdbc.inTransaction(connection -> {
            List<StoredEvent> found = new ArrayList<>();
            // One index range scan per range, however many numbers it spans.
            try (PreparedStatement select = connection.prepareStatement("SELECT " + FOLLOWED + " FROM hanse_event"
                    + " JOIN UNNEST(CAST(? AS BIGINT ARRAY), CAST(? AS BIGINT ARRAY)) AS ranges (first_seq, last_seq)"
                    + " ON seq BETWEEN first_seq AND last_seq ORDER BY seq LIMIT " + Math.max(1, max))) {
                select.setString(1, origin);
                select.setArray(2, connection.createArrayOf("bigint", firsts));
                select.setArray(3, connection.createArrayOf("bigint", lasts));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(followed(rows, origin));
                    }
                }
            }
            return found;
        });
    }

    /** A followed row: its event only if it is of the origin followed, whose body alone is read. */
    private static StoredEvent followed(ResultSet row, String origin) throws SQLException {
        return new StoredEvent(origin.equals(row.getString("origin")) ? event(row) : null, row.getLong("seq"));
    }

    /**
     * Reads newest first. Three shapes, chosen from PostgreSQL's plans (see kernel/benchmarks):
     * one system walks {@code hanse_event_system_time_ix}; up to {@value #PER_SYSTEM_MAX} systems on
     * PostgreSQL take the newest few of each system from that index and merge them, at a cost bounded
     * by the number of systems however quiet they are; more systems walk {@code hanse_event_time_ix}
     * with a hashed membership test, planned for the actual array each time, since a cached generic
     * plan cannot see the array's size and reads every event of every member.
     */
    @Override
    public List<StoredEvent> query(EventFilter filter) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder conditions = new StringBuilder();
        Set<UUID> systems = filter.systems();
        boolean perSystem = postgres && systems != null && systems.size() > 1 && systems.size() <= PER_SYSTEM_MAX;
        if (perSystem) {
            parameters.add(systems);
        } else if (systems != null && systems.size() == 1) {
            conditions.append(" AND system_id = ?");
            parameters.add(systems.iterator().next());
        } else if (systems != null) {
            conditions.append(" AND system_id = ANY(?)");
            parameters.add(systems);
        }
        if (!filter.types().isEmpty()) {
            conditions.append(" AND ").append(typeClause(filter.types(), parameters));
        }
        if (filter.from() != null) {
            conditions.append(" AND time >= ?");
            parameters.add(Jdbc.timestamp(filter.from()));
        }
        if (filter.until() != null) {
            conditions.append(" AND time < ?");
            parameters.add(Jdbc.timestamp(filter.until()));
        }
        if (filter.after() != null) {
            conditions.append(" AND (time, seq) < (?, ?)");
            parameters.add(Jdbc.timestamp(filter.after().time()));
            parameters.add(filter.after().seq());
        }
        String newest = " ORDER BY time DESC, seq DESC LIMIT " + filter.limit();
        String sql = perSystem
                ? "SELECT seq, " + COLUMNS + " FROM hanse_event WHERE seq IN (SELECT top.seq FROM unnest(?::uuid[])"
                        + " AS member(id) CROSS JOIN LATERAL (SELECT seq, time FROM hanse_event WHERE system_id ="
                        + " member.id" + conditions + newest + ") top ORDER BY top.time DESC, top.seq DESC LIMIT "
                        + filter.limit() + ")" + newest
                : "SELECT seq, " + COLUMNS + " FROM hanse_event WHERE 1 = 1" + conditions + newest;
        boolean customPlan = postgres && systems != null && systems.size() > PER_SYSTEM_MAX;
        return jdbc.inTransaction(connection -> {
            if (customPlan) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL plan_cache_mode = force_custom_plan");
                }
            }
            List<StoredEvent> events = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                bind(connection, select, parameters);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        events.add(new StoredEvent(event(rows), rows.getLong("seq")));
                    }
                }
            }
            return events;
        });
    }

    private static Event event(ResultSet row) throws SQLException {
        return new Event(row.getString("id"), row.getString("type"), row.getObject("system_id", UUID.class),
                row.getString("system_slug"), Jdbc.instant(row, "time"), Jdbc.instant(row, "recorded"),
                new Source(Source.Kind.valueOf(row.getString("source_kind")), row.getString("source_name")),
                row.getString("origin"), row.getString("body"));
    }

    @Override
    public int deleteBefore(String type, Set<String> except, Instant before, int max) {
        List<Object> parameters = new ArrayList<>();
        parameters.add(Jdbc.timestamp(before));
        StringBuilder where = new StringBuilder("time < ?");
        if (!type.equals("*")) {
            where.append(" AND ").append(typeClause(Set.of(type), parameters));
        }
        if (!except.isEmpty()) {
            where.append(" AND NOT ").append(typeClause(except, parameters));
        }
        String sql = "DELETE FROM hanse_event WHERE seq IN (SELECT seq FROM hanse_event WHERE " + where
                + " LIMIT " + max + ")";
        return jdbc.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
                bind(connection, delete, parameters);
                return delete.executeUpdate();
            }
        });
    }

    /** Returns a condition that holds for these types and namespaces ({@code ns.*}), adding its parameters. */
    private static String typeClause(Collection<String> types, List<Object> parameters) {
        List<String> clauses = new ArrayList<>();
        for (String type : types) {
            if (type.endsWith(".*")) {
                clauses.add("type LIKE ?");
                parameters.add(type.substring(0, type.length() - 1) + "%");
            } else {
                clauses.add("type = ?");
                parameters.add(type);
            }
        }
        return "(" + String.join(" OR ", clauses) + ")";
    }

    private void bind(Connection connection, PreparedStatement statement, List<Object> parameters)
            throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object parameter = parameters.get(i);
            if (parameter instanceof Set<?> ids) {
                statement.setArray(i + 1, connection.createArrayOf(postgres ? "uuid" : "UUID", ids.toArray()));
            } else {
                statement.setObject(i + 1, parameter);
            }
        }
    }
}
