package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.ConflictException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.UnavailableException;
import io.hanse.api.agent.AgentObservation;
import io.hanse.api.config.Settings;
import io.hanse.api.status.Status;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.Database;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.MemoryTimeline;
import io.hanse.testing.MutableClock;
import io.hanse.testing.StatusReports;
import io.hanse.testing.TestCaller;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The checks on a real (H2) database: staleness, acknowledgements and downtimes against the
 * status the kernel is told, recurring downtimes across a change of daylight saving time, and a
 * restart that keeps every state.
 */
class ChecksTest {

    /** Berlin's clocks go back from 03:00 to 02:00 on this night; a Sunday. */
    private static final Instant FALL_BACK_EVE = Instant.parse("2026-10-24T20:00:00Z");
    private static final TestCaller ALICE = TestCaller.everywhere("alice");

    private final KernelDatabase database = KernelDatabase.h2().apply(ChecksTest.class.getClassLoader(),
            "db/io.hanse.monitoring/changelog.xml");
    private final MutableClock clock = new MutableClock(FALL_BACK_EVE);
    private final MemorySystems systems = new MemorySystems();
    private final MemoryTimeline timeline = new MemoryTimeline(Set.of("shop", "web-1", "web-2", "db-1"),
            Checks.TIMELINE_CHUNK);
    /** Whether the database is away: no connection can be had, as while PostgreSQL is stopped. */
    private final AtomicBoolean databaseAway = new AtomicBoolean();
    private final Sql sql = new Sql(awayWhenAsked(database.dataSource()));
    private final Outbox outbox = new Outbox(sql, systems, timeline);
    private final Downtimes downtimes = new Downtimes(new DowntimeStore(sql), systems, timeline, outbox, clock);
    private final StatusReports told = new StatusReports();
    private final AtomicLong seq = new AtomicLong();
    private Checks checks;

    @BeforeEach
    void start() {
        systems.add("web-1");
        systems.add("db-1");
        systems.add("shop", "web-1");
        checks = checks();
    }

    @AfterEach
    void close() {
        checks.deactivate();
        database.close();
    }

    private Checks checks() {
        Checks made = new Checks(new CheckStore(sql), systems, timeline, downtimes, outbox, MonitoringParts.defaults(),
                clock);
        made.start(told);
        return made;
    }

    /** The data source, refusing connections while {@link #databaseAway} as PostgreSQL's driver does then. */
    private DataSource awayWhenAsked(DataSource dataSource) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (databaseAway.get() && method.getName().equals("getConnection")) {
                        throw new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
                    }
                    try {
                        return method.invoke(dataSource, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private int report(String system, String check, String status) {
        return accept(List.of(observation(system, check, status)));
    }

    /** Takes results, and waits until what changed is on the timeline and told. */
    private int accept(List<AgentObservation> observations) {
        try {
            return checks.accept(observations);
        } finally {
            checks.flush();
        }
    }

    private AgentObservation observation(String system, String check, String status) {
        return observation(system, check, status, clock.instant());
    }

    private AgentObservation observation(String system, String check, String status, Instant time) {
        return observation(system, check, status, status, time);
    }

    private AgentObservation observation(String system, String check, String status, String output) {
        return observation(system, check, status, output, clock.instant());
    }

    private AgentObservation observation(String system, String check, String status, String output, Instant time) {
        return new AgentObservation("agent:a:1:" + seq.incrementAndGet(), new Source(Source.Kind.AGENT, "a"),
                CheckResult.TYPE, system, time, "{\"check\":\"" + check + "\",\"status\":\"" + status
                        + "\",\"output\":\"" + output + "\",\"intervalSeconds\":60,\"maxAttempts\":1}");
    }

    @Test
    void aBacklogIsWorkedThroughForASweepPartAtMostAndAShortOneToItsEnd() {
        AtomicInteger chunks = new AtomicInteger();
        assertFalse(Checks.inTurn(() -> {
            chunks.incrementAndGet();
            try {
                Thread.sleep(Checks.SWEEP_PART.toMillis() / 10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return true;
        }), "an endless backlog is left for the next sweep");
        assertTrue(chunks.get() >= 1 && chunks.get() <= 11, chunks.get() + " chunks of a tenth of the part");

        chunks.set(0);
        assertTrue(Checks.inTurn(() -> chunks.incrementAndGet() < 3));
        assertEquals(3, chunks.get(), "worked through to the chunk that said there was no more");
    }

    @Test
    void aBatchIsTakenInOrderAndAResultSentAgainIsNotTakenTwice() {
        AgentObservation broke = observation("web-1", "disk", "critical");
        AgentObservation recovered = observation("web-1", "disk", "ok");
        assertEquals(2, accept(List.of(broke, recovered)));
        assertEquals(0, accept(List.of(broke, recovered)));
        assertEquals(CheckStatus.OK, checks.get("web-1", "disk").orElseThrow().status());
        assertEquals(2, timeline.ofType("monitoring.state-changed").size(), "broke and recovered, each once");
    }

    @Test
    void malformedResultsRefuseTheBatchAndPerfdataIsKeptAsTextWhenUnreadable() {
        AgentObservation good = observation("web-1", "disk", "ok");
        AgentObservation bad = new AgentObservation("agent:a:1:99", good.source(), CheckResult.TYPE, "web-1",
                clock.instant(), "{\"check\":\"disk\",\"status\":\"purple\"}");
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> accept(List.of(good, bad)));
        assertTrue(refused.getMessage().startsWith("observation seq 99: "), refused.getMessage());
        assertTrue(checks.get("web-1", "disk").isEmpty(), "nothing of a refused batch is taken");
        AgentObservation gone = new AgentObservation("agent:a:1:97", good.source(), CheckResult.TYPE, "gone-1",
                clock.instant(), good.body());
        assertEquals("observation seq 97: system gone-1 does not exist", assertThrows(InvalidRequestException.class,
                () -> accept(List.of(good, gone))).getMessage(), "deleted since the kernel checked the scope");
        AgentObservation forged = new AgentObservation("agent:a:1:98", good.source(), "monitoring.state-changed",
                "web-1", clock.instant(), "{\"check\":\"disk\",\"status\":\"ok\"}");
        assertTrue(assertThrows(InvalidRequestException.class, () -> accept(List.of(forged))).getMessage()
                .contains("the monitoring plugin's own"));
        accept(List.of(new AgentObservation("agent:a:1:100", good.source(), CheckResult.TYPE, "web-1",
                clock.instant(), "{\"check\":\"disk\",\"status\":\"ok\",\"perfdata\":[{\"label\":\"x\"}]}")));
        assertTrue(checks.get("web-1", "disk").orElseThrow().perfdataError().contains("unreadable"));
    }

    @Test
    void changesAtTimesFinerThanTheDatabaseKeepsGoOnTheTimelineOnce() {
        clock.advance(Duration.ofNanos(123_456_789));
        report("web-1", "disk", "critical");
        clock.advance(Duration.ofNanos(1_000_001));
        checks.acknowledge(ALICE, "web-1", "disk", "ordered", false, null);
        checks.sweep();
        assertEquals(1, timeline.ofType("monitoring.state-changed").size());
        assertEquals(1, timeline.ofType("monitoring.acknowledged").size(), "not again as stored, to the microsecond");
        assertEquals(clock.instant().truncatedTo(ChronoUnit.MICROS),
                timeline.ofType("monitoring.acknowledged").get(0).time());
    }

    @Test
    void aChangeTheTimelineRefusesHoldsBackNoOther() {
        timeline.refuse(draft -> draft.body().contains("\"output\":\"too long\""));
        accept(List.of(observation("web-1", "disk", "critical", "too long"), observation("web-1", "load", "critical")));
        assertEquals(List.of("load"), checkNames(timeline.ofType("monitoring.state-changed")));
        checks.sweep();
        assertEquals(List.of("load"), checkNames(timeline.ofType("monitoring.state-changed")),
                "the refused one dropped");
        report("web-1", "load", "ok");
        checks.sweep();
        assertEquals(List.of("load", "load"), checkNames(timeline.ofType("monitoring.state-changed")));
    }

    private static List<String> checkNames(List<Event> events) {
        return events.stream().map(event -> event.body().replaceAll(".*\"check\":\"([^\"]+)\".*", "$1")).toList();
    }

    @Test
    void batchesMakingChecksOnASystemAtOnceStayWithinItsThousand() throws Exception {
        ExecutorService agents = Executors.newFixedThreadPool(2);
        try {
            // A race: some rounds, each on a system of its own, so that the batches interleave in some.
            for (int round = 0; round < 10; round++) {
                String system = "race-" + round;
                systems.add(system);
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Integer>> taken = new ArrayList<>();
                for (String agent : List.of("a", "b")) {
                    List<AgentObservation> batch = new ArrayList<>();
                    for (int i = 0; i < 600; i++) {
                        batch.add(observation(system, agent + "-" + i, "ok"));
                    }
                    taken.add(agents.submit(() -> {
                        together.await();
                        try {
                            return checks.accept(batch);
                        } catch (InvalidRequestException refused) {
                            return 0;
                        }
                    }));
                }
                assertEquals(600, taken.get(0).get() + taken.get(1).get(), "one batch is taken, the other refused");
                assertEquals(600, checks.of(system).size());
            }
        } finally {
            agents.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aCheckStoredThoughTheNodeHeardOtherwiseIsUpdatedByItsNextResult(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, FALL_BACK_EVE)) {
            parts.system("web-1");
            // Started before the check was stored: it does not know of it, as when a commit went through
            // though the database's answer was lost.
            Checks unaware = new Checks(new CheckStore(parts.sql), parts.systems, parts.timeline, parts.downtimes,
                    new Outbox(parts.sql, parts.systems, parts.timeline), MonitoringParts.defaults(), parts.clock);
            unaware.start(new StatusReports());
            parts.report("web-1", "disk", "critical", Duration.ofMinutes(1));
            assertEquals(1, unaware.accept(List.of(parts.result("web-1", "disk", "ok", parts.clock.instant()))));
            unaware.deactivate();
            parts.restart();
            assertEquals(CheckStatus.OK, parts.checks.get("web-1", "disk").orElseThrow().status());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void howTheLatestRunWentIsKeptWithTheCheckAndARunThatCannotBeIsLeftOut(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, FALL_BACK_EVE)) {
            parts.system("web-1");
            parts.report(List.of(run(parts, 1, "disk", "\"durationMs\":10004,\"timedOut\":true"),
                    run(parts, 2, "load", "\"durationMs\":-5,\"timedOut\":1")));
            parts.restart();
            CheckState disk = parts.checks.get("web-1", "disk").orElseThrow();
            assertEquals(10004L, disk.durationMs());
            assertEquals(Boolean.TRUE, disk.timedOut());
            CheckState load = parts.checks.get("web-1", "load").orElseThrow();
            assertEquals(CheckStatus.UNKNOWN, load.status(), "the result is taken");
            assertNull(load.durationMs());
            assertNull(load.timedOut());

            parts.report(List.of(run(parts, 3, "disk", "\"durationMs\":12,\"timedOut\":false")));
            parts.restart();
            disk = parts.checks.get("web-1", "disk").orElseThrow();
            assertEquals(12L, disk.durationMs());
            assertEquals(Boolean.FALSE, disk.timedOut());
        }
    }

    private static AgentObservation run(MonitoringParts parts, int seq, String check, String fields) {
        return new AgentObservation("agent:a:1:" + seq, new Source(Source.Kind.AGENT, "a"), CheckResult.TYPE, "web-1",
                parts.clock.instant().plusMillis(seq), "{\"check\":\"" + check + "\",\"status\":\"unknown\","
                        + fields + "}");
    }

    @Test
    void aSystemHasAtMostAThousandChecks() {
        List<AgentObservation> results = new ArrayList<>();
        for (int i = 0; i < Checks.MAX_CHECKS_PER_SYSTEM; i++) {
            results.add(observation("web-1", "check-" + i, "ok"));
        }
        AgentObservation oneMore = observation("web-1", "check-x", "ok");
        results.add(oneMore);
        String seq = oneMore.id().substring(oneMore.id().lastIndexOf(':') + 1);
        assertEquals("observation seq " + seq
                + ": system web-1 would have more than 1000 checks, the most a system may have;"
                + " remove those its agents no longer run first",
                assertThrows(InvalidRequestException.class, () -> accept(results)).getMessage());
        assertEquals(1000, accept(results.subList(0, 1000)));
        assertThrows(InvalidRequestException.class, () -> accept(List.of(observation("web-1", "check-y", "ok"))));
        assertEquals(2, accept(List.of(observation("web-1", "check-0", "critical"), observation("db-1", "disk", "ok"))),
                "its checks' results, and other systems' new checks, are taken");
        checks.remove(ALICE, "web-1", "check-0");
        assertEquals(1, accept(List.of(observation("web-1", "check-y", "ok"))));
    }

    @Test
    void aCheckWithoutResultsTurnsStaleAndFreshAgain() {
        clock.advance(Checks.AGENTS_RETURN);
        report("web-1", "disk", "ok");
        clock.advance(Duration.ofSeconds(149));
        checks.sweep();
        assertFalse(checks.get("web-1", "disk").orElseThrow().stale(), "2.5 intervals are not over yet");
        clock.advance(Duration.ofSeconds(2));
        checks.sweep();
        CheckState stale = checks.get("web-1", "disk").orElseThrow();
        assertTrue(stale.stale());
        assertEquals("stale", stale.shown());
        assertEquals(CheckStatus.OK, stale.status(), "stale is not unknown: the last result stays");
        assertEquals(Status.UNKNOWN, told.status("web-1"));
        assertEquals(1, timeline.ofType("monitoring.stale").size());
        report("web-1", "disk", "ok");
        assertFalse(checks.get("web-1", "disk").orElseThrow().stale());
        assertEquals(Status.OK, told.status("web-1"));
        assertEquals(1, timeline.ofType("monitoring.fresh").size());
    }

    @Test
    void aChangeWithAValueNotAllowedIsLoggedAndTakesTheOtherValuesWhileThatOneStaysAsItWas() {
        checks.modified(MonitoringParts.config(Map.of("staleTolerance", 4.0, "historyDays", 10)));
        clock.advance(Checks.AGENTS_RETURN);
        report("web-1", "disk", "ok");
        clock.advance(Duration.ofSeconds(151));
        checks.sweep();
        assertFalse(checks.get("web-1", "disk").orElseThrow().stale(), "4 intervals are not over yet");
        assertEquals(List.of("etc/io.hanse.monitoring.cfg: historyDays = 10 is below 30; using 400"),
                Settings.problems().stream().filter(problem -> problem.startsWith("etc/io.hanse.monitoring.cfg:"))
                        .toList());

        checks.modified(MonitoringParts.config(Map.of("staleTolerance", 0.5)));
        clock.advance(Duration.ofSeconds(30));
        checks.sweep();
        assertFalse(checks.get("web-1", "disk").orElseThrow().stale(), "4 stays: 0.5 or the default 2.5 are over");
        clock.advance(Duration.ofSeconds(60));
        checks.sweep();
        assertTrue(checks.get("web-1", "disk").orElseThrow().stale(), "4 intervals are over");
        assertEquals(List.of("etc/io.hanse.monitoring.cfg: staleTolerance = 0.5 is below 1.0; using 4.0"),
                Settings.problems().stream().filter(problem -> problem.startsWith("etc/io.hanse.monitoring.cfg:"))
                        .toList());
        checks.modified(MonitoringParts.defaults());
    }

    @Test
    void aChecksLockIsKeptOnlyWhileItIsHeldSoThatAsksForUnknownChecksLeaveNothingBehind() {
        report("web-1", "disk", "critical");
        for (int i = 0; i < 100; i++) {
            String check = "no-such-check-" + i;
            assertThrows(NotFoundException.class, () -> checks.acknowledge(ALICE, "web-1", check, "x", false, null));
        }
        checks.acknowledge(ALICE, "web-1", "disk", "ordered", false, null);
        report("web-1", "disk", "critical");
        assertEquals(0, checks.locked());
    }

    @Test
    void anAcknowledgedProblemDoesNotCountUntilItsAckExpires() {
        report("web-1", "load", "ok");
        assertThrows(ConflictException.class, () -> checks.acknowledge(ALICE, "web-1", "load", "fine", false, null));
        report("web-1", "disk", "critical");
        assertEquals(Status.CRITICAL, told.status("web-1"));
        checks.acknowledge(ALICE, "web-1", "disk", "ordered", false, clock.instant().plus(Duration.ofMinutes(1)));
        assertEquals(Status.OK, told.status("web-1"));
        systems.add("fra/db");
        assertEquals("fra/db is fra's: its acknowledgements are removed there", assertThrows(ConflictException.class,
                () -> checks.unacknowledge(ALICE, "fra/db", "disk")).getMessage());
        assertThrows(NotFoundException.class, () -> checks.unacknowledge(ALICE, "xyz/db", "disk"));
        assertEquals("1 check ok; 1 problem acknowledged or in downtime", told.summary("web-1"));
        clock.advance(Duration.ofSeconds(61));
        report("web-1", "disk", "critical");
        assertEquals(Status.CRITICAL, told.status("web-1"), "expired, though the sweep has not ended it yet");
        assertFalse(checks.acknowledged(checks.get("web-1", "disk").orElseThrow()));
        assertThrows(ConflictException.class, () -> checks.unacknowledge(ALICE, "web-1", "disk"));
        checks.sweep();
        assertEquals(Status.CRITICAL, told.status("web-1"), "the acknowledgement expired");
        assertEquals("critical: disk", told.summary("web-1"));
        assertEquals(1, timeline.ofType("monitoring.ack-ended").size());
        assertEquals(1, timeline.ofType("monitoring.acknowledged").size());
    }

    @Test
    void anotherOnesAcknowledgementIsReplacedOnlyOnceItIsRemovedOrExpiredAndOnesOwnAtOnce() {
        TestCaller bob = TestCaller.everywhere("bob");
        report("web-1", "disk", "critical");
        report("web-1", "load", "critical");
        checks.acknowledge(ALICE, "web-1", "disk", "ordered", false, clock.instant().plus(Duration.ofMinutes(1)));
        checks.acknowledge(ALICE, "web-1", "load", "looking", false, null);
        assertEquals("web-1/disk is already acknowledged by user:alice at " + clock.instant() + ": \"ordered\". To"
                + " replace it, remove it first (DELETE …/ack, or monitoring:ack --remove web-1 disk)",
                assertThrows(ConflictException.class, () -> checks.acknowledge(bob, "web-1", "disk", "mine", true,
                        null)).getMessage());
        assertEquals("user:alice", checks.get("web-1", "disk").orElseThrow().ack().author(), "not replaced");
        assertThrows(ConflictException.class, () -> checks.acknowledge(bob, "web-1", "load", "mine", true, null));
        clock.advance(Duration.ofSeconds(1));
        assertEquals("still looking", checks.acknowledge(ALICE, "web-1", "load", "still looking", false, null).ack()
                .comment(), "one's own acknowledgement is replaced");
        checks.unacknowledge(bob, "web-1", "load");
        clock.advance(Duration.ofSeconds(1));
        assertEquals("user:bob", checks.acknowledge(bob, "web-1", "load", "mine", true, null).ack().author());
        clock.advance(Duration.ofSeconds(61));
        assertEquals("user:bob", checks.acknowledge(bob, "web-1", "disk", "mine", true, null).ack().author(),
                "expired, though the sweep has not ended it yet");
        assertEquals(5, timeline.ofType("monitoring.acknowledged").size());
        assertEquals(2, timeline.ofType("monitoring.ack-ended").size(), "bob's removal, and alice's expired one");
        checks.sweep();
        assertEquals(2, timeline.ofType("monitoring.ack-ended").size(), "bob's is not ended again");
    }

    @Test
    void anAcknowledgedEventSaysWhoWhyWhetherStickyAndUntilWhenAlsoWhenTheSweepPutsItOnTheTimeline()
            throws Exception {
        report("web-1", "disk", "critical");
        report("web-1", "load", "critical");
        Instant until = clock.instant().plus(Duration.ofHours(4));
        checks.acknowledge(ALICE, "web-1", "disk", "looking", true, until);
        timeline.unavailable(true);
        checks.acknowledge(ALICE, "web-1", "load", "on \"it\"", false, null);
        timeline.unavailable(false);
        checks.sweep();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> bodies = new ArrayList<>();
        for (Event event : timeline.ofType("monitoring.acknowledged")) {
            bodies.add(json.readTree(event.body()));
        }
        assertEquals(2, bodies.size());
        assertEquals("disk user:alice: looking user:alice looking true " + until, bodies.get(0).path("check").asText()
                + " " + bodies.get(0).path("output").asText() + " " + bodies.get(0).path("author").asText() + " "
                + bodies.get(0).path("comment").asText() + " " + bodies.get(0).path("sticky").asBoolean() + " "
                + bodies.get(0).path("expires").asText(), "as before, and the acknowledgement's own fields");
        assertEquals("load user:alice on \"it\" false", bodies.get(1).path("check").asText() + " "
                + bodies.get(1).path("author").asText() + " " + bodies.get(1).path("comment").asText() + " "
                + bodies.get(1).path("sticky").asBoolean(), "from the stored history, by the sweep");
        assertFalse(bodies.get(1).has("expires"), "none set");
        assertTrue(bodies.get(1).has("status") && bodies.get(1).has("output"), "the fields it had stay");
    }

    @Test
    void anAcknowledgementRemovedSaysWhoRemovedItAndOneThatExpiredNoOne() throws Exception {
        report("web-1", "disk", "critical");
        checks.acknowledge(ALICE, "web-1", "disk", "ordered", false, null);
        clock.advance(Duration.ofSeconds(1));
        checks.unacknowledge(TestCaller.everywhere("bob"), "web-1", "disk");
        clock.advance(Duration.ofSeconds(1));
        checks.acknowledge(ALICE, "web-1", "disk", "ordered again", false, clock.instant().plusSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        checks.sweep();
        ObjectMapper json = new ObjectMapper();
        List<String> ended = new ArrayList<>();
        for (Event event : timeline.ofType("monitoring.ack-ended")) {
            ended.add(json.readTree(event.body()).path("by").asText("no one"));
        }
        assertEquals(List.of("user:bob", "no one"), ended, "bob removed it; the other expired");
        assertEquals(List.of("no one", "user:bob"), new CheckStore(sql).history("web-1", "disk",
                clock.instant().minusSeconds(60), clock.instant().plusSeconds(1), 10).stream()
                .filter(entry -> entry.kind() == Change.Kind.ACK_ENDED).map(entry -> Optional.ofNullable(entry.by())
                        .orElse("no one")).toList(), "newest first, stored with the change, for the sweep that puts it"
                                + " on the timeline later");
    }

    @Test
    void aHardChangesEventSaysWhetherItWasAcknowledgedOrInDowntimeThen() throws Exception {
        report("web-1", "disk", "critical");
        checks.acknowledge(ALICE, "web-1", "disk", "ordered", true, null);
        clock.advance(Duration.ofSeconds(1));
        report("web-1", "disk", "warning");
        report("web-1", "load", "critical");
        Downtime own = downtimes.add(ALICE, new Downtimes.Draft("web-1", "load", false, clock.instant(),
                clock.instant().plus(Duration.ofHours(1)), null, null, "new fans"));
        downtimes.add(ALICE, new Downtimes.Draft("shop", null, true, clock.instant(),
                clock.instant().plus(Duration.ofHours(1)), null, null, "moving racks"));
        clock.advance(Duration.ofSeconds(1));
        report("web-1", "load", "warning");
        report("db-1", "net", "critical");
        report("web-1", "net", "critical");
        clock.advance(Duration.ofSeconds(1));
        report("web-1", "disk", "ok");
        ObjectMapper json = new ObjectMapper();
        List<String> events = new ArrayList<>();
        for (Event event : timeline.ofType("monitoring.state-changed")) {
            JsonNode body = json.readTree(event.body());
            events.add(event.system() + "/" + body.path("check").asText() + " " + body.path("status").asText()
                    + " acknowledged " + body.path("acknowledged") + ", in downtime " + body.path("inDowntime")
                    + (body.has("downtime") ? " " + body.path("downtime").asText() : ""));
        }
        assertEquals(List.of("web-1/disk critical acknowledged false, in downtime false",
                "web-1/disk warning acknowledged true, in downtime false",
                "web-1/load critical acknowledged false, in downtime false",
                "web-1/load warning acknowledged false, in downtime true " + own.id(),
                "db-1/net critical acknowledged false, in downtime false",
                "web-1/net critical acknowledged false, in downtime true",
                "web-1/disk ok acknowledged false, in downtime true"), events,
                "a sticky acknowledgement holds through a change and ends with the recovery; the aggregate's"
                        + " downtime covers its member but is not named on the member's timeline");
        assertEquals(List.of(false, true, false), new CheckStore(sql).history("web-1", "disk",
                clock.instant().minusSeconds(60), clock.instant().plusSeconds(1), 10).stream()
                .filter(entry -> entry.kind() == Change.Kind.HARD).map(HistoryEntry::acknowledged).toList(),
                "stored with the change, for the sweep that puts it on the timeline later");
    }

    @Test
    void aDowntimeOfACheckTheSystemNeverHadIsRefusedAsAnAcknowledgementOfItIs() {
        report("web-1", "disk", "critical");
        Instant ends = clock.instant().plus(Duration.ofHours(1));
        NotFoundException refused = assertThrows(NotFoundException.class, () -> downtimes.add(ALICE,
                new Downtimes.Draft("web-1", "nocheck", false, null, ends, null, null, "maintenance")));
        assertEquals("system 'web-1' has no check 'nocheck'", refused.getMessage());
        assertEquals(refused.getMessage(), assertThrows(NotFoundException.class, () -> checks.acknowledge(ALICE,
                "web-1", "nocheck", "looking", false, null)).getMessage());
        assertEquals("system 'shop' has no check 'disk'", assertThrows(NotFoundException.class, () -> downtimes.add(
                ALICE, new Downtimes.Draft("shop", "disk", false, null, ends, null, null, "maintenance")))
                .getMessage(), "web-1's disk is not shop's own");
        assertEquals("system 'shop' has no check 'nocheck', nor have its members", assertThrows(NotFoundException.class,
                () -> downtimes.add(ALICE, new Downtimes.Draft("shop", "nocheck", true, null, ends, null, null,
                        "maintenance"))).getMessage());
        assertEquals(List.of(), downtimes.list());

        Downtime own = downtimes.add(ALICE, new Downtimes.Draft("web-1", "disk", false, null, ends, null, null,
                "new disk"));
        Downtime members = downtimes.add(ALICE, new Downtimes.Draft("shop", "disk", true, null, ends, null, null,
                "new disks"));
        assertEquals(Set.of(own, members), Set.copyOf(downtimes.list()),
                "a check the system has, or one of its members");
    }

    @Test
    void downtimesOfACheckTheSystemNeverHadAreNotFoundAsItsAcknowledgementIs() {
        report("web-1", "disk", "critical");
        NotFoundException refused = assertThrows(NotFoundException.class,
                () -> downtimes.list(ALICE, "web-1", "nocheck"));
        assertEquals("system 'web-1' has no check 'nocheck'", refused.getMessage());
        assertEquals(refused.getMessage(), assertThrows(NotFoundException.class, () -> checks.acknowledge(ALICE,
                "web-1", "nocheck", "looking", false, null)).getMessage());
        assertEquals("system 'shop' has no check 'nocheck', nor have its members", assertThrows(
                NotFoundException.class, () -> downtimes.list(ALICE, "shop", "nocheck")).getMessage());
        assertEquals("no system 'nosys'", assertThrows(NotFoundException.class,
                () -> downtimes.list(ALICE, "nosys", "disk")).getMessage());
        assertEquals(List.of(), downtimes.list(ALICE, "web-1", "disk"), "a check without downtimes");
        assertEquals(List.of(), downtimes.list(ALICE, "shop", "disk"), "a member's, which a downtime of shop's"
                + " members may cover");
        TestCaller bob = TestCaller.on("bob", Set.of("shop"), MonitoringPermissions.READ);
        assertEquals("system 'shop' has no check 'disk'", assertThrows(NotFoundException.class,
                () -> downtimes.list(bob, "shop", "disk")).getMessage(), "web-1's disk is not bob's to know of");
        assertThrows(ForbiddenException.class, () -> downtimes.list(bob, "web-1", "nocheck"));
        assertThrows(ForbiddenException.class, () -> downtimes.list(bob, "nosys", "nocheck"));
    }

    @Test
    void aCommentTooLongIsRefusedSayingSoAndAMissingOneAsRequired() {
        report("web-1", "disk", "critical");
        String tooLong = "x".repeat(Checks.MAX_COMMENT + 1);
        assertEquals("comment is at most 1000 characters, not 1001", assertThrows(InvalidRequestException.class,
                () -> checks.acknowledge(ALICE, "web-1", "disk", tooLong, false, null)).getMessage());
        Instant ends = clock.instant().plus(Duration.ofHours(1));
        assertEquals("comment is at most 1000 characters, not 1001", assertThrows(InvalidRequestException.class,
                () -> downtimes.add(ALICE, new Downtimes.Draft("web-1", "disk", false, null, ends, null, null,
                        tooLong))).getMessage());
        assertTrue(assertThrows(InvalidRequestException.class, () -> checks.acknowledge(ALICE, "web-1", "disk", " ",
                false, null)).getMessage().startsWith("comment is required"));
        assertTrue(assertThrows(InvalidRequestException.class, () -> downtimes.add(ALICE, new Downtimes.Draft("web-1",
                "disk", false, null, ends, null, null, null))).getMessage().startsWith("comment is required"));
        assertEquals(Checks.MAX_COMMENT, checks.acknowledge(ALICE, "web-1", "disk", tooLong.substring(1), false, null)
                .ack().comment().length());
    }

    @Test
    void aDowntimeOnAnAggregateCoversItsMembersWhoseChecksStillRecord() {
        report("web-1", "disk", "critical");
        assertThrows(InvalidRequestException.class, () -> downtimes.add(ALICE, new Downtimes.Draft("shop", null,
                true, clock.instant(), clock.instant().minusSeconds(1), null, null, "backwards")));
        Downtime downtime = downtimes.add(ALICE, new Downtimes.Draft("shop", null, true, clock.instant(),
                clock.instant().plus(Duration.ofHours(1)), null, null, "new disks"));
        assertEquals(Status.OK, told.status("web-1"), "at once, not at the next sweep");
        checks.sweep();
        report("web-1", "disk", "warning");
        assertEquals(CheckStatus.WARNING, checks.get("web-1", "disk").orElseThrow().hardStatus(),
                "checks in downtime still record");
        assertEquals(Status.OK, told.status("web-1"));
        report("db-1", "disk", "critical");
        assertEquals(Status.CRITICAL, told.status("db-1"), "db-1 is not a member of shop");
        clock.advance(Duration.ofHours(1));
        report("web-1", "disk", "warning");
        checks.sweep();
        assertEquals(Status.WARNING, told.status("web-1"));
        assertEquals(List.of("monitoring.downtime-scheduled", "monitoring.downtime-started",
                "monitoring.downtime-ended"), timeline.events().stream().map(e -> e.type())
                        .filter(type -> type.contains("downtime")).toList());
        assertTrue(timeline.events().stream().anyMatch(e -> e.body().contains(downtime.id().toString())));
    }

    @Test
    void aWeeklyDowntimeFollowsTheWallClockAcrossTheEndOfSummerTime() {
        report("web-1", "backup", "critical");
        downtimes.add(ALICE, new Downtimes.Draft("web-1", "backup", false, null, null, "weekly sun 01:00-04:00",
                "Europe/Berlin", "nightly backup"));
        CheckState backup = checks.get("web-1", "backup").orElseThrow();
        // 01:00 CEST is 23:00Z; 04:00 CET, after the clocks went back at 03:00, is 03:00Z: four real hours.
        assertTrue(downtimes.covering("web-1", "backup", Instant.parse("2026-10-24T22:59:59Z")).isEmpty());
        assertTrue(downtimes.covering("web-1", "backup", Instant.parse("2026-10-24T23:00:00Z")).isPresent());
        assertTrue(downtimes.covering("web-1", "backup", Instant.parse("2026-10-25T02:59:59Z")).isPresent());
        assertTrue(downtimes.covering("web-1", "backup", Instant.parse("2026-10-25T03:00:00Z")).isEmpty());
        clock.advance(Duration.between(clock.instant(), Instant.parse("2026-10-25T01:30:00Z")));
        report("web-1", "backup", "critical");
        checks.sweep();
        assertTrue(checks.handled(checks.get("web-1", "backup").orElseThrow()));
        assertEquals(Status.OK, told.status("web-1"));
        clock.advance(Duration.ofMinutes(90));
        report("web-1", "backup", "critical");
        checks.sweep();
        assertFalse(checks.handled(backup));
        assertEquals(Status.CRITICAL, told.status("web-1"));
    }

    @Test
    void batchesFromManyAgentsAtOnceAreEachStoredAndShownOnce() throws Exception {
        ExecutorService agents = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int agent = 0; agent < 8; agent++) {
                String check = "disk-" + agent;
                sent.add(agents.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        Instant ran = clock.instant().plusSeconds(i);
                        checks.accept(List.of(observation("web-1", check, i % 2 == 0 ? "critical" : "ok", ran),
                                observation("db-1", check, "warning", ran)));
                    }
                }));
            }
            for (Future<?> batches : sent) {
                batches.get(60, TimeUnit.SECONDS);
            }
        } finally {
            agents.shutdownNow();
        }
        checks.flush();
        assertEquals(8 * 21, timeline.ofType("monitoring.state-changed").size(),
                "20 changes of each check on web-1 and one of each on db-1, each once");
        assertEquals(Status.WARNING, told.status("db-1"));
        checks.deactivate();
        checks = checks();
        for (int agent = 0; agent < 8; agent++) {
            CheckState web = checks.get("web-1", "disk-" + agent).orElseThrow();
            assertEquals(CheckStatus.OK, web.status(), "the last of 20 results, stored");
            assertEquals(CheckStatus.WARNING, checks.get("db-1", "disk-" + agent).orElseThrow().hardStatus());
        }
    }

    @Test
    void theSweepMovesTheChecksOfASystemRenamedUnnoticedAndForgetsThoseOfOneDeletedWhoseSlugIsTakenAgain() {
        report("web-1", "disk", "critical");
        report("db-1", "disk", "critical");
        assertEquals(Status.CRITICAL, told.status("db-1"));
        systems.rename("web-1", "web-2");
        systems.remove("db-1");
        ManagedSystem newDb = systems.add("db-1");
        checks.sweep();
        checks.flush();
        assertEquals(Set.of("web-2"), checks.systems());
        assertEquals(CheckStatus.CRITICAL, checks.get("web-2", "disk").orElseThrow().hardStatus());
        assertEquals(Status.CRITICAL, told.status("web-2"));
        assertEquals(null, told.status("db-1"), "the deleted system's status is not the new one's");

        report("db-1", "disk", "ok");
        CheckState disk = checks.get("db-1", "disk").orElseThrow();
        assertEquals(newDb.id(), disk.systemId());
        assertEquals(clock.instant(), disk.firstSeen());
        assertEquals(List.of(), new Histories(new CheckStore(sql), checks, clock).history("db-1", "disk",
                clock.instant().minus(Duration.ofDays(1)), clock.instant().plusSeconds(1), 10));
    }

    @Test
    void aResultForASlugTakenByANewSystemBeforeTheKernelToldOfTheDeletionStartsTheNewSystemsChecks() {
        report("db-1", "disk", "critical");
        report("db-1", "load", "critical");
        systems.remove("db-1");
        ManagedSystem newDb = systems.add("db-1");
        report("db-1", "load", "ok");
        assertTrue(checks.get("db-1", "disk").isEmpty(), "the deleted system's check");
        CheckState load = checks.get("db-1", "load").orElseThrow();
        assertEquals(newDb.id(), load.systemId());
        assertEquals(clock.instant(), load.firstSeen());
        assertEquals(Status.OK, told.status("db-1"));
        checks.deactivate();
        checks = checks();
        assertEquals(List.of("load"), checks.of("db-1").stream().map(CheckState::check).toList(),
                "forgotten in the database too");
    }

    @Test
    void aNewSystemWithADeletedOnesSlugIsToldItsStatusThoughItIsTheSameAsTheDeletedOnes() {
        report("db-1", "load", "ok");
        assertEquals(Status.OK, told.status("db-1"));
        systems.remove("db-1");
        told.clear("db-1"); // The kernel's status reports about a system go with it.
        systems.add("db-1");
        report("db-1", "load", "ok");
        assertEquals(Status.OK, told.status("db-1"), "the new system's own report");
    }

    @Test
    void aRestartKeepsStatesAcknowledgementsAndHistory() {
        report("web-1", "disk", "critical");
        checks.acknowledge(ALICE, "web-1", "disk", "ordered", true, null);
        checks.setMaxAttempts(ALICE, "web-1", "disk", 5);
        checks.deactivate();
        checks = checks();
        CheckState disk = checks.get("web-1", "disk").orElseThrow();
        assertEquals(CheckStatus.CRITICAL, disk.hardStatus());
        assertEquals("user:alice", disk.ack().author());
        assertTrue(disk.ack().sticky());
        assertEquals(5, disk.policyMaxAttempts());
        assertEquals(Status.OK, told.status("web-1"), "acknowledged");
        clock.advance(Duration.ofSeconds(1));
        Histories histories = new Histories(new CheckStore(sql), checks, clock);
        assertEquals(List.of(Change.Kind.ACKNOWLEDGED, Change.Kind.HARD), histories.history("web-1", "disk",
                clock.instant().minusSeconds(60), clock.instant().plusSeconds(1), 10).stream()
                .map(HistoryEntry::kind).toList());
        assertEquals(1, histories.record("web-1", "disk").breaks7d());
    }

    @Test
    void aRestartAfterAnOutageGivesAgentsTheirIntervalsToReportBeforeChecksTurnStale() {
        report("web-1", "disk", "ok");
        checks.deactivate();
        clock.advance(Duration.ofHours(1));
        checks = checks();
        checks.sweep();
        assertFalse(checks.get("web-1", "disk").orElseThrow().stale(), "counted from the restart");
        // Agents that waited out the outage try again at most 5 minutes later.
        clock.advance(Checks.AGENTS_RETURN.plusSeconds(149));
        checks.sweep();
        assertFalse(checks.get("web-1", "disk").orElseThrow().stale());
        clock.advance(Duration.ofSeconds(2));
        checks.sweep();
        assertTrue(checks.get("web-1", "disk").orElseThrow().stale());
    }

    @Test
    void aDatabaseOutageGivesAgentsTheTimeToReturnBeforeChecksTurnStale() {
        clock.advance(Checks.AGENTS_RETURN);
        report("web-1", "disk", "ok");
        clock.advance(Duration.ofSeconds(90));
        databaseAway.set(true);
        // The agent keeps the result it could not deliver, and tries again up to 5 minutes later.
        assertThrows(UnavailableException.class, () -> checks.accept(List.of(observation("web-1", "disk", "ok"))));
        clock.advance(Duration.ofSeconds(50));
        checks.sweep();
        clock.advance(Duration.ofSeconds(10));
        databaseAway.set(false);
        // 2.5 intervals after the last result, 10 seconds after the database came back.
        clock.advance(Duration.ofSeconds(10));
        checks.sweep();
        assertFalse(checks.get("web-1", "disk").orElseThrow().stale(), "the agent could not deliver");
        assertEquals(List.of(), timeline.ofType("monitoring.stale"));
        assertEquals(Status.OK, told.status("web-1"));
        // Counted from 5 minutes after the sweep that last found the database away, 20 seconds before.
        clock.advance(Checks.AGENTS_RETURN.plusSeconds(149 - 20));
        checks.sweep();
        assertFalse(checks.get("web-1", "disk").orElseThrow().stale(), "2.5 intervals after the grace are not over");
        clock.advance(Duration.ofSeconds(2));
        checks.sweep();
        assertTrue(checks.get("web-1", "disk").orElseThrow().stale(), "nothing came after the agent's return either");
        assertEquals(List.of("web-1"), timeline.ofType("monitoring.stale").stream().map(Event::system).toList());
    }

    @Test
    void aCheckWhoseAgentSendsWhatWaitedInItsSpoolIsNotStaleWhileItDoes() {
        report("web-1", "disk", "critical");
        checks.acknowledge(ALICE, "web-1", "disk", "on it", false, null);
        clock.advance(Checks.AGENTS_RETURN.plusSeconds(149));
        Instant outage = clock.instant().minus(Duration.ofMinutes(3));
        // The agent is back, with results from its spool, three minutes old: it is not silent.
        accept(List.of(observation("web-1", "disk", "critical", outage)));
        clock.advance(Duration.ofSeconds(149));
        checks.sweep();
        CheckState state = checks.get("web-1", "disk").orElseThrow();
        assertFalse(state.stale());
        assertNotNull(state.ack(), "nothing changed the acknowledged problem");
        clock.advance(Duration.ofSeconds(2));
        checks.sweep();
        assertTrue(checks.get("web-1", "disk").orElseThrow().stale(), "then nothing came for 2.5 intervals");
    }

    @Test
    void goingStaleEndsANonStickyAckButNotASticky() {
        report("web-1", "disk", "critical");
        report("web-1", "load", "critical");
        checks.acknowledge(ALICE, "web-1", "disk", "on it", false, null);
        checks.acknowledge(ALICE, "web-1", "load", "on it", true, null);
        clock.advance(Checks.AGENTS_RETURN.plusSeconds(151));
        checks.sweep();
        assertTrue(checks.get("web-1", "disk").orElseThrow().stale());
        assertNull(checks.get("web-1", "disk").orElseThrow().ack(), "nothing says it is still what was acknowledged");
        assertNotNull(checks.get("web-1", "load").orElseThrow().ack());
        assertEquals(Status.UNKNOWN, told.status("web-1"), "the stale check is no longer handled");
    }

    @Test
    void aChangeOfACheckPolicyGoesOnTheTimelineWithWhoChangedItAlsoWhenTheTimelineIsAway() {
        report("web-1", "disk", "critical");
        checks.setMaxAttempts(ALICE, "web-1", "disk", 5);
        checks.setMaxAttempts(ALICE, "web-1", "disk", 5);
        timeline.unavailable(true);
        checks.setMaxAttempts(TestCaller.everywhere("bob"), "web-1", "disk", 0);
        assertEquals(0, checks.get("web-1", "disk").orElseThrow().policyMaxAttempts(), "stored all the same");
        timeline.unavailable(false);
        checks.sweep();
        assertEquals(List.of(
                "web-1 {\"check\":\"disk\",\"maxAttempts\":5,\"maxAttemptsBefore\":0,\"by\":\"user:alice\"}",
                "web-1 {\"check\":\"disk\",\"maxAttempts\":0,\"maxAttemptsBefore\":5,\"by\":\"user:bob\"}"),
                timeline.ofType("monitoring.policy-changed").stream().map(event -> event.system() + " "
                        + event.body()).toList(), "setting the policy it has changes nothing");
        assertEquals(List.of("alice", "bob"), timeline.ofType("monitoring.policy-changed").stream()
                .map(event -> event.source().name()).toList(), "whoever changed it is the source, as of downtimes");
        assertThrows(NotFoundException.class, () -> checks.setMaxAttempts(ALICE, "web-1", "nocheck", 5));
        assertEquals(2, timeline.ofType("monitoring.policy-changed").size());
    }

    @Test
    void aCheckRemovedWhileTheTimelineIsAwayIsToldThereAtTheNextSweep() {
        report("web-1", "disk", "critical");
        timeline.unavailable(true);
        checks.remove(ALICE, "web-1", "disk");
        assertTrue(checks.get("web-1", "disk").isEmpty());
        timeline.unavailable(false);
        assertEquals(List.of(), timeline.ofType("monitoring.check-removed"));
        checks.sweep();
        checks.sweep();
        assertEquals(List.of("{\"check\":\"disk\",\"status\":\"critical\",\"by\":\"user:alice\"}"),
                timeline.ofType("monitoring.check-removed").stream().map(Event::body).toList());
        assertEquals(ALICE.source(), timeline.ofType("monitoring.check-removed").get(0).source());
        assertEquals(List.of(0), sql.inTransaction(connection -> Sql.select(connection,
                "SELECT COUNT(*) FROM monitoring_outbox", row -> row.getInt(1))));
    }

    @Test
    void aRemovedCheckIsForgottenWithItsHistoryAndComesBackAsNewWithALaterResult() {
        report("web-1", "disk", "critical");
        report("web-1", "load", "ok");
        assertEquals(Status.CRITICAL, told.status("web-1"));
        checks.remove(ALICE, "web-1", "disk");
        assertTrue(checks.get("web-1", "disk").isEmpty());
        assertEquals(Status.OK, told.status("web-1"), "the rest of its checks");
        assertEquals("{\"check\":\"disk\",\"status\":\"critical\",\"by\":\"user:alice\"}",
                timeline.ofType("monitoring.check-removed").get(0).body());
        assertThrows(NotFoundException.class, () -> checks.remove(ALICE, "web-1", "disk"));
        checks.remove(ALICE, "web-1", "load");
        assertEquals(null, told.status("web-1"), "no checks: the plugin has nothing to say about it");

        clock.advance(Duration.ofMinutes(5));
        report("web-1", "disk", "ok");
        CheckState again = checks.get("web-1", "disk").orElseThrow();
        assertEquals(clock.instant(), again.firstSeen());
        Histories histories = new Histories(new CheckStore(sql), checks, clock);
        assertEquals(List.of(), histories.history("web-1", "disk", clock.instant().minus(Duration.ofDays(1)),
                clock.instant().plusSeconds(1), 10), "the old history went with it");
        assertEquals(0, histories.record("web-1", "disk").breaks7d());
    }

    @Test
    void aDeletedSystemsChecksAreForgottenAndARenamedOnesMoveWithIt() {
        report("web-1", "disk", "critical");
        report("db-1", "disk", "critical");
        ManagedSystem web = systems.find("web-1").orElseThrow();
        ManagedSystem renamed = systems.rename("web-1", "web-2");
        checks.event(new SystemEvent(SystemEvent.Type.UPDATED, renamed, Optional.of(web), List.of(), List.of()));
        assertTrue(checks.get("web-1", "disk").isEmpty());
        CheckState moved = checks.get("web-2", "disk").orElseThrow();
        assertEquals(CheckStatus.CRITICAL, moved.hardStatus());
        assertEquals(web.id(), moved.systemId());
        clock.advance(Checks.AGENTS_RETURN.plusSeconds(151));
        checks.sweep();
        assertEquals(List.of("db-1", "web-2"), timeline.ofType("monitoring.stale").stream().map(Event::system)
                .sorted().toList());
        assertEquals(Status.UNKNOWN, told.status("web-2"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, new Histories(new CheckStore(sql), checks, clock).record("web-2", "disk").breaks7d(),
                "its history moved with it");

        ManagedSystem db = systems.remove("db-1");
        checks.event(new SystemEvent(SystemEvent.Type.REMOVED, db, Optional.of(db), List.of(), List.of()));
        assertTrue(checks.get("db-1", "disk").isEmpty());
        assertEquals(Set.of("web-2"), checks.systems());
        checks.deactivate();
        checks = checks();
        assertEquals(Set.of("web-2"), checks.systems(), "forgotten in the database too");
    }

    @Test
    void aMemberRenamedUnderAnAggregateInDowntimeStaysCoveredWithoutWaitingForTheSweep() {
        report("web-1", "disk", "critical");
        downtimes.add(ALICE, new Downtimes.Draft("shop", null, true, clock.instant(),
                clock.instant().plus(Duration.ofHours(1)), null, null, "maintenance"));
        checks.flush();
        assertEquals(Status.OK, told.status("web-1"));
        ManagedSystem web = systems.find("web-1").orElseThrow();
        ManagedSystem renamed = systems.rename("web-1", "web-2");
        checks.event(new SystemEvent(SystemEvent.Type.UPDATED, renamed, Optional.of(web), List.of(), List.of()));
        checks.flush();
        assertEquals(Status.OK, told.status("web-2"), "still a member of shop, in its downtime");
        report("web-2", "disk", "critical");
        assertEquals(Status.OK, told.status("web-2"));
    }

    @Test
    void theSweepForgetsChecksOfSystemsDeletedUnnoticedAndPutsThousandsOfChangesOnTheTimelineInChunks() {
        List<AgentObservation> many = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            many.add(observation(i % 2 == 0 ? "web-1" : "shop", "c" + i, "ok"));
        }
        accept(many);
        report("db-1", "disk", "critical");
        systems.remove("db-1");
        clock.advance(Checks.AGENTS_RETURN.plusSeconds(151));
        checks.sweep();
        assertEquals(Set.of("web-1", "shop"), checks.systems(), "its id is gone: no rename can bring it back");
        // A sweep publishes for a second at most: on a slow machine the rest goes at the next sweeps.
        for (int sweeps = 1; sweeps < 100 && timeline.ofType("monitoring.stale").size() < 1500; sweeps++) {
            checks.sweep();
        }
        assertEquals(1500, timeline.ofType("monitoring.stale").size(), "all of them, though the timeline takes"
                + " at most " + Checks.TIMELINE_CHUNK + " at once here");
        assertEquals(Status.UNKNOWN, told.status("web-1"));
    }

    @Test
    void historyOlderThanItsDaysIsDeletedButForTheHardChangeAvailabilityStartsFrom() {
        Instant first = clock.instant();
        report("web-1", "disk", "critical");
        clock.advance(Duration.ofHours(1));
        report("web-1", "disk", "ok");
        clock.advance(Duration.ofHours(1));
        report("web-1", "disk", "critical");
        clock.advance(Duration.ofDays(401));
        report("web-1", "disk", "critical");
        checks.sweep();
        Histories histories = new Histories(new CheckStore(sql), checks, clock);
        assertEquals(List.of(Change.Kind.HARD), histories.history("web-1", "disk", first, clock.instant(), 10)
                .stream().map(HistoryEntry::kind).toList(), "the last hard change before the cut, alone");
        assertEquals(1.0, histories.availability("web-1", "disk", clock.instant().minus(Duration.ofDays(400)),
                clock.instant()).shares().get(CheckStatus.CRITICAL), 1e-9, "critical since then");
    }
}
