package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.kernel.store.Database;
import io.hanse.kernel.store.StoredAgent;
import io.hanse.testing.KernelDatabase;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each test has a database of its own, so that it can compare everything that is stored. */
class JdbcAgentStoreTest extends OnBothDatabases {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123456Z");

    /** Inserts an agent's service principal as the security store would, and returns its id. */
    private static UUID principal(DataSource dataSource, String name) {
        UUID id = UUID.randomUUID();
        new Jdbc(dataSource).inTransaction(connection -> Jdbc.execute(connection, "INSERT INTO hanse_principal"
                + " (id, name, service, display_name, password_hash, one_time_password, disabled, created)"
                + " VALUES (?, ?, TRUE, ?, NULL, FALSE, FALSE, ?)", id, name, name, T0));
        return id;
    }

    private static void deletePrincipal(DataSource dataSource, UUID id) {
        new Jdbc(dataSource).inTransaction(connection -> Jdbc.execute(connection,
                "DELETE FROM hanse_principal WHERE id = ?", id));
    }

    /** An agent as it is first recorded, before it reports. */
    private static StoredAgent enrolled(UUID principal, int second) {
        return new StoredAgent(principal, null, null, 0, List.of(), "[]", 0, 0, T0.plusSeconds(second), null, false);
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void keepsWhatIsSavedAndReplacesItByPrincipal(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcAgentStore store = new JdbcAgentStore(null, database.dataSource());
            StoredAgent web = enrolled(principal(database.dataSource(), "agent-web"), 2);
            StoredAgent db = enrolled(principal(database.dataSource(), "agent-db"), 1);

            store.saveAll(List.of(web, db));
            assertEquals(List.of(db, web), store.loadAll());

            StoredAgent reported = new StoredAgent(web.principal(), "1.4.2", "web-01.example.org", 1_795_000_000_123L,
                    List.of("shell", "probe"), "[{\"name\":\"disk\",\"every\":60}]", 17, 3, web.enrolled(),
                    T0.plusSeconds(90), false);
            StoredAgent lost = new StoredAgent(db.principal(), null, null, 0, List.of(), "[]", 0, 0, db.enrolled(),
                    T0.plusSeconds(30), true);
            store.saveAll(List.of(reported, lost));
            assertEquals(List.of(lost, reported), store.loadAll());

            store.saveAll(List.of());
            assertEquals(List.of(lost, reported), store.loadAll());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void forgetsAnAgentWhenItsPrincipalIsDeletedAndSkipsItsLateRecord(Database.Kind kind) {
        try (KernelDatabase database = fresh(kind)) {
            JdbcAgentStore store = new JdbcAgentStore(null, database.dataSource());
            StoredAgent web = enrolled(principal(database.dataSource(), "agent-web"), 1);
            StoredAgent db = enrolled(principal(database.dataSource(), "agent-db"), 2);
            store.saveAll(List.of(web, db));

            deletePrincipal(database.dataSource(), web.principal());
            assertEquals(List.of(db), store.loadAll());

            StoredAgent seen = new StoredAgent(db.principal(), "1.0.0", "db-01", 5, List.of("probe"), "[]", 0, 0,
                    db.enrolled(), T0.plusSeconds(60), false);
            store.saveAll(List.of(web, seen));
            assertEquals(List.of(seen), store.loadAll());
        }
    }
}
