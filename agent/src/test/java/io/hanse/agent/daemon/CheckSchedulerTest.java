package io.hanse.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.agent.check.CheckRunner;
import io.hanse.agent.check.ProcessRunner;
import io.hanse.agent.config.CheckSpec;
import io.hanse.agent.facts.FactsCollector;
import io.hanse.agent.spool.Outbox;
import io.hanse.agent.spool.Spool;
import io.hanse.agent.testing.Await;
import io.hanse.agent.testing.Scripts;
import io.hanse.agent.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler running real check scripts into a real spool. */
class CheckSchedulerTest {

    private static final long SPOOL_BYTES = 64L * 1024 * 1024;

    @TempDir
    Path dir;

    private Spool spool;
    private Outbox outbox;
    private CheckScheduler scheduler;

    @BeforeEach
    void open() {
        spool = Spool.open(dir.resolve("spool"), SPOOL_BYTES, Spool.segmentBytesFor(SPOOL_BYTES), Outbox::isRecord);
        outbox = new Outbox(spool, 1764901200123L);
    }

    @AfterEach
    void close() throws InterruptedException {
        if (scheduler != null) {
            scheduler.stop();
        }
        spool.close();
    }

    @Test
    void aChecksFirstRunComesWithinItsIntervalAndFiveMinutes() {
        assertEquals(Duration.ofMinutes(5).toMillis() - 1,
                CheckScheduler.firstDelayMillis(Duration.ofDays(1), TestAgent.latest()), "a daily check");
        assertEquals(9_999, CheckScheduler.firstDelayMillis(Duration.ofSeconds(10), TestAgent.latest()));
    }

    @Test
    void hungChecksHoldUpNoOtherCheck() {
        Path hang = Scripts.write(dir, "hang", "sleep 3600");
        Path ok = Scripts.write(dir, "ok", "echo OK");
        List<CheckSpec> checks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            checks.add(new CheckSpec("hang-" + i, List.of(hang.toString()), Duration.ofHours(1), Duration.ofHours(1),
                    "web-1", 0));
        }
        checks.add(new CheckSpec("fast", List.of(ok.toString()), Duration.ofSeconds(1), Duration.ofSeconds(1), "web-1",
                0));
        scheduler = new CheckScheduler(checks, new CheckRunner(new ProcessRunner()), outbox,
                new FactsCollector(dir, "test"), null, Duration.ofHours(1), TestAgent.fastTiming(TestAgent.earliest()));
        scheduler.start();
        Await.until("the fast check ran twice while the others hang", () -> outbox.stats().pendingRecords() >= 2);
    }
}
