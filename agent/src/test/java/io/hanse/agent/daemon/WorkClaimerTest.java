package io.hanse.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.agent.check.ProcessRunner;
import io.hanse.agent.config.WorkSpec;
import io.hanse.agent.testing.Await;
import io.hanse.agent.testing.FakeHanse;
import io.hanse.agent.testing.FakeHanse.Answer;
import io.hanse.agent.testing.Scripts;
import io.hanse.agent.testing.TestAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The work claimer against a fake server: what it asks for, and how it reports what it did. */
class WorkClaimerTest {

    @TempDir
    Path dir;

    private FakeHanse server;
    private WorkClaimer claimer;
    private Thread thread;

    @BeforeEach
    void startServer() {
        server = FakeHanse.start();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            claimer.stop();
            thread.join(5000);
        }
        server.close();
    }

    @Test
    void claimsEachTypeForItsOwnFreeSlots() {
        List<String> command = List.of(Scripts.write(dir.resolve("scripts"), "work", "echo done").toString());
        start(new WorkSpec("probe.http", command, 64, Duration.ofSeconds(10)),
                new WorkSpec("probe.dns", command, 2, Duration.ofSeconds(10)));
        Await.until("the agent claims work of both types", () -> server.calls("claim") >= 2);
        assertEquals(List.of("{\"capabilities\":[\"probe.http\"],\"max\":64}",
                "{\"capabilities\":[\"probe.dns\"],\"max\":2}"),
                server.requests("claim").subList(0, 2).stream().map(JsonNode::toString).toList());
    }

    @Test
    void reportsAFinishedItemThroughEveryPassingRefusalUntilTheServerTakesIt() {
        server.override("claim", call -> call == 0 ? item(Instant.now().plusSeconds(60)) : null);
        // A proxy's page is not Hanse refusing the report, whatever its status.
        Answer proxys = new Answer(409, "<html>Conflict</html>".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "text/html"));
        List<Answer> passing = List.of(Answer.of(503, "{}"), Answer.of(429, "{}"),
                Answer.of(401, "{\"detail\": \"agent web-1 is disabled\"}"), Answer.of(500, "{}"), proxys);
        server.override("complete", call -> call < passing.size() ? passing.get(call) : null);
        start(echo());
        Await.until("the agent claims again, its one slot free", () -> server.calls("claim") >= 2);
        assertEquals(passing.size() + 1, server.calls("complete"), "reported until the server took it");
        JsonNode report = server.requests("complete").get(passing.size());
        assertEquals(7, report.path("lease").asLong());
        assertTrue(report.path("succeeded").asBoolean());
        assertEquals("done", report.path("result").path("output").asText().strip());
    }

    @Test
    void cutsAnOutputThatEscapingTakesPastTheServersLimitSoThatTheResultFits() {
        server.override("claim", call -> call == 0 ? item(Instant.now().plusSeconds(60)) : null);
        // Each control character takes six bytes of JSON: 40,000 of them are 240,000 bytes.
        Path script = Scripts.write(dir.resolve("scripts"), "work", "cat > /dev/null\n"
                + "head -c 40000 /dev/zero | tr '\\000' '\\001'");
        start(new WorkSpec("echo", List.of(script.toString()), 1, Duration.ofSeconds(10)));
        Await.until("the agent claims again, its one slot free", () -> server.calls("claim") >= 2);
        assertEquals(1, server.calls("complete"));
        JsonNode result = server.requests("complete").get(0).path("result");
        int bytes = result.toString().getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes <= FakeHanse.MAX_RESULT_BYTES && bytes > FakeHanse.MAX_RESULT_BYTES - 6, "result of " + bytes
                + " bytes");
        String output = result.path("output").asText();
        assertEquals("\u0001".repeat(output.length() - 1) + "…", output);
        assertEquals(0, result.path("exitCode").asInt());
    }

    @Test
    void stopsReportingWhenTheLeaseHasExpired() {
        server.override("claim", call -> call == 0 ? item(Instant.now().plusSeconds(2)) : null);
        server.override("complete", call -> Answer.of(503, "{}"));
        start(echo());
        Await.until("the agent gives up and claims again", () -> server.calls("claim") >= 2);
        assertTrue(server.calls("complete") > 3, "reported again and again: " + server.calls("complete"));
    }

    @Test
    void anItemIsKilledInTimeToReportBeforeItsLeaseExpiresThoughItsTimeoutIsLonger() {
        AtomicReference<Instant> leaseExpires = new AtomicReference<>();
        // A lease of 10 s keeps 1 s to report: enough on a loaded machine to tell the report from a late one.
        server.override("claim", call -> call == 0 ? item(leaseExpires.updateAndGet(none -> Instant.now()
                .plusSeconds(10))) : null);
        Path script = Scripts.write(dir.resolve("scripts"), "work", "cat > /dev/null\nsleep 40");
        start(new WorkSpec("echo", List.of(script.toString()), 1, Duration.ofSeconds(60)));
        Await.until("the agent reports the item", () -> server.calls("complete") >= 1);
        assertTrue(Instant.now().isBefore(leaseExpires.get()), "reported while the lease holds");
        JsonNode report = server.requests("complete").get(0);
        assertFalse(report.path("succeeded").asBoolean());
        String output = report.path("result").path("output").asText();
        assertTrue(output.startsWith("timed out after ") && output.endsWith(" s, before its lease expires at "
                + leaseExpires.get()), output);
    }

    @Test
    void anItemWhoseLeaseLeavesNoTimeToRunItIsNotRun() {
        server.override("claim", call -> call == 0 ? item(Instant.now().minusSeconds(1)) : null);
        start(echo());
        Await.until("the agent claims again, its one slot free", () -> server.calls("claim") >= 2);
        assertEquals(0, server.calls("complete"), "not run, so not reported: the server offers it again");
    }

    @Test
    void anItemRunsForItsTimeoutOrUntilItsLeaseLessTheTimeToReportItEnds() {
        Duration minute = Duration.ofMinutes(1);
        assertEquals(minute, WorkClaimer.runFor(minute, Duration.ofMinutes(5)));
        assertEquals(Duration.ofSeconds(27), WorkClaimer.runFor(minute, Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(290), WorkClaimer.runFor(Duration.ofMinutes(10), Duration.ofMinutes(5)));
        assertEquals(Duration.ZERO, WorkClaimer.runFor(minute, Duration.ZERO));
        assertEquals(Duration.ZERO, WorkClaimer.runFor(minute, Duration.ofSeconds(-5)));
    }

    private WorkSpec echo() {
        Path script = Scripts.write(dir.resolve("scripts"), "work", "cat > /dev/null\necho done");
        return new WorkSpec("echo", List.of(script.toString()), 1, Duration.ofSeconds(10));
    }

    private static Answer item(Instant leaseExpires) {
        return Answer.of(200, "{\"items\": [{\"id\": \"w-1\", \"type\": \"echo\", \"parameters\": {}, \"lease\": 7, "
                + "\"leaseExpires\": \"" + leaseExpires + "\"}]}");
    }

    private void start(WorkSpec... work) {
        claimer = new WorkClaimer(List.of(work), TestAgent.enrolledClient(TestAgent.config(dir, server.uri())),
                new ProcessRunner(), TestAgent.fastTiming(new Random(5)));
        thread = new Thread(claimer, "test-work-claim");
        thread.start();
    }
}
