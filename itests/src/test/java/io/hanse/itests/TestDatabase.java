package io.hanse.itests;

import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.ops4j.pax.exam.Option;

/**
 * A PostgreSQL database of a test class's own. Created by the test driver before the container
 * starts, dropped when the driver exits.
 */
final class TestDatabase {

    /** Sent in the URL to check it is never shown; the test server's trust authentication ignores it. */
    static final String PASSWORD = "it-must-not-show";

    private TestDatabase() {
    }

    /** Pax Exam may ask for the configuration more than once; one database per test JVM is enough. */
    private static Option option;

    /**
     * Creates a fresh database and points the distribution at it.
     *
     * @throws AssertionError if PostgreSQL cannot be reached, saying how to make it reachable
     */
    static synchronized Option postgres() {
        if (option == null) {
            option = create();
        }
        return option;
    }

    private static Option create() {
        String server = System.getenv().getOrDefault("HANSE_IT_POSTGRES", "127.0.0.1:5432");
        String admin = "jdbc:postgresql://" + server + "/postgres?user=postgres";
        String database = "hanse_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            execute(admin, "CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + server + " (" + e.getMessage()
                    + "). Start it (.ci/run does: pg_ctlcluster --skip-systemctl-redirect <version> main start),"
                    + " point HANSE_IT_POSTGRES at another host:port, or run only the H2 tests with -Dit.test=H2IT.", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                execute(admin, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("Could not drop test database " + database + ": " + e.getMessage());
            }
        }));
        String url = "jdbc:postgresql://" + server + "/" + database + "?user=postgres&password=" + PASSWORD;
        return editConfigurationFilePut("etc/io.hanse.database.cfg", "url", url);
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
