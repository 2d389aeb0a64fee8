package io.hanse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Properties;
import javax.inject.Inject;
import javax.sql.DataSource;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * A database that is not there when Hanse starts: Hanse reports it and waits, and comes up by
 * itself once the database appears, with no restart.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LateDatabaseIT extends HanseTestSupport {

    @Inject
    @Filter("(osgi.jdbc.driver.class=org.postgresql.Driver)")
    private DataSourceFactory postgres;

    @Configuration
    public Option[] configuration() {
        return distribution(TestDatabase.postgresCreatedLater(LateDatabaseIT.class));
    }

    /** Nobody can sign in before the database is there: this test needs only the public health check. */
    @Override
    public void signIn() {
    }

    /**
     * Health answers before the store has read its configuration, and after, without saying why the
     * database is down: its error names the database, its host and its user. Once it is up, the
     * admin reads the details.
     */
    @Test
    public void startsWaitingAndComesUpWhenTheDatabaseAppears() throws Exception {
        // Health's own answer: while the REST API starts, its stand-in answers 503 without the checks.
        JsonNode waiting = await("health's checks", () -> {
            JsonNode health = json(awaitStatus("health", 503));
            return health.has("checks") ? health : null;
        });
        assertEquals(waiting.toString(), "down", waiting.path("status").asText());
        assertEquals(waiting.toString(), "down", waiting.path("checks").path("database").asText());
        assertEquals(waiting.toString(), "down", waiting.path("checks").path("instance").asText());
        assertTrue(waiting.toString(), waiting.path("database").isMissingNode());
        assertFalse(waiting.toString(), waiting.toString().contains(System.getProperty(TestDatabase.NAME_PROPERTY)));
        awaitStatus("health/details", 401);

        createDatabase(System.getProperty(TestDatabase.NAME_PROPERTY));

        awaitHealthy();
        super.signIn();
        JsonNode up = awaitHealthDetails();
        assertTrue(up.path("instance").path("id").asText().matches("[0-9a-f-]{36}"));
        assertTrue(up.path("database").path("reachable").asBoolean());
        assertEquals("POSTGRESQL", up.path("database").path("kind").asText());
    }

    private void createDatabase(String name) throws Exception {
        Properties properties = new Properties();
        properties.setProperty(DataSourceFactory.JDBC_URL, System.getProperty(TestDatabase.ADMIN_URL_PROPERTY));
        DataSource admin = postgres.createDataSource(properties);
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
    }
}
