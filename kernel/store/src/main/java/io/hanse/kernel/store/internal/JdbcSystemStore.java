package io.hanse.kernel.store.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hanse.api.system.Link;
import io.hanse.api.system.Rules;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemDraft;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.StoredSystem;
import io.hanse.kernel.store.SystemStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Systems in plain JDBC: they are read all at once at start and written one at a time, and the
 * nested parts (labels, links, rules) are JSON columns that only this class reads.
 */
@Component(service = SystemStore.class)
public final class JdbcSystemStore implements SystemStore {

    private static final String COLUMNS =
            "id, slug, name, kind, labels, description, owners, links, rules, selector, created, updated";

    private final Jdbc jdbc;

    @Activate
    public JdbcSystemStore(@Reference KernelSchema schema,
            @Reference(target = "(osgi.jndi.service.name=hanse)") DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public List<StoredSystem> loadAll() {
        return jdbc.inTransaction(connection -> {
            Map<UUID, List<UUID>> members = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT aggregate_id, member_id FROM hanse_system_member ORDER BY aggregate_id, position");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    members.computeIfAbsent(rows.getObject(1, UUID.class), id -> new ArrayList<>())
                            .add(rows.getObject(2, UUID.class));
                }
            }
            List<StoredSystem> systems = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM hanse_system");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject("id", UUID.class);
                    systems.add(new StoredSystem(id, draft(rows), members.getOrDefault(id, List.of()),
                            Jdbc.instant(rows, "created"), Jdbc.instant(rows, "updated")));
                }
            }
            return systems;
        });
    }

    private static SystemDraft draft(ResultSet row) throws SQLException {
        String selector = row.getString("selector");
        return SystemDraft.builder(row.getString("slug"))
                .name(row.getString("name"))
                .kind(row.getString("kind"))
                .labels(Json.read(row.getString("labels"), new TypeReference<Map<String, String>>() { }))
                .description(row.getString("description"))
                .owners(Json.read(row.getString("owners"), new TypeReference<List<String>>() { }))
                .links(Json.read(row.getString("links"), new TypeReference<List<Link>>() { }))
                .rules(Json.read(row.getString("rules"), new TypeReference<Rules>() { }))
                .selector(selector == null ? null : Selector.parse(selector))
                .build();
    }

    @Override
    public void insert(StoredSystem system, AuditEntry audit) {
        jdbc.change(audit, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO hanse_system (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setObject(1, system.id());
                bind(insert, 2, system);
                insert.executeUpdate();
            }
            insertMembers(connection, system);
        });
    }

    @Override
    public void update(StoredSystem system, AuditEntry audit) {
        jdbc.change(audit, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE hanse_system SET slug = ?, name = ?,"
                    + " kind = ?, labels = ?, description = ?, owners = ?, links = ?, rules = ?, selector = ?,"
                    + " created = ?, updated = ? WHERE id = ?")) {
                bind(update, 1, system);
                update.setObject(12, system.id());
                if (update.executeUpdate() != 1) {
                    throw new IllegalStateException("system " + system.id() + " is not stored");
                }
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM hanse_system_member WHERE aggregate_id = ?")) {
                delete.setObject(1, system.id());
                delete.executeUpdate();
            }
            insertMembers(connection, system);
        });
    }

    /** Role bindings on the system go by a foreign-key cascade. */
    @Override
    public void delete(UUID id, Instant at, AuditEntry audit) {
        jdbc.change(audit, connection -> {
            try (PreparedStatement touch = connection.prepareStatement("UPDATE hanse_system SET updated = ? WHERE id IN"
                    + " (SELECT aggregate_id FROM hanse_system_member WHERE member_id = ?)")) {
                touch.setObject(1, Jdbc.timestamp(at));
                touch.setObject(2, id);
                touch.executeUpdate();
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM hanse_system WHERE id = ?")) {
                delete.setObject(1, id);
                delete.executeUpdate();
            }
        });
    }

    /** Binds everything but the id, from {@code first} on, in the order of {@link #COLUMNS}. */
    private static void bind(PreparedStatement statement, int first, StoredSystem system) throws SQLException {
        SystemDraft draft = system.draft();
        statement.setString(first, draft.slug());
        statement.setString(first + 1, draft.name());
        statement.setString(first + 2, draft.kind());
        statement.setString(first + 3, Json.write(draft.labels()));
        statement.setString(first + 4, draft.description());
        statement.setString(first + 5, Json.write(draft.owners()));
        statement.setString(first + 6, Json.write(draft.links()));
        statement.setString(first + 7, Json.write(draft.rules()));
        statement.setString(first + 8, draft.selector().map(Selector::toString).orElse(null));
        statement.setObject(first + 9, Jdbc.timestamp(system.created()));
        statement.setObject(first + 10, Jdbc.timestamp(system.updated()));
    }

    private static void insertMembers(Connection connection, StoredSystem system) throws SQLException {
        if (system.members().isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO hanse_system_member (aggregate_id, member_id, position) VALUES (?, ?, ?)")) {
            int position = 0;
            for (UUID member : system.members()) {
                insert.setObject(1, system.id());
                insert.setObject(2, member);
                insert.setInt(3, position++);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
