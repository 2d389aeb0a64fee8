package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.ConflictException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.Appended;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.EventPage;
import io.hanse.api.timeline.EventQuery;
import io.hanse.api.timeline.Subscriber;
import io.hanse.api.timeline.Subscription;
import io.hanse.api.timeline.Timeline;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.MemoryTimeline;
import io.hanse.testing.MutableClock;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Downtimes on a real (H2) database: what they cover while the sweep works coverage out, their
 * window events on the timeline, forgetting those that ended, and following systems that are
 * renamed or deleted.
 */
class DowntimesTest {

    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    private static final TestCaller ALICE = TestCaller.everywhere("alice");

    private final KernelDatabase database = KernelDatabase.h2().apply(DowntimesTest.class.getClassLoader(),
            "db/io.hanse.monitoring/changelog.xml");
    private final MutableClock clock = new MutableClock(NOW);
    private final PausingSystems systems = new PausingSystems();
    /** The systems the timeline takes events about; a test takes one away to make appending fail. */
    private final Set<String> onTimeline = new HashSet<>(Set.of("shop", "web-1", "db-1"));
    private final MemoryTimeline timeline = new MemoryTimeline(onTimeline);
    private final Sql sql = new Sql(database.dataSource());
    private final DowntimeStore store = new DowntimeStore(sql);
    private final Outbox outbox = new Outbox(sql, systems, timeline);
    private Downtimes downtimes;

    @BeforeEach
    void start() {
        systems.memory.add("web-1");
        systems.memory.add("db-1");
        systems.memory.add("shop", "web-1");
        downtimes = new Downtimes(store, systems, timeline, outbox, clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** The downtime events on the timeline, oldest first, as their kind and UTC time of day. */
    private List<String> told() {
        return timeline.events().stream().filter(event -> event.type().startsWith("monitoring.downtime-"))
                .map(event -> event.type().substring("monitoring.downtime-".length()) + " "
                        + event.time().toString().substring(11, 16)).toList();
    }

    private Downtime oneOff(String system, boolean members, Duration lasting) {
        return downtimes.add(ALICE, new Downtimes.Draft(system, null, members, clock.instant(),
                clock.instant().plus(lasting), null, null, "maintenance"));
    }

    @Test
    void aDowntimeRemovedWhileTheSweepTellsOthersGetsNoStartAfterItsRemoval() {
        oneOff("web-1", false, Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(1));
        Downtime removed = oneOff("db-1", false, Duration.ofHours(1));
        AtomicBoolean once = new AtomicBoolean();
        // As the sweep tells web-1's window, which it does first, someone removes db-1's.
        timeline.refuse(event -> event.system().equals("web-1") && event.type().endsWith("-started")
                && once.compareAndSet(false, true) && downtimes.remove(ALICE, removed.id()) == null);

        downtimes.announce(clock.instant());

        assertEquals(List.of("monitoring.downtime-scheduled", "monitoring.downtime-removed"), timeline.events().stream()
                .filter(event -> event.system().equals("db-1")).map(Event::type).toList());
    }

    @Test
    void aDowntimeAddedWhileTheSweepWorksOutCoverageStillCoversAfterwards() throws Exception {
        oneOff("shop", true, Duration.ofHours(1));
        systems.memory.add("web-2");
        systems.pauseNextTransitiveMembers();
        Thread sweep = new Thread(() -> downtimes.announce(clock.instant()));
        sweep.start();
        assertTrue(systems.paused.await(10, TimeUnit.SECONDS), "the sweep works out what shop covers");
        Thread add = new Thread(() -> oneOff("db-1", false, Duration.ofHours(1)));
        add.start();
        // Time for the add to finish, if nothing holds it back until the sweep is done.
        add.join(1000);
        systems.resume.countDown();
        sweep.join(10_000);
        add.join(10_000);
        assertTrue(downtimes.covering("db-1", "disk", clock.instant()).isPresent(),
                "the sweep's older coverage did not replace the one that has db-1's downtime");
        assertTrue(downtimes.covering("web-1", "disk", clock.instant()).isPresent());
    }

    @Test
    void theListIsByStartAndLeavesOutWhatEnded() {
        Downtime later = downtimes.add(ALICE, new Downtimes.Draft("web-1", null, false,
                clock.instant().plus(Duration.ofHours(2)), clock.instant().plus(Duration.ofHours(3)), null, null,
                "later"));
        Downtime now = oneOff("db-1", false, Duration.ofHours(1));
        assertEquals(List.of(now, later), downtimes.list());
        clock.advance(Duration.ofHours(1));
        assertEquals(List.of(later), downtimes.list(), "db-1's ended, even before the sweep forgets it");
        assertTrue(assertThrows(InvalidRequestException.class, () -> downtimes.add(ALICE, new Downtimes.Draft("web-1",
                null, false, clock.instant().minus(Duration.ofHours(2)), clock.instant().minusSeconds(1), null, null,
                "too late"))).getMessage().contains("is past"));
    }

    @Test
    void aWindowTheTimelineRefusesIsToldAtTheNextSweepAndHoldsBackNoOther() {
        oneOff("web-1", false, Duration.ofHours(1));
        oneOff("db-1", false, Duration.ofHours(1));
        onTimeline.remove("web-1");
        assertDoesNotThrow(() -> downtimes.announce(clock.instant()));
        assertEquals(List.of("db-1"), systemsOf("monitoring.downtime-started"));
        onTimeline.add("web-1");
        clock.advance(Duration.ofSeconds(10));
        downtimes.announce(clock.instant());
        assertEquals(List.of("db-1", "web-1"), systemsOf("monitoring.downtime-started"));
        assertEquals(NOW, timeline.ofType("monitoring.downtime-started").get(1).time(), "when the window started");
    }

    @Test
    void backToBackWindowsEachEndBeforeTheNextStarts() {
        downtimes.add(ALICE, new Downtimes.Draft("web-1", null, false, null, null, "cron 0 * * * * for 1h", null,
                "hourly"));
        clock.advance(Duration.ofMinutes(30));
        downtimes.announce(clock.instant());
        clock.advance(Duration.ofHours(1));
        downtimes.announce(clock.instant());
        List<String> told = timeline.events().stream().map(event -> event.type() + " " + event.time()).toList();
        assertEquals(List.of("monitoring.downtime-scheduled " + NOW, "monitoring.downtime-started " + NOW,
                "monitoring.downtime-ended 2026-11-02T11:00:00Z", "monitoring.downtime-started 2026-11-02T11:00:00Z"),
                told);
    }

    @Test
    void aDowntimeThatEndedWhileTheNodeWasStoppedStillEndsOnTheTimeline() {
        oneOff("web-1", false, Duration.ofHours(1));
        downtimes.announce(clock.instant());
        downtimes = new Downtimes(store, systems, timeline, outbox, clock);
        clock.advance(Duration.ofHours(2));
        downtimes.announce(clock.instant());
        assertEquals(List.of("web-1"), systemsOf("monitoring.downtime-started"));
        assertEquals(List.of("web-1"), systemsOf("monitoring.downtime-ended"));
        assertEquals(NOW.plus(Duration.ofHours(1)), timeline.ofType("monitoring.downtime-ended").get(0).time());
        assertEquals(Set.of(), idsIn(store.all()));
    }

    @Test
    void theWindowsThatClosedWhileTheNodeWasStoppedStartAndEndOnTheTimelineAfterwards() {
        downtimes.add(ALICE, new Downtimes.Draft("web-1", null, false, null, null, "cron 0 * * * * for 30m", null,
                "hourly"));
        downtimes.announce(clock.instant());
        downtimes = new Downtimes(store, systems, timeline, outbox, clock);
        clock.advance(Duration.ofHours(3));
        downtimes.announce(clock.instant());
        assertEquals(List.of("scheduled 10:00", "started 10:00", "ended 10:30", "started 11:00", "ended 11:30",
                "started 12:00", "ended 12:30", "started 13:00"), told());
        clock.advance(Duration.ofMinutes(45));
        downtimes = new Downtimes(store, systems, timeline, outbox, clock);
        downtimes.announce(clock.instant());
        assertEquals(List.of("ended 13:30"), told().subList(8, told().size()), "none told twice");
    }

    @Test
    void overlappingWindowsEachStartAndEnd() {
        downtimes.add(ALICE, new Downtimes.Draft("web-1", null, false, null, null, "cron 0 * * * * for 90m", null,
                "hourly, for longer"));
        for (Duration step : List.of(Duration.ZERO, Duration.ofMinutes(75), Duration.ofMinutes(30),
                Duration.ofMinutes(30))) {
            clock.advance(step);
            downtimes.announce(clock.instant());
        }
        // The window of 09:00 to 10:30, cut to the downtime's start, and that of 10:00 both start at 10:00.
        assertEquals(List.of("scheduled 10:00", "started 10:00", "started 10:00", "ended 10:30", "started 11:00",
                "ended 11:30", "started 12:00"), told());
    }

    @Test
    void afterALongStopAFrequentDowntimesWindowsAreToldAFewHundredAtEachSweep() {
        downtimes.add(ALICE, new Downtimes.Draft("web-1", null, false, null, null, "cron * * * * * for 1m", null,
                "every minute"));
        downtimes.announce(clock.instant());
        downtimes = new Downtimes(store, systems, timeline, outbox, clock);
        clock.advance(Duration.ofHours(10).plusSeconds(30));
        downtimes.announce(clock.instant());
        assertEquals(Downtimes.MAX_WINDOWS_TOLD, timeline.ofType("monitoring.downtime-ended").size());
        downtimes = new Downtimes(store, systems, timeline, outbox, clock);
        downtimes.announce(clock.instant());
        assertEquals(601, timeline.ofType("monitoring.downtime-started").size(), "10:00 to 20:00, a window a minute");
        assertEquals(600, timeline.ofType("monitoring.downtime-ended").size(), "all but the one open now");
    }

    @Test
    void downtimesThatEndedAreForgottenOnceTheirEndIsOnTheTimeline() {
        Downtime oneOff = oneOff("web-1", false, Duration.ofHours(1));
        downtimes.add(ALICE, new Downtimes.Draft("db-1", null, false, null, clock.instant().plus(Duration.ofHours(1)),
                "weekly mon 09:00-12:00", null, "until the migration is done"));
        Downtime forever = downtimes.add(ALICE, new Downtimes.Draft("shop", null, false, null, null,
                "weekly sun 01:00-04:00", null, "nightly backup"));
        downtimes.announce(clock.instant());
        clock.advance(Duration.ofHours(1));
        onTimeline.remove("web-1");
        downtimes.announce(clock.instant());
        assertEquals(Set.of(oneOff.id(), forever.id()), idsIn(store.all()), "web-1's end is not told yet");
        onTimeline.add("web-1");
        downtimes.announce(clock.instant());
        assertEquals(Set.of(forever.id()), idsIn(store.all()));
        assertEquals(Set.of(forever.id()), idsIn(downtimes.list()));
        assertEquals(List.of("db-1", "web-1"), systemsOf("monitoring.downtime-ended"));
        assertTrue(downtimes.covering("web-1", "disk", oneOff.starts()).isEmpty(), "forgotten, not just over");
    }

    @Test
    void whoMaySchedulePlainDowntimesOnAnAggregateButNotOnAllItsMembersCannotCoverThem() {
        TestCaller bob = TestCaller.on("bob", Set.of("shop"), MonitoringPermissions.READ,
                MonitoringPermissions.DOWNTIME);
        assertEquals("missing permission monitoring:downtime on every member of shop, which a downtime of its members"
                + " covers", assertThrows(ForbiddenException.class,
                () -> downtimes.add(bob, new Downtimes.Draft("shop", null, true, null, NOW.plus(Duration.ofHours(1)),
                        null, null, "maintenance"))).getMessage());
        Downtime own = downtimes.add(bob, new Downtimes.Draft("shop", null, false, null, NOW.plus(Duration.ofHours(1)),
                null, null, "maintenance"));
        assertEquals(List.of(own), downtimes.list());
    }

    @Test
    void whoMayRemovePlainDowntimesOnAnAggregateButNotOnAllItsMembersCannotRemoveOneThatCoversThem() {
        Downtime members = oneOff("shop", true, Duration.ofHours(1));
        Downtime own = oneOff("shop", false, Duration.ofHours(1));
        TestCaller bob = TestCaller.on("bob", Set.of("shop"), MonitoringPermissions.READ,
                MonitoringPermissions.DOWNTIME);
        assertEquals("missing permission monitoring:downtime on every member of shop, which a downtime of its members"
                + " covers", assertThrows(ForbiddenException.class, () -> downtimes.remove(bob, members.id()))
                .getMessage());
        assertTrue(downtimes.covering("web-1", "disk", clock.instant()).isPresent(), "web-1 is still in downtime");
        assertEquals(Set.of(members, own), Set.copyOf(downtimes.list()));
        assertEquals(own, downtimes.remove(bob, own.id()));

        TestCaller carol = TestCaller.on("carol", Set.of("shop", "web-1"), MonitoringPermissions.READ,
                MonitoringPermissions.DOWNTIME);
        assertEquals(members, downtimes.remove(carol, members.id()));
        assertEquals(List.of(), downtimes.list());
    }

    @Test
    void aDowntimeOnASystemTheCallerMayNotReadIsNotThereForIt() {
        Downtime web = oneOff("web-1", false, Duration.ofHours(1));
        TestCaller bob = TestCaller.on("bob", Set.of("shop"), MonitoringPermissions.READ,
                MonitoringPermissions.DOWNTIME);
        assertEquals("no downtime " + web.id(), assertThrows(NotFoundException.class,
                () -> downtimes.remove(bob, web.id())).getMessage());
        assertEquals("no downtime " + web.id(), assertThrows(NotFoundException.class,
                () -> downtimes.get(bob, web.id())).getMessage());
        TestCaller carol = TestCaller.on("carol", Set.of("web-1"), MonitoringPermissions.READ);
        assertEquals(web, downtimes.get(carol, web.id()));
        assertThrows(ForbiddenException.class, () -> downtimes.remove(carol, web.id()));
        assertEquals(List.of(web), downtimes.list());
    }

    @Test
    void theDowntimesCoveringASystemOrOneOfItsChecksAreListedAsItsCallerMayReadThem() {
        Downtime shop = oneOff("shop", true, Duration.ofHours(1));
        Downtime shopAlone = oneOff("shop", false, Duration.ofHours(1));
        Downtime disk = downtimes.add(ALICE, new Downtimes.Draft("web-1", "disk", false, NOW,
                NOW.plus(Duration.ofHours(1)), null, null, "new disk"));
        Downtime db = oneOff("db-1", false, Duration.ofHours(1));

        // All start at once: the order among them is their ids'.
        assertEquals(Set.of(shop, shopAlone, disk, db), Set.copyOf(downtimes.list(ALICE, null, null)));
        assertEquals(Set.of(shop, disk), Set.copyOf(downtimes.list(ALICE, "web-1", null)),
                "on it, or on shop for its members");
        assertEquals(List.of(shop), downtimes.list(ALICE, "web-1", "load"));
        TestCaller carol = TestCaller.on("carol", Set.of("web-1"), MonitoringPermissions.READ);
        assertEquals(List.of(disk), downtimes.list(carol, "web-1", null), "shop's is not carol's to see");
        assertThrows(ForbiddenException.class, () -> downtimes.list(carol, "db-1", null));
        assertThrows(InvalidRequestException.class, () -> downtimes.list(ALICE, null, "disk"));
    }

    @Test
    void aBlankSystemOrCheckIsNoneAsAnEmptyQueryParameterGivesIt() {
        Downtime web = oneOff("web-1", false, Duration.ofHours(1));
        Downtime db = oneOff("db-1", false, Duration.ofHours(1));
        TestCaller carol = TestCaller.on("carol", Set.of("web-1"), MonitoringPermissions.READ);
        assertEquals(List.of(web), downtimes.list(carol, "", ""), "all carol may read, not 403 on system \"\"");
        assertEquals(List.of(web), downtimes.list(carol, " ", null));
        assertEquals(Set.of(web, db), Set.copyOf(downtimes.list(ALICE, null, " ")), "not 400: no check given");
        assertEquals(List.of(web), downtimes.list(ALICE, "web-1", ""));
    }

    @Test
    void aDowntimeStoredWhileTheTimelineIsAwayIsToldWhenItIsBackOnce() {
        timeline.unavailable(true);
        Downtime web = oneOff("web-1", false, Duration.ofHours(1));
        assertEquals(web, downtimes.remove(ALICE, web.id()));
        Downtime db = oneOff("db-1", false, Duration.ofHours(1));
        assertEquals(List.of(db), downtimes.list());
        outbox.sendOwed();
        assertEquals(List.of(), told());
        timeline.unavailable(false);
        outbox.sendOwed();
        outbox.sendOwed();
        assertEquals(List.of("scheduled 10:00", "removed 10:00", "scheduled 10:00"), told());
        assertEquals(List.of("web-1", "web-1", "db-1"), timeline.events().stream().map(Event::system).toList());
        assertEquals(0, owed());
    }

    @Test
    void anEventOwedFollowsItsSystemRenamedAndGoesWithItDeleted() {
        timeline.unavailable(true);
        oneOff("web-1", false, Duration.ofHours(1));
        oneOff("db-1", false, Duration.ofHours(1));
        systems.memory.rename("web-1", "web-9");
        onTimeline.add("web-9");
        systems.memory.remove("db-1");
        timeline.unavailable(false);
        outbox.sendOwed();
        assertEquals(List.of("web-9"), timeline.events().stream().map(Event::system).toList());
        assertEquals(0, owed());
    }

    @Test
    void anEventTheTimelineRefusesForGoodHoldsBackNoOther() {
        timeline.unavailable(true);
        Downtime web = oneOff("web-1", false, Duration.ofHours(1));
        oneOff("db-1", false, Duration.ofHours(1));
        // The system is there, but the timeline refuses events about it: as for a body over its limit.
        onTimeline.remove("web-1");
        timeline.unavailable(false);
        outbox.sendOwed();
        assertEquals(List.of("db-1"), timeline.events().stream().map(Event::system).toList());
        assertEquals(0, owed());
        assertEquals(List.of(web.id()), downtimes.list().stream().filter(d -> d.system().equals("web-1"))
                .map(Downtime::id).toList(), "the downtime stands");
    }

    @Test
    void anEventWhoseSystemIsRenamedWhileItIsSentGoesUnderTheNewSlug() {
        Outbox renaming = renamingAtAppend(1, "web-9");
        downtimes = new Downtimes(store, systems, timeline, renaming, clock);
        oneOff("web-1", false, Duration.ofHours(1));
        assertEquals(List.of("web-9"), timeline.events().stream().map(Event::system).toList());
        assertEquals(0, owed());
    }

    @Test
    void anEventWhoseSystemIsRenamedWhileItIsSentAloneGoesUnderTheNewSlug() {
        // web-1 is renamed twice as its event goes.
        sendAlone(renamingAtAppend(2, "web-9", "web-8"));
        assertEquals(List.of("web-8"), timeline.events().stream().map(Event::system).toList());
        assertEquals(0, owed());
    }

    @Test
    void anEventWhoseSystemIsRenamedEachTimeItIsSentWaitsForTheNextSweep() {
        Outbox renaming = renamingAtAppend(2, "web-9", "web-8", "web-7");
        sendAlone(renaming);
        assertEquals(List.of(), timeline.events());
        assertEquals(2, owed(), "both wait, in their order");
        renaming.sendOwed();
        assertEquals(List.of("web-7"), timeline.events().stream().map(Event::system).toList());
        assertEquals(0, owed());
    }

    /** Owes events about web-1 and db-1 and has the outbox send them, each alone: db-1's is refused for good. */
    private void sendAlone(Outbox outbox) {
        timeline.unavailable(true);
        oneOff("web-1", false, Duration.ofHours(1));
        oneOff("db-1", false, Duration.ofHours(1));
        timeline.unavailable(false);
        onTimeline.remove("db-1");
        outbox.sendOwed();
    }

    /**
     * An outbox whose timeline renames web-1 to the first of the slugs at its n-th append, after the
     * outbox looked up the slug of the events it appends, and that to the next at the next append.
     */
    private Outbox renamingAtAppend(int n, String... slugs) {
        AtomicInteger appends = new AtomicInteger();
        Timeline renaming = new Timeline() {
            @Override
            public Appended append(EventDraft draft) {
                return append(List.of(draft)).get(0);
            }

            @Override
            public List<Appended> append(List<EventDraft> drafts) {
                int rename = appends.incrementAndGet() - n;
                if (rename >= 0 && rename < slugs.length) {
                    String from = rename == 0 ? "web-1" : slugs[rename - 1];
                    systems.memory.rename(from, slugs[rename]);
                    onTimeline.add(slugs[rename]);
                    onTimeline.remove(from);
                }
                return timeline.append(drafts);
            }

            @Override
            public EventPage query(EventQuery query) {
                return timeline.query(query);
            }

            @Override
            public Subscription subscribe(EventQuery filter, Subscriber subscriber) {
                return timeline.subscribe(filter, subscriber);
            }
        };
        return new Outbox(sql, systems, renaming);
    }

    @Test
    void removingADowntimeTheSweepForgotAMomentAgoTellsOfNoRemoval() {
        Downtime web = oneOff("web-1", false, Duration.ofHours(1));
        // As the sweep does for one that ended, before it updates what it knows.
        sql.inTransaction(connection -> Sql.execute(connection, "DELETE FROM monitoring_downtime WHERE id = ?",
                web.id()));
        assertEquals("no downtime " + web.id(), assertThrows(NotFoundException.class,
                () -> downtimes.remove(ALICE, web.id())).getMessage());
        assertEquals(List.of("scheduled 10:00"), told());
        assertEquals(0, owed());
    }

    @Test
    void removingADowntimeEndsItsOpenWindowOnTheTimelineAndOneThatEndedCannotBeRemoved() {
        Downtime web = oneOff("web-1", false, Duration.ofHours(1));
        downtimes.announce(clock.instant());
        clock.advance(Duration.ofMinutes(30));
        downtimes.remove(ALICE, web.id());
        assertEquals(List.of("scheduled 10:00", "started 10:00", "ended 10:30", "removed 10:30"), told());

        Downtime db = oneOff("db-1", false, Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(11));
        assertEquals("downtime " + db.id() + " ended at 2026-11-02T10:40:00Z; it is forgotten once its end is on the"
                + " timeline", assertThrows(ConflictException.class, () -> downtimes.remove(ALICE, db.id()))
                .getMessage());
    }

    @Test
    void aDowntimeScheduledToStartBeforeNowStartsOnTheTimelineWhenItWasScheduled() {
        downtimes.add(ALICE, new Downtimes.Draft("web-1", null, false, NOW.minus(Duration.ofMinutes(30)),
                NOW.plus(Duration.ofMinutes(30)), null, null, "since the deploy"));
        downtimes.announce(clock.instant());
        assertEquals(List.of("scheduled 10:00", "started 10:00"), told());
    }

    @Test
    void aPeersSystemHasItsDowntimesScheduledThereAndOneThatIsNotHereIsNoSystem() {
        systems.memory.add("fra/db");
        assertEquals("fra/db is fra's, whose checks are watched there: schedule its downtimes on fra",
                assertThrows(InvalidRequestException.class, () -> downtimes.add(ALICE, new Downtimes.Draft("fra/db",
                        null, false, null, NOW.plus(Duration.ofHours(1)), null, null, "maintenance"))).getMessage());
        assertEquals("no system 'xyz/db'", assertThrows(NotFoundException.class, () -> downtimes.add(ALICE,
                new Downtimes.Draft("xyz/db", null, false, null, NOW.plus(Duration.ofHours(1)), null, null,
                        "maintenance"))).getMessage());
    }

    /** How many events the plugin owes the timeline. */
    private int owed() {
        return sql.inTransaction(connection -> Sql.select(connection, "SELECT COUNT(*) FROM monitoring_outbox",
                row -> row.getInt(1))).get(0);
    }

    @Test
    void aTimeZoneIsOnlyForARecurrence() {
        assertEquals("zone is the time zone of a recurrence; a one-off downtime has none",
                assertThrows(InvalidRequestException.class, () -> downtimes.add(ALICE, new Downtimes.Draft("web-1",
                        null, false, null, NOW.plus(Duration.ofHours(1)), null, "Mars/Base", "maintenance")))
                        .getMessage());
        assertEquals(List.of(), downtimes.list());
    }

    @Test
    void aRecurrenceWithoutAWindowInTheNextYearIsRefused() {
        assertEquals("recurrence: cron 0 2 30 2 * for 2h has no window in the next 371 days; the downtime would"
                + " never be active", assertThrows(InvalidRequestException.class, () -> downtimes.add(ALICE,
                        new Downtimes.Draft("web-1", null, false, null, null, "cron 0 2 30 2 * for 2h", null,
                                "maintenance"))).getMessage());
        assertEquals(List.of(), downtimes.list());
        assertTrue(assertThrows(InvalidRequestException.class, () -> downtimes.add(ALICE, new Downtimes.Draft("web-1",
                null, false, null, null, "cron 0 2 29 2 * for 2h", null, "leap nights"))).getMessage()
                .contains("no window in the next 371 days"), "29 February 2028 is 484 days away");
        Downtime yearly = downtimes.add(ALICE, new Downtimes.Draft("web-1", null, false, null, null,
                "cron 0 2 28 2 * for 2h", null, "year end"));
        assertEquals(List.of(yearly), downtimes.list());
    }

    @Test
    void aDeletedSystemsDowntimesGoWithIt() {
        oneOff("shop", true, Duration.ofHours(1));
        Downtime db = oneOff("db-1", false, Duration.ofHours(1));
        ManagedSystem shop = systems.memory.remove("shop");
        onTimeline.remove("shop");
        downtimes.follow(new SystemEvent(SystemEvent.Type.REMOVED, shop, Optional.of(shop), List.of(), List.of()));
        assertEquals(List.of(db), downtimes.list());
        assertEquals(Set.of(db.id()), idsIn(store.all()));
        assertTrue(downtimes.covering("web-1", "disk", clock.instant()).isEmpty(),
                "shop's downtime covered its members");
        downtimes.announce(clock.instant());
        assertEquals(List.of("db-1"), systemsOf("monitoring.downtime-started"));
    }

    @Test
    void aDowntimeScheduledOnTheSlugOfASystemDeletedAMomentAgoIsTheNewSystemsOnly() {
        Downtime old = oneOff("web-1", false, Duration.ofHours(1));
        systems.memory.remove("web-1");
        systems.memory.add("web-1");
        Downtime fresh = oneOff("web-1", false, Duration.ofHours(2));
        assertEquals(List.of(fresh), downtimes.list(), "the deleted system's, not yet followed, goes first");
        assertEquals(Set.of(fresh.id()), idsIn(store.all()));
        assertTrue(downtimes.covering("web-1", "disk", old.ends().plusSeconds(1)).isPresent());
    }

    @Test
    void aRenamedSystemsDowntimesMoveToItsNewSlug() {
        Downtime disk = downtimes.add(ALICE, new Downtimes.Draft("web-1", "disk", false, null,
                clock.instant().plus(Duration.ofHours(1)), null, null, "new disk"));
        ManagedSystem web = systems.memory.get("web-1");
        ManagedSystem renamed = systems.memory.rename("web-1", "web-9");
        downtimes.follow(new SystemEvent(SystemEvent.Type.UPDATED, renamed, Optional.of(web), List.of(), List.of()));
        assertEquals(List.of("web-9"), downtimes.list().stream().map(Downtime::system).toList());
        assertEquals(List.of("web-9"), store.all().stream().map(Downtime::system).toList());
        assertEquals(disk.id(), downtimes.covering("web-9", "disk", clock.instant()).orElseThrow().id());
        assertTrue(downtimes.covering("web-1", "disk", clock.instant()).isEmpty());
    }

    private List<String> systemsOf(String type) {
        return timeline.ofType(type).stream().map(Event::system).sorted().toList();
    }

    private static Set<UUID> idsIn(List<Downtime> list) {
        return list.stream().map(Downtime::id).collect(Collectors.toSet());
    }

    /** The kernel's systems, whose next transitive members the sweep waits for until a test resumes it. */
    private static final class PausingSystems implements SystemService {

        final MemorySystems memory = new MemorySystems();
        final CountDownLatch paused = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        private final AtomicBoolean pauseNext = new AtomicBoolean();

        void pauseNextTransitiveMembers() {
            pauseNext.set(true);
        }

        @Override
        public List<String> transitiveMembers(String slug) {
            if (pauseNext.compareAndSet(true, false)) {
                paused.countDown();
                try {
                    resume.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return memory.transitiveMembers(slug);
        }

        @Override
        public Optional<ManagedSystem> find(String slug) {
            return memory.find(slug);
        }

        @Override
        public Optional<ManagedSystem> find(UUID id) {
            return memory.find(id);
        }

        @Override
        public ManagedSystem get(String slug) {
            return memory.get(slug);
        }

        @Override
        public List<ManagedSystem> list(String kind, Selector selector) {
            return memory.list(kind, selector);
        }

        @Override
        public List<ManagedSystem> members(String slug) {
            return memory.members(slug);
        }

        @Override
        public List<ManagedSystem> aggregates(String slug) {
            return memory.aggregates(slug);
        }

        @Override
        public int count() {
            return memory.count();
        }

        @Override
        public long version() {
            return memory.version();
        }
    }
}
