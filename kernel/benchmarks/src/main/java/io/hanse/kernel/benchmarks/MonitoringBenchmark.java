package io.hanse.kernel.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.agent.identity.AgentKey;
import io.hanse.agent.identity.RequestSigner;
import io.hanse.testing.Distribution;
import io.hanse.testing.KernelDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * Passive check results into Icinga 2 and into Hanse on this machine, both running, at 1, 8 and 32
 * closed-loop clients (one request in flight each). Each server is first primed for {@code -Dprime}
 * seconds at 8 clients, default 60: the distribution's C2 compiler takes some 40 s of a core in its
 * first minute of load, and a level measured before then measures the compiler. Then each client
 * count is measured in {@code -Drounds} rounds, default 3, each server in each round with
 * {@code -Dwarmup} seconds unmeasured, default 2, then {@code -Dmeasure} seconds measured, default 5:
 * Icinga 2 then Hanse in the first round, Hanse then Icinga in the second, and so on, so that both see
 * the machine at about the same speed; the idle one's CPU counts as "other". Before each warm-up the
 * benchmark waits, up to 10 s, until both servers and PostgreSQL are idle (under 5 % of a core).
 * Both get the same stream: 1,000 hosts {@code bench-h0000}… with one check {@code bench-svc}, each client walking
 * its own share of them round robin; of every 50 results for a host the last three are warnings
 * (soft, soft, then hard at the third of three attempts) and the next one a recovery, so both
 * servers run their state handling.
 * <p>
 * Icinga 2 (set up, started and stopped by {@code kernel/benchmarks/icinga2.sh}) gets one result per
 * {@code POST /v1/actions/process-check-result} over HTTPS with basic auth; an HTTP 200 counts as
 * accepted. Hanse (the built distribution on PostgreSQL, with the feature named by
 * {@code -Dfeature}, default {@code hanse-monitoring}; {@code -Dfeature=} boots none, and the results
 * go to the timeline) gets signed batches of {@code -Dbatch} (default 10) {@code monitoring.result}
 * observations from enrolled agents, one agent per client, over HTTPS too (its secure connector,
 * with a key made for the run, through the same kind of client); the answer's {@code accepted} counts.
 * The agents' requests are signed as the agent signs them, but with Bouncy Castle's Ed25519 rather
 * than the JDK's, which takes 0.5 ms a signature: the load generator shares the cores with the
 * servers, and signing is work of the agents' hosts, not of the server measured.
 * Hanse's target: at least three times Icinga's results/s at each level, at an equal or better
 * request p99.
 * <p>
 * At the end each server must hold a result for every host since measuring began (Icinga 2 says so
 * through its API, Hanse's database in its checks), and Hanse must have answered no result as a
 * duplicate; the run fails otherwise.
 * <p>
 * {@code -Dicinga=false} measures Hanse alone, for quicker turns while working on it.
 * <p>
 * Each level also prints the load generator's CPU time per request. It does the same work for every
 * request to the same server, so it shows how fast the machine was during the level: on a shared
 * virtual machine this changes by half within an hour. Compare it before comparing runs.
 * <p>
 * Run it with {@code kernel/benchmarks/run.sh monitoring}, as root from the repository root (it
 * installs and starts Icinga 2), or by hand after building the benchmarks and the distribution:
 * {@code java -Xmx1g -cp "kernel/benchmarks/target/classes:$(cat kernel/benchmarks/target/classpath.txt)"
 * io.hanse.kernel.benchmarks.MonitoringBenchmark "$(ls -t assembly/target/hanse-*.tar.gz | head -n 1)"}. Both servers
 * run on loopback on free ports; both are stopped and the database dropped at the end.
 */
public final class MonitoringBenchmark {

    private static final int[] CLIENTS = {1, 8, 32};
    private static final int HOSTS = 1000;
    /** The hosts' names, made once: formatting them for every result took a tenth of the load generator's CPU. */
    private static final String[] HOST_NAMES = IntStream.range(0, HOSTS)
            .mapToObj(i -> String.format(Locale.ROOT, "bench-h%04d", i)).toArray(String[]::new);
    private static final String CHECK = "bench-svc";
    private static final String FLEET = "bench-fleet";
    /** Of every {@code CYCLE} results for a host, the last {@code WARNINGS} are warnings. */
    private static final int CYCLE = 50;
    private static final int WARNINGS = 3;
    private static final double TARGET_RATIO = 3;
    private static final int BATCH = Integer.getInteger("batch", 10);
    private static final String FEATURE = System.getProperty("feature", "hanse-monitoring").strip();
    /** Each level is measured in {@code ROUNDS} rounds, each server with a warm-up and a window per round. */
    private static final int ROUNDS = Integer.getInteger("rounds", 3);
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("warmup", 2));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("measure", 5));
    /** Unmeasured load before each server's first level, at {@code PRIME_CLIENTS} clients. */
    private static final Duration PRIME = Duration.ofSeconds(Long.getLong("prime", 60));
    private static final int PRIME_CLIENTS = 8;
    /** Before each window, the servers are idle when each takes less than this of a core over a sample. */
    private static final double SETTLED = 0.05;
    private static final Duration SETTLE_SAMPLE = Duration.ofMillis(250);
    private static final Duration SETTLE_BOUND = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Path SCRIPT = Path.of("kernel/benchmarks/icinga2.sh");
    /** Hanse's HTTPS key and its certificate, in the distribution's home. */
    private static final Path KEYSTORE = Path.of("etc/bench-https.p12");
    private static final Path CERTIFICATE = Path.of("etc/bench-https.crt");
    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");
    private static final Pattern DUPLICATES = Pattern.compile("\"duplicates\"\\s*:\\s*(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    /** Held, so that the level set on it stays: KernelDatabase's migrations log every change set otherwise. */
    private static final java.util.logging.Logger LIQUIBASE = java.util.logging.Logger.getLogger("liquibase");

    /** What one request came to: the results the server accepted, and if it refused, why. */
    private record Answer(int accepted, String refusal, String detail) {

        static Answer accepted(int results) {
            return new Answer(results, null, null);
        }

        static Answer refused(String refusal, String detail) {
            return new Answer(0, refusal, detail);
        }
    }

    /**
     * One client's next request, built (and for Hanse signed) before the exchange that is timed; each
     * client keeps its own place in the stream.
     */
    @FunctionalInterface
    private interface Client {
        HttpRequest next();
    }

    /** Makes client {@code c} of {@code clients}, each starting at its own place in the stream. */
    @FunctionalInterface
    private interface Clients {
        Client client(int c, int clients);
    }

    /**
     * A server under load: the HTTP client its requests go through, its clients, what its responses
     * come to, and whose CPU counts as its own and as its database's.
     */
    private record Server(String name, HttpClient http, Clients clients, Function<HttpResponse<String>, Answer> answer,
            LongSupplier serverTicks, LongSupplier databaseTicks, Landed landed) {
    }

    /** Checks, at the end, that what a server accepted is there. */
    @FunctionalInterface
    private interface Landed {
        /**
         * Returns what it found.
         *
         * @throws IllegalStateException if any host's check has no result since {@code since}, or
         *         the server counted results as sent twice
         */
        String since(Instant since) throws IOException, InterruptedException, SQLException;
    }

    /** What runs while a server is up. */
    @FunctionalInterface
    private interface WithServer {
        void run(Server server) throws IOException, InterruptedException, GeneralSecurityException, SQLException;
    }

    /** An enrolled agent: its signer, and where its sequence stands. */
    private record Agent(RequestSigner signer, long bootEpoch, AtomicLong seq) {
    }

    /**
     * What one measured window saw: results accepted; requests sent, refused (answered, but not
     * accepted) and failed (not answered); the accepted requests' latencies; CPU ticks; and why
     * requests were refused or failed, with an example of each.
     */
    private record Window(long accepted, long requests, long refused, long failed, long nanos, long[] latencies,
            long serverTicks, long databaseTicks, long generatorTicks, long busyTicks, Map<String, Long> problems,
            Map<String, String> details) {
    }

    /** What one level measured over its windows; cores are CPU seconds per second measured. */
    private record Level(double perSecond, Stats.Timing latency, long requests, long refused, long failed,
            double serverCores, double databaseCores, double generatorCores, double otherCores,
            Map<String, Long> problems, Map<String, String> details) {

        static Level of(List<Window> windows) {
            double seconds = windows.stream().mapToLong(Window::nanos).sum() / 1e9;
            long server = windows.stream().mapToLong(Window::serverTicks).sum();
            long database = windows.stream().mapToLong(Window::databaseTicks).sum();
            long generator = windows.stream().mapToLong(Window::generatorTicks).sum();
            long busy = windows.stream().mapToLong(Window::busyTicks).sum();
            Map<String, Long> problems = new TreeMap<>();
            Map<String, String> details = new TreeMap<>();
            for (Window window : windows) {
                window.problems().forEach((why, n) -> problems.merge(why, n, Long::sum));
                window.details().forEach(details::putIfAbsent);
            }
            return new Level(windows.stream().mapToLong(Window::accepted).sum() / seconds,
                    Stats.timing(windows.stream().map(Window::latencies).flatMapToLong(Arrays::stream).toArray()),
                    windows.stream().mapToLong(Window::requests).sum(),
                    windows.stream().mapToLong(Window::refused).sum(), windows.stream().mapToLong(Window::failed).sum(),
                    Cpu.cores(server, seconds), Cpu.cores(database, seconds), Cpu.cores(generator, seconds),
                    Cpu.cores(busy - server - database - generator, seconds), problems, details);
        }

        /** Results per CPU second of the server's processes and its database's. */
        double perCoreSecond() {
            return perSecond / (serverCores + databaseCores);
        }

        /** Whether every request was accepted: a level with refusals or failures measured something else. */
        boolean valid() {
            return refused == 0 && failed == 0;
        }
    }

    /**
     * The hosts one client reports on, round robin: its own share of them all, as an agent reports on
     * its own host's checks (or a proxy agent on its share of hosts). When clients shared hosts, one
     * client's results for a check waited, as they must, for the other's to be stored before them.
     */
    private static final class Hosts {

        private final int first;
        private final int count;
        private int next;

        private Hosts(int first, int count) {
            this.first = first;
            this.count = count;
        }

        /** Client {@code c}'s share of the hosts among {@code clients}. */
        static Hosts of(int c, int clients) {
            int first = c * HOSTS / clients;
            return new Hosts(first, (c + 1) * HOSTS / clients - first);
        }

        int next() {
            return first + next++ % count;
        }
    }

    /** The results both servers get: of every {@code CYCLE} for a host, the last {@code WARNINGS} are warnings. */
    private static final class ResultStream {

        private final AtomicIntegerArray sent = new AtomicIntegerArray(HOSTS);

        boolean warning(int host) {
            return sent.getAndIncrement(host) % CYCLE >= CYCLE - WARNINGS;
        }
    }

    private MonitoringBenchmark() {
    }

    public static void main(String[] args)
            throws IOException, InterruptedException, GeneralSecurityException, SQLException {
        Path archive = Path.of(args.length > 0 ? args[0] : "assembly/target/hanse-0.1.0-SNAPSHOT.tar.gz");
        if (!Files.isExecutable(SCRIPT)) {
            throw new IllegalStateException("run this from the repository root: " + SCRIPT + " is not there");
        }
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("no distribution at " + archive + "; build the assembly first");
        }
        int fewestHosts = HOSTS / CLIENTS[CLIENTS.length - 1];
        if (BATCH < 1 || BATCH > fewestHosts) {
            // A batch larger than a client's hosts holds a check twice at the same time, which Hanse
            // merges into one result: it would count results that were never checks.
            throw new IllegalArgumentException("-Dbatch is 1 to " + fewestHosts + ", the fewest hosts a client"
                    + " reports on (" + HOSTS + " hosts among " + CLIENTS[CLIENTS.length - 1]
                    + " clients), so that a batch never holds one check twice; not " + BATCH);
        }
        if (ROUNDS < 1) {
            throw new IllegalArgumentException("-Drounds is at least 1, not " + ROUNDS);
        }
        LIQUIBASE.setLevel(java.util.logging.Level.WARNING);
        if (Boolean.parseBoolean(System.getProperty("icinga", "true"))) {
            icinga(icinga -> hanse(archive, hanse -> {
                Level[][] levels = levels(icinga, hanse);
                print(levels[0], levels[1]);
            }));
        } else {
            hanse(archive, MonitoringBenchmark::levels);
        }
    }

    // --- Icinga 2 ---

    private static void icinga(WithServer then)
            throws IOException, InterruptedException, GeneralSecurityException, SQLException {
        Path run = Files.createTempDirectory("hanse-icinga2-");
        int port = freePort();
        Thread stopOnExit = new Thread(() -> stopIcinga(run), "stop-icinga2");
        try {
            icinga2("setup", run, Map.of("ICINGA2_PORT", Integer.toString(port), "ICINGA2_HOSTS",
                    Integer.toString(HOSTS)), Duration.ofMinutes(15));
            Runtime.getRuntime().addShutdownHook(stopOnExit);
            icinga2("start", run, Map.of(), Duration.ofMinutes(2));
            long pid = Long.parseLong(Files.readString(run.resolve("daemon.pid")).strip());
            String authorization = "Basic " + Base64.getEncoder().encodeToString(
                    Files.readString(run.resolve("api-credentials")).strip().getBytes(StandardCharsets.UTF_8));
            HttpClient http = loopbackHttps(run.resolve("ca.crt"));
            URI api = URI.create("https://127.0.0.1:" + port + "/v1/");
            URI uri = api.resolve("actions/process-check-result");
            ResultStream results = new ResultStream();
            then.run(new Server("Icinga 2", http, (c, clients) -> icingaClient(uri, authorization, results,
                    Hosts.of(c, clients)), response -> response.statusCode() == 200 ? Answer.accepted(1)
                    : Answer.refused("HTTP " + response.statusCode(), response.body()), () -> Cpu.tree(pid), () -> 0,
                    since -> icingaLanded(http, api, authorization, since)));
        } finally {
            try {
                stopIcinga(run);
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
                summarizeLog(run.resolve("log/icinga2.log"));
            } finally {
                delete(run);
            }
        }
    }

    private static Client icingaClient(URI uri, String authorization, ResultStream results, Hosts hosts) {
        return () -> {
            int host = hosts.next();
            boolean warning = results.warning(host);
            String body = "{\"type\":\"Service\",\"service\":\"" + host(host) + "!" + CHECK + "\",\"exit_status\":"
                    + (warning ? 1 : 0) + ",\"plugin_output\":\"" + output(warning) + "\",\"performance_data\":"
                    + "[\"load1=" + load(warning) + ";5;10;0\"],\"check_source\":\"bench\"}";
            return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .header("Authorization", authorization).header("Accept", "application/json")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
        };
    }

    /** Checks through Icinga's API that every host's service has a check result since then. */
    private static String icingaLanded(HttpClient http, URI api, String authorization, Instant since)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.resolve("objects/services"))
                .timeout(REQUEST_TIMEOUT).header("Authorization", authorization).header("Accept", "application/json")
                .header("X-HTTP-Method-Override", "GET").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"attrs\":[\"last_check_result\"],\"filter\":\"service.name == \\\"" + CHECK + "\\\"\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Icinga 2: querying its services failed: HTTP " + response.statusCode()
                    + " " + cut(response.body(), 300));
        }
        double after = since.toEpochMilli() / 1e3;
        long fresh = 0;
        for (JsonNode service : JSON.readTree(response.body()).path("results")) {
            if (service.path("attrs").path("last_check_result").path("execution_end").asDouble() > after) {
                fresh++;
            }
        }
        return landed("Icinga 2", fresh, "services");
    }

    private static void icinga2(String command, Path run, Map<String, String> environment, Duration bound)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), command, run.toString()).inheritIO();
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(bound.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(SCRIPT + " " + command + " did not finish within " + bound);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(SCRIPT + " " + command + " failed (exit " + process.exitValue() + ")");
        }
    }

    private static void stopIcinga(Path run) {
        if (!Files.exists(run.resolve("daemon.pid"))) {
            return;
        }
        try {
            icinga2("stop", run, Map.of(), Duration.ofMinutes(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Prints how many warnings and worse Icinga 2 logged, by facility, with the first of each. */
    private static void summarizeLog(Path log) throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        Pattern severe = Pattern.compile("\\] (warning|critical)/(\\S+): (.*)");
        Map<String, Long> counts = new TreeMap<>();
        Map<String, String> first = new TreeMap<>();
        try (Stream<String> lines = Files.lines(log)) {
            lines.forEach(line -> {
                Matcher found = severe.matcher(line);
                if (found.find()) {
                    String key = found.group(1) + "/" + found.group(2);
                    counts.merge(key, 1L, Long::sum);
                    first.putIfAbsent(key, cut(found.group(3), 200));
                }
            });
        }
        System.out.println("Icinga 2 log: " + (counts.isEmpty() ? "no warnings or errors" : counts));
        first.forEach((key, line) -> System.out.println("    first " + key + ": " + line));
    }

    /**
     * The HTTP client of both servers' load: HTTP/1.1 over TLS to 127.0.0.1, trusting what this CA (or
     * self-signed certificate) signed there.
     */
    private static HttpClient loopbackHttps(Path caCertificate) throws IOException, GeneralSecurityException {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .sslContext(loopbackTrust(caCertificate)).build();
    }

    /**
     * Trusts what a CA signed, on connections to 127.0.0.1 alone. Icinga's node certificate names the
     * host ({@code icinga2 api setup} uses its FQDN), not the loopback address the benchmark connects
     * to, so this trust manager checks the chain and the address, not a host name.
     */
    private static SSLContext loopbackTrust(Path caCertificate) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caCertificate)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        X509TrustManager ca = (X509TrustManager) factory.getTrustManagers()[0];
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new LoopbackTrust(ca)}, null);
        return context;
    }

    /** See {@link #loopbackTrust}. */
    private static final class LoopbackTrust extends X509ExtendedTrustManager {

        private final X509TrustManager ca;

        LoopbackTrust(X509TrustManager ca) {
            this.ca = ca;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, authType, engine.getPeerHost());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, authType, socket.getInetAddress().getHostAddress());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("trusted only on connections to 127.0.0.1");
        }

        private void check(X509Certificate[] chain, String authType, String peer) throws CertificateException {
            if (!"127.0.0.1".equals(peer)) {
                throw new CertificateException("trusted only on connections to 127.0.0.1, not " + peer);
            }
            ca.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client trusts no clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return ca.getAcceptedIssuers();
        }
    }

    // --- Hanse ---

    private static void hanse(Path archive, WithServer then)
            throws IOException, InterruptedException, GeneralSecurityException, SQLException {
        try (KernelDatabase database = KernelDatabase.postgres();
                Postgres.Processes postgres = new Postgres.Processes(database.dataSource());
                Distribution server = Distribution.unpack(archive)) {
            System.out.println(Postgres.settings(database.dataSource()));
            if (!FEATURE.isEmpty()) {
                server.bootFeature(FEATURE);
            }
            int httpsPort = secure(server);
            Thread stopOnExit = new Thread(server::stop, "stop-hanse");
            Runtime.getRuntime().addShutdownHook(stopOnExit);
            try {
                server.database(database.database().url(), "postgres").start();
                HttpClient setup = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                List<Agent> agents = prepare(setup, server.api(), server.adminToken());
                long pid = server.pid();
                URI uri = URI.create("https://127.0.0.1:" + httpsPort + server.api().getPath()
                        + "agents/self/observations");
                HttpClient https = loopbackHttps(server.home().resolve(CERTIFICATE));
                ResultStream results = new ResultStream();
                LongAdder duplicates = new LongAdder();
                then.run(new Server("Hanse", https, (c, clients) -> hanseClient(uri, agents.get(c), results,
                        Hosts.of(c, clients)), response -> hanseAnswer(response, duplicates), () -> Cpu.tree(pid),
                        postgres, since -> hanseLanded(database, duplicates.sum(), since)));
            } finally {
                server.stop();
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            }
        }
    }

    /**
     * Turns on the distribution's HTTPS connector on a free port on 127.0.0.1 (its listening address),
     * with a new key and self-signed certificate, so that the agents' requests pay for TLS as Icinga's
     * do. The key is RSA of 4096 bits like the one {@code icinga2 api setup} makes, and is made by the
     * JDK's keytool, which reads the password from the environment, not from its command line.
     *
     * @return the HTTPS port
     */
    private static int secure(Distribution server) throws IOException, InterruptedException {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Path keystore = server.home().resolve(KEYSTORE);
        keytool(password, "-genkeypair", "-alias", "hanse", "-keyalg", "RSA", "-keysize", "4096", "-validity", "7",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass:env", "KEYSTORE_PASSWORD", "-keypass:env", "KEYSTORE_PASSWORD");
        keytool(password, "-exportcert", "-rfc", "-alias", "hanse", "-keystore", keystore.toString(),
                "-storepass:env", "KEYSTORE_PASSWORD", "-file", server.home().resolve(CERTIFICATE).toString());
        int port = freePort();
        String pid = "org.ops4j.pax.web";
        server.configure(pid, "org.osgi.service.http.secure.enabled", "true")
                .configure(pid, "org.osgi.service.http.port.secure", Integer.toString(port))
                .configure(pid, "org.ops4j.pax.web.ssl.keystore", keystore.toString())
                .configure(pid, "org.ops4j.pax.web.ssl.keystore.password", password)
                .configure(pid, "org.ops4j.pax.web.ssl.key.password", password);
        return port;
    }

    private static void keytool(String password, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("KEYSTORE_PASSWORD", password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
        }
    }

    /**
     * Creates the hosts as systems, and an aggregate of them all; enrolls one agent per client and
     * lets each report on the aggregate's members. An enrollment token names at most 100 systems, and
     * the agent's binding from it covers those systems alone, so the wider binding is made after.
     */
    private static List<Agent> prepare(HttpClient http, URI api, String token)
            throws IOException, GeneralSecurityException {
        long started = System.nanoTime();
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < HOSTS; i++) {
            hosts.add(host(i));
            send(http, admin(api, "systems", token), "{\"slug\":\"" + host(i) + "\"}", 201);
        }
        send(http, admin(api, "systems", token), "{\"slug\":\"" + FLEET + "\",\"name\":\"Benchmark hosts\",\"members\":"
                + hosts.stream().map(slug -> "\"" + slug + "\"").collect(Collectors.joining(",", "[", "]")) + "}", 201);
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < CLIENTS[CLIENTS.length - 1]; i++) {
            String name = String.format(Locale.ROOT, "bench-agent-%02d", i);
            String created = send(http, admin(api, "agents/enrollments", token),
                    "{\"agent\":\"" + name + "\",\"systems\":[\"" + FLEET + "\"]}", 201);
            Matcher enrollment = TOKEN.matcher(created);
            if (!enrollment.find()) {
                throw new IllegalStateException("no enrollment token in " + created);
            }
            Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
            PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key.generatePublicKey()).getEncoded()));
            send(http, HttpRequest.newBuilder(api.resolve("agents/enroll")), "{\"token\":\"" + enrollment.group(1)
                    + "\",\"publicKey\":\"" + AgentKey.openSsh(publicKey, name) + "\",\"version\":\"bench\"}",
                    201);
            send(http, admin(api, "security/bindings", token), "{\"role\":\"agent\",\"user\":\"" + name
                    + "\",\"system\":\"" + FLEET + "\",\"includeMembers\":true}", 201);
            RequestSigner signer = new RequestSigner(AgentKey.fingerprint(publicKey), data -> sign(key, data),
                    Clock.systemUTC());
            agents.add(new Agent(signer, System.currentTimeMillis(), new AtomicLong()));
        }
        System.out.printf(Locale.ROOT, "Hanse: %d systems, an aggregate of them and %d agents set up in %.1f s%n",
                HOSTS, agents.size(), (System.nanoTime() - started) / 1e9);
        return agents;
    }

    private static byte[] sign(Ed25519PrivateKeyParameters key, byte[] data) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(data, 0, data.length);
        return signer.generateSignature();
    }

    private static Client hanseClient(URI uri, Agent agent, ResultStream results, Hosts hosts) {
        return () -> {
            StringBuilder json = new StringBuilder(BATCH * 380).append("{\"bootEpoch\":").append(agent.bootEpoch())
                    .append(",\"observations\":[");
            String now = Instant.now().toString();
            for (int i = 0; i < BATCH; i++) {
                int host = hosts.next();
                boolean warning = results.warning(host);
                json.append(i == 0 ? "" : ",").append("{\"seq\":").append(agent.seq().incrementAndGet())
                        .append(",\"type\":\"monitoring.result\",\"system\":\"").append(host(host))
                        .append("\",\"time\":\"").append(now).append("\",\"body\":{\"check\":\"").append(CHECK)
                        .append("\",\"status\":\"").append(warning ? "warning" : "ok").append("\",\"exitCode\":")
                        .append(warning ? 1 : 0).append(",\"output\":\"").append(output(warning))
                        .append("\",\"longOutput\":\"\",\"perfdata\":[{\"label\":\"load1\",\"value\":")
                        .append(load(warning)).append(",\"unit\":\"\",\"warn\":\"5\",\"crit\":\"10\",\"min\":\"0\",")
                        .append("\"max\":null}],\"durationMs\":12,\"timedOut\":false,\"intervalSeconds\":60,")
                        .append("\"maxAttempts\":3}}");
            }
            byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .header("Authorization", agent.signer().authorization("POST", uri, body))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        };
    }

    /**
     * A batch is delivered, as the agent protocol says, when the answer is a 200 whose {@code accepted}
     * and {@code duplicates} add up to the batch; the duplicates are added up too.
     */
    private static Answer hanseAnswer(HttpResponse<String> response, LongAdder duplicates) {
        if (response.statusCode() != 200) {
            return Answer.refused("HTTP " + response.statusCode(), response.body());
        }
        Matcher accepted = ACCEPTED.matcher(response.body());
        Matcher duplicate = DUPLICATES.matcher(response.body());
        if (!accepted.find() || !duplicate.find()) {
            return Answer.refused("no accepted and duplicates counts", response.body());
        }
        int results = Integer.parseInt(accepted.group(1));
        int twice = Integer.parseInt(duplicate.group(1));
        duplicates.add(twice);
        return results + twice == BATCH ? Answer.accepted(results)
                : Answer.refused("counts not adding up to the batch", response.body());
    }

    /**
     * Checks in the database that every host's check has a result since then, and that Hanse counted
     * none of the results as sent twice: each is sent once, so a duplicate means an observation's
     * sequence number was taken for another's, whose result was then not taken.
     */
    private static String hanseLanded(KernelDatabase database, long duplicates, Instant since) throws SQLException {
        if (duplicates > 0) {
            throw new IllegalStateException("Hanse answered " + duplicates + " results as duplicates of results"
                    + " sent before; each was sent once");
        }
        // Without the monitoring plugin, the results are events on the timeline.
        String count = FEATURE.isEmpty()
                ? "SELECT count(DISTINCT system_slug) FROM hanse_event WHERE type = 'monitoring.result' AND time > ?"
                : "SELECT count(*) FROM monitoring_check WHERE check_name = '" + CHECK + "' AND last_result > ?";
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(count)) {
            select.setObject(1, since.atOffset(ZoneOffset.UTC));
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return landed("Hanse", row.getLong(1), FEATURE.isEmpty() ? "systems' timelines" : "checks");
            }
        }
    }

    private static HttpRequest.Builder admin(URI api, String path, String token) {
        return HttpRequest.newBuilder(api.resolve(path)).header("Authorization", "Bearer " + token);
    }

    private static String send(HttpClient http, HttpRequest.Builder request, String body, int status) {
        try {
            HttpResponse<String> response = http.send(request.timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != status) {
                throw new IllegalStateException(request.build().uri() + ": " + response.statusCode() + " "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // --- both ---

    /**
     * Primes each server, then measures them level by level: at each client count in rounds, in each
     * round one server right after the other, in turn first and last (ABBA), so that both see the
     * machine at about the same speed.
     *
     * @return each server's levels, in the order given
     */
    private static Level[][] levels(Server... servers) throws IOException, InterruptedException, SQLException {
        for (Server server : servers) {
            prime(server);
        }
        Instant measuring = Instant.now();
        Level[][] levels = new Level[servers.length][CLIENTS.length];
        for (int i = 0; i < CLIENTS.length; i++) {
            int clients = CLIENTS[i];
            List<List<Window>> windows = Stream.<List<Window>>generate(ArrayList::new).limit(servers.length)
                    .toList();
            for (int round = 0; round < ROUNDS; round++) {
                for (int k = 0; k < servers.length; k++) {
                    int s = round % 2 == 0 ? k : servers.length - 1 - k;
                    settle(servers);
                    windows.get(s).add(measure(servers[s], clients));
                }
            }
            for (int s = 0; s < servers.length; s++) {
                levels[s][i] = Level.of(windows.get(s));
                report(servers[s].name(), clients, levels[s][i]);
            }
        }
        for (Server server : servers) {
            System.out.println(server.landed().since(measuring));
        }
        return levels;
    }

    /**
     * Says that every host has a result since measuring began.
     *
     * @throws IllegalStateException if some have none
     */
    private static String landed(String server, long fresh, String where) {
        if (fresh != HOSTS) {
            throw new IllegalStateException(server + ": " + fresh + " of " + HOSTS + " hosts have a result since"
                    + " measuring began, in its " + where + "; the others' results did not land");
        }
        return server + ": all " + HOSTS + " hosts have a result since measuring began, in its " + where;
    }

    /**
     * Runs the load generator and the server before the first level, unmeasured: in short runs the
     * JIT compilers (of this JVM's HTTP client, and of Hanse's) otherwise take a good part of the
     * first levels' CPU.
     */
    private static void prime(Server server) throws InterruptedException {
        if (PRIME.isZero()) {
            return;
        }
        Load load = new Load(server, PRIME_CLIENTS);
        Thread.sleep(PRIME.toMillis());
        load.halt();
        load.join();
    }

    /** Runs {@code clients} closed-loop clients through a warm-up, then measures one window. */
    private static Window measure(Server measured, int clients) throws InterruptedException {
        Load load = new Load(measured, clients);
        Thread.sleep(WARMUP.toMillis());
        long server = measured.serverTicks().getAsLong();
        long database = measured.databaseTicks().getAsLong();
        long generator = Cpu.self();
        long busy = Cpu.machineBusy();
        long started = System.nanoTime();
        load.measuring.set(true);
        Thread.sleep(MEASURE.toMillis());
        load.halt();
        long nanos = System.nanoTime() - started;
        server = measured.serverTicks().getAsLong() - server;
        database = measured.databaseTicks().getAsLong() - database;
        generator = Cpu.self() - generator;
        busy = Cpu.machineBusy() - busy;
        long[] latencies = load.join();
        Map<String, Long> problems = new TreeMap<>();
        load.problems.forEach((why, n) -> problems.put(why, n.sum()));
        if (latencies.length == 0) {
            throw new IllegalStateException(measured.name() + ", " + clients + " clients: no request accepted within "
                    + MEASURE + (problems.isEmpty() ? "" : "; refused or failed: " + problems + " " + load.details));
        }
        return new Window(load.accepted.sum(), load.requests.sum(), load.refused.sum(), load.failed.sum(), nanos,
                latencies, server, database, generator, busy, problems, new TreeMap<>(load.details));
    }

    /**
     * Waits until no server is still at work on the load before (the other's queues and flushes,
     * PostgreSQL's checkpoints): until each server's processes and its database's take less than
     * {@code SETTLED} of a core over {@code SETTLE_SAMPLE}, for at most {@code SETTLE_BOUND}; says so
     * if they did not.
     */
    private static void settle(Server... servers) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_BOUND.toNanos();
        while (true) {
            long[] before = Arrays.stream(servers).mapToLong(MonitoringBenchmark::ticks).toArray();
            long started = System.nanoTime();
            Thread.sleep(SETTLE_SAMPLE.toMillis());
            double seconds = (System.nanoTime() - started) / 1e9;
            List<String> busy = new ArrayList<>();
            for (int s = 0; s < servers.length; s++) {
                double cores = Cpu.cores(ticks(servers[s]) - before[s], seconds);
                if (cores >= SETTLED) {
                    busy.add(String.format(Locale.ROOT, "%s %.2f cores", servers[s].name(), cores));
                }
            }
            if (busy.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                System.out.println("Note: not settled within " + SETTLE_BOUND.toSeconds() + " s, measuring anyway: "
                        + String.join(", ", busy));
                return;
            }
        }
    }

    private static long ticks(Server server) {
        return server.serverTicks().getAsLong() + server.databaseTicks().getAsLong();
    }

    /**
     * Closed-loop clients, one request in flight each, until halted; what they see counts while
     * measuring. Only the HTTP exchange is timed, and only an accepted request's time is a latency.
     */
    private static final class Load {

        final AtomicBoolean measuring = new AtomicBoolean();
        final LongAdder accepted = new LongAdder();
        final LongAdder requests = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder failed = new LongAdder();
        final Map<String, LongAdder> problems = new ConcurrentHashMap<>();
        final Map<String, String> details = new ConcurrentHashMap<>();
        private final AtomicBoolean halted = new AtomicBoolean();
        private final List<long[]> latencies = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();

        Load(Server server, int clients) {
            for (int c = 0; c < clients; c++) {
                Client client = server.clients().client(c, clients);
                Thread thread = new Thread(() -> run(server, client), "client-" + c);
                threads.add(thread);
                thread.start();
            }
        }

        private void run(Server server, Client client) {
            long[] mine = new long[4096];
            int count = 0;
            while (!halted.get()) {
                HttpRequest request = client.next();
                long started = System.nanoTime();
                HttpResponse<String> response;
                try {
                    response = server.http().send(request, HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    count(failed, e.getClass().getSimpleName(), e.getMessage());
                    pause(Duration.ofMillis(10));
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                long took = System.nanoTime() - started;
                Answer answer = server.answer().apply(response);
                if (answer.refusal() != null) {
                    count(refused, answer.refusal(), answer.detail());
                } else if (counting()) {
                    requests.increment();
                    accepted.add(answer.accepted());
                    if (count == mine.length) {
                        mine = Arrays.copyOf(mine, count * 2);
                    }
                    mine[count++] = took;
                }
            }
            synchronized (latencies) {
                latencies.add(Arrays.copyOf(mine, count));
            }
        }

        /** Whether what finishes now counts: after the warm-up, before the halt. */
        private boolean counting() {
            return measuring.get() && !halted.get();
        }

        private void count(LongAdder counter, String why, String detail) {
            if (counting()) {
                requests.increment();
                counter.increment();
                problems.computeIfAbsent(why, r -> new LongAdder()).increment();
                details.putIfAbsent(why, cut(detail, 300));
            }
        }

        /** Ends the measured window: what finishes from now on no longer counts. */
        void halt() {
            halted.set(true);
        }

        /** Waits for the clients' last requests; returns the latencies measured, in nanoseconds. */
        long[] join() throws InterruptedException {
            halt();
            for (Thread thread : threads) {
                thread.join(REQUEST_TIMEOUT.plusSeconds(5).toMillis());
                if (thread.isAlive()) {
                    throw new IllegalStateException(thread.getName() + " did not finish its last request");
                }
            }
            synchronized (latencies) {
                return latencies.stream().flatMapToLong(Arrays::stream).toArray();
            }
        }
    }

    private static void report(String name, int clients, Level level) {
        System.out.printf(Locale.ROOT, "%s, %d clients: %,.0f results/s, p50 %s, p99 %s (%d accepted requests),"
                + " server %.2f cores%s, %,.0f results per core-second, load generator %.2f (%.0f us of CPU a"
                + " request), other %.2f; %d refused, %d failed%s%n", name, clients, level.perSecond(),
                Stats.ms(level.latency().median()), Stats.ms(level.latency().p99()), level.latency().samples(),
                level.serverCores(), level.databaseCores() > 0
                        ? String.format(Locale.ROOT, " + PostgreSQL %.2f", level.databaseCores()) : "",
                level.perCoreSecond(), level.generatorCores(),
                level.generatorCores() * 1e6 * ROUNDS * MEASURE.toSeconds() / level.requests(), level.otherCores(),
                level.refused(), level.failed(), level.problems().isEmpty() ? "" : " " + level.problems());
        level.details().forEach((why, sample) -> System.out.println("    " + why + ": " + sample));
    }

    private static void print(Level[] icinga, Level[] hanse) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"clients", "Icinga res/s", "p50", "p99", "cores", "res/core-s", "ref/fail",
            "Hanse res/s", "p50", "p99", "cores", "+PG", "res/core-s", "ref/fail", "Hanse/Icinga", "per core-s",
            "target: >= " + TARGET_RATIO + "x res/s at p99 <= Icinga's"});
        for (int i = 0; i < CLIENTS.length; i++) {
            Level a = icinga[i];
            Level b = hanse[i];
            double ratio = b.perSecond() / a.perSecond();
            String verdict = !a.valid() || !b.valid() ? "INVALID (requests refused or failed)"
                    : ratio < TARGET_RATIO ? String.format(Locale.ROOT, "NOT MET (%.2fx)", ratio)
                    : b.latency().p99() > a.latency().p99() ? "NOT MET (p99)" : "MET";
            rows.add(new String[] {Integer.toString(CLIENTS[i]), rate(a.perSecond()), Stats.ms(a.latency().median()),
                Stats.ms(a.latency().p99()), cores(a.serverCores()), rate(a.perCoreSecond()),
                a.refused() + "/" + a.failed(), rate(b.perSecond()), Stats.ms(b.latency().median()),
                Stats.ms(b.latency().p99()), cores(b.serverCores()), cores(b.databaseCores()),
                rate(b.perCoreSecond()), b.refused() + "/" + b.failed(), String.format(Locale.ROOT, "%.2fx", ratio),
                String.format(Locale.ROOT, "%.2fx", b.perCoreSecond() / a.perCoreSecond()), verdict});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "== Passive check results: Icinga 2 (one per HTTPS request) vs Hanse (batches of"
                + " %d per signed agent request, feature %s), %d hosts, %d rounds of %d s measured per level%n",
                BATCH, FEATURE.isEmpty() ? "none: results go to the timeline" : FEATURE, HOSTS, ROUNDS,
                MEASURE.toSeconds());
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = rows.get(r)[i];
                line.append(i == 0 ? "" : " | ").append(i == 0 || i == widths.length - 1
                        ? String.format("%-" + widths[i] + "s", cell) : String.format("%" + widths[i] + "s", cell));
            }
            System.out.println(line.toString().stripTrailing());
            if (r == 0) {
                System.out.println("-".repeat(line.length()));
            }
        }
        System.out.println("Latency is per accepted request, the HTTPS exchange alone: one result for Icinga 2, one"
                + " batch of " + BATCH + " for Hanse.");
        System.out.println("Cores: the server's processes; +PG: the PostgreSQL processes serving Hanse's database."
                + " res/core-s: results per CPU second of those;");
        System.out.println("per core-s: the ratio of those, Hanse/Icinga (the load generator shares the cores, and"
                + " takes more of them per result for Icinga 2).");
        System.out.println("ref/fail: requests refused (answered, not accepted) and failed (not answered) while"
                + " measuring; any makes the level INVALID.");
        System.out.println();
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String cores(double cores) {
        return String.format(Locale.ROOT, "%.2f", cores);
    }

    private static String host(int i) {
        return HOST_NAMES[i];
    }

    private static String output(boolean warning) {
        return warning ? "LOAD WARNING - load average: 5.42, 0.37, 0.30" : "LOAD OK - load average: 0.42, 0.37, 0.30";
    }

    private static String load(boolean warning) {
        return warning ? "5.42" : "0.42";
    }

    private static String cut(String text, int max) {
        String flat = String.valueOf(text).replaceAll("\\s+", " ");
        return flat.length() <= max ? flat : flat.substring(0, max) + "…";
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
