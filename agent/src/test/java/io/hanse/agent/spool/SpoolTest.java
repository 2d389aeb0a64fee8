package io.hanse.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.agent.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    private static final long MAX_BYTES = 1024 * 1024;
    private static final long SEGMENT_BYTES = 4096;

    @TempDir
    Path root;

    @Test
    void keepsUnacknowledgedRecordsAcrossARestart() {
        Path dir = root.resolve("spool");
        try (Spool spool = open(dir)) {
            for (int n = 0; n < 10; n++) {
                spool.append(record(n, 10));
            }
            spool.acknowledge(read(spool, 4));
            assertEquals(6, spool.stats().pendingRecords());
        }
        try (Spool spool = open(dir)) {
            assertEquals(6, spool.stats().pendingRecords());
            spool.append(record(10, 10));
            List<SpoolEntry> rest = read(spool, 100);
            assertEquals(List.of(4, 5, 6, 7, 8, 9, 10), numbers(rest));
            spool.acknowledge(rest);
            assertEquals(new SpoolStats(0, 0, 0, 0, 0), spool.stats());
        }
        try (Spool spool = open(dir)) {
            assertEquals(List.of(), numbers(read(spool, 100)));
        }
        assertEquals(1, segments(dir).size(), "acknowledged segments are deleted");
    }

    @Test
    void readsInBatchesAcrossSegmentsAndWithinAByteBudget() throws InterruptedException {
        try (Spool spool = open(root.resolve("spool"))) {
            for (int n = 0; n < 40; n++) {
                spool.append(record(n, 300));
            }
            assertTrue(segments(root.resolve("spool")).size() > 3);
            List<SpoolEntry> first = spool.read(25, Long.MAX_VALUE, 0);
            assertEquals(25, first.size());
            List<SpoolEntry> small = spool.read(25, 700, 0);
            assertEquals(2, small.size(), "two records of about 320 bytes fit 700, three do not");
            spool.acknowledge(first);
            assertEquals(List.of(25, 26, 27), numbers(spool.read(3, Long.MAX_VALUE, 0)));
            List<Integer> rest = new ArrayList<>();
            List<SpoolEntry> batch = spool.read(100, 2000, 0);
            while (!batch.isEmpty()) {
                assertTrue(batch.size() <= 6, "at most six records of about 320 bytes fit 2000");
                rest.addAll(numbers(batch));
                spool.acknowledge(batch);
                batch = spool.read(100, 2000, 0);
            }
            assertEquals(IntStream.range(25, 40).boxed().toList(), rest, "in order across segments, none skipped");
        }
    }

    @Test
    void aTornTailLosesNothingWrittenBeforeItAndDuplicatesNothing() throws IOException {
        Random random = new Random(20261205);
        for (int iteration = 0; iteration < 80; iteration++) {
            Path dir = root.resolve("spool-" + iteration);
            int total = 10 + random.nextInt(40);
            int acknowledged = random.nextInt(8);
            try (Spool spool = open(dir)) {
                for (int n = 0; n < total; n++) {
                    spool.append(record(n, 10 + random.nextInt(400)));
                }
                spool.acknowledge(read(spool, acknowledged));
            }
            List<Path> segments = segments(dir);
            Path last = segments.get(segments.size() - 1);
            List<long[]> lastRecords = records(last);
            long cut = (long) (random.nextDouble() * (Files.size(last) + 1));
            try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE)) {
                channel.truncate(cut);
            }
            List<Integer> expected = new ArrayList<>();
            int firstInLast = lastRecords.isEmpty() ? total : (int) lastRecords.get(0)[0];
            for (int n = acknowledged; n < firstInLast; n++) {
                expected.add(n);
            }
            long torn = 0;
            long start = 0;
            for (long[] record : lastRecords) {
                if (record[1] <= cut && record[0] >= acknowledged) {
                    expected.add((int) record[0]);
                }
                if (start < cut && cut < record[1] && record[0] >= acknowledged) {
                    torn = 1;
                }
                start = record[1];
            }
            try (Spool spool = open(dir)) {
                List<SpoolEntry> delivered = read(spool, 1000);
                assertEquals(expected, numbers(delivered), "iteration " + iteration + ", cut at " + cut);
                assertEquals(torn, spool.stats().torn(), "the unsent record cut short, iteration " + iteration);
                spool.acknowledge(delivered);
            }
            try (Spool spool = open(dir)) {
                assertEquals(List.of(), numbers(read(spool, 1000)), "delivered once, iteration " + iteration);
            }
        }
    }

    @Test
    void aBadChecksumCutsTheSegmentThereAndKeepsEverythingElse() throws IOException {
        Path dir = root.resolve("spool");
        try (Spool spool = open(dir)) {
            for (int n = 0; n < 40; n++) {
                spool.append(record(n, 300));
            }
        }
        Path first = segments(dir).get(0);
        List<long[]> firstRecords = records(first);
        try (FileChannel channel = FileChannel.open(first, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // The start of the third record's payload; its checksum no longer holds.
            long offset = firstRecords.get(1)[1] + 8;
            channel.write(ByteBuffer.wrap(new byte[] {'X'}), offset);
        }
        try (Spool spool = open(dir)) {
            assertEquals(firstRecords.size() - 2, spool.stats().torn(), "the damaged record and all after it");
            List<Integer> delivered = numbers(read(spool, 1000));
            List<Integer> expected = new ArrayList<>(List.of(0, 1));
            for (int n = (int) firstRecords.get(firstRecords.size() - 1)[0] + 1; n < 40; n++) {
                expected.add(n);
            }
            assertEquals(expected, delivered);
        }
    }

    @Test
    void aTailACrashLeftZeroedIsOneRecordLost() throws IOException {
        Path dir = root.resolve("spool");
        try (Spool spool = open(dir)) {
            spool.append(record(0, 5));
            spool.append(record(1, 5));
        }
        Path last = segments(dir).get(segments(dir).size() - 1);
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.allocate(4096));
        }
        try (Spool spool = open(dir)) {
            assertEquals(1, spool.stats().torn(), "not one for each header's worth of zeros");
            assertEquals(List.of(0, 1), numbers(read(spool, 10)));
        }
    }

    @Test
    void aRecordWithAGoodChecksumButNoValidPayloadIsTorn() {
        Path dir = root.resolve("spool");
        try (Spool spool = open(dir)) {
            spool.append(record(0, 5));
            spool.append("{\"n\": 1, \"cut".getBytes(StandardCharsets.UTF_8));
        }
        try (Spool spool = open(dir)) {
            assertEquals(1, spool.stats().torn());
            assertEquals(List.of(0), numbers(read(spool, 10)));
        }
    }

    @Test
    void whenFullDropsTheOldestSegmentsAndCountsTheirRecords() throws IOException {
        Path dir = root.resolve("spool");
        long maxBytes = 64 * 1024;
        try (Spool spool = Spool.open(dir, maxBytes, 16 * 1024, SpoolTest::valid)) {
            for (int n = 0; n < 200; n++) {
                spool.append(record(n, 1000));
                assertTrue(segmentBytes(dir) <= maxBytes, "the spool stays within its bound");
            }
            SpoolStats stats = spool.stats();
            assertTrue(stats.dropped() > 0);
            assertEquals(200, stats.dropped() + stats.pendingRecords());
            List<Integer> kept = numbers(read(spool, 1000));
            assertEquals(stats.pendingRecords(), kept.size());
            assertEquals(199, kept.get(kept.size() - 1));
            assertEquals(200 - stats.dropped(), kept.size());
            assertEquals(stats.dropped(), (long) kept.get(0), "the oldest went, the newest stayed, in order");
        }
    }

    @Test
    void aRecordThatCannotBeWrittenIsCountedAsLost() throws IOException {
        Path dir = root.resolve("spool");
        try (Spool spool = open(dir)) {
            spool.append(record(0, 3000));
            // The next record starts a segment, whose file cannot be created where a directory is in the way.
            long active = Long.parseLong(segments(dir).get(0).getFileName().toString().replace(".seg", ""));
            Path next = Files.createDirectory(dir.resolve(Segment.fileName(active + 1)));
            assertThrows(UncheckedIOException.class, () -> spool.append(record(1, 3000)));
            assertEquals(1, spool.stats().lost(), "the record not written is lost");
            assertEquals(1, spool.stats().pendingRecords());
            spool.append(record(3, 100));
            assertEquals(2, spool.stats().pendingRecords(), "a record that fits goes on in the segment being written");
            Files.delete(next);
            spool.append(record(2, 3000));
            assertEquals(List.of(0, 3, 2), numbers(read(spool, 10)), "the spool goes on once it can write again");
            assertEquals(1, spool.stats().lost());
        }
    }

    @Test
    void recordsTheServerTookWhileTheirSegmentWasDroppedAreNotCountedAsDropped() {
        try (Spool spool = Spool.open(root.resolve("spool"), 64 * 1024, 16 * 1024, SpoolTest::valid)) {
            int appended = 0;
            while (appended < 10) {
                spool.append(record(appended++, 1000));
            }
            List<SpoolEntry> inFlight = read(spool, 5);
            while (spool.stats().dropped() == 0) {
                spool.append(record(appended++, 1000));
            }
            long droppedWithThem = spool.stats().dropped();
            spool.acknowledge(inFlight);
            assertEquals(droppedWithThem - 5, spool.stats().dropped(), "the five the server took are not lost");
            spool.acknowledge(inFlight);
            assertEquals(droppedWithThem - 5, spool.stats().dropped(), "nor taken twice");
            assertEquals(appended, 5 + spool.stats().dropped() + spool.stats().pendingRecords(),
                    "every record is taken, dropped or pending");
        }
    }

    @Test
    void oneProcessAtATime() {
        Path dir = root.resolve("spool");
        Spool spool = open(dir);
        try {
            assertThrows(IllegalStateException.class, () -> open(dir).close());
        } finally {
            spool.close();
        }
    }

    @Test
    void outboxStampsIdentitiesAndNeverMixesBootEpochs() throws InterruptedException {
        Path dir = root.resolve("spool");
        try (Spool spool = open(dir)) {
            Outbox outbox = new Outbox(spool, 1000);
            for (int i = 0; i < 3; i++) {
                Observation observation = outbox.put(Observation.FACTS, "web-1", Instant.EPOCH, Json.object());
                assertEquals(i + 1, observation.seq());
            }
        }
        try (Spool spool = Spool.open(dir, MAX_BYTES, SEGMENT_BYTES, Outbox::isRecord)) {
            Outbox outbox = new Outbox(spool, 2000);
            outbox.put(Observation.RESULT, "web-1", Instant.EPOCH, Json.object().put("check", "load"));
            Batch old = outbox.next(100, 0);
            assertEquals(1000, old.bootEpoch());
            assertEquals("1-3", old.seqRange());
            JsonNode body = Json.parse(old.body());
            assertEquals(1000, body.path("bootEpoch").asLong());
            assertEquals("{\"seq\":1,\"type\":\"inventory.facts\",\"system\":\"web-1\","
                    + "\"time\":\"1970-01-01T00:00:00Z\",\"body\":{}}", body.path("observations").get(0).toString());
            outbox.acknowledge(old);
            Batch current = outbox.next(100, 0);
            assertEquals(2000, current.bootEpoch());
            assertEquals(1, current.size());
            assertEquals("load", current.observations().get(0).path("body").path("check").asText());
        }
    }

    private static Spool open(Path dir) {
        return Spool.open(dir, MAX_BYTES, SEGMENT_BYTES, SpoolTest::valid);
    }

    private static boolean valid(byte[] payload) {
        return Json.parse(payload).path("n").isInt();
    }

    private static byte[] record(int n, int padding) {
        return Json.bytes(Json.object().put("n", n).put("pad", "p".repeat(padding)));
    }

    private static List<SpoolEntry> read(Spool spool, int max) {
        try {
            return spool.read(max, Long.MAX_VALUE, 0);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> numbers(List<SpoolEntry> entries) {
        return entries.stream().map(entry -> Json.parse(entry.payload()).path("n").asInt()).toList();
    }

    private static List<Path> segments(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(".seg")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long segmentBytes(Path dir) throws IOException {
        long bytes = 0;
        for (Path segment : segments(dir)) {
            bytes += Files.size(segment);
        }
        return bytes;
    }

    /** The records of a segment file, read by the documented format: each as {number, end offset}. */
    private static List<long[]> records(Path segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<long[]> records = new ArrayList<>();
        while (bytes.remaining() >= 8) {
            int length = bytes.getInt();
            bytes.getInt();
            byte[] payload = new byte[length];
            bytes.get(payload);
            records.add(new long[] {Json.parse(payload).path("n").asInt(), bytes.position()});
        }
        return records;
    }
}
