package io.hanse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipFile;
import org.junit.Test;

/**
 * What must hold on every database Hanse runs on. Each database's test class boots a container
 * configured for it and inherits these tests, and with them the systems and timeline tests.
 */
public abstract class PersistenceTests extends MonitoringTests {

    @Test
    public void instanceIsCreatedOnceAndKeptAcrossKernelRestarts() throws Exception {
        JsonNode before = awaitHealthDetails().path("instance");
        assertFalse("instance id", before.path("id").asText().isEmpty());

        JsonNode after = restartKernel().path("instance");

        assertEquals(before.path("id").asText(), after.path("id").asText());
        assertEquals(before.path("name").asText(), after.path("name").asText());
    }

    @Test
    public void theEmbeddedDatabaseIsBackedUpWhileItRunsAndPostgresqlWithItsOwnTools() throws Exception {
        awaitHealthy();
        Path target = Files.createTempDirectory("hanse-backup").resolve("itest.zip");
        if (!shell("hanse:info").contains("H2 ")) {
            Exception refused = shellFailure("hanse:backup " + target);
            assertTrue(refused.getMessage(), refused.getMessage().contains("pg_dump"));
            Exception toTheDefault = shellFailure("hanse:backup");
            assertTrue(toTheDefault.getMessage(), toTheDefault.getMessage().contains("pg_dump"));
            assertFalse("no empty directory for backups that cannot be made",
                    Files.exists(Path.of(System.getProperty("karaf.data"), "backups")));
            Files.delete(target.getParent());
            return;
        }

        String printed = shell("hanse:backup " + target);

        assertTrue(printed, printed.contains("Backed up the embedded database to " + target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (ZipFile zip = new ZipFile(target.toFile())) {
            assertNotNull("the database file, to unpack into data/hanse", zip.getEntry("hanse.mv.db"));
        }
        Exception again = shellFailure("hanse:backup " + target);
        assertTrue(again.getMessage(), again.getMessage().contains("exists already"));
        Files.delete(target);
        Files.delete(target.getParent());
    }

    @Test
    public void pluginDataIsKeptAcrossKernelRestarts() throws Exception {
        awaitHealthy();
        installExample();
        try {
            HttpResponse<String> created = post("example/notes", "application/json",
                    "{\"text\":\"kept across restarts\"}");
            assertEquals(created.body(), 201, created.statusCode());
            long id = json(created).path("id").asLong();

            restartKernel();

            HttpResponse<String> read = awaitStatus("example/notes/" + id, 200);
            assertEquals("kept across restarts", json(read).path("text").asText());
        } finally {
            uninstallExample();
        }
    }
}
