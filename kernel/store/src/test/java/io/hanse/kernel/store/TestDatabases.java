package io.hanse.kernel.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Throwaway databases for the store's tests: in-memory H2, or a PostgreSQL database of its own on the
 * server at {@code HANSE_TEST_POSTGRES} (default {@code 127.0.0.1:5432}, user {@code postgres}, trust).
 */
public final class TestDatabases {

    /** host:port of the PostgreSQL server tests use. */
    public static final String SERVER = System.getenv().getOrDefault("HANSE_TEST_POSTGRES", "127.0.0.1:5432");

    private TestDatabases() {
    }

    /** A database of its own, dropped on {@link Throwaway#close()}. */
    public interface Throwaway extends AutoCloseable {
        String url();

        default Connection connect() throws SQLException {
            return DriverManager.getConnection(url());
        }

        @Override
        void close();
    }

    public static Throwaway h2() {
        String url = "jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        return new Throwaway() {
            @Override
            public String url() {
                return url;
            }

            @Override
            public void close() {
                try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                    statement.execute("SHUTDOWN");
                } catch (SQLException e) {
                    throw new AssertionError("Cannot shut down " + url, e);
                }
            }
        };
    }

    public static Throwaway postgres() {
        return postgres("");
    }

    /** A PostgreSQL database created with these options, such as its locale. */
    public static Throwaway postgres(String options) {
        String name = "hanse_store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String admin = "jdbc:postgresql://" + SERVER + "/postgres?user=postgres";
        execute(admin, "CREATE DATABASE " + name + " " + options);
        String url = "jdbc:postgresql://" + SERVER + "/" + name + "?user=postgres";
        return new Throwaway() {
            @Override
            public String url() {
                return url;
            }

            @Override
            public void close() {
                execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        };
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL at " + SERVER + ": " + sql + " failed: " + e.getMessage(), e);
        }
    }
}
