package io.hanse.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hanse instance as far as an agent can tell, written from docs/agent-protocol.md apart from the
 * agent's code: enrolls with a fixed token, verifies every signed request with the key the agent
 * enrolled (time, nonce, body digest, signature), stores observations once per (bootEpoch, seq)
 * after the protocol's checks (request size, batch size, scope, time), takes work completions whose
 * result is within its limit, hands out queued desires,
 * and lets a test answer any endpoint its own way.
 */
public final class FakeHanse implements AutoCloseable {

    /** The one token this server enrolls with. */
    public static final String TOKEN = "hanse_enroll_0123456789abcdef";
    /** The largest result of a work item, as compact UTF-8 JSON; a larger one is refused with 413. */
    public static final int MAX_RESULT_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Pattern WAIT = Pattern.compile("(?:^|&)wait=(\\d{1,2})(?:&|$)");
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    /** A canned answer; its headers replace the server's own (an error is {@code application/problem+json}). */
    public record Answer(int status, byte[] body, Map<String, String> headers) {

        /** An answer with a JSON (or any text) body. */
        public static Answer of(int status, String body) {
            return new Answer(status, body.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, IntFunction<Answer>> overrides = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private final Map<String, JsonNode> stored = new LinkedHashMap<>();
    private final List<JsonNode> refused = new ArrayList<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private final List<String> badSignatures = new ArrayList<>();
    private final List<String> targets = new ArrayList<>();
    private final Map<String, List<JsonNode>> requests = new HashMap<>();
    private final BlockingQueue<JsonNode> desires = new LinkedBlockingQueue<>();
    private volatile HttpServer server;
    private volatile PublicKey agentKey;
    private volatile String fingerprint;
    private volatile String agentAnswer = "{\"agent\": \"web-1\", \"systems\": [\"web-1\"]}";
    private volatile int observationsStatus = 200;
    private volatile int maxBatch = 1000;
    private volatile int maxBodyBytes = 1024 * 1024;
    private volatile Duration maxAhead = Duration.ofMinutes(5);

    private FakeHanse() {
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static FakeHanse start() {
        FakeHanse fake = new FakeHanse();
        fake.listen(0);
        return fake;
    }

    /** Returns the server's root, the agent's {@code server} setting. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Answers calls to {@code endpoint} (enroll, heartbeat, observations, desires, claim, complete)
     * with {@code answers}, given the call's number from 0; a null answer leaves the call to the
     * server's usual behaviour.
     */
    public void override(String endpoint, IntFunction<Answer> answers) {
        overrides.put(endpoint, answers);
    }

    /** Sets the agent name and systems enrollment answers with (a JSON object's fields, without braces). */
    public void enrollAnswer(String fields) {
        agentAnswer = "{" + fields + "}";
    }

    /** Answers observation batches with {@code status} (200 stores them), remembering refused ones. */
    public void observationsAnswer(int status) {
        observationsStatus = status;
    }

    /**
     * Sets the server's limits on an observations request: how many observations, how many bytes,
     * and how far ahead of the server's clock an observation's time may be.
     */
    public void limits(int maxBatch, int maxBodyBytes, Duration maxAhead) {
        this.maxBatch = maxBatch;
        this.maxBodyBytes = maxBodyBytes;
        this.maxAhead = maxAhead;
    }

    /** Queues a desire for the next poll. */
    public void desire(String json) {
        desires.add(parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** Stops answering: connections are refused until {@link #restart}. */
    public void stop() {
        server.stop(0);
    }

    /** Listens again on the same port, remembering everything. */
    public void restart() {
        listen(server.getAddress().getPort());
    }

    /** Returns how often an endpoint was called. */
    public int calls(String endpoint) {
        return calls.computeIfAbsent(endpoint, e -> new AtomicInteger()).get();
    }

    /** Returns the observations stored, once each, in arrival order, each with its bootEpoch added. */
    public synchronized List<JsonNode> stored() {
        return List.copyOf(stored.values());
    }

    /** Returns the stored observations of one type. */
    public synchronized List<JsonNode> stored(String type) {
        return stored.values().stream().filter(o -> o.path("type").asText().equals(type)).toList();
    }

    /** Returns the stored observation with this identity, or null. */
    public synchronized JsonNode stored(long bootEpoch, long seq) {
        return stored.get(bootEpoch + ":" + seq);
    }

    /** Returns the observations of refused batches, each with its bootEpoch added. */
    public synchronized List<JsonNode> refused() {
        return List.copyOf(refused);
    }

    /** Returns the sizes of the batches the server stored. */
    public synchronized List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    /** Returns the requests whose signature did not hold, with why. */
    public synchronized List<String> badSignatures() {
        return List.copyOf(badSignatures);
    }

    /** Returns the bodies of the requests an endpoint received, in arrival order. */
    public synchronized List<JsonNode> requests(String endpoint) {
        return List.copyOf(requests.getOrDefault(endpoint, List.of()));
    }

    /** Returns every request target received, such as {@code POST /api/v1/agents/self/heartbeat}. */
    public synchronized List<String> targets() {
        return List.copyOf(targets);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void listen(int onPort) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
            http.setExecutor(executor);
            http.createContext("/", this::handle);
            http.start();
            server = http;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI uri = exchange.getRequestURI();
            String target = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
            String endpoint = endpoint(uri.getRawPath());
            synchronized (this) {
                targets.add(exchange.getRequestMethod() + " " + target);
                requests.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(parse(body));
            }
            int call = calls.computeIfAbsent(endpoint, e -> new AtomicInteger()).getAndIncrement();
            if (!endpoint.equals("enroll")) {
                String problem = verify(exchange, target, body);
                if (problem != null) {
                    synchronized (this) {
                        badSignatures.add(target + ": " + problem);
                    }
                    respond(exchange, Answer.of(401, "{\"detail\": \"" + problem + "\"}"));
                    return;
                }
            }
            IntFunction<Answer> override = overrides.get(endpoint);
            Answer answer = override == null ? null : override.apply(call);
            respond(exchange, answer != null ? answer : answer(endpoint, uri, body));
        }
    }

    private static String endpoint(String path) {
        if (path.equals("/api/v1/agents/enroll")) {
            return "enroll";
        }
        if (path.matches("/api/v1/agents/self/work/[^/]+/complete")) {
            return "complete";
        }
        if (path.equals("/api/v1/agents/self/work/claim")) {
            return "claim";
        }
        return path.startsWith("/api/v1/agents/self/") ? path.substring("/api/v1/agents/self/".length()) : path;
    }

    private Answer answer(String endpoint, URI uri, byte[] body) {
        switch (endpoint) {
            case "enroll":
                return enroll(parse(body));
            case "heartbeat":
                return Answer.of(200, "{\"heartbeatSeconds\": 30, \"ttlSeconds\": 90}");
            case "observations":
                return observations(body);
            case "desires":
                return desires(uri);
            case "claim":
                return Answer.of(200, "{\"items\": []}");
            case "complete":
                return complete(parse(body));
            default:
                return Answer.of(404, "{\"detail\": \"no such endpoint\"}");
        }
    }

    private Answer enroll(JsonNode request) {
        if (!TOKEN.equals(request.path("token").asText())) {
            return Answer.of(401, "{\"detail\": \"unknown, expired or used token\"}");
        }
        try {
            byte[] blob = Base64.getDecoder().decode(request.path("publicKey").asText().split(" ")[1]);
            byte[] raw = Arrays.copyOfRange(blob, blob.length - 32, blob.length);
            byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
            System.arraycopy(raw, 0, encoded, X509_PREFIX.length, 32);
            agentKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
            fingerprint = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha256(blob));
        } catch (GeneralSecurityException | RuntimeException e) {
            return Answer.of(400, "{\"detail\": \"publicKey is not an ssh-ed25519 key\"}");
        }
        JsonNode answer = parse(agentAnswer.getBytes(StandardCharsets.UTF_8));
        ((ObjectNode) answer).put("fingerprint", fingerprint);
        if (!answer.has("heartbeatSeconds")) {
            ((ObjectNode) answer).put("heartbeatSeconds", 30).put("ttlSeconds", 90);
        }
        return Answer.of(201, answer.toString());
    }

    private synchronized Answer observations(byte[] body) {
        JsonNode batch = parse(body);
        long bootEpoch = batch.path("bootEpoch").asLong();
        List<JsonNode> observations = new ArrayList<>();
        batch.path("observations").forEach(observation -> observations.add(
                ((ObjectNode) observation.deepCopy()).put("bootEpoch", bootEpoch)));
        Answer refusal = refusal(body.length, observations);
        if (refusal != null) {
            refused.addAll(observations);
            return refusal;
        }
        int duplicates = 0;
        for (JsonNode observation : observations) {
            if (stored.putIfAbsent(bootEpoch + ":" + observation.path("seq").asLong(), observation) != null) {
                duplicates++;
            }
        }
        batchSizes.add(observations.size());
        return Answer.of(200, "{\"accepted\": " + (observations.size() - duplicates) + ", \"duplicates\": " + duplicates
                + "}");
    }

    /** Returns the answer to a batch the server does not store, in the order the server checks, or null. */
    private Answer refusal(int bytes, List<JsonNode> observations) {
        if (observationsStatus != 200) {
            return problem(observationsStatus, "not now");
        }
        if (bytes > maxBodyBytes) {
            return problem(413, "the request body is larger than " + maxBodyBytes + " bytes");
        }
        if (observations.size() > maxBatch) {
            return problem(400, "a batch holds 1 to " + maxBatch + " observations");
        }
        Set<String> systems = new HashSet<>();
        parse(agentAnswer.getBytes(StandardCharsets.UTF_8)).path("systems").forEach(s -> systems.add(s.asText()));
        Instant latest = Instant.now().plus(maxAhead);
        for (JsonNode observation : observations) {
            String which = "observation seq " + observation.path("seq").asLong() + ": ";
            String system = observation.path("system").asText();
            if (!systems.contains(system)) {
                return problem(403, which + "the agent may not report on system '" + system + "'");
            }
            if (Instant.parse(observation.path("time").asText()).isAfter(latest)) {
                return problem(400, which + "time is required and at most " + maxAhead.toMinutes()
                        + " minutes ahead of the server's clock");
            }
        }
        return null;
    }

    private static Answer problem(int status, String detail) {
        return Answer.of(status, JSON.createObjectNode().put("detail", detail).toString());
    }

    private static Answer complete(JsonNode completion) {
        int bytes = completion.path("result").toString().getBytes(StandardCharsets.UTF_8).length;
        return bytes > MAX_RESULT_BYTES ? problem(413, "the result is " + bytes + " bytes; the limit is "
                + MAX_RESULT_BYTES) : new Answer(204, new byte[0], Map.of());
    }

    /** Answers a long poll as soon as there are desires, or after its {@code wait} with none. */
    private Answer desires(URI uri) {
        Matcher wait = WAIT.matcher(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        List<JsonNode> taken = new ArrayList<>();
        try {
            JsonNode first = desires.poll(wait.find() ? Long.parseLong(wait.group(1)) : 30, TimeUnit.SECONDS);
            if (first != null) {
                taken.add(first);
                desires.drainTo(taken);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Answer.of(200, "{\"desires\": " + taken + "}");
    }

    /** Checks the request's signature as the protocol says; returns what is wrong, or null. */
    private String verify(HttpExchange exchange, String target, byte[] body) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Hanse-Signature ")) {
            return "no Hanse-Signature";
        }
        Map<String, String> parameters = new HashMap<>();
        Matcher matcher = PARAMETER.matcher(header);
        while (matcher.find()) {
            parameters.put(matcher.group(1), matcher.group(2));
        }
        if (agentKey == null || !fingerprint.equals(parameters.get("key"))) {
            return "unknown key";
        }
        long created = Long.parseLong(parameters.getOrDefault("created", "0"));
        if (Math.abs(System.currentTimeMillis() / 1000 - created) > 300) {
            return "created too far from now";
        }
        String nonce = parameters.getOrDefault("nonce", "");
        if (Base64.getUrlDecoder().decode(nonce).length < 16 || !nonces.add(nonce)) {
            return "nonce too short or seen before";
        }
        String text = String.join("\n", "hanse-agent-request-v1", exchange.getRequestMethod(), target,
                Long.toString(created), nonce, Base64.getEncoder().encodeToString(sha256(body)));
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(agentKey);
            verifier.update(text.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getDecoder().decode(parameters.getOrDefault("signature", ""))) ? null
                    : "the signature does not hold";
        } catch (GeneralSecurityException e) {
            return "the signature cannot be checked: " + e.getMessage();
        }
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", answer.status() >= 400 ? "application/problem+json"
                : "application/json");
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        if (answer.body().length > 0) {
            exchange.getResponseBody().write(answer.body());
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
