package io.hanse.kernel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.testing.ThrowawayDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A migration that died holding Liquibase's lock does not hold up the next: without the release,
 * Liquibase waits 5 minutes for its lock and fails, so a bound of a minute tells them apart (it is no
 * measure of speed).
 */
class ChangeLogsTest {

    private static final ClassLoader LOADER = ChangeLogsTest.class.getClassLoader();
    private static final Duration NO_HANG = Duration.ofSeconds(60);

    @Test
    void aLockLeftByACrashedMigrationIsReleasedOnH2() throws Exception {
        lockLeftBehindIsReleased(ThrowawayDatabase::h2);
    }

    @Test
    void aLockLeftByACrashedMigrationIsReleasedOnPostgres() throws Exception {
        lockLeftBehindIsReleased(ThrowawayDatabase::postgres);
    }

    private void lockLeftBehindIsReleased(Supplier<ThrowawayDatabase> databases) throws Exception {
        try (ThrowawayDatabase database = databases.get(); Connection connection = database.connect()) {
            ChangeLogs.apply(connection, LOADER, "db/locktest/one.xml");
            markLocked(connection, "crashed.example (10.0.0.9)");

            assertTimeoutPreemptively(NO_HANG, () -> ChangeLogs.apply(connection, LOADER, "db/locktest/two.xml"));

            assertTrue(exists(connection, "lock_test_two"));
            assertFalse(locked(connection));
        }
    }

    /** A migration that is running, in another process, keeps its lock: the next waits for it. */
    @Test
    void aLiveMigrationIsWaitedForOnPostgres() throws Exception {
        try (ThrowawayDatabase database = ThrowawayDatabase.postgres(); Connection running = database.connect();
                Connection next = database.connect()) {
            ChangeLogs.apply(running, LOADER, "db/locktest/one.xml");
            try (Statement statement = running.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(" + ChangeLogs.ADVISORY_LOCK + ")");
            }
            markLocked(running, "alive.example (10.0.0.8)");

            CompletableFuture<Void> waiting = CompletableFuture.runAsync(
                    () -> ChangeLogs.apply(next, LOADER, "db/locktest/two.xml"));
            try {
                waiting.get(3, TimeUnit.SECONDS);
                throw new AssertionError("The second migration ran while the first was running");
            } catch (TimeoutException expected) {
                assertTrue(locked(running), "the running migration's lock was taken from it");
            }

            try (Statement statement = running.createStatement()) {
                statement.executeUpdate("UPDATE databasechangeloglock SET locked = FALSE WHERE id = 1");
                statement.execute("SELECT pg_advisory_unlock(" + ChangeLogs.ADVISORY_LOCK + ")");
            }
            if (!running.getAutoCommit()) {
                running.commit();
            }
            waiting.get(NO_HANG.toSeconds(), TimeUnit.SECONDS);
            assertTrue(exists(running, "lock_test_two"));
        }
    }

    private static void markLocked(Connection connection, String by) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            assertEquals(1, statement.executeUpdate("UPDATE databasechangeloglock SET locked = TRUE,"
                    + " lockgranted = CURRENT_TIMESTAMP, lockedby = '" + by + "' WHERE id = 1"));
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    private static boolean locked(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT locked FROM databasechangeloglock WHERE id = 1")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM information_schema.tables"
                        + " WHERE LOWER(table_name) = '" + table + "'")) {
            row.next();
            return row.getInt(1) == 1;
        }
    }
}
