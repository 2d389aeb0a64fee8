package io.hanse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The distribution switched to PostgreSQL with the one documented setting, on a database of its
 * own that the test creates and drops.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PostgresIT extends PersistenceTests {

    @Configuration
    public Option[] configuration() {
        return distribution(TestDatabase.postgres(PostgresIT.class));
    }

    @Test
    public void healthAndInfoShowPostgresWithoutThePassword() throws Exception {
        JsonNode health = awaitHealthDetails();
        assertEquals("POSTGRESQL", health.path("database").path("kind").asText());
        assertFalse(health.toString(), health.toString().contains(TestDatabase.PASSWORD));

        String info = shell("hanse:info");

        assertTrue(info, info.contains("POSTGRESQL jdbc:postgresql://"));
        assertTrue(info, info.contains("password=***"));
        assertFalse(info, info.contains(TestDatabase.PASSWORD));
    }

    @Test
    public void theLogNeverShowsThePassword() throws Exception {
        awaitHealthy();
        String log = Files.readString(Path.of(System.getProperty("karaf.data"), "log", "karaf.log"));

        assertTrue("the log names the database", log.contains(System.getProperty(TestDatabase.NAME_PROPERTY)));
        assertFalse(log.contains(TestDatabase.PASSWORD));
    }
}
