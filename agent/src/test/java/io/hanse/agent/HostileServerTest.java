package io.hanse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.daemon.Daemon;
import io.hanse.agent.daemon.Timing;
import io.hanse.agent.identity.AgentKey;
import io.hanse.agent.identity.Identity;
import io.hanse.agent.spool.Observation;
import io.hanse.agent.testing.Await;
import io.hanse.agent.testing.FakeHanse;
import io.hanse.agent.testing.FakeHanse.Answer;
import io.hanse.agent.testing.Scripts;
import io.hanse.agent.testing.TestAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that answers every message with hostile content. The agent runs a configured check only
 * when asked for it by its exact name (and not more often than allowed), runs work only through
 * its configured handler with the parameters on standard input, writes nowhere but its state
 * directory, never runs the canary named in every hostile field, and keeps running.
 */
class HostileServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private FakeHanse server;
    private Daemon daemon;
    private Path canaryMade;
    private String canary;
    private List<String> hostile;

    @BeforeEach
    void scripts() {
        canaryMade = root.resolve("out/CANARY");
        canary = Scripts.write(root.resolve("scripts"), "canary", "touch " + canaryMade).toString();
        hostile = List.of(canary, "; " + canary, "$(" + canary + ")", "`" + canary + "`", "| " + canary,
                "&& " + canary, "\n" + canary, "../scripts/canary", "marker; " + canary, "marker " + canary);
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void hostileAnswersChangeNothingTheAgentRuns() throws IOException {
        server = FakeHanse.start();
        Path out = Files.createDirectories(root.resolve("out"));
        Path marker = out.resolve("marker");
        Path check = Scripts.write(root.resolve("scripts"), "marker", "echo ran >> " + marker + "\necho 'OK - marker'");
        Path work = Scripts.write(root.resolve("scripts"), "work", "cat > " + out + "/work-$$.json\necho done");
        Path config = TestAgent.config(root, server.uri(), "facts.interval = 1d",
                "check.marker.command = " + check, "check.marker.interval = 1d", "check.marker.system = web-1",
                "work.probe.echo.command = " + work, "work.probe.echo.timeout = 10s");

        enrollThroughHostileAnswers(config);
        hostileAnswers();
        Path state = root.resolve("state");
        daemon = new Daemon(AgentConfig.load(config), Identity.load(state).orElseThrow(), AgentKey.load(state), "test",
                new Timing(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofHours(1), Duration.ofMillis(100),
                        Duration.ofMillis(20), Duration.ofSeconds(1), TestAgent.latest()));
        daemon.start();

        Await.until("every hostile desires answer was read", () -> server.calls("desires") > 12);
        Await.until("every hostile claim answer was read", () -> server.calls("claim") >= 4);
        Await.until("the one valid work item was completed", () -> server.calls("complete") >= 1);
        Await.until("the check asked for by name ran", () -> Files.exists(marker));
        Await.until("the hostile observation answers were read", () -> server.calls("observations") >= 2);

        int factsBefore = server.stored(Observation.FACTS).size();
        server.desire("{\"id\": \"calm\", \"kind\": \"refresh-facts\"}");
        Await.until("the agent still works: facts asked for arrive",
                () -> server.stored(Observation.FACTS).size() > factsBefore);
        daemon.stop();

        assertFalse(Files.exists(canaryMade), "the canary ran");
        assertEquals(List.of("ran"), Files.readAllLines(marker), "the check ran once: asked by name, rate-limited");
        List<Path> workInputs = list(out).stream().filter(p -> p.getFileName().toString().startsWith("work-")).toList();
        assertEquals(1, workInputs.size(), "only the valid item of a configured type ran");
        assertEquals(validWorkItem().path("parameters"), JSON.readTree(workInputs.get(0).toFile()),
                "its parameters arrived on standard input, verbatim");
        List<String> completions = server.targets().stream().filter(t -> t.endsWith("/complete")).toList();
        assertEquals(List.of("POST /api/v1/agents/self/work/w-1/complete"), completions);
        assertEquals(List.of(), server.badSignatures());
        assertOnlyKnownFiles(state, out, workInputs.get(0));
        assertEquals("../../etc/passwd", Identity.load(state).orElseThrow().agent(), "the name is only data");
    }

    /** Enrollment answers that are refused, then one that is odd but valid. */
    private void enrollThroughHostileAnswers(Path config) {
        server.override("enroll", call -> call == 0
                ? Answer.of(401, "{\"detail\": \"token " + FakeHanse.TOKEN + " is not valid\", \"type\": \"" + canary
                        + "\"}")
                : null);
        TestAgent.Outcome refused = TestAgent.enroll(config);
        assertEquals(1, refused.exitCode());
        assertFalse((refused.out() + refused.err()).contains(FakeHanse.TOKEN), "the token echoed back is not printed");

        StringBuilder systems = new StringBuilder("\"x\"");
        for (int i = 0; i < 5000; i++) {
            systems.append(", \"s").append(i).append('"');
        }
        server.enrollAnswer("\"agent\": \"web-1\", \"systems\": [" + systems + "]");
        assertEquals(1, TestAgent.enroll(config).exitCode(), "five thousand systems are not an answer");
        server.enrollAnswer("\"agent\": \"web-1\", \"systems\": [\"web-1\"], \"fingerprint\": \"SHA256:other\"");
        assertFalse(Files.exists(root.resolve("state/identity.json")));

        server.enrollAnswer("\"agent\": \"../../etc/passwd\", \"systems\": [\"web-1\", \"../../../tmp/x\", \"$("
                + canary + ")\"], \"heartbeatSeconds\": 1000000000000, \"ttlSeconds\": -5, \"command\": \"" + canary
                + "\", \"args\": [\"" + canary + "\"]");
        TestAgent.Outcome enrolled = TestAgent.enroll(config);
        assertEquals(0, enrolled.exitCode(), enrolled.err());
        assertTrue(enrolled.out().contains("../../etc/passwd"), enrolled.out());
    }

    private void hostileAnswers() {
        String garbage = "{\"type\": \"" + canary + "\", \"detail\": \"\\u001b[31m" + canary + " "
                + "x".repeat(100_000) + "\", \"command\": \"" + canary + "\"}";
        server.override("heartbeat", call -> call % 2 == 0
                ? Answer.of(200, "{\"heartbeatSeconds\": -1, \"ttlSeconds\": \"x\", \"command\": \"" + canary + "\"}")
                : Answer.of(200, "{\"heartbeatSeconds\": 1000000000000}"));
        server.override("observations", call -> {
            switch (call) {
                case 0:
                    return Answer.of(500, garbage);
                case 1:
                    return Answer.of(200, "<html>" + canary + "</html>");
                default:
                    return null;
            }
        });
        List<Answer> desires = List.of(
                Answer.of(200, desiresWithEveryTrick().toString()),
                Answer.of(200, thousandsOfDesires().toString()),
                Answer.of(200, "{\"desires\": [\"" + "y".repeat(3 * 1024 * 1024) + "\"]}"),
                Answer.of(200, "<html>" + canary + "</html>"),
                Answer.of(200, "{\"desires\": \"all of them\", \"command\": \"" + canary + "\"}"),
                Answer.of(200, "[".repeat(5000)),
                Answer.of(500, garbage),
                new Answer(429, "{}".getBytes(StandardCharsets.UTF_8), Map.of("Retry-After", "1")),
                Answer.of(200, "{\"desires\": null}"),
                Answer.of(200, "{\"desires\": [{\"kind\": \"refresh-check\", \"check\": \"marker\", "
                        + "\"system\": \"db-9\"}]}"),
                Answer.of(404, ""));
        server.override("desires", call -> call < desires.size() ? desires.get(call) : null);
        List<Answer> claims = List.of(
                Answer.of(200, workItems().toString()),
                Answer.of(200, "not json " + canary),
                Answer.of(200, "{\"items\": {\"id\": \"w-2\", \"type\": \"probe.echo\", \"lease\": 1}}"),
                new Answer(429, new byte[0], Map.of("Retry-After", "1000000000000")));
        server.override("claim", call -> call < claims.size() ? claims.get(call) : null);
        server.override("complete", call -> Answer.of(409, garbage));
    }

    private ObjectNode desiresWithEveryTrick() {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode list = answer.putArray("desires");
        for (String text : hostile) {
            list.addObject().put("kind", "refresh-check").put("check", text).put("system", "web-1");
            list.addObject().put("kind", text).put("check", "marker");
            list.addObject().put("kind", "refresh-check").put("check", "Marker").put("command", text)
                    .put("commandLine", text).putArray("args").add(text).add(canary);
        }
        list.addObject().put("kind", "run-command").put("command", canary);
        list.addObject().put("kind", "refresh-check").put("check", "marker").put("system", "db-1");
        list.addObject().put("kind", "refresh-check").putArray("check").add("marker");
        list.add(canary);
        list.addNull();
        for (int i = 0; i < 50; i++) {
            list.addObject().put("id", "d" + i).put("kind", "refresh-check").put("check", "marker")
                    .put("system", "web-1").put("by", "\u001b[2J" + canary);
        }
        return answer;
    }

    private ObjectNode thousandsOfDesires() {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode list = answer.putArray("desires");
        for (int i = 0; i < 5000; i++) {
            list.addObject().put("kind", i % 2 == 0 ? "refresh-check" : "kind-" + i).put("check", "marker");
        }
        return answer;
    }

    private ObjectNode validWorkItem() {
        ObjectNode item = JSON.createObjectNode().put("id", "w-1").put("type", "probe.echo").put("lease", 1)
                .put("leaseExpires", Instant.now().plusSeconds(60).toString())
                .put("command", canary);
        ObjectNode parameters = item.putObject("parameters");
        parameters.put("cmd", canary).put("shell", "; " + canary + " && rm -rf /");
        parameters.putArray("argv").add(canary).add("-c").add("$(" + canary + ")");
        return item;
    }

    private ObjectNode workItems() {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode items = answer.putArray("items");
        items.addObject().put("id", "../../heartbeat").put("type", "probe.echo").put("lease", 1);
        items.addObject().put("id", "w-0").put("type", canary).put("lease", 1).putObject("parameters")
                .put("cmd", canary);
        items.addObject().put("id", "w-00").put("type", "probe.echo").put("lease", "one");
        items.add(validWorkItem());
        for (int i = 0; i < 1000; i++) {
            items.addObject().put("id", "more-" + i).put("type", "probe.echo").put("lease", 1);
        }
        return answer;
    }

    private void assertOnlyKnownFiles(Path state, Path out, Path workInput) throws IOException {
        Set<String> stateFiles = list(state).stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        assertTrue(Set.of("agent.key", "agent.pub", "identity.json", "status.json", "spool", "boot-epoch",
                "boot-epoch.lock").containsAll(stateFiles),
                stateFiles.toString());
        Set<Path> outside;
        try (Stream<Path> files = Files.walk(root)) {
            outside = files.filter(Files::isRegularFile).filter(p -> !p.startsWith(state)).collect(Collectors.toSet());
        }
        assertEquals(Set.of(root.resolve("agent.conf"), root.resolve("scripts/canary"), root.resolve("scripts/marker"),
                root.resolve("scripts/work"), out.resolve("marker"), workInput), outside);
        assertFalse(Files.exists(root.getParent().resolve("etc/passwd").normalize())
                && !root.getParent().resolve("etc/passwd").normalize().equals(Path.of("/etc/passwd")));
        assertNotEquals(0, Files.size(state.resolve("identity.json")));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
