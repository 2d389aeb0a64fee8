package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.UnavailableException;
import io.hanse.kernel.store.Database;
import java.time.Instant;
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

    private static int owe(MonitoringParts parts, String system) {
        return parts.sql.inTransaction(connection -> Sql.execute(connection, "INSERT INTO monitoring_outbox (event_id,"
                + " type, system, time, source_kind, source_name, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), "monitoring.test", system, NOW, "PLUGIN", "monitoring", "{}"));
    }
}
