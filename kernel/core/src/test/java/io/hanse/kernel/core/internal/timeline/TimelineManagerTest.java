package io.hanse.kernel.core.internal.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.TooLargeException;
import io.hanse.api.config.Settings;
import io.hanse.api.instance.Instance;
import io.hanse.api.instance.InstanceService;
import io.hanse.api.security.Scope;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusChange;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.timeline.Appended;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.EventPage;
import io.hanse.api.timeline.EventQuery;
import io.hanse.api.timeline.Source;
import io.hanse.api.timeline.Subscriber;
import io.hanse.api.timeline.Subscription;
import io.hanse.kernel.core.internal.system.SystemIndex;
import io.hanse.kernel.store.internal.JdbcEventStore;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.MutableClock;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The timeline on a real (in-memory H2) store, with a small fixed membership graph. */
class TimelineManagerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Source AGENT = new Source(Source.Kind.AGENT, "agent-7");
    private static final InstanceService INSTANCE = () -> new Instance("id", "here", "0.1.0");
    /** What the kernel records about systems. */
    private static final EventQuery KERNEL_RECORDS = new EventQuery(null, false, Set.of("system.*"), null, null, 10,
            null, null);

    /** fra1 aggregates storage, which aggregates db-1; web stands alone. */
    private static final class Graph implements SystemIndex {
        final Map<String, UUID> ids = new HashMap<>();
        final Map<UUID, UUID> parent = new HashMap<>();

        Graph() {
            for (String slug : List.of("fra1", "storage", "db-1", "web")) {
                ids.put(slug, UUID.randomUUID());
            }
            parent.put(ids.get("storage"), ids.get("fra1"));
            parent.put(ids.get("db-1"), ids.get("storage"));
        }

        @Override
        public Optional<UUID> id(String slug) {
            return Optional.ofNullable(ids.get(slug));
        }

        @Override
        public Set<UUID> selfAndBelow(UUID system) {
            Set<UUID> below = new HashSet<>();
            for (UUID id : ids.values()) {
                if (isWithin(id, system)) {
                    below.add(id);
                }
            }
            return below;
        }

        @Override
        public boolean isWithin(UUID system, UUID ancestor) {
            for (UUID step = system; step != null; step = parent.get(step)) {
                if (step.equals(ancestor)) {
                    return true;
                }
            }
            return false;
        }
    }

    private KernelDatabase database;
    private TimelineManager timeline;

    @BeforeEach
    void start() {
        database = KernelDatabase.h2();
        timeline = new TimelineManager(store(), new Graph(), INSTANCE, Clock.fixed(NOW, ZoneOffset.UTC),
                config(1_000, ""));
    }

    @AfterEach
    void stop() {
        timeline.deactivate();
        database.close();
    }

    private static EventDraft draft(String id, String type, String system, int second) {
        return new EventDraft(id, type, system, NOW.minusSeconds(100 - second), AGENT, "{\"n\":" + second + "}");
    }

    @Test
    void appendingTheSameIdAgainReturnsTheFirstEventAndStoresNothing() {
        Appended first = timeline.append(draft("deploy-42", "deploy.finished", "db-1", 1));
        Appended again = timeline.append(new EventDraft("deploy-42", "deploy.finished", "db-1", NOW, AGENT,
                "{\"different\":true}"));

        assertTrue(first.created());
        assertFalse(again.created());
        assertEquals(first.event(), again.event());
        assertEquals("here", first.event().origin());
        assertEquals(NOW, first.event().recorded());
        assertEquals(1, timeline.query(EventQuery.around("db-1", 10)).events().size());
    }

    @Test
    void aBatchStoresAllOrNothingAndReportsDuplicatesInOrder() {
        timeline.append(draft("a", "deploy.finished", "db-1", 1));

        List<Appended> outcomes = timeline.append(List.of(draft("b", "deploy.finished", "db-1", 2),
                draft("a", "deploy.finished", "db-1", 3), draft("b", "deploy.finished", "db-1", 4)));

        assertEquals(List.of(true, false, false), outcomes.stream().map(Appended::created).toList());
        assertEquals(List.of("b", "a", "b"), outcomes.stream().map(outcome -> outcome.event().id()).toList());
        assertThrows(NotFoundException.class, () -> timeline.append(List.of(draft("c", "deploy.finished", "db-1", 5),
                draft("d", "deploy.finished", "nowhere", 6))));
        assertEquals(List.of("b", "a"), ids(timeline.query(EventQuery.around("db-1", 10))));
    }

    @Test
    void bodiesMustBeJsonObjectsWithinTheLimit() {
        TooLargeException large = assertThrows(TooLargeException.class, () -> timeline.append(new EventDraft(null,
                "note.added", "web", null, AGENT, "{\"text\":\"" + "x".repeat(1_000) + "\"}")));
        assertEquals("event body is 1011 bytes; the limit is 1000", large.getMessage());
        assertEquals("event body must be a JSON object",
                assertThrows(InvalidRequestException.class, () -> timeline.append(new EventDraft(null, "note.added",
                        "web", null, AGENT, "[1]"))).getMessage());
        assertTrue(assertThrows(InvalidRequestException.class, () -> timeline.append(new EventDraft(null,
                "note.added", "web", null, AGENT, "{\"a\":"))).getMessage().startsWith("event body is not valid JSON"));
        assertEquals("event body has text after its JSON object", assertThrows(InvalidRequestException.class,
                () -> timeline.append(new EventDraft(null, "note.added", "web", null, AGENT, "{} {}"))).getMessage());
        assertEquals(0, timeline.query(EventQuery.around("web", 10)).events().size());
    }

    @Test
    void queriesAnAggregateWithItsMembersByTypeNewestFirstInPages() {
        timeline.append(List.of(draft("1", "monitoring.result", "db-1", 1), draft("2", "deploy.finished", "storage", 2),
                draft("3", "monitoring.state", "fra1", 3), draft("4", "monitoring.result", "web", 4),
                draft("5", "monitoring.result", "db-1", 5)));

        assertEquals(List.of("5", "3", "2", "1"), ids(timeline.query(EventQuery.around("fra1", 10))));
        assertEquals(List.of("3"), ids(timeline.query(new EventQuery("fra1", false, Set.of(),
                null, null, 10, null, null))));
        assertEquals(List.of("5", "3", "1"), ids(timeline.query(new EventQuery("fra1", true, Set.of("monitoring.*"),
                null, null, 10, null, null))));
        assertEquals(List.of("5", "4", "1"), ids(timeline.query(new EventQuery(null, false,
                Set.of("monitoring.result"), null, null, 10, null, null))));

        EventPage first = timeline.query(EventQuery.around("fra1", 3));
        EventPage second = timeline.query(EventQuery.around("fra1", 3).after(first.next().orElseThrow()));
        assertEquals(List.of("5", "3", "2"), ids(first));
        assertEquals(List.of("1"), ids(second));
        assertTrue(second.next().isEmpty());
        assertThrows(InvalidRequestException.class, () -> timeline.query(EventQuery.around("fra1", 3).after("bogus")));
        String beyond = Base64.getUrlEncoder().withoutPadding().encodeToString("+1000000-01-01T00:00:00Z/1".getBytes(
                StandardCharsets.UTF_8));
        assertThrows(InvalidRequestException.class, () -> timeline.query(EventQuery.around("fra1", 3).after(beyond)),
                "a cursor made up with a time the database cannot hold");
    }

    @Test
    void aQueryOrSubscriptionWithinAScopeSeesOnlyEventsAboutItsSystems() throws InterruptedException {
        Scope scope = Scope.of(Set.of("fra1", "storage", "db-1"));
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        try (Subscription subscription = timeline.subscribe(EventQuery.around("fra1", 1).within(scope),
                received::add)) {
            timeline.append(List.of(draft("1", "monitoring.result", "db-1", 1), draft("2", "deploy.finished", "web", 2),
                    draft("3", "monitoring.state", "fra1", 3), draft("4", "monitoring.state", "storage", 4)));

            assertEquals(List.of("4", "3", "1"), ids(timeline.query(EventQuery.around("fra1", 10).within(scope))));
            assertEquals(List.of("4", "3", "1"), ids(timeline.query(new EventQuery(null, false, Set.of(), null, null,
                    10, null, null).within(scope))));
            assertEquals("1", received.poll(5, TimeUnit.SECONDS).id());
            assertEquals("3", received.poll(5, TimeUnit.SECONDS).id());
            assertEquals("4", received.poll(5, TimeUnit.SECONDS).id());
            assertNull(received.poll(200, TimeUnit.MILLISECONDS), "nothing about systems outside the scope");
        }
    }

    @Test
    void aSlugLongerThanAnyThatCanExistIsNotRepeatedWholeInTheAnswer() {
        String slug = "a".repeat(5_000);

        assertEquals("no system '" + "a".repeat(128) + "…' (5,000 characters)",
                assertThrows(NotFoundException.class, () -> timeline.query(EventQuery.around(slug, 10))).getMessage());
    }

    @Test
    void aSystemOutsideTheScopeIsAsUnknownEvenIfSomeOfItsMembersAreWithin() {
        timeline.append(List.of(draft("1", "monitoring.result", "db-1", 1)));
        Scope members = Scope.of(Set.of("storage", "db-1"));

        for (String slug : List.of("fra1", "web", "nothing-by-this-name")) {
            NotFoundException query = assertThrows(NotFoundException.class,
                    () -> timeline.query(EventQuery.around(slug, 10).within(members)));
            assertEquals("no system '" + slug + "'", query.getMessage());
            NotFoundException subscription = assertThrows(NotFoundException.class,
                    () -> timeline.subscribe(EventQuery.around(slug, 10).within(members), event -> { }));
            assertEquals(query.getMessage(), subscription.getMessage());
        }
        assertThrows(NotFoundException.class, () -> timeline.query(EventQuery.around("db-1", 10)
                .within(Scope.NOWHERE)));
        assertEquals(List.of("1"), ids(timeline.query(EventQuery.around("storage", 10).within(members))));
    }

    @Test
    void subscribersReceiveNewEventsThatMatchTheirFilterInOrder() throws InterruptedException {
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        try (Subscription subscription = timeline.subscribe(new EventQuery("storage", true, Set.of("monitoring.*"),
                null, null, 1, null, null), received::add)) {
            timeline.append(List.of(draft("1", "monitoring.result", "db-1", 1),
                    draft("2", "deploy.finished", "db-1", 2), draft("3", "monitoring.result", "web", 3),
                    draft("4", "monitoring.state", "storage", 4)));
            timeline.append(draft("1", "monitoring.result", "db-1", 1));

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ids.add(received.poll(5, TimeUnit.SECONDS).id());
            }
            assertEquals(List.of("1", "4"), ids);
            assertNull(received.poll(200, TimeUnit.MILLISECONDS),
                    "nothing else: not other types, systems or duplicates");
        }
        timeline.append(draft("5", "monitoring.result", "db-1", 5));
        assertNull(received.poll(200, TimeUnit.MILLISECONDS), "nothing after the subscription is closed");
    }

    @Test
    void aStatusChangeIsRecordedAgainstTheSystemItWasAboutWhateverItsSlugNamesWhenItIsHeardOf() {
        // Renamed, or deleted, after its status changed: web is now another system's slug, gone no system's.
        UUID renamed = UUID.randomUUID();
        UUID deleted = UUID.randomUUID();

        timeline.changed(new StatusChange(renamed, "web", Status.NO_DATA, Status.CRITICAL, Status.NO_DATA,
                Status.CRITICAL, NOW));
        timeline.changed(new StatusChange(deleted, "gone", Status.OK, Status.WARNING, Status.OK, Status.WARNING,
                NOW));
        timeline.recordPending();

        List<Event> recorded = timeline.query(new EventQuery(null, false, Set.of("status.changed"), null, null, 10,
                null, null)).events();
        assertEquals(Set.of(renamed + " web", deleted + " gone"), recorded.stream()
                .map(event -> event.systemId() + " " + event.system()).collect(Collectors.toSet()));
    }

    @Test
    void afterAStartAStatusReportedAgainIsNoChangeAndAnotherChangesFromTheStatusRecordedLast() throws Exception {
        Graph graph = new Graph();
        timeline.deactivate();
        timeline = new TimelineManager(store(), graph, INSTANCE, Clock.fixed(NOW, ZoneOffset.UTC), config(1_000, ""));
        UUID web = graph.ids.get("web");
        UUID db = graph.ids.get("db-1");
        UUID cache = UUID.randomUUID();
        timeline.changed(new StatusChange(web, "web", Status.NO_DATA, Status.CRITICAL, Status.NO_DATA,
                Status.CRITICAL, NOW));
        timeline.changed(new StatusChange(db, "db", Status.NO_DATA, Status.WARNING, Status.NO_DATA, Status.WARNING,
                NOW));
        timeline.recordPending();
        // A peer's record about its own system, the newest here: not what this instance recorded.
        timeline.append(new EventDraft("fra:1", "status.changed", "db-1", NOW, new Source(Source.Kind.PEER, "fra"),
                "{\"previous\":\"warning\",\"status\":\"ok\"}"));
        timeline.deactivate();

        // Started again: every system's own status is no-data until its contributors report again.
        timeline = new TimelineManager(store(), graph, INSTANCE, Clock.fixed(NOW, ZoneOffset.UTC), config(1_000, ""));
        timeline.changed(new StatusChange(web, "web", Status.NO_DATA, Status.CRITICAL, Status.NO_DATA,
                Status.CRITICAL, NOW));
        timeline.changed(new StatusChange(db, "db", Status.NO_DATA, Status.OK, Status.NO_DATA, Status.OK, NOW));
        timeline.changed(new StatusChange(cache, "cache", Status.NO_DATA, Status.OK, Status.NO_DATA, Status.OK,
                NOW));
        timeline.changed(new StatusChange(db, "db", Status.OK, Status.NO_DATA, Status.OK, Status.NO_DATA, NOW));
        timeline.changed(new StatusChange(db, "db", Status.NO_DATA, Status.OK, Status.NO_DATA, Status.OK, NOW));
        timeline.recordPending();

        List<String> recorded = new ArrayList<>();
        for (Event event : timeline.query(new EventQuery(null, false, Set.of("status.changed"), null, null, 20,
                null, null)).events()) {
            JsonNode body = new ObjectMapper().readTree(event.body());
            if (event.origin().equals("here")) {
                recorded.add(event.systemId() + " " + body.path("previous").asText() + ">" + body.path("status")
                        .asText());
            }
        }
        assertEquals(Stream.of(web + " no-data>critical", db + " no-data>warning", db + " warning>ok",
                db + " ok>no-data", db + " no-data>ok", cache + " no-data>ok").sorted().toList(),
                recorded.stream().sorted().toList(),
                "web critical again is no change; db changes from the warning recorded last; cache is new");
    }

    @Test
    void retentionDeletesWhatIsOlderThanItsTypeIsKept() {
        TimelineManager retaining = new TimelineManager(store(), new Graph(), INSTANCE,
                Clock.fixed(NOW, ZoneOffset.UTC), config(1_000, "monitoring.*=PT60S, monitoring.state=PT1H"));
        retaining.append(List.of(draft("old-result", "monitoring.result", "web", 1),
                draft("new-result", "monitoring.result", "web", 50),
                draft("old-state", "monitoring.state", "web", 1), draft("old-deploy", "deploy.finished", "web", 1)));

        retaining.applyRetention();

        assertEquals(List.of("new-result", "old-deploy", "old-state"),
                ids(retaining.query(EventQuery.around("web", 10))));
        retaining.deactivate();
    }

    @Test
    void kernelRecordsTheStoreRefusesAreStoredOnceItTakesThemAgain() {
        MutableClock clock = new MutableClock(NOW);
        AtomicInteger refusals = new AtomicInteger(1);
        TimelineManager recording = refusing(refusals, new SQLException("connection reset", "08006"), clock);
        recording.event(new SystemEvent(SystemEvent.Type.ADDED, new MemorySystems().add("web"), Optional.empty(),
                List.of(), List.of()));

        recording.recordPending();
        recording.recordPending();
        assertEquals(0, refusals.get(), "not tried again at once");
        assertEquals(List.of(), ids(recording.query(KERNEL_RECORDS)));
        clock.advance(TimelineManager.FIRST_RETRY);
        recording.recordPending();

        assertEquals(List.of("system.created"), types(recording.query(KERNEL_RECORDS)));
        recording.deactivate();
    }

    @Test
    void kernelRecordsTheStoreRefusesForWhatTheyHoldAreDroppedAndHoldUpNoneAfterThem() {
        TimelineManager recording = refusing(new AtomicInteger(1), new SQLException("value too long", "22001"),
                Clock.fixed(NOW, ZoneOffset.UTC));
        MemorySystems systems = new MemorySystems();
        recording.event(new SystemEvent(SystemEvent.Type.ADDED, systems.add("web"), Optional.empty(), List.of(),
                List.of()));
        recording.recordPending();
        recording.event(new SystemEvent(SystemEvent.Type.ADDED, systems.add("db"), Optional.empty(), List.of(),
                List.of()));
        recording.recordPending();

        assertEquals(List.of("db"), recording.query(KERNEL_RECORDS).events().stream().map(Event::system).toList(),
                "the refused record is dropped, the next one stored without waiting");
        recording.deactivate();
    }

    @Test
    void kernelRecordsAreTriedAgainWhenThePoolHasNoConnectionToGiveWithoutSqlState() {
        MutableClock clock = new MutableClock(NOW);
        // What DBCP throws when no connection comes free in time.
        TimelineManager recording = refusing(new AtomicInteger(1),
                new SQLException("Cannot get a connection, pool error Timeout waiting for idle object"), clock);
        recording.event(new SystemEvent(SystemEvent.Type.ADDED, new MemorySystems().add("web"), Optional.empty(),
                List.of(), List.of()));

        recording.recordPending();
        clock.advance(TimelineManager.FIRST_RETRY);
        recording.recordPending();

        assertEquals(List.of("system.created"), types(recording.query(KERNEL_RECORDS)), "kept and stored later");
        recording.deactivate();
    }

    @Test
    void ofABatchTheStoreRefusesForOneRecordOnlyThatRecordIsLost() {
        TimelineManager recording = new TimelineManager(new ForwardingEventStore(store()) {
            @Override
            public Set<String> insert(List<Event> events) {
                if (events.stream().anyMatch(event -> event.system().equals("bad"))) {
                    throw new IllegalStateException("database failure",
                            new SQLException("duplicate key", "23505"));
                }
                return super.insert(events);
            }
        }, new Graph(), INSTANCE, Clock.fixed(NOW, ZoneOffset.UTC), config(1_000, ""));
        MemorySystems systems = new MemorySystems();
        for (String slug : List.of("web", "bad", "db")) {
            recording.event(new SystemEvent(SystemEvent.Type.ADDED, systems.add(slug), Optional.empty(), List.of(),
                    List.of()));
        }

        recording.recordPending();

        assertEquals(Set.of("web", "db"), recording.query(KERNEL_RECORDS).events().stream().map(Event::system)
                .collect(Collectors.toSet()), "the records stored one by one, the refused one dropped");
        recording.deactivate();
    }

    @Test
    void stoppingWhileTheStoreHangsStoresFromOneThreadOnlyAndEndsTheSubscriptions() throws InterruptedException {
        CountDownLatch inserting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        TimelineManager hanging = new TimelineManager(new ForwardingEventStore(store()) {
            @Override
            public Set<String> insert(List<Event> events) {
                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    inserting.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    return super.insert(events);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } finally {
                    inside.decrementAndGet();
                }
            }
        }, new Graph(), INSTANCE, Clock.fixed(NOW, ZoneOffset.UTC), config(1_000, ""));
        BlockingQueue<String> ended = new LinkedBlockingQueue<>();
        hanging.subscribe(new EventQuery(null, false, Set.of(), null, null, 1, null, null), new Subscriber() {
            @Override
            public void event(Event event) {
            }

            @Override
            public void ended(String reason) {
                ended.add(reason);
            }
        });
        hanging.start(Duration.ofHours(1));
        try {
            hanging.event(new SystemEvent(SystemEvent.Type.ADDED, new MemorySystems().add("web"), Optional.empty(),
                    List.of(), List.of()));
            assertTrue(inserting.await(10, TimeUnit.SECONDS), "the recording thread stores");

            hanging.deactivate();

            assertEquals(1, mostInside.get(), "the batch stored by one thread at a time");
            assertEquals("the timeline stopped", ended.poll(10, TimeUnit.SECONDS));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aLongPurgeDoesNotHoldUpTheKernelsRecords() throws InterruptedException {
        CountDownLatch purging = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TimelineManager purged = new TimelineManager(new ForwardingEventStore(store()) {
            @Override
            public int deleteBefore(String type, Set<String> except, Instant before, int max) {
                purging.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.deleteBefore(type, except, before, max);
            }
        }, new Graph(), INSTANCE, Clock.fixed(NOW, ZoneOffset.UTC), config(1_000, "deploy.*=P1D"));
        purged.start(Duration.ZERO);
        try {
            assertTrue(purging.await(5, TimeUnit.SECONDS));
            purged.event(new SystemEvent(SystemEvent.Type.ADDED, new MemorySystems().add("web"), Optional.empty(),
                    List.of(), List.of()));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (purged.query(KERNEL_RECORDS).events().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(List.of("system.created"), types(purged.query(KERNEL_RECORDS)), "recorded while purging");
        } finally {
            release.countDown();
            purged.deactivate();
        }
    }

    @Test
    void aRetentionEntryThatKeepsNothingIsLoggedNamingItAndEventsAreKeptForEverInstead() {
        TimelineManager retaining = new TimelineManager(store(), new Graph(), INSTANCE,
                Clock.fixed(NOW, ZoneOffset.UTC), config(1_000, "monitoring.result=P30D, *=P-1D"));
        retaining.append(draft("old-result", "monitoring.result", "web", 1));

        retaining.applyRetention();

        assertEquals(List.of("old-result"), ids(retaining.query(EventQuery.around("web", 10))));
        assertEquals(List.of("etc/io.hanse.timeline.cfg: retention = \"monitoring.result=P30D, *=P-1D\": retention"
                + " entry ' *=P-1D' must keep events for a while; using \"\""), problems());
        retaining.deactivate();
    }

    @Test
    void aChangedConfigurationAppliesInPlaceAndABadChangeKeepsTheValuesInUse() throws InterruptedException {
        BlockingQueue<String> streamed = new LinkedBlockingQueue<>();
        timeline.subscribe(new EventQuery(null, false, Set.of(), null, null, 1, null, null),
                event -> streamed.add(event.id()));
        timeline.append(draft("old-result", "monitoring.result", "web", 1));

        timeline.modified(config(20, "monitoring.*=PT60S"));
        timeline.modified(config(1, "monitoring.*=never"));
        timeline.applyRetention();

        assertEquals(List.of(), ids(timeline.query(EventQuery.around("web", 10))));
        assertEquals("event body is 29 bytes; the limit is 20", assertThrows(TooLargeException.class,
                () -> timeline.append(new EventDraft("big", "note.added", "web", null, AGENT,
                        "{\"text\":\"" + "x".repeat(18) + "\"}"))).getMessage());
        assertEquals(2, problems().size());
        timeline.append(draft("new-result", "monitoring.result", "web", 3));
        assertEquals("old-result", streamed.poll(10, TimeUnit.SECONDS));
        assertEquals("new-result", streamed.poll(10, TimeUnit.SECONDS), "the stream stays open");
        timeline.modified(config(1_000, ""));
        assertEquals(List.of(), problems());
    }

    @Test
    void retentionEntriesAreCheckedAndTheMostSpecificWins() {
        Retention retention = Retention.parse("monitoring.*=P7D, monitoring.state=P30D,*=P365D");
        assertEquals(Set.of("monitoring.state"), retention.exceptions("monitoring.*"));
        assertEquals(Set.of("monitoring.*", "monitoring.state"), retention.exceptions("*"));
        assertEquals(Set.of(), retention.exceptions("monitoring.state"));
        assertThrows(IllegalArgumentException.class, () -> Retention.parse("monitoring=7 days"));
        assertThrows(IllegalArgumentException.class, () -> Retention.parse("Bad Type=P1D"));
    }

    /** A timeline on a store that fails to insert, as the database would with {@code cause}, while refusals last. */
    private TimelineManager refusing(AtomicInteger refusals, SQLException cause, Clock clock) {
        return new TimelineManager(new ForwardingEventStore(store()) {
            @Override
            public Set<String> insert(List<Event> events) {
                if (refusals.getAndDecrement() > 0) {
                    throw new IllegalStateException("database failure", cause);
                }
                return super.insert(events);
            }
        }, new Graph(), INSTANCE, clock, config(1_000, ""));
    }

    private static TimelineConfig config(int maxBodyBytes, String retention) {
        return new TimelineConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TimelineConfig.class;
            }

            @Override
            public int maxBodyBytes() {
                return maxBodyBytes;
            }

            @Override
            public String retention() {
                return retention;
            }
        };
    }

    private static List<String> problems() {
        return Settings.problems().stream().filter(problem -> problem.startsWith("etc/io.hanse.timeline.cfg:"))
                .toList();
    }

    private JdbcEventStore store() {
        return new JdbcEventStore(null, database.database(), database.dataSource());
    }

    private static List<String> ids(EventPage page) {
        return page.events().stream().map(Event::id).toList();
    }

    private static List<String> types(EventPage page) {
        return page.events().stream().map(Event::type).toList();
    }
}
