package io.hanse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.testing.Distribution;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.TcpProxy;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.Test;

/**
 * Three instances as three operators run them, on one machine: fra on H2, ber on PostgreSQL and muc
 * on H2. They peer by invitation, fra grants ber a system with its members, ber rolls it up with a
 * local system, and a check result on fra reaches ber's roll-up, seen at ber by whom ber's own
 * bindings say. fra runs the example plugin at 1.0 and ber at 1.1, built by this suite: each skips
 * what it does not know. Then the line between them is cut while fra records 10,000 events, and
 * after it heals ber has each exactly once, in order.
 */
public class FederationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int EVENTS = 10_000;

    @Test
    public void instancesPeerShareSystemsRollThemUpAndLoseNothingInAPartition() throws Exception {
        Path archive = Path.of(System.getProperty("hanse.distribution"));
        try (KernelDatabase berDatabase = KernelDatabase.postgres();
                Distribution fraServer = Distribution.unpack(archive).name("fra").bootFeature("hanse-monitoring")
                        .bootFeature("hanse-example");
                TcpProxy line = TcpProxy.to(fraServer.httpPort());
                Distribution berServer = exampleNext(Distribution.unpack(archive).name("ber")
                        .bootFeature("hanse-monitoring").database(berDatabase.database().url(), "postgres"));
                Distribution mucServer = Distribution.unpack(archive).name("muc")) {
            // ber reaches fra only through the line, which the test cuts.
            fraServer.configure("io.hanse.federation", "url", "http://127.0.0.1:" + line.port());
            berServer.configure("io.hanse.federation", "unlinkedSeconds", "10");
            CompletableFuture.allOf(CompletableFuture.runAsync(fraServer::start),
                    CompletableFuture.runAsync(berServer::start), CompletableFuture.runAsync(mucServer::start)).join();
            Instance fra = new Instance(fraServer);
            Instance ber = new Instance(berServer);
            Instance muc = new Instance(mucServer);

            // Identity, and peering by invitation: ber dials fra.
            JsonNode identity = fra.send("GET", "federation/identity", null, 200);
            assertEquals("fra", identity.path("name").asText());
            assertTrue(identity.path("fingerprint").asText().startsWith("SHA256:"));
            String invitation = fra.send("POST", "federation/invitations", "{}", 201).path("invitation").asText();
            JsonNode joined = ber.send("POST", "federation/peers", json("invitation", invitation), 201);
            assertEquals(identity.path("fingerprint").asText(), joined.path("fingerprint").asText());
            assertTrue(joined.path("dialOut").asBoolean());
            assertEquals("an invitation is used once", 400,
                    muc.status("POST", "federation/peers", json("invitation", invitation)));
            fra.await("federation/peers", peers -> connected(peers, "ber"), "ber connected at fra");

            // Strangers on fra's link endpoint, over real WebSockets: a frame that is no envelope, and a hello
            // signed by a key fra never pinned, for a link it never made. Each is refused. They come from 127.0.0.1,
            // as muc's second use of the invitation did, whose refusal was audited: within a minute of that, neither
            // is audited, and after it, the first.
            rogue(fraServer, hello -> "not an envelope");
            rogue(fraServer, hello -> strangersHello(hello));
            List<String> refusals = new ArrayList<>(); // newest first
            fra.send("GET", "audit?limit=50", null, 200).path("entries").forEach(entry -> {
                if (entry.path("action").asText().equals("federation.refused")
                        && entry.path("target").asText().startsWith("address/")) {
                    refusals.add(entry.path("after").asText());
                }
            });
            assertEquals("{\"reason\":\"a join with an unknown, used or expired invitation, or another's id\","
                    + "\"suppressed\":0}", refusals.get(refusals.size() - 1));
            assertTrue(refusals.toString(), refusals.size() <= 2);
            assertTrue(connected(fra.send("GET", "federation/peers", null, 200), "ber"));

            // fra's systems: storage aggregates db; secret is not shared.
            fra.send("POST", "systems", "{\"slug\":\"db\"}", 201);
            fra.send("POST", "systems", "{\"slug\":\"storage\",\"members\":[\"db\"]}", 201);
            fra.send("POST", "systems", "{\"slug\":\"secret\"}", 201);
            JsonNode grant = fra.send("POST", "federation/grants", "{\"peer\":\"ber\",\"system\":\"storage\"}", 201);
            ber.await("systems", systems -> slugs(systems).containsAll(List.of("fra/db", "fra/storage")),
                    "fra's storage and db at ber");
            assertFalse(slugs(ber.send("GET", "systems", null, 200)).contains("fra/secret"));
            assertEquals(403, ber.status("DELETE", "systems/" + encode("fra/db"), null));

            // ber rolls fra/storage up with a local system.
            ber.send("POST", "systems", "{\"slug\":\"web\"}", 201);
            ber.send("POST", "systems", "{\"slug\":\"shop\",\"members\":[\"web\",\"fra/storage\"]}", 201);
            assertEquals("no-data", ber.send("GET", "systems/shop/status", null, 200).path("rolledUp").asText());

            // A check result on fra: db goes critical there, and at ber within a second, path explained.
            SignedAgent agent = new SignedAgent(fraServer.api().toString());
            String enrollment = fra.send("POST", "agents/enrollments",
                    "{\"agent\":\"db-agent\",\"systems\":[\"db\"]}", 201).path("token").asText();
            fra.send("POST", "agents/enroll", "{\"token\":\"" + enrollment + "\",\"publicKey\":\"" + agent.publicKey()
                    + "\"}", 201);
            HttpResponse<String> result = SignedAgent.send(agent.signed("POST", "agents/self/observations",
                    "{\"bootEpoch\":1,\"observations\":[{\"seq\":1,\"type\":\"monitoring.result\",\"system\":\"db\","
                    + "\"time\":\"" + Instant.now() + "\",\"body\":{\"check\":\"disk\",\"status\":\"critical\","
                    + "\"output\":\"DISK CRITICAL - /var 99%\",\"intervalSeconds\":60,\"maxAttempts\":1}}]}"));
            long sent = System.nanoTime();
            assertEquals(result.body(), 200, result.statusCode());
            ber.await("systems/shop/status", status -> status.path("rolledUp").asText().equals("critical"),
                    "shop critical at ber");
            long millis = (System.nanoTime() - sent) / 1_000_000;
            assertTrue("critical at ber after " + millis + " ms", millis < 1_000);
            JsonNode cause = ber.send("GET", "systems/shop/status", null, 200).path("causes").get(0);
            assertEquals(List.of("shop", "fra/storage", "fra/db"), texts(cause.path("path")));
            String said = cause.path("reports").get(0).path("summary").asText();
            assertTrue(said, said.startsWith("on fra: monitoring"));

            // Who at ber sees fra's systems is for ber to say: a local role bound on a remote system covers it and
            // its members, and nothing else.
            String password = "Kq7" + UUID.randomUUID().toString().replace("-", "") + "Zm";
            ber.send("POST", "security/users", "{\"name\":\"infra\",\"service\":false,\"password\":\"" + password
                    + "\"}", 201);
            ber.send("POST", "security/bindings", "{\"role\":\"viewer\",\"user\":\"infra\",\"system\":\"fra/storage\"}",
                    201);
            Instance infra = new Instance(berServer, ber.send("POST", "security/tokens",
                    "{\"name\":\"remote\",\"user\":\"infra\"}", 201).path("secret").asText());
            assertEquals(Set.of("fra/db", "fra/storage"), Set.copyOf(slugs(infra.send("GET", "systems", null, 200))));
            assertEquals("critical", infra.send("GET", "systems/" + encode("fra/db") + "/status", null, 200)
                    .path("rolledUp").asText());
            assertEquals(403, infra.status("GET", "systems/web", null));

            // muc peers with fra and with ber; fra grants it nothing, and ber shares only its own systems.
            String toMuc = fra.send("POST", "federation/invitations", "{}", 201).path("invitation").asText();
            muc.send("POST", "federation/peers", json("invitation", toMuc), 201);
            String berToMuc = ber.send("POST", "federation/invitations", "{}", 201).path("invitation").asText();
            muc.send("POST", "federation/peers", json("invitation", berToMuc), 201);
            ber.send("POST", "federation/grants", "{\"peer\":\"muc\",\"system\":\"shop\"}", 201);
            muc.await("systems", systems -> slugs(systems).containsAll(List.of("ber/shop", "ber/web")),
                    "ber's shop at muc");
            assertTrue(slugs(muc.send("GET", "systems", null, 200)).stream().noneMatch(s -> s.contains("fra")));
            muc.await("systems/" + encode("ber/shop") + "/status", status -> status.path("rolledUp").asText()
                    .equals("critical"), "ber's shop critical at muc: ber's roll-up, not fra's systems");

            // A plugin's own messages: fra's example plugin shares a note about db; ber's keeps it. muc has no
            // example plugin: granted db too, it counts the message type as unknown and carries on.
            fra.send("POST", "federation/grants", "{\"peer\":\"muc\",\"system\":\"db\"}", 201);
            muc.await("systems", systems -> slugs(systems).contains("fra/db"), "fra's db at muc");
            fra.send("POST", "example/notes", "{\"text\":\"disk swapped\",\"share\":\"db\"}", 201);
            ber.await("example/notes", notes -> notes.path("notes").toString().contains("[fra/db] disk swapped"),
                    "fra's note at ber");
            fra.await("federation/peers", peers -> peer(peers, "muc").path("acknowledged").asLong()
                    == peer(peers, "muc").path("enqueued").asLong(), "muc acknowledged all");
            JsonNode atMuc = peer(muc.send("GET", "federation/peers", null, 200), "fra");
            assertEquals(1, atMuc.path("unknownTypes").asLong());
            assertEquals(0, atMuc.path("refused").asLong());
            assertTrue(atMuc.path("connected").asBoolean());

            // Version skew: ber runs the example plugin's next version, 1.1, built with these tests. It kept
            // fra's note above; its pins are a message type fra's 1.0 does not know, which fra counts and skips,
            // and ber's kernel events about the system still arrive after it.
            assertEquals(404, fra.status("POST", "example/pins", "{\"system\":\"db\",\"text\":\"?\"}"));
            ber.send("POST", "federation/grants", "{\"peer\":\"fra\",\"system\":\"web\"}", 201);
            fra.await("systems", systems -> slugs(systems).contains("ber/web"), "ber's web at fra");
            ber.send("POST", "example/pins", "{\"system\":\"web\",\"text\":\"certificate renewed\"}", 202);
            ber.send("POST", "timeline/events", "{\"id\":\"after-pin\",\"type\":\"itest.skew\",\"system\":\"web\"}",
                    201);
            assertEquals("ber:after-pin", fra.events("ber/web", "itest.skew", 1).get(0).path("id").asText());
            JsonNode atFra = peer(fra.send("GET", "federation/peers", null, 200), "ber");
            assertEquals(1, atFra.path("unknownTypes").asLong());
            assertEquals(0, atFra.path("refused").asLong());
            assertTrue(atFra.path("connected").asBoolean());
            assertFalse(fra.send("GET", "example/notes", null, 200).toString().contains("certificate renewed"));

            // The other way, under named actions: ber asks fra to keep a note on db. fra's grant names no action, so
            // fra refuses and audits the request; once a grant names example.note on db, fra keeps the next one.
            ber.send("POST", "example/notes", "{\"text\":\"seen from ber\",\"share\":\"fra/db\"}", 201);
            fra.await("federation/peers", peers -> peer(peers, "ber").path("refused").asLong() == 1,
                    "ber's request refused at fra");
            assertTrue(fra.send("GET", "audit?limit=5", null, 200).toString().contains(
                    "asked for example.note on db, which no grant to it allows"));
            JsonNode noting = fra.send("POST", "federation/grants",
                    "{\"peer\":\"ber\",\"system\":\"db\",\"actions\":[\"example.note\",\"monitoring.ack\"]}", 201);
            ber.send("POST", "example/notes", "{\"text\":\"check the cable\",\"share\":\"fra/db\"}", 201);
            fra.await("example/notes", notes -> notes.toString().contains("[db from ber] check the cable"),
                    "ber's note kept at fra");
            assertFalse(fra.send("GET", "example/notes", null, 200).toString().contains("seen from ber"));
            // The same grant names monitoring.ack: ber's operator acknowledges fra's disk problem from ber. fra records
            // the acknowledgement with ber as its author, and the problem no longer counts in ber's roll-up either.
            assertEquals(202, ber.status("POST", "monitoring/checks/" + encode("fra/db") + "/disk/ack",
                    "{\"comment\":\"replacing the disk\"}"));
            fra.await("monitoring/checks/db/disk", record -> record.path("check").path("ack").path("comment").asText()
                    .equals("replacing the disk"), "ber's acknowledgement at fra");
            assertEquals("peer:ber (user:admin)", fra.send("GET", "monitoring/checks/db/disk", null, 200).path("check")
                    .path("ack").path("author").asText());
            ber.await("systems/" + encode("fra/db") + "/status", status -> !status.path("rolledUp").asText()
                    .equals("critical"), "fra's db no longer critical at ber");
            fra.send("DELETE", "federation/grants/" + noting.path("id").asText(), null, 200);

            // The partition: fra records 10,000 events on db while the line is cut for a while.
            for (int first = 0; first < EVENTS; first += 500) {
                if (first == 2_000) {
                    line.cut();
                }
                ArrayNode batch = JSON.createArrayNode();
                for (int n = first; n < first + 500; n++) {
                    batch.addObject().put("id", "partition-" + n).put("type", "itest.partition").put("system", "db")
                            .putObject("body").put("n", n);
                }
                fra.send("POST", "timeline/events/batch", batch.toString(), 200);
            }
            fra.await("federation/peers", peers -> !connected(peers, "ber"), "the link down while cut");
            // Without a link for longer than ber allows (10 s here), what fra said last of its systems may be out of
            // date: ber reports them unknown until the link is back.
            String dbStatus = "systems/" + encode("fra/db") + "/status";
            ber.await(dbStatus, status -> status.path("own").asText().equals("unknown")
                    && status.path("reports").toString().contains("no link with fra since"), "fra's db unknown at ber");
            JsonNode remoteProblem = StreamSupport.stream(ber.send("GET", "monitoring/problems/remote", null, 200)
                    .spliterator(), false).filter(problem -> problem.path("system").asText().equals("fra/db"))
                    .findFirst().orElseThrow();
            assertEquals("unknown", remoteProblem.path("status").asText());
            assertTrue(remoteProblem.toString(), remoteProblem.path("summary").asText().startsWith("no link with fra"));
            line.heal();
            List<JsonNode> received = ber.events("fra/db", "itest.partition", EVENTS);
            Set<String> ids = new HashSet<>();
            received.forEach(event -> ids.add(event.path("id").asText()));
            assertEquals("each event exactly once", EVENTS, ids.size());
            assertEquals(EVENTS, received.size());
            received.sort((a, b) -> Integer.compare(a.path("body").path("n").asInt(),
                    b.path("body").path("n").asInt()));
            for (int n = 0; n < EVENTS; n++) {
                JsonNode event = received.get(n);
                assertEquals(n, event.path("body").path("n").asInt());
                assertEquals("fra:partition-" + n, event.path("id").asText());
                assertEquals("fra", event.path("origin").asText());
                if (n > 0) {
                    assertFalse("in order: " + n, Instant.parse(event.path("recorded").asText())
                            .isBefore(Instant.parse(received.get(n - 1).path("recorded").asText())));
                }
            }
            assertEquals(0, peer(fra.send("GET", "federation/peers", null, 200), "ber").path("lag").asLong());
            ber.await(dbStatus, status -> !status.path("own").asText().equals("unknown")
                    && !status.path("reports").toString().contains("peer-link"), "fra's db known again at ber");

            // Revoking the grant takes fra's systems away from ber within seconds, and out of shop.
            fra.send("DELETE", "federation/grants/" + grant.path("id").asText(), null, 200);
            ber.await("systems", systems -> slugs(systems).stream().noneMatch(s -> s.startsWith("fra/")),
                    "fra's systems gone at ber");
            assertEquals(List.of("web"), texts(ber.send("GET", "systems/shop", null, 200).path("members")));
        }
    }

    // --- helpers ---

    /** Connects to an instance's link endpoint as a stranger, answers its hello, and waits until it hangs up. */
    private static void rogue(Distribution server, Function<JsonNode, String> answer) throws Exception {
        CompletableFuture<String> hello = new CompletableFuture<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.httpPort()
                + "/api/v1/federation/link"), new WebSocket.Listener() {
                    private final ByteArrayOutputStream frame = new ByteArrayOutputStream();

                    /** Frames come as UTF-8 in binary messages. */
                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        byte[] part = new byte[data.remaining()];
                        data.get(part);
                        frame.writeBytes(part);
                        if (last) {
                            hello.complete(frame.toString(StandardCharsets.UTF_8));
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int status, String reason) {
                        closed.complete(status);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText(answer.apply(JSON.readTree(hello.get(10, TimeUnit.SECONDS))), true);
        closed.get(10, TimeUnit.SECONDS);
    }

    /** A well-formed answer to a hello, for a link nobody made, with a signature no pinned key made. */
    private static String strangersHello(JsonNode hello) {
        ObjectNode frame = JSON.createObjectNode().put("sender", "stranger").put("recipient", "")
                .put("link", UUID.randomUUID().toString()).put("seq", 0)
                .put("time", new DateTimeFormatterBuilder().appendInstant(3).toFormatter().format(Instant.now()))
                .put("type", "hello");
        ObjectNode body = frame.putObject("body").put("nonce", "c3RyYW5nZXI").put("received", 0)
                .put("reply", hello.path("body").path("nonce").asText());
        body.putArray("protocols").add(1);
        byte[] signature = new byte[64];
        new SecureRandom().nextBytes(signature);
        return frame.put("signature", Base64.getEncoder().encodeToString(signature)).toString();
    }

    /**
     * Boots the example plugin's next version, 1.1.0, instead of the distribution's 1.0: offered by a
     * features repository of its own, as an owner would add one for a plugin version they chose.
     */
    private static Distribution exampleNext(Distribution server) throws Exception {
        Path features = server.home().resolve("example-next.xml");
        Files.writeString(features, """
                <features xmlns="http://karaf.apache.org/xmlns/features/v1.6.0" name="hanse-example-next">
                    <feature name="hanse-example" version="1.1.0">
                        <feature version="[0.1,1)">hanse-kernel</feature>
                        <bundle start-level="90">%s</bundle>
                    </feature>
                </features>
                """.formatted(Path.of(System.getProperty("hanse.example.next")).toUri()));
        return server.featureRepository(features.toUri()).bootFeature("hanse-example/1.1.0");
    }

    /** One instance through its REST API, as its first admin. */
    private static final class Instance {
        private final Distribution server;
        private final String token;

        Instance(Distribution server) {
            this(server, server.adminToken());
        }

        Instance(Distribution server, String token) {
            this.server = server;
            this.token = token;
        }

        JsonNode send(String method, String path, String body, int status) throws Exception {
            HttpResponse<String> response = request(method, path, body);
            assertEquals(method + " " + path + ": " + response.body(), status, response.statusCode());
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        }

        int status(String method, String path, String body) throws Exception {
            return request(method, path, body).statusCode();
        }

        private HttpResponse<String> request(String method, String path, String body) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(server.api().resolve(path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        void await(String path, Predicate<JsonNode> condition, String what) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            JsonNode last = null;
            while (System.nanoTime() < deadline) {
                HttpResponse<String> response = request("GET", path, null);
                if (response.statusCode() == 200) {
                    last = JSON.readTree(response.body());
                    if (condition.test(last)) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("timed out waiting for " + what + "; last: " + last);
        }

        /** Waits until the timeline holds {@code count} events of this type about a system, and returns them. */
        List<JsonNode> events(String system, String type, int count) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<JsonNode> all = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                all.clear();
                String cursor = null;
                do {
                    JsonNode page = send("GET", "timeline/events?system=" + encode(system) + "&type=" + type
                            + "&limit=1000" + (cursor == null ? "" : "&cursor=" + encode(cursor)), null, 200);
                    page.path("events").forEach(all::add);
                    cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
                } while (cursor != null);
                if (all.size() >= count) {
                    return all;
                }
                Thread.sleep(500);
            }
            throw new AssertionError("timed out with " + all.size() + " of " + count + " events at " + system);
        }
    }

    private static JsonNode peer(JsonNode peers, String name) {
        return StreamSupport.stream(peers.spliterator(), false).filter(peer -> peer.path("name").asText().equals(name))
                .findFirst().orElseThrow();
    }

    private static boolean connected(JsonNode peers, String name) {
        return StreamSupport.stream(peers.spliterator(), false)
                .anyMatch(peer -> peer.path("name").asText().equals(name) && peer.path("connected").asBoolean());
    }

    private static List<String> slugs(JsonNode systems) {
        JsonNode list = systems.isArray() ? systems : systems.path("systems");
        return StreamSupport.stream(list.spliterator(), false).map(system -> system.path("slug").asText()).toList();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static String json(String key, String value) {
        ObjectNode node = JSON.createObjectNode();
        node.put(key, value);
        return node.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
