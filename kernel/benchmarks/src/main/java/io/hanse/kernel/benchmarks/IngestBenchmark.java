package io.hanse.kernel.benchmarks;

import io.hanse.agent.identity.AgentKey;
import io.hanse.agent.identity.RequestSigner;
import io.hanse.testing.Distribution;
import io.hanse.testing.KernelDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Agents' ingest through the real distribution on PostgreSQL: 1, 8 and 32 simulated agents, each
 * with its own Ed25519 key (the agent program's own classes) and system, send signed batches of 100
 * {@code monitoring.result} observations, one request in flight each, as fast as the server
 * acknowledges them (after its commit). Each level runs {@code WARMUP} seconds unmeasured, then
 * {@code MEASURE} seconds measured. The baseline, measured in the same run on the same PostgreSQL
 * server with as many connections: multi-row INSERTs of 100 rows into a plain table with the event
 * table's columns and no index, which is what PostgreSQL itself can take. At the end every
 * acknowledged observation must be in the database.
 * <p>
 * Run it with {@code kernel/benchmarks/run.sh ingest} from the repository root, after building the
 * distribution; it unpacks its own copy on free ports, and removes it and its database at the end.
 */
public final class IngestBenchmark {

    private static final int[] AGENTS = {1, 8, 32};
    private static final int BATCH = 100;
    private static final double TARGET = 20_000;
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("warmup", 5));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("measure", 15));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final long CLOCK_TICKS = 100;

    /** One simulated agent: its key, its system, and where its sequence stands. */
    private record Agent(RequestSigner signer, String system, long bootEpoch, AtomicLong seq) {
    }

    /** What one level measured. */
    private record Outcome(double perSecond, long[] latencies, double serverCores) {
    }

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path archive = Path.of(args.length > 0 ? args[0] : "assembly/target/hanse-0.1.0-SNAPSHOT.tar.gz");
        try (KernelDatabase database = KernelDatabase.postgres();
                Distribution server = Distribution.unpack(archive).database(database.database().url(), "postgres")
                        .start()) {
            String token = server.adminToken();
            List<Agent> agents = new ArrayList<>();
            for (int i = 0; i < AGENTS[AGENTS.length - 1]; i++) {
                agents.add(enroll(server.api(), token, "bench-" + i));
            }
            prepareBaseline(database);
            Stats stats = new Stats("Agent ingest, batches of " + BATCH + ", through the distribution on PostgreSQL");
            long acknowledged = 0;
            for (int level : AGENTS) {
                Outcome hanse = ingest(server, agents.subList(0, level));
                acknowledged += Math.round(hanse.perSecond() * MEASURE.toSeconds());
                Outcome plain = baseline(database, level);
                stats.rate(level + " agents: observations/s", hanse.perSecond(), "PostgreSQL 100-row INSERTs",
                        plain.perSecond(), TARGET);
                stats.time(level + " agents: batch latency", Stats.timing(hanse.latencies()),
                        "one 100-row INSERT", Stats.timing(plain.latencies()), 0);
                System.out.printf("%d agents: Hanse server %.2f cores%n", level, hanse.serverCores());
            }
            stats.print();
            System.out.println("Observations stored: " + stored(database) + " (at least those acknowledged in the"
                    + " measured windows, about " + acknowledged + ")");
        }
    }

    private static Agent enroll(URI api, String token, String name) throws Exception {
        send(HttpRequest.newBuilder(api.resolve("systems")).header("Authorization", "Bearer " + token),
                "{\"slug\":\"" + name + "\"}", 201);
        String created = send(HttpRequest.newBuilder(api.resolve("agents/enrollments"))
                .header("Authorization", "Bearer " + token),
                "{\"agent\":\"" + name + "\",\"systems\":[\"" + name + "\"]}", 201);
        Matcher enrollment = TOKEN.matcher(created);
        if (!enrollment.find()) {
            throw new IllegalStateException("no enrollment token in " + created);
        }
        AgentKey key = AgentKey.generate();
        send(HttpRequest.newBuilder(api.resolve("agents/enroll")), "{\"token\":\"" + enrollment.group(1)
                + "\",\"publicKey\":\"" + key.openSsh(name) + "\",\"version\":\"bench\"}", 201);
        return new Agent(new RequestSigner(key, Clock.systemUTC()), name, System.currentTimeMillis(),
                new AtomicLong());
    }

    /** Runs the agents against the server through a warm-up, then measures. */
    private static Outcome ingest(Distribution server, List<Agent> agents) throws Exception {
        URI uri = server.api().resolve("agents/self/observations");
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong accepted = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (Agent agent : agents) {
            long[][] mine = {new long[4096]};
            int[] count = {0};
            Thread thread = new Thread(() -> {
                while (!stop.get()) {
                    byte[] body = batch(agent);
                    long started = System.nanoTime();
                    String answer = send(HttpRequest.newBuilder(uri)
                            .header("Authorization", agent.signer().authorization("POST", uri, body)), body);
                    long took = System.nanoTime() - started;
                    if (measuring.get() && !stop.get()) {
                        Matcher n = ACCEPTED.matcher(answer);
                        accepted.addAndGet(n.find() ? Long.parseLong(n.group(1)) : 0);
                        if (count[0] == mine[0].length) {
                            mine[0] = Arrays.copyOf(mine[0], count[0] * 2);
                        }
                        mine[0][count[0]++] = took;
                    }
                }
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine[0], count[0]));
                }
            }, "agent-" + agent.system());
            threads.add(thread);
            thread.start();
        }
        Thread.sleep(WARMUP.toMillis());
        long cpuBefore = cpuTicks(server.pid());
        measuring.set(true);
        Thread.sleep(MEASURE.toMillis());
        stop.set(true);
        long cpuAfter = cpuTicks(server.pid());
        for (Thread thread : threads) {
            thread.join();
        }
        return new Outcome(accepted.get() / (double) MEASURE.toSeconds(), concat(latencies),
                (cpuAfter - cpuBefore) / (double) CLOCK_TICKS / MEASURE.toSeconds());
    }

    /** A batch of observations such as the agent sends for check results, about 300 bytes each. */
    private static byte[] batch(Agent agent) {
        StringBuilder json = new StringBuilder(BATCH * 330).append("{\"bootEpoch\":").append(agent.bootEpoch())
                .append(",\"observations\":[");
        String now = Instant.now().toString();
        for (int i = 0; i < BATCH; i++) {
            long seq = agent.seq().incrementAndGet();
            json.append(i == 0 ? "" : ",").append("{\"seq\":").append(seq)
                    .append(",\"type\":\"monitoring.result\",\"system\":\"").append(agent.system())
                    .append("\",\"time\":\"").append(now).append("\",\"body\":{\"check\":\"check-").append(seq % 50)
                    .append("\",\"status\":\"ok\",\"exitCode\":0,\"output\":\"LOAD OK - load average: 0.42, 0.37,")
                    .append(" 0.30\",\"longOutput\":\"\",\"perfdata\":[{\"label\":\"load1\",\"value\":0.42,")
                    .append("\"unit\":\"\",\"warn\":\"5\",\"crit\":\"10\",\"min\":\"0\",\"max\":null}],")
                    .append("\"durationMs\":12,\"timedOut\":false,\"intervalSeconds\":60}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void prepareBaseline(KernelDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE bench_plain (id varchar(200), type varchar(100), system_id uuid,"
                    + " time timestamp with time zone, recorded timestamp with time zone, source_kind varchar(16),"
                    + " source_name varchar(200), origin varchar(100), body text)");
        }
    }

    /** As many connections as agents insert 100-row statements, for the same time. */
    private static Outcome baseline(KernelDatabase database, int connections) throws Exception {
        StringBuilder sql = new StringBuilder("INSERT INTO bench_plain VALUES ");
        for (int i = 0; i < BATCH; i++) {
            sql.append(i == 0 ? "" : ",").append("(?, 'monitoring.result', ?, now(), now(), 'AGENT', ?, 'bench', ?)");
        }
        String body = new String(batch(new Agent(null, "plain", 1, new AtomicLong())), StandardCharsets.UTF_8)
                .substring(0, 300);
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong rows = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread thread = new Thread(() -> {
                List<Long> mine = new ArrayList<>();
                UUID system = UUID.randomUUID();
                try (Connection connection = database.dataSource().getConnection();
                        PreparedStatement insert = connection.prepareStatement(sql.toString())) {
                    while (!stop.get()) {
                        for (int i = 0; i < BATCH; i++) {
                            insert.setString(i * 4 + 1, UUID.randomUUID().toString());
                            insert.setObject(i * 4 + 2, system);
                            insert.setString(i * 4 + 3, "plain");
                            insert.setString(i * 4 + 4, body);
                        }
                        long started = System.nanoTime();
                        insert.executeUpdate();
                        if (measuring.get() && !stop.get()) {
                            mine.add(System.nanoTime() - started);
                            rows.addAndGet(BATCH);
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                synchronized (latencies) {
                    latencies.add(mine.stream().mapToLong(Long::longValue).toArray());
                }
            });
            threads.add(thread);
            thread.start();
        }
        Thread.sleep(WARMUP.toMillis());
        measuring.set(true);
        Thread.sleep(MEASURE.toMillis());
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        return new Outcome(rows.get() / (double) MEASURE.toSeconds(), concat(latencies), 0);
    }

    private static long stored(KernelDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT count(*) FROM hanse_event WHERE type = 'monitoring.result'")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** User and system CPU time of a process so far, in clock ticks (fields 14 and 15 of /proc/pid/stat). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long[] concat(List<long[]> parts) {
        return parts.stream().flatMapToLong(Arrays::stream).toArray();
    }

    private static String send(HttpRequest.Builder request, byte[] body) {
        return send(request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), 200);
    }

    private static String send(HttpRequest.Builder request, String body, int status) {
        return send(request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), status);
    }

    private static String send(HttpRequest.Builder request, int status) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != status) {
                throw new IllegalStateException(response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
