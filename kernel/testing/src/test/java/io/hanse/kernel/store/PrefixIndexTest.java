package io.hanse.kernel.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.testing.ThrowawayDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Under a collation other than C, PostgreSQL takes the event type and audit target indexes for
 * {@code LIKE 'prefix%'}, as the timeline's namespace filters and the audit log's target filter
 * use it. Sequential scans are turned off so that the plan says whether an index could be used at
 * all, whatever the table's size.
 */
class PrefixIndexTest {

    private static final String ICU = "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'";

    @Test
    void namespaceAndTargetPrefixesUseTheirIndexesUnderANonCCollation() throws Exception {
        try (ThrowawayDatabase database = ThrowawayDatabase.postgres(ICU); Connection connection = database.connect()) {
            ChangeLogs.apply(connection, getClass().getClassLoader(), "db/io.hanse.kernel.store/changelog.xml");
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET enable_seqscan = off");
            }
            String events = plan(connection, "SELECT seq FROM hanse_event WHERE type LIKE 'monitoring.%'"
                    + " AND time < CURRENT_TIMESTAMP");
            assertTrue(events.contains("hanse_event_type_time_ix") && events.contains("~>=~"), events);
            String audit = plan(connection, "SELECT seq FROM hanse_audit WHERE target = 'x' OR target LIKE 'x/%'");
            assertTrue(audit.contains("hanse_audit_target_ix") && audit.contains("~>=~"), audit);
        }
    }

    private static String plan(Connection connection, String query) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("EXPLAIN " + query)) {
            while (rows.next()) {
                plan.append(rows.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
