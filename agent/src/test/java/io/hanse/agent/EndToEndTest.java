package io.hanse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.daemon.Daemon;
import io.hanse.agent.daemon.StatusBoard;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a fake server: signed batches, acknowledgements, and a server that goes away and comes back. */
class EndToEndTest {

    @TempDir
    Path dir;

    private FakeHanse server;
    private Daemon daemon;
    private Process process;

    @AfterEach
    void stopEverything() {
        if (daemon != null) {
            daemon.stop();
        }
        if (process != null) {
            process.destroyForcibly();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void deliversEverythingOnceInSignedBatchesWhateverTheServerDoes() throws IOException {
        server = FakeHanse.start();
        Path ticks = dir.resolve("out/ticks");
        Files.createDirectories(ticks.getParent());
        Path check = Scripts.write(dir.resolve("scripts"), "tick",
                "echo tick >> " + ticks + "\necho 'OK - tick | ticks=1;5;10;0'");
        Path config = TestAgent.config(dir, server.uri(), "facts.interval = 1s", "batch.max = 3",
                "check.tick.command = " + check, "check.tick.interval = 1h", "check.tick.system = web-1");
        assertEquals(0, TestAgent.enroll(config).exitCode());
        Path state = dir.resolve("state");
        daemon = new Daemon(AgentConfig.load(config), Identity.load(state).orElseThrow(), AgentKey.load(state), "test",
                TestAgent.fastTiming(new Random(3)));
        daemon.start();

        Await.until("facts arrive", () -> server.stored(Observation.FACTS).size() >= 2);
        server.desire("{\"id\": \"d1\", \"kind\": \"refresh-check\", \"system\": \"web-1\", \"check\": \"tick\"}");
        Await.until("the check's result arrives", () -> server.stored(Observation.RESULT).size() == 1);
        JsonNode result = server.stored(Observation.RESULT).get(0);
        assertEquals("web-1", result.path("system").asText());
        assertEquals("tick", result.path("body").path("check").asText());
        assertEquals("ok", result.path("body").path("status").asText());
        assertEquals("OK - tick", result.path("body").path("output").asText());
        assertEquals("ticks", result.path("body").path("perfdata").get(0).path("label").asText());
        assertEquals(1, Files.readAllLines(ticks).size());

        server.observationsAnswer(503);
        Await.until("the spool grows while the server refuses", () -> pending(state) >= 3);
        server.stop();
        Await.until("the spool grows while the server is away", () -> pending(state) >= 6);
        server.restart();
        server.observationsAnswer(200);
        Await.until("the spool drains", () -> pending(state) == 0);

        List<JsonNode> stored = server.stored();
        long bootEpoch = stored.get(0).path("bootEpoch").asLong();
        assertTrue(stored.stream().allMatch(o -> o.path("bootEpoch").asLong() == bootEpoch), "one boot epoch");
        List<Long> seqs = stored.stream().map(o -> o.path("seq").asLong()).sorted().toList();
        assertEquals(LongStream.rangeClosed(1, seqs.size()).boxed().toList(), seqs, "every observation, no gap");
        assertFalse(server.refused().isEmpty());
        for (JsonNode refused : server.refused()) {
            assertEquals(refused, server.stored(bootEpoch, refused.path("seq").asLong()),
                    "sent again with the same identity and content");
        }
        assertTrue(server.batchSizes().stream().allMatch(size -> size >= 1 && size <= 3), "batch.max holds");
        assertEquals(List.of(), server.badSignatures());
        assertTrue(server.calls("heartbeat") >= 1);
    }

    @Test
    void aCheckWhoseProgramIsMissingReportsUnknownWhileTheOthersRunUntilItIsInstalled() {
        server = FakeHanse.start();
        Path scripts = dir.resolve("scripts");
        Path ok = Scripts.write(scripts, "check_ok", "echo 'OK - fine'");
        Path later = scripts.resolve("check_later");
        Path config = TestAgent.config(dir, server.uri(), "check.ok.command = " + ok, "check.ok.interval = 1s",
                "check.ok.system = web-1", "check.later.command = " + later + " -w 1", "check.later.interval = 1s",
                "check.later.system = web-1");
        assertEquals(0, TestAgent.enroll(config).exitCode());
        Path state = dir.resolve("state");
        daemon = new Daemon(AgentConfig.load(config), Identity.load(state).orElseThrow(), AgentKey.load(state), "test",
                TestAgent.fastTiming(TestAgent.earliest()));
        daemon.start();

        Await.until("both checks report", () -> !results("ok").isEmpty() && !results("later").isEmpty());
        assertEquals("ok", results("ok").get(0).path("status").asText());
        JsonNode missing = results("later").get(0);
        assertEquals("unknown", missing.path("status").asText());
        assertEquals(later + " does not exist or is not a file", missing.path("output").asText());
        assertTrue(missing.path("exitCode").isNull(), missing.toString());
        assertFalse(missing.path("timedOut").asBoolean());

        Scripts.write(scripts, "check_later", "echo \"OK - installed, given $*\"");
        Await.until("the installed program runs without a restart",
                () -> results("later").stream().anyMatch(result -> result.path("status").asText().equals("ok")));
        assertTrue(results("later").stream().anyMatch(result -> result.path("output").asText()
                .equals("OK - installed, given -w 1")), results("later").toString());
    }

    /** Returns the bodies of the results of {@code check} the server has stored, in order. */
    private List<JsonNode> results(String check) {
        return server.stored(Observation.RESULT).stream().map(result -> result.path("body"))
                .filter(body -> body.path("check").asText().equals(check)).toList();
    }

    @Test
    void aRefusedAgentSendsOneRequestAPauseOfAllItsLoopsTogetherUntilItIsLetInAgain() throws Exception {
        server = FakeHanse.start();
        Path config = TestAgent.config(dir, server.uri(), "facts.interval = 1s");
        assertEquals(0, TestAgent.enroll(config).exitCode());
        AtomicBoolean disabled = new AtomicBoolean(true);
        Answer refused = Answer.of(401, "{\"detail\": \"the credentials are not valid\"}");
        // As when the address was locked out: a short Retry-After, which must not start a loop's backoff over.
        Answer lockedOut = new Answer(429, "{\"detail\": \"too many failed logins; try again in 1 seconds\"}"
                .getBytes(StandardCharsets.UTF_8), Map.of("Retry-After", "1", "Content-Type", "application/json"));
        List<String> loops = List.of("observations", "heartbeat", "desires");
        for (String loop : loops) {
            server.override(loop, call -> !disabled.get() ? null : call % 2 == 0 ? refused : lockedOut);
        }
        Path state = dir.resolve("state");
        // The least waits there are, and a pause of 2 s for a refused agent where it is 5 minutes.
        Timing timing = new Timing(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ZERO, Duration.ofMillis(100),
                Duration.ofMillis(20), Duration.ofSeconds(1), TestAgent.earliest());
        daemon = new Daemon(AgentConfig.load(config), Identity.load(state).orElseThrow(), AgentKey.load(state), "test",
                timing);
        daemon.start();

        // hanse-agent status tells at once, though no request of the agent got through and it sends few.
        Await.until("the status file says the server refuses the agent",
                () -> StatusBoard.read(state).map(status -> status.path("refused").isObject()).orElse(false));
        TestAgent.Outcome refusedStatus = TestAgent.run("", Map.of(), "status", "--config", config.toString());
        assertTrue(refusedStatus.out().contains("refused     since ")
                && refusedStatus.out().contains("HTTP 401: the credentials are not valid"), refusedStatus.out());
        // The refusal, or the loop's own note of it, whichever was written last.
        String lastError = "(?s).*last error +\\S+ [^\\n]*HTTP 401: the credentials are not valid.*";
        assertTrue(refusedStatus.out().matches(lastError), refusedStatus.out());

        Thread.sleep(5000);
        int sent = loops.stream().mapToInt(server::calls).sum();
        assertTrue(sent <= 3 + 3, sent + " requests in 5 s: each loop's first, then one every 2 s at most");

        disabled.set(false);
        Await.until("observations are delivered once the agent is let in again",
                () -> server.stored(Observation.FACTS).size() >= 2);
        Await.until("the status file says the agent is let in again",
                () -> StatusBoard.read(state).map(status -> status.path("refused").isNull()).orElse(false));
        TestAgent.Outcome letInStatus = TestAgent.run("", Map.of(), "status", "--config", config.toString());
        assertFalse(letInStatus.out().contains("refused     since"), letInStatus.out());
    }

    @Test
    void theProgramRunsUntilSigtermAndThenExitsZero() throws Exception {
        server = FakeHanse.start();
        Path config = TestAgent.config(dir, server.uri(), "facts.interval = 1h");
        assertEquals(0, TestAgent.enroll(config).exitCode());
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                "--config", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile()).start();
        Await.until("the facts of the first start arrive", () -> server.stored(Observation.FACTS).size() == 1);
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the agent stops on SIGTERM");
        String log = Files.readString(dir.resolve("agent.log"));
        assertEquals(0, process.exitValue(), log);
        assertTrue(log.contains("stopped;"), log);
        assertTrue(StatusBoard.read(dir.resolve("state")).orElseThrow().path("stopped").isTextual());
        assertEquals(List.of(), server.badSignatures());
    }

    private static long pending(Path state) {
        return StatusBoard.read(state).map(status -> status.path("spool").path("pendingRecords").asLong()).orElse(-1L);
    }
}
