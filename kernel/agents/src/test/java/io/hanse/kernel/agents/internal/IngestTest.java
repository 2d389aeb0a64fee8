package io.hanse.kernel.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.ForbiddenException;
import io.hanse.api.HanseException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.TooLargeException;
import io.hanse.api.UnavailableException;
import io.hanse.api.agent.AgentObservation;
import io.hanse.api.agent.ObservationHandler;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.agents.internal.Ingest.Observation;
import io.hanse.kernel.agents.internal.Ingest.Outcome;
import io.hanse.kernel.security.AgentIdentities.Identity;
import io.hanse.kernel.security.Refusals;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditLog;
import io.hanse.kernel.store.AuditQuery;
import io.hanse.kernel.store.AuditRecord;
import io.hanse.kernel.store.AuditVerification;
import io.hanse.testing.TestCaller;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest: each observation stored once by (agent, boot epoch, sequence); a batch all or nothing. */
class IngestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long BOOT = 1_764_900_000_000L;
    private static final String PLUGIN = "io.hanse.monitoring";

    private final AgentFixture fixture = new AgentFixture();
    private final List<AuditEntry> audited = new ArrayList<>();
    /** The bundles installed, by symbolic name. */
    private final Set<String> installed = new HashSet<>(Set.of(PLUGIN));
    @TempDir
    Path data;
    private Ingest ingest;
    private final Identity agent = fixture.enroll("web-1", "web-1");
    private final Caller caller = new TestCaller(new Source(Source.Kind.AGENT, "web-1"), true, false,
            Map.of("agents:report", Scope.of(Set.of("web-1"))));

    @BeforeEach
    void start() {
        ingest = started();
    }

    /** Starts the ingest as the agents bundle does, on the claims kept in its data area. */
    private Ingest started() {
        return new Ingest(fixture.timeline, new RecordingAudit(), AgentFixture.CONFIG, fixture.clock,
                new Claims(data.resolve("observation-claims"), installed::contains));
    }

    @Test
    void eachObservationIsStoredOnceWhateverIsSentAgain() {
        List<Observation> batch = batch(1, 100, "web-1");

        assertEquals(new Outcome(100, 0), ingest.accept(caller, agent, BOOT, batch));
        assertEquals(new Outcome(50, 50), ingest.accept(caller, agent, BOOT, batch(51, 150, "web-1")));
        assertEquals(new Outcome(100, 0), ingest.accept(caller, agent, BOOT + 1, batch),
                "a new boot epoch counts again from 1");

        assertEquals(250, fixture.timeline.events().size());
        Event event = fixture.timeline.events().get(0);
        assertEquals("monitoring.result", event.type());
        assertEquals(new Source(Source.Kind.AGENT, "web-1"), event.source());
        assertEquals("agent:" + agent.id() + ":" + BOOT + ":1", event.id());
        assertEquals("{\"check\":\"load\",\"status\":\"ok\"}", event.body(), "the body as compact JSON text");
    }

    @Test
    void aBatchWithOneBadObservationStoresNothingAndNamesIt() {
        List<Observation> batch = new ArrayList<>(batch(1, 10, "web-1"));
        batch.set(7, observation(8, "web-1", "{\"a\": 1}", "Monitoring Result"));
        assertMessage(InvalidRequestException.class, batch, "observation seq 8: event type 'Monitoring Result'");

        batch.set(7, observation(8, "a".repeat(5_000), "{}", "monitoring.result"));
        assertMessage(InvalidRequestException.class, batch, "observation seq 8: slug '" + "a".repeat(128)
                + "…' (5,000 characters) must be 1 to 63");

        batch.set(7, observation(8, "web-1", "[1, 2]", "monitoring.result"));
        assertMessage(InvalidRequestException.class, batch, "observation seq 8: body must be a JSON object");
        batch.set(7, observation(8, "web-1", "\"{not an object\"", "monitoring.result"));
        assertMessage(InvalidRequestException.class, batch, "observation seq 8: body must be a JSON object");

        batch.set(7, observation(8, "web-1", "{\"a\": 1}", "agent.lost"));
        assertMessage(InvalidRequestException.class, batch, "observation seq 8: event type 'agent.lost' is in the"
                + " namespace agent, which is kept for the records of the kernel or a plugin; use a namespace of your"
                + " own, such as deploy.finished");

        batch.set(7, observation(8, "web-1", "{\"output\": \"" + "x".repeat(70_000) + "\"}", "monitoring.result"));
        assertMessage(TooLargeException.class, batch, "observation seq 8: body is 70013 bytes");

        batch.set(7, new Observation(8, "monitoring.result", "web-1", fixture.clock.instant().plus(Duration.ofHours(1)),
                body("{}")));
        assertMessage(InvalidRequestException.class, batch, "observation seq 8: time is required and at most 5");

        batch.set(7, observation(3, "web-1", "{\"a\": 2}", "monitoring.result"));
        assertMessage(InvalidRequestException.class, batch, "observation seq 3: seq is in the batch twice");

        assertTrue(fixture.timeline.events().isEmpty(), "nothing of a refused batch is stored");
        assertTrue(audited.isEmpty());
    }

    @Test
    void reportingOnASystemOutsideTheAgentsScopeIsRefusedAndAudited() {
        List<Observation> batch = new ArrayList<>(batch(1, 3, "web-1"));
        batch.add(observation(4, "db-1", "{}", "monitoring.result"));

        assertMessage(ForbiddenException.class, batch, "observation seq 4: agent 'web-1' may not report on system"
                + " 'db-1'; it reports on web-1");

        assertTrue(fixture.timeline.events().isEmpty());
        assertEquals(1, audited.size());
        assertEquals("agent.report-refused", audited.get(0).action());
        assertEquals("{\"system\":\"db-1\",\"suppressed\":0}", audited.get(0).after());
    }

    @Test
    void anAgentsRefusedReportsAreAuditedOnceAMinuteWithHowManyWereSuppressed() {
        List<Observation> outside = List.of(observation(1, "db-1", "{}", "monitoring.result"));
        for (int i = 0; i < 100; i++) {
            assertThrows(ForbiddenException.class, () -> ingest.accept(caller, agent, BOOT, outside));
        }
        assertEquals(1, audited.size(), "the first is audited, the others within its minute are not");

        Identity other = fixture.enroll("web-2", "web-2");
        Caller otherCaller = new TestCaller(new Source(Source.Kind.AGENT, "web-2"), true, false,
                Map.of("agents:report", Scope.of(Set.of("web-2"))));
        assertThrows(ForbiddenException.class, () -> ingest.accept(otherCaller, other, BOOT, outside));
        assertEquals(2, audited.size(), "another agent's refusals are audited on their own");

        fixture.clock.advance(Refusals.INTERVAL);
        assertThrows(ForbiddenException.class, () -> ingest.accept(caller, agent, BOOT, outside));
        assertEquals(List.of("agent/web-1 {\"system\":\"db-1\",\"suppressed\":0}",
                "agent/web-2 {\"system\":\"db-1\",\"suppressed\":0}",
                "agent/web-1 {\"system\":\"db-1\",\"suppressed\":99}"),
                audited.stream().map(entry -> entry.target() + " " + entry.after()).toList());
    }

    @Test
    void aHandlerTakesItsTypesAndTheTimelineTheRest() {
        List<AgentObservation> taken = new ArrayList<>();
        ingest.addHandler(handler(Set.of("monitoring.result"), taken), PLUGIN);
        List<Observation> batch = new ArrayList<>(batch(1, 3, "web-1"));
        batch.add(observation(4, "web-1", "{\"os\": \"Debian\"}", "inventory.facts"));

        assertEquals(new Outcome(4, 0), ingest.accept(caller, agent, BOOT, batch));
        assertEquals(3, taken.size());
        assertEquals("agent:" + agent.id() + ":" + BOOT + ":1", taken.get(0).id());
        assertEquals(List.of("inventory.facts"), fixture.timeline.events().stream().map(Event::type).toList());
    }

    @Test
    void aHandlerOfANamespaceTakesEveryTypeInItUnlessAnotherTakesTheExactType() {
        List<AgentObservation> all = new ArrayList<>();
        List<AgentObservation> exact = new ArrayList<>();
        ingest.addHandler(handler(Set.of("monitoring.*"), all), PLUGIN);
        ingest.addHandler(handler(Set.of("monitoring.result"), exact), PLUGIN);
        ingest.accept(caller, agent, BOOT, List.of(observation(1, "web-1", "{}", "monitoring.result"),
                observation(2, "web-1", "{}", "monitoring.state-changed")));
        assertEquals(1, exact.size());
        assertEquals("monitoring.state-changed", all.get(0).type());
        assertTrue(fixture.timeline.events().isEmpty(), "an agent cannot put a plugin's own types on the timeline");
        assertThrows(IllegalArgumentException.class,
                () -> ingest.addHandler(handler(Set.of("a.b.*"), all), PLUGIN));
    }

    @Test
    void aHandlerThatRefusesRefusesTheBatchAndOneThatFailsAsksForItAgain() {
        ingest.addHandler(new ObservationHandler() {
            @Override
            public Set<String> types() {
                return Set.of("monitoring.result");
            }

            @Override
            public int accept(List<AgentObservation> observations) {
                throw observations.size() > 1 ? new InvalidRequestException("observation 2: check is required")
                        : new IllegalStateException("database down");
            }
        }, PLUGIN);
        List<Observation> batch = List.of(observation(1, "web-1", "{}", "inventory.facts"),
                observation(2, "web-1", "{}", "monitoring.result"), observation(3, "web-1", "{}", "monitoring.result"));
        assertMessage(InvalidRequestException.class, batch, "observation 2: check is required");
        assertTrue(fixture.timeline.events().isEmpty(), "nothing of a refused batch is stored");
        assertMessage(UnavailableException.class, List.of(observation(4, "web-1", "{}", "monitoring.result")),
                "the handler of monitoring.result observations failed");
    }

    @Test
    void whatAStoppedPluginTakesWaitsForItAcrossRestartsUntilItIsUninstalled() {
        List<AgentObservation> taken = new ArrayList<>();
        ObservationHandler monitoring = handler(Set.of("monitoring.*"), taken);
        ingest.addHandler(monitoring, PLUGIN);
        ingest.removeHandler(monitoring);
        List<Observation> results = List.of(observation(1, "web-1", "{}", "inventory.facts"),
                observation(2, "web-1", "{}", "monitoring.result"));

        UnavailableException waiting = assertThrows(UnavailableException.class,
                () -> ingest.accept(caller, agent, BOOT, results), "its bundle is stopped, not uninstalled");
        assertEquals("observation seq 2: monitoring.result observations are taken by io.hanse.monitoring, which is"
                + " not running; send the batch again later", waiting.getMessage());
        assertTrue(waiting.retryAfter().isPresent());
        ingest = started();
        assertThrows(UnavailableException.class, () -> ingest.accept(caller, agent, BOOT, results),
                "a restarted server knows it before the plugin starts");
        assertTrue(fixture.timeline.events().isEmpty(), "nothing of the batch is stored");

        ingest.addHandler(monitoring, PLUGIN);
        assertEquals(new Outcome(2, 0), ingest.accept(caller, agent, BOOT, results));
        assertEquals(List.of("monitoring.result"), taken.stream().map(AgentObservation::type).toList());

        ingest.removeHandler(monitoring);
        installed.remove(PLUGIN);
        assertEquals(new Outcome(1, 0), ingest.accept(caller, agent, BOOT, List.of(observation(3, "web-1", "{}",
                "monitoring.result"))), "an uninstalled plugin's types go on the timeline");
        installed.add(PLUGIN);
        assertEquals(new Outcome(1, 0), started().accept(caller, agent, BOOT, List.of(observation(4, "web-1", "{}",
                "monitoring.result"))), "its claim is forgotten for good, until it takes its types again");
    }

    @Test
    void aPluginsNewVersionThatTakesFewerTypesHoldsNoLongerBackTheOthers() {
        ObservationHandler old = handler(Set.of("monitoring.result", "monitoring.state"), new ArrayList<>());
        ingest.addHandler(old, PLUGIN);
        ingest.removeHandler(old);
        ingest.addHandler(handler(Set.of("monitoring.result"), new ArrayList<>()), PLUGIN);

        assertEquals(new Outcome(1, 0), started().accept(caller, agent, BOOT, List.of(observation(1, "web-1", "{}",
                "monitoring.state"))), "after a restart too");
        assertEquals(List.of("monitoring.state"), fixture.timeline.events().stream().map(Event::type).toList());
    }

    @Test
    void aBatchThatWaitsForAPluginIsRefusedForGoodFirstIfAnyOfItIs() {
        ObservationHandler monitoring = handler(Set.of("monitoring.*"), new ArrayList<>());
        ingest.addHandler(monitoring, PLUGIN);
        ingest.removeHandler(monitoring);
        assertMessage(ForbiddenException.class, List.of(observation(1, "web-1", "{}", "monitoring.result"),
                observation(2, "db-1", "{}", "inventory.facts")), "observation seq 2: agent 'web-1' may not report");
    }

    @Test
    void pastTheBatchesAllowedAtOnceOneIsAskedToComeBackSoThatAHandlerThatHangsHoldsNoMoreThreads()
            throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        ingest.addHandler(new ObservationHandler() {
            @Override
            public Set<String> types() {
                return Set.of("monitoring.*");
            }

            @Override
            public int accept(List<AgentObservation> observations) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return observations.size();
            }
        }, PLUGIN);
        List<Thread> hanging = IntStream.rangeClosed(1, 2).mapToObj(seq -> new Thread(() -> ingest.accept(caller,
                agent, BOOT, List.of(observation(seq, "web-1", "{}", "monitoring.result"))))).toList();
        hanging.forEach(Thread::start);
        try {
            assertTrue(entered.await(10, TimeUnit.SECONDS), "both batches reach the handler");

            UnavailableException busy = assertThrows(UnavailableException.class, () -> ingest.accept(caller, agent,
                    BOOT, List.of(observation(3, "web-1", "{}", "inventory.facts"))));
            assertEquals("2 batches are being stored already; send the batch again later", busy.getMessage());
            assertEquals(Optional.of(Duration.ofSeconds(10)), busy.retryAfter());
        } finally {
            release.countDown();
            for (Thread thread : hanging) {
                thread.join();
            }
        }
        assertEquals(new Outcome(1, 0), ingest.accept(caller, agent, BOOT, List.of(observation(3, "web-1", "{}",
                "inventory.facts"))), "once one is done, the next is taken");
    }

    private static ObservationHandler handler(Set<String> types, List<AgentObservation> taken) {
        return new ObservationHandler() {
            @Override
            public Set<String> types() {
                return types;
            }

            @Override
            public int accept(List<AgentObservation> observations) {
                taken.addAll(observations);
                return observations.size();
            }
        };
    }

    @Test
    void batchesAreBoundedAndCarryABootEpoch() {
        assertThrows(InvalidRequestException.class, () -> ingest.accept(caller, agent, BOOT, List.of()));
        assertThrows(InvalidRequestException.class, () -> ingest.accept(caller, agent, BOOT, batch(1, 1001, "web-1")));
        assertThrows(InvalidRequestException.class, () -> ingest.accept(caller, agent, 0, batch(1, 1, "web-1")));
        assertThrows(InvalidRequestException.class, () -> ingest.accept(caller, agent, BOOT, batch(0, 0, "web-1")));
    }

    @Test
    void aChangedBatchLimitAppliesInPlaceAndOneNotAllowedKeepsTheLimitInUse() {
        ingest.modified(AgentFixture.config(30, 90, 10));
        assertThrows(InvalidRequestException.class, () -> ingest.accept(caller, agent, BOOT, batch(1, 11, "web-1")));

        ingest.modified(AgentFixture.config(30, 90, 0));

        assertEquals(List.of("etc/io.hanse.agents.cfg: maxBatch = 0 is below 1; using 10"), AgentFixture.problems());
        assertEquals("a batch holds 1 to 10 observations", assertThrows(InvalidRequestException.class,
                () -> ingest.accept(caller, agent, BOOT, batch(1, 11, "web-1"))).getMessage());
        assertEquals(new Outcome(10, 0), ingest.accept(caller, agent, BOOT, batch(1, 10, "web-1")));
        // The problems are kept for the whole JVM: none is left for the other tests.
        ingest.modified(AgentFixture.CONFIG);
    }

    private void assertMessage(Class<? extends HanseException> type, List<Observation> batch, String start) {
        String message = assertThrows(type, () -> ingest.accept(caller, agent, BOOT, batch)).getMessage();
        assertTrue(message.startsWith(start), message);
    }

    private List<Observation> batch(int from, int to, String system) {
        return IntStream.rangeClosed(from, to).mapToObj(seq -> observation(seq, system,
                "{\"check\": \"load\", \"status\": \"ok\"}", "monitoring.result")).toList();
    }

    private Observation observation(long seq, String system, String body, String type) {
        return new Observation(seq, type, system, fixture.clock.instant().minusSeconds(seq), body(body));
    }

    /** The body as the REST layer reads it from a request. */
    private static String body(String json) {
        try {
            return JSON.readValue("{\"seq\":1,\"body\":" + json + "}", Observation.class).body();
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** Records the entries ingest writes; ingest only appends. */
    private final class RecordingAudit implements AuditLog {
        @Override
        public AuditRecord append(AuditEntry entry) {
            audited.add(entry);
            return null;
        }

        @Override
        public List<AuditRecord> query(AuditQuery query) {
            return List.of();
        }

        @Override
        public AuditVerification verify() {
            return null;
        }
    }
}
