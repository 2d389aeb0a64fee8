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
     * Health answers before the store has read its configuration, and says then that no database is
     * configured and running; the test waits for the store to name the one it waits for.
     */
    @Test
    public void startsWaitingAndComesUpWhenTheDatabaseAppears() throws Exception {
        awaitStatus("health", 503);
        JsonNode waiting = await("health to name the database it waits for", () -> {
            JsonNode health = json(get("health"));
            return health.path("database").path("kind").isTextual() ? health : null;
        });
        assertEquals("down", waiting.path("status").asText());
        assertEquals("POSTGRESQL", waiting.path("database").path("kind").asText());
        assertFalse(waiting.path("database").path("reachable").asBoolean());
        assertTrue(waiting.toString(), waiting.path("database").path("problem").asText().contains("cannot be reached"));
        assertTrue("no instance without a database", waiting.path("instance").isMissingNode());

        createDatabase(System.getProperty(TestDatabase.NAME_PROPERTY));

        JsonNode up = awaitHealthy();
        assertTrue(up.path("instance").path("id").asText().matches("[0-9a-f-]{36}"));
        assertTrue(up.path("database").path("reachable").asBoolean());
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
