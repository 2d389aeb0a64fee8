package io.hanse.monitoring.internal;

import io.hanse.api.UnavailableException;
import io.hanse.api.store.DatabaseFailures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Runs the plugin's SQL on the kernel's data source: each unit of work in one transaction. */
final class Sql {

    /** Work on a connection inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Reads one row into a value, or {@code null} to leave the row out. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Binds one item of a batch to the statement's parameters. */
    @FunctionalInterface
    interface Binder<T> {
        Object[] parameters(T item);
    }

    /**
     * The plugin's clock: the system's, in UTC, to the microsecond, which is what both databases keep
     * of a time, so that a time answered as it is made reads the same once it is stored.
     */
    static final Clock CLOCK = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));

    private final DataSource dataSource;
    /** Told of each time the database could not be reached; see {@link #whenUnreachable}. */
    private volatile Runnable unreachable = () -> { };

    Sql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Has {@code listener} told, on the failing caller's thread, whenever work fails because the
     * database could not be reached: agents could not deliver meanwhile either, and the checks count
     * staleness from after that. A refusal of the work itself, such as a broken constraint, is no outage.
     * There is one listener, the checks': a later call replaces it.
     */
    void whenUnreachable(Runnable listener) {
        unreachable = listener;
    }

    /**
     * Runs work in one transaction: all of it is stored or none.
     *
     * @throws UnavailableException if the database fails, with its reason
     */
    <T> T inTransaction(Work<T> work) {
        Connection opened;
        try {
            opened = dataSource.getConnection();
        } catch (SQLException e) {
            // Whatever the reason, there is no database to work with: agents cannot deliver either.
            unreachable.run();
            throw DatabaseFailures.unavailable(e);
        }
        try (Connection connection = opened) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            if (DatabaseFailures.unreachable(e)) { // the kernel's words and Retry-After, not the driver's
                unreachable.run();
                throw DatabaseFailures.unavailable(e);
            }
            throw new UnavailableException("database failure: " + e.getMessage(), e);
        }
    }

    static int execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    /**
     * Runs one statement for each item, sent to the database together.
     *
     * @return the rows each changed, in the items' order
     */
    static <T> int[] batch(Connection connection, String sql, List<T> items, Binder<T> binder) throws SQLException {
        if (items.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (T item : items) {
                bind(statement, binder.parameters(item));
                statement.addBatch();
            }
            return statement.executeBatch();
        }
    }

    /** Returns the rows a query selects, as the reader reads them, but those it leaves out. */
    static <T> List<T> select(Connection connection, String sql, RowReader<T> reader, Object... parameters)
            throws SQLException {
        return select(connection, 0, sql, reader, parameters);
    }

    /**
     * Returns the rows a query selects as {@link #select(Connection, String, RowReader, Object...)}
     * does, the database sending them {@code fetchSize} at a time: on PostgreSQL (in a transaction,
     * as here) those the reader leaves out are then never all held at once; H2 holds the whole answer
     * anyway. PostgreSQL runs such a query without parallel workers.
     */
    static <T> List<T> select(Connection connection, int fetchSize, String sql, RowReader<T> reader,
            Object... parameters) throws SQLException {
        List<T> values = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setFetchSize(fetchSize);
            bind(select, parameters);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    T value = reader.read(rows);
                    if (value != null) {
                        values.add(value);
                    }
                }
            }
        }
        return values;
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            statement.setObject(i + 1, value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value);
        }
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
