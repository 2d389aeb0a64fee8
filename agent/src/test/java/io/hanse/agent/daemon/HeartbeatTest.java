package io.hanse.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.agent.client.HanseClient;
import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.spool.Outbox;
import io.hanse.agent.spool.Spool;
import io.hanse.agent.testing.FakeHanse;
import io.hanse.agent.testing.TestAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heartbeat against a fake server: when it beats and what it says about the spool. */
class HeartbeatTest {

    private static final long BOOT = 1764901200123L;
    private static final long SPOOL_BYTES = 64L * 1024 * 1024;

    @TempDir
    Path dir;

    private FakeHanse server;
    private AgentConfig config;
    private HanseClient client;
    private Spool spool;
    private Outbox outbox;
    private Thread thread;

    @BeforeEach
    void start() {
        server = FakeHanse.start();
        Path file = TestAgent.config(dir, server.uri());
        client = TestAgent.enrolledClient(file);
        config = AgentConfig.load(file);
        spool = Spool.open(dir.resolve("spool"), SPOOL_BYTES, Spool.segmentBytesFor(SPOOL_BYTES), Outbox::isRecord);
        outbox = new Outbox(spool, BOOT);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join(5000);
        }
        spool.close();
        server.close();
    }

    @Test
    void aStatusFileThatCannotBeWrittenDoesNotHurryTheNextBeat() throws IOException, InterruptedException {
        Path notADirectory = Files.createFile(dir.resolve("not-a-directory"));
        beat(new StatusBoard(notADirectory, BOOT, outbox::stats));
        Thread.sleep(1000);
        assertEquals(1, server.calls("heartbeat"), "the next beat comes after heartbeatSeconds (30), not a backoff");
    }

    private void beat(StatusBoard status) {
        thread = new Thread(new Heartbeat(client, config, outbox, status, "test", "web-1.example.org",
                TestAgent.fastTiming(new Random(5))), "test-heartbeat");
        thread.start();
    }
}
