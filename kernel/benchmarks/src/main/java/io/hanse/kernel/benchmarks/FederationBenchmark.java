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
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
 * {@code warmup} seconds unmeasured, then {@code measure} seconds measured, and prints the longest
 * latency of each measured second besides the percentiles; afterwards every event must have arrived
 * on ber exactly once.
 * <p>
 * Run it with {@code kernel/benchmarks/run.sh federation} from the repository root.
 */
public final class FederationBenchmark {

    private static final int BATCH = 100;
    /** Beyond the target, to show how much room there is. */
    private static final int[] RATES = Arrays.stream(System.getProperty("rates",
            "2000,4000,6000,8000,10000,12000,14000,16000").split(",")).mapToInt(Integer::parseInt).toArray();
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
                Postgres.Processes postgres = new Postgres.Processes(fraDatabase.dataSource(),
                        berDatabase.dataSource());
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
            System.out.println(Postgres.settings(fraDatabase.dataSource()));
            System.out.println("Warming up: " + JIT.toSeconds() + " s at " + Stats.rate(JIT_RATE));
            int next = warmUp(fra, fraToken, JIT_RATE, JIT, berDatabase);
            long[] servers = {fra.pid(), ber.pid()};
            for (int rate : RATES) {
                next = measure(fra, fraToken, rate, next, fraDatabase, berDatabase, servers, postgres, stats);
            }
            stats.print();
            long stored = count(berDatabase, 0);
            System.out.println("Events stored on ber: " + stored + " of " + next + " sent; each once: "
                    + (stored == next) + " (ids are unique there)");
        }
    }

    /**
     * Offers events at a rate for warm-up plus measure, and reports what arrived and what each process
     * took of the cores meanwhile; returns the next event number.
     */
    private static int measure(Distribution fra, String token, int rate, int first, KernelDatabase fraDatabase,
            KernelDatabase berDatabase, long[] servers, LongSupplier postgres, Stats stats) throws Exception {
        long fraBefore = highestSequence(fraDatabase);
        long berBefore = highestSequence(berDatabase);
        long wallStart = micros(Instant.now());
        long[] cpu = cpu(servers, postgres);
        long cpuStart = System.nanoTime();
        Offered offered = offer(fra, token, rate, WARMUP.plus(MEASURE), WARMUP, first);
        String cores = cores(cpu, cpu(servers, postgres), (System.nanoTime() - cpuStart) / 1e9);
        long[] atBer = drained(berDatabase, berBefore, offered);
        long[] atFra = recorded(fraDatabase, fraBefore, offered);
        long[] federated = offered.latencies(atBer);
        long[] local = offered.latencies(atFra);
        long windowFrom = wallStart + WARMUP.toNanos() / 1_000;
        long windowTo = windowFrom + MEASURE.toNanos() / 1_000;
        long arrivedInWindow = Arrays.stream(atBer).filter(at -> at >= windowFrom && at < windowTo).count();
        long localInWindow = Arrays.stream(atFra).filter(at -> at >= windowFrom && at < windowTo).count();
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
                federated.length, offered.next() - offered.firstMeasured());
        System.out.println("  worst of each second, ms, to ber: " + offered.worstPerSecond(atBer) + "; to fra: "
                + offered.worstPerSecond(atFra));
        System.out.println("  cores: " + cores);
        return offered.next();
    }

    /** CPU ticks so far of fra, ber, PostgreSQL serving them, this load generator and the whole machine. */
    private static long[] cpu(long[] servers, LongSupplier postgres) {
        return new long[] {Cpu.tree(servers[0]), Cpu.tree(servers[1]), postgres.getAsLong(), Cpu.self(),
            Cpu.machineBusy()};
    }

    /**
     * What each took of the cores between two readings: everything else on the machine makes a level
     * slower without being part of it, so a run it took much from says little.
     */
    private static String cores(long[] before, long[] after, double seconds) {
        double[] used = new double[before.length];
        for (int i = 0; i < used.length; i++) {
            used[i] = Cpu.cores(after[i] - before[i], seconds);
        }
        return String.format(Locale.ROOT, "fra %.2f, ber %.2f, PostgreSQL %.2f, load generator %.2f, everything"
                + " else %.2f", used[0], used[1], used[2], used[3], used[4] - used[0] - used[1] - used[2] - used[3]);
    }

    /** Offers events at a rate for a while, unmeasured, and waits until ber has them; returns the next event number. */
    private static int warmUp(Distribution fra, String token, int rate, Duration time,
            KernelDatabase berDatabase) throws Exception {
        Offered offered = offer(fra, token, rate, time, time, 0);
        drained(berDatabase, 0, offered);
        return offered.next();
    }

    /**
     * What was offered: events {@code first} to {@code next - 1}, sent in batches of {@value #BATCH},
     * each batch at {@code sent[i]} in microseconds; those from {@code firstMeasured} on were sent after
     * the warm-up; {@code skipped} batches fra could not take.
     */
    private record Offered(int first, long[] sent, int firstMeasured, int skipped, int next) {

        /** Latencies in nanoseconds of the measured events that arrived, from arrival times indexed as events. */
        long[] latencies(long[] arrived) {
            long[] all = IntStream.range(firstMeasured - first, next - first).filter(i -> arrived[i] != 0)
                    .mapToLong(i -> (arrived[i] - sent[i / BATCH]) * 1_000).toArray();
            return all.length == 0 ? new long[] {Long.MAX_VALUE} : all;
        }

        /**
         * The longest latency of the measured events sent in each second, in whole milliseconds: whether
         * a p99 comes from a few stalls or from delays spread over the level.
         */
        String worstPerSecond(long[] arrived) {
            if (firstMeasured >= next) {
                return "-";
            }
            int from = (firstMeasured - first) / BATCH;
            long start = sent[from];
            long[] worst = new long[(int) ((sent[(next - first - 1) / BATCH] - start) / 1_000_000) + 1];
            for (int i = firstMeasured - first; i < next - first; i++) {
                int second = (int) ((sent[i / BATCH] - start) / 1_000_000);
                if (arrived[i] != 0) {
                    worst[second] = Math.max(worst[second], (arrived[i] - sent[i / BATCH]) / 1_000);
                }
            }
            return Arrays.stream(worst).mapToObj(Long::toString).collect(Collectors.joining(" "));
        }
    }

    /** Appends events on fra in batches at a rate for a while; those sent after {@code unmeasured} are measured. */
    private static Offered offer(Distribution fra, String token, int rate, Duration time, Duration unmeasured,
            int first) throws Exception {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) * BATCH / rate;
        long start = System.nanoTime();
        long measureFrom = start + unmeasured.toNanos();
        long end = start + time.toNanos();
        long[] sent = new long[(int) (time.toNanos() / periodNanos) + 1];
        int batches = 0;
        int firstMeasured = -1;
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
            if (firstMeasured < 0 && System.nanoTime() >= measureFrom) {
                firstMeasured = n;
            }
            ArrayNode batch = JSON.createArrayNode();
            sent[batches++] = micros(Instant.now());
            for (int i = 0; i < BATCH; i++, n++) {
                batch.addObject().put("id", "bench-" + n).put("type", "bench.event").put("system", "load")
                        .putObject("body").put("n", n);
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
        return new Offered(first, sent, firstMeasured < 0 ? n : firstMeasured, skipped.get(), n);
    }

    /**
     * Waits up to two minutes until ber has every event offered, stored after {@code after}; returns
     * when each was stored there.
     */
    private static long[] drained(KernelDatabase berDatabase, long after, Offered offered) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (count(berDatabase, after) < offered.next() - offered.first() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        return recorded(berDatabase, after, offered);
    }

    /** How many of the benchmark's events a database stored after sequence number {@code after}. */
    private static long count(KernelDatabase database, long after) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT count(*) FROM hanse_event WHERE seq > ? AND id LIKE '%bench-%'")) {
            select.setLong(1, after);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long highestSequence(KernelDatabase database) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT coalesce(max(seq), 0) FROM hanse_event");
                ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * When each offered event was stored, in microseconds, indexed from the first offered (0: not
     * stored); only events stored after {@code after} are read.
     */
    private static long[] recorded(KernelDatabase database, long after, Offered offered) throws Exception {
        long[] times = new long[offered.next() - offered.first()];
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, recorded FROM hanse_event WHERE seq > ? AND id LIKE '%bench-%'")) {
            select.setLong(1, after);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    int n = Integer.parseInt(id.substring(id.indexOf("bench-") + "bench-".length()));
                    if (n >= offered.first() && n < offered.next()) {
                        times[n - offered.first()] = micros(rows.getObject(2, OffsetDateTime.class).toInstant());
                    }
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
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
