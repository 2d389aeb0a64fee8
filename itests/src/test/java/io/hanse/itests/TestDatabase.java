package io.hanse.itests;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.Assume;
import org.ops4j.pax.exam.Option;

/**
 * A PostgreSQL database of a test class's own. Created by the test driver before the container
 * starts, dropped when the driver exits.
 */
final class TestDatabase {

    /** Sent in the URL to check it is never shown; the test server's trust authentication ignores it. */
    static final String PASSWORD = "it-must-not-show";

    private static final String SKIP_PROPERTY = "hanse.it.postgres.skip";

    private TestDatabase() {
    }

    /**
     * Creates a fresh database and points the distribution at it. Where PostgreSQL cannot be
     * reached, fails under CI and otherwise marks the tests to be skipped, saying why.
     */
    static synchronized Option postgres() {
        if (option == null) {
            option = create();
        }
        return option;
    }

    /** Pax Exam may ask for the configuration more than once; one database per test JVM is enough. */
    private static Option option;

    private static Option create() {
        String server = System.getenv().getOrDefault("HANSE_IT_POSTGRES", "127.0.0.1:5432");
        String admin = "jdbc:postgresql://" + server + "/postgres?user=postgres";
        String database = "hanse_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            execute(admin, "CREATE DATABASE " + database);
        } catch (SQLException e) {
            String reason = "PostgreSQL is not reachable at " + server + " (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(reason + "; under CI the PostgreSQL tests must run", e);
            }
            System.err.println("SKIPPING the PostgreSQL tests: " + reason);
            return systemProperty(SKIP_PROPERTY).value(reason);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                execute(admin, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("Could not drop test database " + database + ": " + e.getMessage());
            }
        }));
        String url = "jdbc:postgresql://" + server + "/" + database + "?user=postgres&password=" + PASSWORD;
        return composite(editConfigurationFilePut("etc/io.hanse.database.cfg", "url", url));
    }

    /** Skips the calling test, inside the container, when {@link #postgres()} found no server. */
    static void assumePostgres() {
        String reason = System.getProperty(SKIP_PROPERTY);
        Assume.assumeTrue(reason, reason == null);
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
