package io.hanse.itests;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.ops4j.pax.exam.Option;

/**
 * A PostgreSQL database of a test class's own, on the server at {@code HANSE_IT_POSTGRES}
 * (default 127.0.0.1:5432, user postgres without password). The test driver creates it before
 * the container starts, or leaves that to the test, and drops it when the driver exits.
 */
final class TestDatabase {

    /** Sent in the URL to check it is never shown; the test server's trust authentication ignores it. */
    static final String PASSWORD = "it-must-not-show";
    /** Inside the container: the database the distribution is configured with. */
    static final String NAME_PROPERTY = "hanse.it.postgres.database";
    /** Inside the container: a JDBC URL for creating databases. */
    static final String ADMIN_URL_PROPERTY = "hanse.it.postgres.admin";

    private static final String SERVER = System.getenv().getOrDefault("HANSE_IT_POSTGRES", "127.0.0.1:5432");
    private static final String ADMIN_URL = "jdbc:postgresql://" + SERVER + "/postgres?user=postgres";

    /** Pax Exam may ask a class for its configuration more than once; each class gets one database. */
    private static final Map<Class<?>, Option> OPTIONS = new HashMap<>();

    private TestDatabase() {
    }

    /**
     * Creates a fresh database and points the distribution at it.
     *
     * @throws AssertionError if PostgreSQL cannot be reached, saying how to make it reachable
     */
    static synchronized Option postgres(Class<?> testClass) {
        return OPTIONS.computeIfAbsent(testClass, owner -> configure(true));
    }

    /** Points the distribution at a database that the test itself creates later. */
    static synchronized Option postgresCreatedLater(Class<?> testClass) {
        return OPTIONS.computeIfAbsent(testClass, owner -> configure(false));
    }

    private static Option configure(boolean createNow) {
        String database = "hanse_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            execute(createNow ? "CREATE DATABASE " + database : "SELECT 1");
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + SERVER + " (" + e.getMessage()
                    + "). Start it (.ci/run does: pg_ctlcluster --skip-systemctl-redirect <version> main start),"
                    + " point HANSE_IT_POSTGRES at another host:port, or run only the H2 tests with -Dit.test=H2IT.",
                    e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("Could not drop test database " + database + ": " + e.getMessage());
            }
        }));
        String url = "jdbc:postgresql://" + SERVER + "/" + database + "?user=postgres&password=" + PASSWORD;
        return composite(
                editConfigurationFilePut("etc/io.hanse.database.cfg", "url", url),
                systemProperty(NAME_PROPERTY).value(database),
                systemProperty(ADMIN_URL_PROPERTY).value(ADMIN_URL));
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
