package io.hanse.kernel.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hanse.kernel.benchmarks.Stats.Timing;
import io.hanse.testing.Distribution;
import io.hanse.testing.KernelDatabase;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Federation between two distributions on this machine, both on PostgreSQL: {@code fra} grants
 * {@code ber} a system, then the benchmark appends events about it on fra through the REST API, in
 * batches of {@value #BATCH} at an offered rate, and follows both timelines' live streams. Per
 * event: end-to-end latency from the append request on fra to the event's arrival on ber's stream;
 * per level: the rate ber received at. The baseline, measured in the same run on the same events,
 * is the arrival on fra's own stream: what an append costs before federation. Each level runs
 * {@code warmup} seconds unmeasured, then {@code measure} seconds measured; afterwards every event
 * must have arrived on ber exactly once.
 * <p>
 * Run it with {@code kernel/benchmarks/run.sh federation} from the repository root.
 */
public final class FederationBenchmark {

    private static final int BATCH = 100;
    private static final int[] RATES = Arrays.stream(System.getProperty("rates", "2000,5000,10000,20000")
            .split(",")).mapToInt(Integer::parseInt).toArray();
    private static final double TARGET_RATE = 10_000;
    private static final double TARGET_P99 = 100;
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("warmup", 5));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("measure", 15));
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

            Map<String, Long> atFra = new ConcurrentHashMap<>();
            Map<String, Long> atBer = new ConcurrentHashMap<>();
            follow(fra, fraToken, "load", atFra);
            follow(ber, berToken, "fra/load", atBer);
            Thread.sleep(1_000);

            Stats stats = new Stats("Federation: events appended on fra, visible on ber, both on PostgreSQL");
            int next = 0;
            for (int rate : RATES) {
                next = level(fra, fraToken, rate, next, atFra, atBer, stats);
            }
            stats.print();
            System.out.println("Events received on ber: " + atBer.size() + " of " + next + " sent; each once: "
                    + (atBer.size() == next));
        }
    }

    /** Offers events at a rate for warm-up plus measure; returns the next event number. */
    private static int level(Distribution fra, String token, int rate, int first, Map<String, Long> atFra,
            Map<String, Long> atBer, Stats stats) throws Exception {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) * BATCH / rate;
        long start = System.nanoTime();
        long measureFrom = start + WARMUP.toNanos();
        long end = measureFrom + MEASURE.toNanos();
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
            for (int i = 0; i < BATCH; i++, n++) {
                String id = "bench-" + n;
                batch.addObject().put("id", id).put("type", "bench.event").put("system", "load").putObject("body")
                        .put("n", n);
                sent.put(id, now);
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
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!atBer.keySet().containsAll(sent.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long[] federated = latencies(measured, sent, atBer);
        long[] local = latencies(measured, sent, atFra);
        long arrivedInWindow = measured.keySet().stream().map(atBer::get)
                .filter(at -> at != null && at >= measureFrom && at < end).count();
        long localInWindow = measured.keySet().stream().map(atFra::get)
                .filter(at -> at != null && at >= measureFrom && at < end).count();
        double seconds = MEASURE.toNanos() / 1e9;
        String level = "offered " + Stats.rate(rate) + (skipped.get() > 0 ? " (" + skipped.get() * BATCH
                + " not offered: fra saturated)" : "");
        stats.rate(level + ": received on ber", arrivedInWindow / seconds, "stored on fra", localInWindow / seconds,
                rate >= TARGET_RATE ? TARGET_RATE : 0);
        Timing federatedTiming = Stats.timing(federated);
        stats.time(level + ": append on fra to visible on ber", federatedTiming, "to visible on fra",
                Stats.timing(local), 0);
        System.out.printf("%s: p99 %s (target < %s), %d of %d measured events arrived%n", level,
                Stats.ms(federatedTiming.p99()), Stats.ms(TARGET_P99), federated.length, measured.size());
        return n;
    }

    private static long[] latencies(Map<String, Boolean> measured, Map<String, Long> sent, Map<String, Long> arrived) {
        return measured.keySet().stream().filter(arrived::containsKey)
                .mapToLong(id -> arrived.get(id) - sent.get(id)).toArray();
    }

    /** Follows a system's live timeline, noting when each event arrives. */
    private static void follow(Distribution server, String token, String system, Map<String, Long> arrivals) {
        HttpRequest request = HttpRequest.newBuilder(server.api().resolve("timeline/stream?members=false&system="
                + URLEncoder.encode(system, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").build();
        HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            try (Stream<String> lines = response.body()) {
                lines.filter(line -> line.startsWith("data:")).forEach(line -> {
                    long now = System.nanoTime();
                    try {
                        JsonNode event = JSON.readTree(line.substring(5));
                        String id = event.path("id").asText();
                        arrivals.putIfAbsent(id.substring(id.indexOf(':') + 1), now);
                    } catch (Exception e) {
                        System.err.println("unreadable event: " + line);
                    }
                });
            }
        });
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
