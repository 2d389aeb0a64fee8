package io.hanse.monitoring.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Stores downtimes in the plugin's table. */
final class DowntimeStore {

    private final Sql sql;

    DowntimeStore(Sql sql) {
        this.sql = sql;
    }

    List<Downtime> all() {
        return sql.inTransaction(connection -> Sql.select(connection,
                "SELECT * FROM monitoring_downtime ORDER BY starts", DowntimeStore::downtime));
    }

    /** Stores a downtime, and the events that tell of it. */
    void insert(Downtime d, List<Outbox.Owed> events) {
        Recurrence recurrence = d.recurrence();
        sql.inTransaction(connection -> {
            Sql.execute(connection, "INSERT INTO monitoring_downtime (id, system, system_id, check_name, members,"
                    + " starts, ends, recurrence, zone, author, comment, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?)", d.id(), d.system(), d.systemId(), d.check(), d.members(), d.starts(), d.ends(),
                    recurrence == null ? null : recurrence.spec(),
                    recurrence == null ? null : recurrence.zone().getId(), d.author(), d.comment(), d.created());
            Outbox.owe(connection, events);
            return null;
        });
    }

    /** Returns, by downtime, the time up to which its windows' starts and ends are on the timeline. */
    Map<UUID, Instant> announced() {
        return sql.inTransaction(connection -> Sql.select(connection, "SELECT id, announced FROM monitoring_downtime"
                + " WHERE announced IS NOT NULL", row -> Map.entry(row.getObject("id", UUID.class),
                        Sql.instant(row, "announced")))).stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Notes that the downtime's windows' starts and ends up to this time are on the timeline. */
    void announced(UUID id, Instant until) {
        sql.inTransaction(connection -> Sql.execute(connection, "UPDATE monitoring_downtime SET announced = ?"
                + " WHERE id = ?", until, id));
    }

    /** Deletes a downtime and stores the events that tell of it; returns false if there was none. */
    boolean delete(UUID id, List<Outbox.Owed> events) {
        return sql.inTransaction(connection -> {
            if (Sql.execute(connection, "DELETE FROM monitoring_downtime WHERE id = ?", id) == 0) {
                return false;
            }
            Outbox.owe(connection, events);
            return true;
        });
    }

    /** Makes downtimes follow their systems. */
    void follow(Follow plan) {
        sql.inTransaction(connection -> {
            plan.apply(connection, "monitoring_downtime");
            return null;
        });
    }

    private static Downtime downtime(ResultSet row) throws SQLException {
        String spec = row.getString("recurrence");
        return new Downtime(row.getObject("id", UUID.class), row.getString("system"),
                row.getObject("system_id", UUID.class), row.getString("check_name"), row.getBoolean("members"),
                Sql.instant(row, "starts"), Sql.instant(row, "ends"),
                spec == null ? null : Recurrence.parse(spec, ZoneId.of(row.getString("zone"))),
                row.getString("author"), row.getString("comment"), Sql.instant(row, "created"));
    }
}
