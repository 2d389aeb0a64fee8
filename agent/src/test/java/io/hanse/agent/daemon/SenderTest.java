package io.hanse.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.agent.client.HanseClient;
import io.hanse.agent.common.Json;
import io.hanse.agent.spool.Batch;
import io.hanse.agent.spool.Observation;
import io.hanse.agent.spool.Outbox;
import io.hanse.agent.spool.Spool;
import io.hanse.agent.testing.Await;
import io.hanse.agent.testing.FakeHanse;
import io.hanse.agent.testing.FakeHanse.Answer;
import io.hanse.agent.testing.TestAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sender against a fake server that refuses batches, observations, or answers 200 to anything. */
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
        status = new StatusBoard(dir.resolve("state"), BOOT, outbox::stats, Optional::empty);
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

    @ParameterizedTest
    @ValueSource(strings = {"observations", "bytes"})
    void halvesBatchesTheServerRefusesWholeAndKeepsToTheSizeThatWorks(String limit) {
        put(40, "web-1", Instant.now());
        // Four observations fit, five do not: by count, or by bytes (the last four have the longest seqs).
        int fourBytes = body(37, 40).length;
        server.limits(limit.equals("observations") ? 4 : 1000, limit.equals("bytes") ? fourBytes : 1 << 20,
                Duration.ofMinutes(5));
        send(10);
        Await.until("the spool is empty", () -> outbox.stats().pendingRecords() == 0);
        assertEquals(Collections.nCopies(20, 2), server.batchSizes(), "10 refused, 5 refused, then 2 at a time");
        assertEquals(22, server.calls("observations"));
        assertEquals(seqs(1, 40), storedSeqs());
    }

    @Test
    void growsBackAfterAHundredFullBatchesWereTaken() {
        put(Sender.GROW_AFTER + 10, "web-1", Instant.now());
        Answer tooMany = Answer.of(400, "{\"detail\": \"a batch holds 1 to 1 observations\"}");
        server.override("observations", call -> call < 2 ? tooMany : null);
        send(4);
        Await.until("the spool is empty", () -> outbox.stats().pendingRecords() == 0);
        List<Integer> expected = new ArrayList<>(Collections.nCopies(Sender.GROW_AFTER, 1));
        expected.addAll(Collections.nCopies(5, 2));
        assertEquals(expected, server.batchSizes(), "4 refused, 2 refused, then singles, then pairs again");
    }

    @Test
    void aRefusalNamingAnObservationSendsThoseBeforeItTogetherAndDropsItAlone() {
        put(4, "web-1", Instant.now());
        put(1, "db-1", Instant.now());
        put(5, "web-1", Instant.now());
        send(10);
        Await.until("the spool is empty", () -> outbox.stats().pendingRecords() == 0);
        assertEquals(List.of(4, 5), server.batchSizes());
        assertEquals(4, server.calls("observations"), "10 refused, 4 taken, the named one refused alone, 5 taken");
        List<Long> expected = new ArrayList<>(seqs(1, 4));
        expected.addAll(seqs(6, 10));
        assertEquals(expected, storedSeqs());
        Await.until("the dropped observation is counted", () -> rejected() == 1);
    }

    @Test
    void anObservationAheadOfTheClockIsKeptUntilItsTimeHasComeUnlessFarAhead() {
        server.limits(1000, 1 << 20, Duration.ZERO);
        put(1, "web-1", Instant.now().plusSeconds(1));
        put(1, "web-1", Instant.now().minusSeconds(60));
        put(1, "web-1", Instant.now().plus(Sender.MAX_WAIT_AHEAD).plusSeconds(60));
        send(10);
        Await.until("the spool is empty", () -> outbox.stats().pendingRecords() == 0);
        assertEquals(seqs(1, 2), storedSeqs());
        Await.until("the one too far ahead to hold the others back for is counted as dropped", () -> rejected() == 1);
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

    @ParameterizedTest
    @ValueSource(ints = {400, 413})
    void aRefusalThatIsNotAProblemDocumentIsRetriedAndDropsNothing(int status) {
        put(20, "web-1", Instant.now());
        Answer proxyPage = new Answer(status, ("<html><center>The plain HTTP request was sent to HTTPS port"
                + "</center></html>").getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/html"));
        server.override("observations", call -> call < 5 ? proxyPage : null);
        send(10);
        Await.until("the spool is empty", () -> outbox.stats().pendingRecords() == 0);
        assertEquals(seqs(1, 20), storedSeqs(), "nothing dropped");
        assertEquals(List.of(10, 10), server.batchSizes(), "the batch size kept: not a refusal by Hanse");
        assertEquals(0, rejected());
    }

    @Test
    void aStatusFileThatCannotBeWrittenDoesNotShortenARetryAfter() throws IOException {
        status = new StatusBoard(Files.createFile(dir.resolve("not-a-directory")), BOOT, outbox::stats,
                Optional::empty);
        put(1, "web-1", Instant.now());
        Answer busy = new Answer(503, "{\"detail\": \"busy\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("Retry-After", "1"));
        List<Long> calledAt = Collections.synchronizedList(new ArrayList<>());
        server.override("observations", call -> {
            calledAt.add(System.nanoTime());
            return call == 0 ? busy : null;
        });
        send(10);
        Await.until("the spool is empty", () -> outbox.stats().pendingRecords() == 0);
        long waitedMillis = (calledAt.get(1) - calledAt.get(0)) / 1_000_000;
        assertTrue(waitedMillis >= 1000, "sent again after " + waitedMillis + " ms, before the Retry-After of 1 s");
    }

    private void put(int count, String system, Instant time) {
        for (int i = 0; i < count; i++) {
            outbox.put(Observation.RESULT, system, time, Json.object().put("check", "load"));
        }
    }

    /** The request body of observations {@code from} to {@code to} of the spool. */
    private byte[] body(int from, int to) {
        try {
            List<JsonNode> all = outbox.next(to, 0).observations();
            return new Batch(BOOT, all.subList(from - 1, to), List.of()).body();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
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

    /** How many observations the status file counts as dropped; written just after the spool lets them go. */
    private long rejected() {
        return StatusBoard.read(dir.resolve("state")).orElseThrow().path("spool").path("rejected").asLong();
    }
}
