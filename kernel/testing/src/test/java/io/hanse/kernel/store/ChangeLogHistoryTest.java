package io.hanse.kernel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.testing.ChangeLogHistory;
import io.hanse.testing.ThrowawayDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A database migrated by any released version of the kernel's change log ends, once the current one
 * is applied, with the same schema as a database the current change log creates: change sets applied
 * once are never edited, and their later changes are new change sets that find what is already there.
 * The versions are copies of the change log as it was at those commits
 * ({@code src/test/resources/changelog-history/kernel/<commit>.xml}). It lives here, beside the
 * stores' tests, as it checks with {@link ChangeLogHistory}, which plugins use too.
 */
class ChangeLogHistoryTest {

    static final String KERNEL = "db/io.hanse.kernel.store/changelog.xml";
    /** The commits at which the kernel's change log differed in a change set applied before. */
    static final List<String> KERNEL_HISTORY = List.of("ba3bf11", "540c3cc", "7112077", "de1e52f", "cb0a45e");

    @Test
    void everyKernelVersionEndsAtTheCurrentSchemaOnH2() {
        check(ThrowawayDatabase::h2);
    }

    @Test
    void everyKernelVersionEndsAtTheCurrentSchemaOnPostgres() {
        check(ThrowawayDatabase::postgres);
    }

    @Test
    void outboxMessagesFromBeforeTheirSystemWasStoredGetItOnH2() throws Exception {
        outboxMessagesGetTheirSystem(ThrowawayDatabase::h2);
    }

    @Test
    void outboxMessagesFromBeforeTheirSystemWasStoredGetItOnPostgres() throws Exception {
        outboxMessagesGetTheirSystem(ThrowawayDatabase::postgres);
    }

    /** Messages as the federation of 540c3cc enqueued them: canonical JSON, the system only in the body. */
    private void outboxMessagesGetTheirSystem(Supplier<ThrowawayDatabase> databases) throws Exception {
        String peer = "6b3c5f0e-2f4a-4a7e-9c1d-000000000001";
        String system = "0d9e8f7a-1b2c-4d3e-8f40-5a6b7c8d9e0f";
        String other = "11111111-2222-4333-8444-555555555555";
        try (ThrowawayDatabase database = databases.get(); Connection connection = database.connect();
                ChangeLogHistory.Version old = ChangeLogHistory.version(getClass().getClassLoader(), KERNEL,
                        "changelog-history/kernel/540c3cc.xml")) {
            ChangeLogs.apply(connection, old, KERNEL);
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO hanse_peer (id, name, public_key, fingerprint, dial_out, suspended,"
                        + " created, acknowledged, received) VALUES ('" + peer + "', 'fra', 'k', 'f', TRUE, FALSE,"
                        + " CURRENT_TIMESTAMP, 0, 0)");
            }
            String insert = "INSERT INTO hanse_peer_outbox (peer_id, seq, type, body, created)"
                    + " VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)";
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                // An event whose own body names another system: the message is about the outer one.
                outbox(statement, peer, 1, "event", "{\"body\":{\"systemId\":\"" + other + "\"},\"id\":\"e1\","
                        + "\"source\":{\"kind\":\"agent\",\"name\":\"a\"},\"system\":\"db\",\"systemId\":\""
                        + system + "\",\"time\":\"2026-12-05T10:00:00Z\",\"type\":\"check.result\"}");
                outbox(statement, peer, 2, "status", "{\"status\":\"ok\",\"summary\":\"\",\"system\":\"db\","
                        + "\"systemId\":\"" + system + "\"}");
                outbox(statement, peer, 3, "example.note", "{\"body\":{},\"id\":\"n1\",\"system\":\"db\","
                        + "\"systemId\":\"" + system + "\"}");
                outbox(statement, peer, 4, "ask", "{\"action\":\"x\",\"body\":{\"systemId\":\"" + other + "\"},"
                        + "\"id\":\"r1\",\"system\":\"fra/db\"}");
            }
            ChangeLogs.apply(connection, getClass().getClassLoader(), KERNEL);
            Map<Long, String> systems = new TreeMap<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT seq, system_id FROM hanse_peer_outbox")) {
                while (rows.next()) {
                    systems.put(rows.getLong(1), String.valueOf(rows.getObject(2, UUID.class)));
                }
            }
            assertEquals(Map.of(1L, system, 2L, system, 3L, system, 4L, "null"), systems);
        }
    }

    private static void outbox(PreparedStatement statement, String peer, long seq, String type, String body)
            throws SQLException {
        statement.setObject(1, UUID.fromString(peer));
        statement.setLong(2, seq);
        statement.setString(3, type);
        statement.setString(4, body);
        statement.executeUpdate();
    }

    private void check(Supplier<ThrowawayDatabase> databases) {
        ChangeLogHistory.assertEveryVersionEndsAtTheCurrentSchema(databases, getClass().getClassLoader(), KERNEL,
                "changelog-history/kernel", KERNEL_HISTORY);
    }
}
