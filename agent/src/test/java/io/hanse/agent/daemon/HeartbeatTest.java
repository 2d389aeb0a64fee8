package io.hanse.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.agent.client.HanseClient;
import io.hanse.agent.common.Json;
import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.spool.Observation;
import io.hanse.agent.spool.Outbox;
import io.hanse.agent.spool.Spool;
import io.hanse.agent.testing.Await;
import io.hanse.agent.testing.FakeHanse;
import io.hanse.agent.testing.TestAgent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
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
        beat(new StatusBoard(notADirectory, BOOT, outbox::stats, Optional::empty));
        Await.until("the first beat", () -> server.calls("heartbeat") >= 1);
        Thread.sleep(1000);
        assertEquals(1, server.calls("heartbeat"), "the next beat comes after heartbeatSeconds (30), not a backoff");
    }

    @Test
    void observationsCutAwayWithADamagedRecordAreCountedAsDropped() throws IOException {
        for (int i = 0; i < 10; i++) {
            outbox.put(Observation.RESULT, "web-1", Instant.now(), Json.object().put("check", "load"));
        }
        spool.close();
        damageRecord(4);
        spool = Spool.open(dir.resolve("spool"), SPOOL_BYTES, Spool.segmentBytesFor(SPOOL_BYTES), Outbox::isRecord);
        outbox = new Outbox(spool, BOOT + 1);
        beat(new StatusBoard(dir.resolve("state"), BOOT + 1, outbox::stats, Optional::empty));
        Await.until("a heartbeat came", () -> server.calls("heartbeat") == 1);
        assertEquals(7, server.requests("heartbeat").get(0).path("spool").path("dropped").asLong(),
                "the fourth observation and the six after it in its segment");
    }

    @Test
    void observationsThatCannotBeSpooledAreCountedAsDropped() throws IOException {
        spool.close();
        long spoolBytes = 1024 * 1024;
        spool = Spool.open(dir.resolve("spool"), spoolBytes, Spool.segmentBytesFor(spoolBytes), Outbox::isRecord);
        outbox = new Outbox(spool, BOOT + 1);
        // Two such results fill more than a segment: the second must start the next one, which it cannot.
        String output = "x".repeat((int) Spool.segmentBytesFor(spoolBytes) / 2);
        outbox.put(Observation.RESULT, "web-1", Instant.now(), Json.object().put("output", output));
        blockNextSegment();
        assertThrows(UncheckedIOException.class,
                () -> outbox.put(Observation.RESULT, "web-1", Instant.now(), Json.object().put("output", output)));
        beat(new StatusBoard(dir.resolve("state"), BOOT + 1, outbox::stats, Optional::empty));
        Await.until("a heartbeat came", () -> server.calls("heartbeat") == 1);
        assertEquals(1, server.requests("heartbeat").get(0).path("spool").path("dropped").asLong());
        Await.until("the status file is written", () -> StatusBoard.read(dir.resolve("state")).isPresent());
        assertEquals(1, StatusBoard.read(dir.resolve("state")).orElseThrow().path("spool").path("unwritten").asLong());
    }

    @Test
    void theStatusFileIsKeptFreshBetweenBeatsAsTheSpoolGrows() throws InterruptedException {
        StatusBoard status = new StatusBoard(dir.resolve("state"), BOOT, outbox::stats, Optional::empty);
        Duration every = Duration.ofMillis(300);
        assertTrue(status.keepFresh(every).compareTo(every) <= 0, "not written at once");
        assertTrue(StatusBoard.read(dir.resolve("state")).isEmpty());
        outbox.put(Observation.RESULT, "web-1", Instant.now(), Json.object().put("check", "load"));
        Thread.sleep(every.toMillis());
        assertEquals(every, status.keepFresh(every));
        assertEquals(1, StatusBoard.read(dir.resolve("state")).orElseThrow().path("spool").path("pendingRecords")
                .asLong());
        Duration next = status.keepFresh(every);
        assertTrue(next.compareTo(every) <= 0 && next.compareTo(Duration.ZERO) > 0, "written just now: " + next);
    }

    /** Changes a byte of the payload of the n-th record (from 1) of the spool's only segment. */
    private void damageRecord(int n) throws IOException {
        Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
            segment = files.filter(file -> file.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        for (int record = 1; record < n; record++) {
            bytes.position(bytes.position() + 8 + bytes.getInt(bytes.position()));
        }
        int payload = bytes.position() + 8;
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {(byte) ~bytes.get(payload)}), payload);
        }
    }

    /** Puts a directory where the spool's next segment file goes, so that starting that segment fails. */
    private void blockNextSegment() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
            String last = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".seg"))
                    .sorted().reduce((first, second) -> second).orElseThrow();
            long next = Long.parseLong(last.substring(0, last.length() - ".seg".length())) + 1;
            Files.createDirectory(dir.resolve("spool").resolve(String.format("%016d.seg", next)));
        }
    }

    private void beat(StatusBoard status) {
        thread = new Thread(new Heartbeat(client, config, outbox, status, "test", "web-1.example.org",
                TestAgent.fastTiming(new Random(5))), "test-heartbeat");
        thread.start();
    }
}
