package io.hanse.kernel.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hanse.kernel.benchmarks.Stats.Timing;
import io.hanse.testing.Distribution;
import io.hanse.testing.KernelDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Federation between two distributions on this machine, both on PostgreSQL: {@code fra} grants
 * {@code ber} a system, then the benchmark appends events about it on fra through the REST API, in
 * batches of {@value #BATCH} at an offered rate. Per event: end-to-end latency from the append
 * request on fra to the time ber stored it (its {@code recorded} time, read from ber's database after
 * the run, on the same machine's clock); per level: the rate ber stored at. The baseline, measured in
 * the same run on the same events, is the time fra itself stored them: what an append costs before
 * federation. First both run {@code jit} seconds (60) at {@code jitRate} events/s (5,000),
 * unmeasured, so that the JVMs have compiled what they run: on two cores shared by two servers,
 * PostgreSQL and this load, the compiler threads take much of the first minute. Then each level runs
 * {@code warmup} seconds unmeasured, then {@code measure} seconds measured; afterwards every event
 * must have arrived on ber exactly once.
 * <p>
 * Run it with {@code kernel/benchmarks/run.sh federation} from the repository root.
 */
public final class FederationBenchmark {

    private static final int BATCH = 100;
    private static final int[] RATES = Arrays.stream(System.getProperty("rates", "2000,4000,6000,8000,10000")
            .split(",")).mapToInt(Integer::parseInt).toArray();
    private static final double TARGET_RATE = 10_000;
    private static final double TARGET_P99 = 100;
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("warmup", 10));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("measure", 15));
    private static final Duration JIT = Duration.ofSeconds(Long.getLong("jit", 60));
    private static final int JIT_RATE = Integer.getInteger("jitRate", 5_000);
    private static final int IN_FLIGHT = 16;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FederationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path archive = Path.of(args[0]);
        try (KernelDatabase fraDatabase = KernelDatabase.postgres();
                KernelDatabase berDatabase = KernelDatabase.postgres();
                Distribution fra = Distribution.unpack(archive).name("fra")
                        .database(fraDatabase.database().url(), "postgres");
                Distribution ber = Distribution.unpack(archive).name("ber")
                        .database(berDatabase.database().url(), "postgres")) {
            CompletableFuture.allOf(CompletableFuture.runAsync(fra::start), CompletableFuture.runAsync(ber::start))
                    .join();
            String fraToken = fra.adminToken();
            String berToken = ber.adminToken();
            send(fra, fraToken, "POST", "systems", "{\"slug\":\"load\"}");
            String invitation = send(fra, fraToken, "POST", "federation/invitations", "{}").path("invitation")
                    .asText();
            send(ber, berToken, "POST", "federation/peers", "{\"invitation\":\"" + invitation + "\"}");
            send(fra, fraToken, "POST", "federation/grants", "{\"peer\":\"ber\",\"system\":\"load\"}");
            awaitSystem(ber, berToken, "fra/load");

            Stats stats = new Stats("Federation: events appended on fra, stored on ber, both on PostgreSQL");
            System.out.println("PostgreSQL: " + settings(fraDatabase));
            System.out.println("Warming up: " + JIT.toSeconds() + " s at " + Stats.rate(JIT_RATE));
            int next = warmUp(fra, fraToken, JIT_RATE, JIT, berDatabase);
            for (int rate : RATES) {
                next = measure(fra, fraToken, rate, next, fraDatabase, berDatabase, stats);
            }
            stats.print();
            long stored = recorded(berDatabase, "fra:bench-").size();
            System.out.println("Events stored on ber: " + stored + " of " + next + " sent; each once: "
                    + (stored == next) + " (ids are unique there)");
        }
    }

    /** Offers events at a rate for warm-up plus measure, and reports what arrived; returns the next event number. */
    private static int measure(Distribution fra, String token, int rate, int first, KernelDatabase fraDatabase,
            KernelDatabase berDatabase, Stats stats) throws Exception {
        long wallStart = micros(Instant.now());
        Offered offered = offer(fra, token, rate, WARMUP.plus(MEASURE), WARMUP, first);
        Map<String, Long> atBer = drained(berDatabase, offered.next());
        Map<String, Long> atFra = recorded(fraDatabase, "bench-");
        long[] federated = latencies(offered.measured(), offered.sent(), atBer);
        long[] local = latencies(offered.measured(), offered.sent(), atFra);
        long windowFrom = wallStart + WARMUP.toNanos() / 1_000;
        long windowTo = windowFrom + MEASURE.toNanos() / 1_000;
        long arrivedInWindow = atBer.values().stream().filter(at -> at >= windowFrom && at < windowTo).count();
        long localInWindow = atFra.values().stream().filter(at -> at >= windowFrom && at < windowTo).count();
        double seconds = MEASURE.toNanos() / 1e9;
        String level = "offered " + Stats.rate(rate) + (offered.skipped() > 0 ? " (" + offered.skipped() * BATCH
                + " not offered: fra saturated)" : "");
        stats.rate(level + ": stored on ber", arrivedInWindow / seconds, "stored on fra", localInWindow / seconds,
                rate >= TARGET_RATE ? TARGET_RATE : 0);
        Timing federatedTiming = Stats.timing(federated);
        stats.time(level + ": append on fra to stored on ber", federatedTiming, "to stored on fra",
                Stats.timing(local), 0);
        System.out.printf("%s: p50 %s, p99 %s (target < %s), %d of %d measured events arrived%n", level,
                Stats.ms(federatedTiming.median()), Stats.ms(federatedTiming.p99()), Stats.ms(TARGET_P99),
                federated.length, offered.measured().size());
        return offered.next();
    }

    /** Offers events at a rate for a while, unmeasured, and waits until ber has them; returns the next event number. */
    private static int warmUp(Distribution fra, String token, int rate, Duration time,
            KernelDatabase berDatabase) throws Exception {
        Offered offered = offer(fra, token, rate, time, time, 0);
        drained(berDatabase, offered.next());
        return offered.next();
    }

    /**
     * What was offered: when each event was sent, in microseconds, which of them were sent after the
     * warm-up, how many batches fra could not take, and the next event number.
     */
    private record Offered(Map<String, Long> sent, Map<String, Boolean> measured, int skipped, int next) {
    }

    /** Appends events on fra in batches at a rate for a while; those sent after {@code unmeasured} are measured. */
    private static Offered offer(Distribution fra, String token, int rate, Duration time, Duration unmeasured,
            int first) throws Exception {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) * BATCH / rate;
        long start = System.nanoTime();
        long measureFrom = start + unmeasured.toNanos();
        long end = start + time.toNanos();
        Map<String, Long> sent = new ConcurrentHashMap<>();
        Map<String, Boolean> measured = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger skipped = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(IN_FLIGHT);
        int n = first;
        for (long due = start; due < end; due += periodNanos) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!inFlight.tryAcquire()) {
                skipped.incrementAndGet(); // fra cannot take the offered rate: the batch is not offered
                continue;
            }
            ArrayNode batch = JSON.createArrayNode();
            long now = System.nanoTime();
            long wallNow = micros(Instant.now());
            for (int i = 0; i < BATCH; i++, n++) {
                String id = "bench-" + n;
                batch.addObject().put("id", id).put("type", "bench.event").put("system", "load").putObject("body")
                        .put("n", n);
                sent.put(id, wallNow);
                if (now >= measureFrom) {
                    measured.put(id, true);
                }
            }
            senders.execute(() -> {
                try {
                    send(fra, token, "POST", "timeline/events/batch", batch.toString());
                } catch (Exception e) {
                    System.err.println("append failed: " + e.getMessage());
                } finally {
                    inFlight.release();
                }
            });
        }
        senders.shutdown();
        senders.awaitTermination(1, TimeUnit.MINUTES);
        return new Offered(sent, measured, skipped.get(), n);
    }

    /** Waits up to two minutes until ber has every event before {@code next}; returns when each was stored there. */
    private static Map<String, Long> drained(KernelDatabase berDatabase, int next) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        Map<String, Long> atBer = recorded(berDatabase, "fra:bench-");
        while (atBer.size() < next && System.nanoTime() < deadline) {
            Thread.sleep(500);
            atBer = recorded(berDatabase, "fra:bench-");
        }
        return atBer;
    }

    /** The server settings that most change what a write-heavy load costs, which runs should name. */
    private static String settings(KernelDatabase database) throws Exception {
        StringBuilder shown = new StringBuilder();
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT name, setting, unit FROM pg_settings"
                        + " WHERE name IN ('shared_buffers', 'max_wal_size', 'synchronous_commit') ORDER BY name");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                shown.append(shown.isEmpty() ? "" : ", ").append(rows.getString(1)).append(' ')
                        .append(rows.getString(2)).append(rows.getString(3) == null ? "" : " × " + rows.getString(3));
            }
        }
        return shown.toString();
    }

    /** Latencies in nanoseconds, from times in microseconds. */
    private static long[] latencies(Map<String, Boolean> measured, Map<String, Long> sent, Map<String, Long> arrived) {
        long[] all = measured.keySet().stream().filter(arrived::containsKey)
                .mapToLong(id -> (arrived.get(id) - sent.get(id)) * 1_000).toArray();
        return all.length == 0 ? new long[] {Long.MAX_VALUE} : all;
    }

    /** When each event of the benchmark was stored, by its id there without the prefix, in microseconds. */
    private static Map<String, Long> recorded(KernelDatabase database, String prefix) throws Exception {
        Map<String, Long> times = new HashMap<>();
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, recorded FROM hanse_event WHERE id LIKE ?")) {
            select.setString(1, prefix + "%");
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    times.put(rows.getString(1).substring(prefix.length() - "bench-".length()),
                            micros(rows.getObject(2, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return times;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    private static void awaitSystem(Distribution server, String token, String slug) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.api().resolve("systems"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            if (response.body().contains("\"" + slug + "\"")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(slug + " did not arrive");
    }

    private static JsonNode send(Distribution server, String token, String method, String path, String body)
            throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.api() + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
