package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.UnavailableException;
import io.hanse.kernel.store.Database;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The plugin's tables as its change log leaves them, on H2 and on PostgreSQL. */
class SchemaTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void systemsAreKeptBySlugsOfUpTo127CharactersAndNeverWithout(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            String peers = "fra/" + "a".repeat(123);
            assertEquals(1, owe(parts, peers));
            assertThrows(UnavailableException.class, () -> owe(parts, peers + "a"));
            assertThrows(UnavailableException.class, () -> owe(parts, null), "still required");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void everyTableKeepsSlugsOfUpTo127CharactersAndThoseThatNeedOneStillDo(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            List<String> columns = parts.sql.inTransaction(connection -> Sql.select(connection, "SELECT table_name,"
                    + " character_maximum_length, is_nullable FROM information_schema.columns"
                    + " WHERE lower(table_name) LIKE 'monitoring_%' AND lower(column_name) = 'system'",
                    row -> row.getString(1).toLowerCase(Locale.ROOT) + " " + row.getInt(2) + " " + row.getString(3)));
            // A review of a selector has no system.
            assertEquals(List.of("monitoring_change 127 NO", "monitoring_check 127 NO", "monitoring_downtime 127 NO",
                    "monitoring_outbox 127 NO", "monitoring_review 127 YES", "monitoring_review_item 127 NO"),
                    columns.stream().sorted().toList());
        }
    }

    private static int owe(MonitoringParts parts, String system) {
        return parts.sql.inTransaction(connection -> Sql.execute(connection, "INSERT INTO monitoring_outbox (event_id,"
                + " type, system, time, source_kind, source_name, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), "monitoring.test", system, NOW, "PLUGIN", "monitoring", "{}"));
    }
}
