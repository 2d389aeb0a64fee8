package io.hanse.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.agent.check.ProcessRunner;
import io.hanse.agent.config.WorkSpec;
import io.hanse.agent.testing.Await;
import io.hanse.agent.testing.FakeHanse;
import io.hanse.agent.testing.Scripts;
import io.hanse.agent.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The work claimer against a fake server: what it asks for, and how it reports what it did. */
class WorkClaimerTest {

    @TempDir
    Path dir;

    private FakeHanse server;
    private WorkClaimer claimer;
    private Thread thread;

    @BeforeEach
    void startServer() {
        server = FakeHanse.start();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            claimer.stop();
            thread.join(5000);
        }
        server.close();
    }

    @Test
    void asksForNoMoreItemsThanTheServerHandsOutAtOnce() {
        List<String> command = List.of(Scripts.write(dir.resolve("scripts"), "work", "echo done").toString());
        start(new WorkSpec("probe.http", command, 64, Duration.ofSeconds(10)),
                new WorkSpec("probe.dns", command, 64, Duration.ofSeconds(10)));
        Await.until("the agent claims work", () -> server.calls("claim") >= 1);
        assertEquals(WorkClaimer.MAX_CLAIM, server.requests("claim").get(0).path("max").asInt());
    }

    private void start(WorkSpec... work) {
        claimer = new WorkClaimer(List.of(work), TestAgent.enrolledClient(TestAgent.config(dir, server.uri())),
                new ProcessRunner(), TestAgent.fastTiming(new Random(5)));
        thread = new Thread(claimer, "test-work-claim");
        thread.start();
    }
}
