package io.hanse.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * An empty database of its own, dropped on {@link #close()}: in-memory H2, or a PostgreSQL database on
 * the server at {@code HANSE_TEST_POSTGRES} (default {@code 127.0.0.1:5432}, user {@code postgres},
 * trust authentication).
 */
public final class ThrowawayDatabase implements AutoCloseable {

    /** host:port of the PostgreSQL server tests use. */
    public static final String SERVER = System.getenv().getOrDefault("HANSE_TEST_POSTGRES", "127.0.0.1:5432");

    private final String url;
    private final Runnable drop;

    private ThrowawayDatabase(String url, Runnable drop) {
        this.url = url;
        this.drop = drop;
    }

    /** Returns a new in-memory H2 database, kept until {@link #close()} even without a connection. */
    public static ThrowawayDatabase h2() {
        String url = "jdbc:h2:mem:throwaway-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        return new ThrowawayDatabase(url, () -> {
            try (Connection connection = DriverManager.getConnection(url);
                    Statement statement = connection.createStatement()) {
                // Thrown away: no orderly close of open transactions, which failed in H2 itself when a test
                // left one behind on a store it made hang.
                statement.execute("SHUTDOWN IMMEDIATELY");
            } catch (SQLException e) {
                throw new AssertionError("Cannot shut down " + url + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * Returns a new PostgreSQL database.
     *
     * @throws AssertionError if PostgreSQL cannot be reached, saying how to make it reachable
     */
    public static ThrowawayDatabase postgres() {
        return postgres("");
    }

    /**
     * Returns a new PostgreSQL database created with these options, such as its locale.
     *
     * @throws AssertionError if PostgreSQL cannot be reached, saying how to make it reachable
     */
    public static ThrowawayDatabase postgres(String options) {
        String name = "hanse_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String admin = "jdbc:postgresql://" + SERVER + "/postgres?user=postgres";
        try {
            execute(admin, "CREATE DATABASE " + name + (options.isEmpty() ? "" : " " + options));
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + SERVER + " (" + e.getMessage()
                    + "). Start it (.ci/run does: pg_ctlcluster --skip-systemctl-redirect <version> main start)"
                    + " or point HANSE_TEST_POSTGRES at another host:port.", e);
        }
        return new ThrowawayDatabase("jdbc:postgresql://" + SERVER + "/" + name + "?user=postgres", () -> {
            try {
                execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("Could not drop test database " + name + ": " + e.getMessage());
            }
        });
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    public String url() {
        return url;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    @Override
    public void close() {
        drop.run();
    }
}
