package io.hanse.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.agent.client.HanseClient;
import io.hanse.agent.common.Json;
import io.hanse.agent.spool.Observation;
import io.hanse.agent.spool.Outbox;
import io.hanse.agent.spool.Spool;
import io.hanse.agent.testing.Await;
import io.hanse.agent.testing.FakeHanse;
import io.hanse.agent.testing.FakeHanse.Answer;
import io.hanse.agent.testing.TestAgent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender against a fake server that answers 200 to anything. */
class SenderTest {

    private static final long BOOT = 1764901200123L;
    private static final long SPOOL_BYTES = 64L * 1024 * 1024;

    @TempDir
    Path dir;

    private FakeHanse server;
    private HanseClient client;
    private Spool spool;
    private Outbox outbox;
    private StatusBoard status;
    private Thread thread;

    @BeforeEach
    void start() {
        server = FakeHanse.start();
        client = TestAgent.enrolledClient(TestAgent.config(dir, server.uri()));
        spool = Spool.open(dir.resolve("spool"), SPOOL_BYTES, Spool.segmentBytesFor(SPOOL_BYTES), Outbox::isRecord);
        outbox = new Outbox(spool, BOOT);
        status = new StatusBoard(dir.resolve("state"), BOOT, outbox::stats);
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
    void aTwoHundredThatDoesNotAccountForTheBatchLeavesItInTheSpool() {
        put(3, "web-1", Instant.now());
        List<Answer> wrong = List.of(Answer.of(200, "<html>welcome</html>"),
                Answer.of(200, "{\"accepted\": 1, \"duplicates\": 0}"));
        server.override("observations", call -> call < wrong.size() ? wrong.get(call) : null);
        send(10);
        Await.until("the spool is empty", () -> outbox.stats().pendingRecords() == 0);
        assertEquals(seqs(1, 3), storedSeqs());
        assertEquals(3, server.calls("observations"));
    }

    private void put(int count, String system, Instant time) {
        for (int i = 0; i < count; i++) {
            outbox.put(Observation.RESULT, system, time, Json.object().put("check", "load"));
        }
    }

    private void send(int batchMax) {
        thread = new Thread(new Sender(outbox, client, status, batchMax, TestAgent.fastTiming(new Random(5))),
                "test-sender");
        thread.start();
    }

    private List<Long> storedSeqs() {
        return server.stored().stream().map(o -> o.path("seq").asLong()).sorted().toList();
    }

    private static List<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
