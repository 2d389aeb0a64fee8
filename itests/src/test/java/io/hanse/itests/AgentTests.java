package io.hanse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.Test;

/**
 * Agents over real HTTP: enrollment with one-time tokens, requests signed by the agent's own key
 * (and refused, and audited, when replayed, tampered with, out of scope or revoked), observations
 * stored once on the timeline, desires by long poll, and work leases.
 */
public abstract class AgentTests extends SystemTimelineTests {

    @Test
    public void anAgentEnrollsOnceSignsEveryRequestAndReportsOnItsSystemsOnly() throws Exception {
        awaitHealthy();
        String name = unique("agent");
        String web = name + "-web";
        String db = name + "-db";
        assertStatus(201, post("systems", fields("slug", web)));
        assertStatus(201, post("systems", fields("slug", db)));
        String token = enrollmentToken(name, web);
        SignedAgent agent = new SignedAgent(apiUri("").toString());

        JsonNode enrolled = assertStatus(201, enroll(token, agent.publicKey()));
        assertEquals(name, enrolled.path("agent").asText());
        assertEquals(List.of(web), texts(enrolled.path("systems")));
        assertProblem(enroll(token, new SignedAgent(apiUri("").toString()).publicKey()), 401,
                "unknown, expired or already used");

        JsonNode intervals = assertStatus(200, SignedAgent.send(agent.signed("POST", "agents/self/heartbeat",
                toJson(fields("version", "itest", "bootEpoch", 1, "capabilities", List.of("itest.probe"))))));
        assertEquals(90, intervals.path("ttlSeconds").asInt());

        String batch = batch(web, 1, 3);
        assertEquals(3, assertStatus(200, SignedAgent.send(agent.signed("POST", "agents/self/observations",
                batch))).path("accepted").asInt());
        JsonNode again = assertStatus(200, SignedAgent.send(agent.signed("POST", "agents/self/observations",
                batch)));
        assertEquals("sent twice, stored once", 3, again.path("duplicates").asInt());
        JsonNode events = assertStatus(200, get("timeline/events?system=" + web + "&type=itest.observation"));
        assertEquals(3, events.path("events").size());
        assertEquals(name, events.path("events").get(0).path("source").path("name").asText());

        JsonNode agents = assertStatus(200, get("agents"));
        JsonNode shown = StreamSupport.stream(agents.spliterator(), false)
                .filter(a -> a.path("name").asText().equals(name)).findFirst().orElseThrow();
        assertEquals("alive", shown.path("state").asText());
        assertEquals(List.of("itest.probe"), texts(shown.path("capabilities")));

        HttpRequest once = agent.signed("POST", "agents/self/heartbeat", toJson(fields("version", "itest")));
        assertStatus(200, SignedAgent.send(once));
        assertProblem(SignedAgent.send(once), 401, "not valid");
        assertProblem(SignedAgent.send(SignedAgent.tampered(agent.signed("POST", "agents/self/observations",
                batch(web, 10, 10)), batch(web, 11, 11))), 401, "not valid");
        JsonNode refused = assertStatus(200, get("audit?target=" + encode("agent-key/"
                + enrolled.path("fingerprint").asText()) + "&limit=10"));
        List<String> reasons = StreamSupport.stream(refused.path("entries").spliterator(), false)
                .map(entry -> entry.path("after").asText()).toList();
        // An agent's refusals are audited once a minute at most: the first, the replay, is.
        assertTrue(reasons.toString(), reasons.stream().anyMatch(r -> r.contains("replayed request")));
        assertFalse(reasons.toString(), reasons.stream().anyMatch(r -> r.contains("does not match the request")));

        assertProblem(SignedAgent.send(agent.signed("POST", "agents/self/observations", batch(db, 20, 20))), 403,
                "observation seq 20: agent '" + name + "' may not report on system '" + db + "'");
        assertProblem(SignedAgent.send(agent.signed("POST", "agents/self/observations", batch(db, 21, 21))), 403,
                "observation seq 21: agent '" + name + "' may not report on system '" + db + "'");
        // An agent's refused reports are audited once a minute at most: the first is, the second counted.
        assertEquals(1, assertStatus(200, get("audit?target=agent/" + name + "&limit=10")).path("entries")
                .findValuesAsText("action").stream().filter("agent.report-refused"::equals).count());
        assertProblem(SignedAgent.send(agent.signed("POST", "agents/self/observations", "{\"bootEpoch\": 1,"
                + " \"observations\": [{\"seq\": 30, \"type\": \"Bad Type\", \"system\": \"" + web
                + "\", \"time\": \"2026-01-01T00:00:00Z\", \"body\": {}}]}")), 400, "observation seq 30");
        assertProblem(SignedAgent.send(agent.signed("POST", "agents/self/observations", "{\"bootEpoch\": 1,"
                + " \"observations\": [{\"seq\": 31, \"type\": \"itest.observation\", \"system\": \"" + web
                + "\", \"time\": \"2026-01-01T00:00:00Z\", \"body\": {\"output\": \"" + "x".repeat(70_000)
                + "\"}}]}")), 413, "observation seq 31: body is");
        assertEquals("nothing of the refused batches is stored", 3, assertStatus(200,
                get("timeline/events?system=" + web + "&type=itest.observation")).path("events").size());

        assertEquals("disabled", assertStatus(200, post("agents/" + name + "/disable", "{}")).path("state")
                .asText());
        assertProblem(SignedAgent.send(agent.signed("POST", "agents/self/heartbeat",
                toJson(fields("version", "itest")))), 401, "not valid");
        assertStatus(200, post("agents/" + name + "/enable", "{}"));
        assertStatus(200, SignedAgent.send(agent.signed("POST", "agents/self/heartbeat",
                toJson(fields("version", "itest")))));

        assertStatus(204, delete("agents/" + name));
        assertProblem(SignedAgent.send(agent.signed("POST", "agents/self/heartbeat",
                toJson(fields("version", "itest")))), 401, "not valid");
        assertProblem(get("agents/" + name), 404, "no agent");
    }

    @Test
    public void anEnrolledAgentRunsNagiosPluginsAndTheirResultsReachTheTimeline() throws Exception {
        awaitHealthy();
        String host = unique("host");
        assertStatus(201, post("systems", fields("slug", host)));
        Path state = Files.createTempDirectory("hanse-agent");
        Path config = state.resolve("agent.conf");
        String server = apiUri("").toString().replace("/api/v1/", "");
        Files.writeString(config, String.join("\n", "server = " + server, "state.dir = " + state.resolve("state"),
                "facts.system = " + host,
                check("load", "check_load -w 50,40,30 -c 100,80,60", "5s", host),
                check("disk", "check_disk -w 1% -c 1% -p /", "5s", host),
                check("procs", "check_procs -w 100000 -c 200000", "5s", host),
                check("asked", "check_dummy 0 asked", "1h", host)) + "\n");
        Process enroll = agent("enroll", "--config", config.toString(), "--token", "-");
        try (var stdin = enroll.getOutputStream()) {
            stdin.write((enrollmentToken(host, host) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertTrue("enrolled", enroll.waitFor(60, TimeUnit.SECONDS));
        assertEquals(new String(enroll.getInputStream().readAllBytes(), StandardCharsets.UTF_8), 0,
                enroll.exitValue());

        Process run = agent("run", "--config", config.toString());
        try {
            for (String check : List.of("load", "disk", "procs")) {
                JsonNode result = await(check + " on the timeline", () -> latestResult(host, check));
                assertEquals(result.toString(), "ok", result.path("status").asText());
                assertEquals(0, result.path("exitCode").asInt());
                assertFalse(result.path("output").asText().isEmpty());
            }
            assertTrue(StreamSupport.stream(latestResult(host, "load").path("perfdata").spliterator(), false)
                    .anyMatch(metric -> metric.path("label").asText().equals("load1")));
            JsonNode facts = await("facts on the timeline", () -> latest(host, "inventory.facts"));
            assertTrue(facts.toString(), facts.path("cpus").asInt() > 0);
            assertEquals("alive", assertStatus(200, get("agents/" + host)).path("state").asText());

            int before = results(host, "asked").size();
            assertStatus(202, post("agents/desires", fields("kind", "refresh-check", "system", host,
                    "check", "asked")));
            await("the asked-for check run again", () -> results(host, "asked").size() > before ? true : null);
        } finally {
            run.destroy();
            if (!run.waitFor(30, TimeUnit.SECONDS)) {
                run.destroyForcibly();
            }
        }
    }

    /** A check of Debian's Nagios plugins, as an agent's configuration lists it. */
    static String check(String name, String command, String interval, String system) {
        return "check." + name + ".command = /usr/lib/nagios/plugins/" + command + "\ncheck." + name + ".interval = "
                + interval + "\ncheck." + name + ".system = " + system;
    }

    /** Starts the agent program, as an operator would, with its output in the test's log. */
    static Process agent(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx64m", "-jar", System.getProperty(AGENT_PROPERTY)));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The body of the newest event of a type about a system; {@code null} if there is none. */
    private static JsonNode latest(String system, String type) {
        JsonNode events = assertStatus(200, get("timeline/events?system=" + system + "&type=" + type + "&limit=1"))
                .path("events");
        return events.isEmpty() ? null : events.get(0).path("body");
    }

    /** The results of one check about a system, newest first. */
    private static List<JsonNode> results(String system, String check) {
        return StreamSupport.stream(assertStatus(200, get("timeline/events?system=" + system
                + "&type=monitoring.result&limit=100")).path("events").spliterator(), false)
                .map(event -> event.path("body")).filter(body -> body.path("check").asText().equals(check)).toList();
    }

    private static JsonNode latestResult(String system, String check) {
        List<JsonNode> results = results(system, check);
        return results.isEmpty() ? null : results.get(0);
    }

    @Test
    public void desiresReachAWaitingAgentAndWorkIsLeasedToOneAgentAtATime() throws Exception {
        awaitHealthy();
        String name = unique("worker");
        String web = name + "-web";
        assertStatus(201, post("systems", fields("slug", web)));
        SignedAgent one = enrolled(name + "-1", web);
        SignedAgent two = enrolled(name + "-2", web);

        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(
                () -> SignedAgent.send(one.signed("GET", "agents/self/desires?wait=30", null)));
        Thread.sleep(500);
        JsonNode desired = assertStatus(202, post("agents/desires", fields("kind", "refresh-check", "system", web,
                "check", "load", "agent", name + "-1")));
        assertEquals(List.of(name + "-1"), texts(desired.path("agents")));
        JsonNode handed = assertStatus(200, waiting.get(20, TimeUnit.SECONDS));
        assertEquals("load", handed.path("desires").get(0).path("check").asText());
        assertProblem(post("agents/desires", fields("kind", "run-command", "system", web)), 400, "kind");
        assertStatus(202, post("agents/desires", fields("kind", "refresh-facts", "system", web, "agent",
                name + "-1")));
        assertEquals(200, SignedAgent.send(one.signed("HEAD", "agents/self/desires?wait=30", null)).statusCode());
        assertEquals("HEAD hands nothing over", "refresh-facts", assertStatus(200,
                SignedAgent.send(one.signed("GET", "agents/self/desires?wait=0", null))).path("desires").get(0)
                .path("kind").asText());

        String type = "itest." + name.replace("-", "");
        JsonNode item = assertStatus(201, post("agents/work", fields("type", type, "parameters",
                Map.of("url", "https://example.org"), "leaseSeconds", 60)));
        String claim = toJson(fields("capabilities", List.of(type), "max", 5));
        JsonNode claimed = assertStatus(200, SignedAgent.send(one.signed("POST", "agents/self/work/claim", claim)));
        assertEquals(item.path("id"), claimed.path("items").get(0).path("id"));
        assertEquals("https://example.org", claimed.path("items").get(0).path("parameters").path("url").asText());
        assertEquals("leased to one agent only", 0, assertStatus(200, SignedAgent.send(two.signed("POST",
                "agents/self/work/claim", claim))).path("items").size());
        String id = item.path("id").asText();
        assertProblem(SignedAgent.send(two.signed("POST", "agents/self/work/" + id + "/complete",
                toJson(fields("lease", 1, "succeeded", true)))), 409, "does not hold lease 1");
        assertStatus(204, SignedAgent.send(one.signed("POST", "agents/self/work/" + id + "/complete",
                toJson(fields("lease", 1, "succeeded", true, "result", Map.of("status", 200))))));
        JsonNode done = assertStatus(200, get("agents/work/" + id));
        assertEquals("succeeded", done.path("state").asText());
        assertEquals(name + "-1", done.path("holder").asText());
        assertEquals(200, done.path("result").path("status").asInt());
    }

    @Test
    public void agentsAreManagedFromTheShell() throws Exception {
        awaitHealthy();
        String name = unique("shell-agent");
        assertStatus(201, post("systems", fields("slug", name)));

        String printed = shell("agent:token-create --valid-for PT10M " + name + " " + name);
        assertTrue(printed, printed.contains("hanse_enroll_"));
        assertTrue(shell("agent:token-list"), shell("agent:token-list").contains(name));
        String token = printed.lines().map(String::strip).filter(l -> l.startsWith("hanse_enroll_")).findFirst()
                .orElseThrow();
        assertStatus(201, enroll(token, new SignedAgent(apiUri("").toString()).publicKey()));
        assertTrue(shell("agent:list").contains(name));
        assertTrue(shell("agent:show " + name).contains("SHA256:"));
        shell("agent:work-add --lease-seconds 30 itest.shell '{\"n\": 1}'");
        assertTrue(shell("agent:work-list --state open").contains("itest.shell"));
        shell("agent:revoke " + name);
        assertFalse(shell("agent:list").contains(name));
    }

    static String enrollmentToken(String agent, String system) {
        return assertStatus(201, post("agents/enrollments", fields("agent", agent, "systems", List.of(system))))
                .path("token").asText();
    }

    private static HttpResponse<String> enroll(String token, String publicKey) {
        return sendAs(null, HttpRequest.newBuilder(apiUri("agents/enroll")).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(toJson(fields("token", token,
                        "publicKey", publicKey, "version", "itest")))));
    }

    static SignedAgent enrolled(String name, String system) {
        SignedAgent agent = new SignedAgent(apiUri("").toString());
        assertStatus(201, enroll(enrollmentToken(name, system), agent.publicKey()));
        return agent;
    }

    /** Observations {@code from} to {@code to} about a system, as one batch. */
    private static String batch(String system, int from, int to) {
        return toJson(fields("bootEpoch", 1_764_900_000_000L, "observations", IntStream.rangeClosed(from, to)
                .mapToObj(seq -> fields("seq", seq, "type", "itest.observation", "system", system, "time",
                        "2026-01-01T00:00:0" + (seq % 10) + "Z", "body", Map.of("n", seq)))
                .toList()));
    }
}
