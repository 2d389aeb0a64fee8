package io.hanse.kernel.store.internal;

import io.hanse.api.UnavailableException;
import io.hanse.api.store.DatabaseFailures;
import io.hanse.kernel.store.AuditEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Runs JDBC work in one transaction, or statement by statement. */
final class Jdbc {

    /** Work on a connection inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A change on a connection inside a transaction. */
    @FunctionalInterface
    interface Change {
        void run(Connection connection) throws SQLException;
    }

    /** Reads one row into a value. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            T result;
            try {
                result = work.run(connection);
                connection.commit();
            } catch (Throwable e) {
                undo(connection, e);
                throw e;
            }
            connection.setAutoCommit(true);
            return result;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Rolls back after a failure and leaves the connection in auto-commit mode. Failing at that, as on a
     * connection lost meanwhile, the failure stays the one thrown, which may be a conflict meant for the
     * caller (409), and carries what went wrong undoing it as suppressed.
     */
    private static void undo(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        try {
            connection.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Runs work on one connection in auto-commit mode: each statement commits on its own, so none
     * holds its locks while the next one runs.
     */
    <T> T autoCommit(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * The exception for a failed database call: {@link UnavailableException} (503, with
     * {@code Retry-After}) when no connection could be had, not even from a pool that waited in vain
     * for one, or the one in use was lost; otherwise a fault, with the failure as its cause.
     */
    static RuntimeException failure(SQLException e) {
        if (DatabaseFailures.unreachable(e)) {
            return DatabaseFailures.unavailable(e);
        }
        return new IllegalStateException("database failure: " + e.getMessage(), e);
    }

    /**
     * Makes a change and writes its audit entry in one transaction: both are stored or neither is.
     */
    void change(AuditEntry audit, Change change) {
        inTransaction(connection -> {
            change.run(connection);
            AuditChain.append(connection, audit, Instant.now());
            return null;
        });
    }

    /** Runs one statement with these parameters and returns the update count. */
    static int execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    /** Runs a query with these parameters and reads each row. */
    static <T> List<T> select(Connection connection, String sql, RowReader<T> reader, Object... parameters)
            throws SQLException {
        List<T> values = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bind(select, parameters);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(reader.read(rows));
                }
            }
        }
        return values;
    }

    /** Binds parameters in order, instants as timestamps. */
    static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i] instanceof Instant instant ? timestamp(instant) : parameters[i]);
        }
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
