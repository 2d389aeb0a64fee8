package io.hanse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
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
