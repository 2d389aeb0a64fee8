package io.hanse.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.agent.check.CheckRunner;
import io.hanse.agent.check.ProcessRunner;
import io.hanse.agent.client.HanseClient;
import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.facts.FactsCollector;
import io.hanse.agent.spool.Outbox;
import io.hanse.agent.spool.Spool;
import io.hanse.agent.testing.Await;
import io.hanse.agent.testing.FakeHanse;
import io.hanse.agent.testing.Scripts;
import io.hanse.agent.testing.TestAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desires poller against a fake server, running a real check through the scheduler. */
class DesirePollerTest {

    private static final long SPOOL_BYTES = 64L * 1024 * 1024;
    private static final String REFRESH = "{\"id\": \"d\", \"kind\": \"refresh-check\", \"check\": \"slow\"}";

    @TempDir
    Path dir;

    private FakeHanse server;
    private Spool spool;
    private CheckScheduler scheduler;
    private Thread thread;

    @BeforeEach
    void start() {
        server = FakeHanse.start();
        spool = Spool.open(dir.resolve("spool"), SPOOL_BYTES, Spool.segmentBytesFor(SPOOL_BYTES), Outbox::isRecord);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join(5000);
        }
        if (scheduler != null) {
            scheduler.stop();
        }
        spool.close();
        server.close();
    }

    @Test
    void aDesireThatFindsTheCheckRunningLeavesTheNextOneFree() throws IOException {
        Path runs = dir.resolve("runs");
        Path slow = Scripts.write(dir, "slow", "echo run >> " + runs + "\nsleep 2\necho 'OK - slow'");
        Path file = TestAgent.config(dir, server.uri(), "check.slow.command = " + slow,
                "check.slow.interval = 1h", "check.slow.system = web-1");
        HanseClient client = TestAgent.enrolledClient(file);
        AgentConfig config = AgentConfig.load(file);
        Outbox outbox = new Outbox(spool, 1764901200123L);
        Timing timing = TestAgent.fastTiming(TestAgent.earliest());
        scheduler = new CheckScheduler(config.checks(), new CheckRunner(new ProcessRunner()), outbox,
                new FactsCollector(dir, "test"), null, config.factsInterval(), timing);
        scheduler.start();
        Await.until("the scheduled run started", () -> Files.exists(runs));
        thread = new Thread(new DesirePoller(client, config, scheduler,
                new RateLimiter(Duration.ofHours(1), System::nanoTime), timing), "test-desires");
        thread.start();

        int polls = server.calls("desires");
        server.desire(REFRESH);
        Await.until("the desire was read while the scheduled run went on", () -> server.calls("desires") > polls + 1);
        Await.until("the scheduled run is spooled", () -> outbox.stats().pendingRecords() == 1);
        server.desire(REFRESH);
        Await.until("the next desire ran the check", () -> outbox.stats().pendingRecords() == 2);
        assertEquals(List.of("run", "run"), Files.readAllLines(runs), "the scheduled run and the second desire's");
    }
}
