package io.hanse.kernel.store;

import io.hanse.api.UnavailableException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Liquibase the way Hanse does, in the container and in the test kit alike.
 * <p>
 * Liquibase marks its lock row in {@code DATABASECHANGELOGLOCK} while it migrates; a process that
 * dies meanwhile leaves it marked, and every later start with change sets to apply waited 5 minutes
 * for it and failed. On an embedded H2 database, whose file lock already keeps other processes
 * out, and where this class lets only one migration run at a time, a marked row is always left
 * over and is released. On PostgreSQL each migration holds a session-level advisory lock while it
 * runs, which PostgreSQL releases when the session ends, however it ends: whoever holds it is the
 * one migration running, and a row marked when it is taken was left by a holder that is gone.
 */
public final class ChangeLogs {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeLogs.class);

    /** The key of the PostgreSQL advisory lock around migrations: "HANSE-LB" in ASCII. */
    static final long ADVISORY_LOCK = 0x48414E53452D4C42L;

    private ChangeLogs() {
    }

    /**
     * Applies the change sets of a change log that are not yet applied on this connection.
     *
     * @param loader finds the change log and the files it includes
     * @throws UnavailableException if a change set fails, saying which
     */
    public static void apply(Connection connection, ClassLoader loader, String changeLog) {
        synchronized (ChangeLogs.class) {
            boolean autoCommit;
            try {
                autoCommit = connection.getAutoCommit();
            } catch (SQLException e) {
                throw new UnavailableException("Applying " + changeLog + " failed: " + e.getMessage(), e);
            }
            try {
                applyLocked(connection, loader, changeLog);
            } finally {
                // Liquibase turns auto-commit off on the connection it is given; the pool's next user
                // would otherwise find it so.
                try {
                    if (connection.getAutoCommit() != autoCommit) {
                        connection.setAutoCommit(autoCommit);
                    }
                } catch (SQLException e) {
                    LOG.warn("Could not restore auto-commit after applying {}: {}", changeLog, e.toString());
                }
            }
        }
    }

    private static void applyLocked(Connection connection, ClassLoader loader, String changeLog) {
        try {
            String product = connection.getMetaData().getDatabaseProductName();
            if ("PostgreSQL".equals(product)) {
                applyHoldingAdvisoryLock(connection, loader, changeLog);
                return;
            }
            if ("H2".equals(product) && embedded(connection.getMetaData().getURL())) {
                releaseStaleLock(connection);
            }
        } catch (SQLException e) {
            throw new UnavailableException("Applying " + changeLog + " failed: " + e.getMessage(), e);
        }
        update(connection, loader, changeLog);
    }

    private static void applyHoldingAdvisoryLock(Connection connection, ClassLoader loader, String changeLog)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + ADVISORY_LOCK + ")");
        }
        try {
            finish(connection);
            releaseStaleLock(connection);
            update(connection, loader, changeLog);
        } finally {
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback(); // what Liquibase left open, so that the unlock is in no failed transaction
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT pg_advisory_unlock(" + ADVISORY_LOCK + ")");
                }
                finish(connection);
            } catch (SQLException e) {
                // The session's end releases it; a broken connection is not reused by the pool.
                LOG.warn("Could not release the migrations' advisory lock: {}", e.toString());
            }
        }
    }

    /** Whether an H2 URL is a database this process has to itself: not one served over TCP. */
    private static boolean embedded(String url) {
        return url != null && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:")
                && !url.toUpperCase(Locale.ROOT).contains("AUTO_SERVER=TRUE");
    }

    /** Releases Liquibase's lock, marked by a migration that did not finish, if it is marked. */
    private static void releaseStaleLock(Connection connection) throws SQLException {
        if (!lockTableExists(connection)) {
            return;
        }
        String lockedBy = null;
        Object granted = null;
        boolean locked = false;
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT lockgranted, lockedby FROM databasechangeloglock WHERE id = 1 AND locked = TRUE")) {
            if (row.next()) {
                locked = true;
                granted = row.getObject(1);
                lockedBy = row.getString(2);
            }
        }
        if (locked) {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE databasechangeloglock SET locked = FALSE, lockgranted = NULL,"
                        + " lockedby = NULL WHERE id = 1");
            }
            finish(connection);
            LOG.warn("Released the schema migrations' lock that {} took at {} and never released (it stopped while"
                    + " migrating); migrating now", lockedBy, granted);
        }
    }

    private static boolean lockTableExists(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        for (String name : new String[] {"DATABASECHANGELOGLOCK", "databasechangeloglock"}) {
            try (ResultSet tables = meta.getTables(null, connection.getSchema(), name, new String[] {"TABLE"})) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void finish(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    private static void update(Connection connection, ClassLoader loader, String changeLog) {
        Map<String, Object> scope = Map.of(
                Scope.Attr.resourceAccessor.name(), new ClassLoaderResourceAccessor(loader),
                Scope.Attr.ui.name(), new LoggerUIService(),
                // Liquibase would otherwise report usage to its vendor over the internet.
                "liquibase.analytics.enabled", Boolean.FALSE);
        try {
            Scope.child(scope, () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                    .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changeLog)
                    // The summary goes to the log, not to whatever console the container has.
                    .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG,
                            DatabaseFactory.getInstance()
                                    .findCorrectDatabaseImplementation(new JdbcConnection(connection)))
                    .execute());
        } catch (Exception e) {
            throw new UnavailableException("Applying " + changeLog + " failed: " + e.getMessage(), e);
        }
    }
}
