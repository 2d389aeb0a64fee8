package io.hanse.monitoring.internal;

import static io.hanse.monitoring.internal.MonitoringParts.everyDays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.ConflictException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Source;
import io.hanse.api.agent.AgentObservation;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.timeline.Event;
import io.hanse.kernel.store.Database;
import io.hanse.testing.MemoryTimeline;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The review workflow on H2 and on PostgreSQL, with the checks' history it sorts problems by. */
class ReviewsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final TestCaller ALICE = TestCaller.everywhere("alice");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Duration days(int days) {
        return Duration.ofDays(days);
    }

    /** Adds the aggregate shop with its members web-1 and db-1. */
    private static void shop(MonitoringParts parts) {
        parts.system("web-1");
        parts.system("db-1");
        parts.system("shop", "web-1", "db-1");
    }

    /** Adds shop (see {@link #shop}) with a hard problem of a day on each member, and its weekly review. */
    private static void weeklyOfShop(MonitoringParts parts) {
        shop(parts);
        parts.report("web-1", "disk", "critical", days(1));
        parts.report("db-1", "backup", "critical", days(1));
        parts.reviews.define(ALICE, "weekly", "shop", null, everyDays(7));
    }

    private static Map<String, Review.Group> groups(Review.View view) {
        Map<String, Review.Group> groups = new TreeMap<>();
        view.items().forEach(item -> groups.put(item.system() + "/" + item.check(), item.group()));
        return groups;
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void ofTwoPeopleDefiningAReviewOfTheSameNameAtOnceOneGetsItAndTheOtherAConflict(Database.Kind kind)
            throws Exception {
        ExecutorService people = Executors.newFixedThreadPool(2);
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("shop");
            for (int round = 0; round < 10; round++) {
                String name = "weekly-" + round;
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Review>> defined = new ArrayList<>();
                for (int person = 0; person < 2; person++) {
                    defined.add(people.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return parts.reviews.define(ALICE, name, "shop", null, everyDays(7));
                    }));
                }
                List<String> outcomes = new ArrayList<>();
                for (Future<Review> review : defined) {
                    try {
                        outcomes.add(review.get(30, TimeUnit.SECONDS).name());
                    } catch (ExecutionException e) {
                        outcomes.add(assertInstanceOf(ConflictException.class, e.getCause()).getMessage());
                    }
                }
                outcomes.sort(null);
                assertEquals(List.of("there is a review " + name + " already", name), outcomes);
            }
        } finally {
            people.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aPassSortsTheProblemsByTheirHistoryReadInTheSameStatementsHoweverManyThereAre(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            shop(parts);
            parts.report("web-1", "disk", "critical", days(5));
            parts.report("web-1", "load", "critical", days(1));
            parts.report("db-1", "backup", "critical", days(3));
            parts.report("db-1", "disk", "ok", days(3));
            parts.report("db-1", "ntp", "critical", days(1));
            parts.reviews.define(ALICE, "weekly", "shop", null, everyDays(7));
            // Broken 5 of the week's 7 days is chronic; 3 of 7, though all the time since it was first seen, is not.
            assertEquals(Map.of("db-1/backup", Review.Group.NEW, "web-1/disk", Review.Group.CHRONIC,
                    "web-1/load", Review.Group.NEW, "db-1/ntp", Review.Group.NEW),
                    groups(parts.reviews.start(ALICE, "weekly")));
            parts.reviews.close(ALICE, "weekly", "ordered disks");

            parts.report("web-1", "load", "ok", Duration.ZERO);
            parts.clock.advance(days(8));
            parts.report("db-1", "ntp", "ok", days(2));
            parts.report("db-1", "ntp", "critical", days(1));
            int before = parts.statements();
            Review.View second = parts.reviews.start(ALICE, "weekly");
            int statements = parts.statements() - before;
            // Over the 8 days since the pass before: broken all of them is chronic; ntp, broken 7 of them but ok
            // in between, broke again: a new problem, whatever the pass before made of the old one.
            assertEquals(Map.of("db-1/backup", Review.Group.CHRONIC, "web-1/disk", Review.Group.CHRONIC,
                    "web-1/load", Review.Group.RESOLVED, "db-1/ntp", Review.Group.NEW), groups(second));
            parts.reviews.close(ALICE, "weekly", "backup next");

            List<AgentObservation> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(parts.result("db-1", "raid-" + i, "critical", parts.clock.instant().minus(days(2))));
            }
            parts.report(results);
            before = parts.statements();
            Review.View third = parts.reviews.start(ALICE, "weekly");
            assertEquals(statements, parts.statements() - before, "40 problems more, not one statement more");
            assertEquals(43, third.items().size());
            parts.checks.acknowledge(ALICE, "db-1", "backup", "restoring", false, null);
            before = parts.statements();
            Map<Review.Item, Reviews.Now> now = parts.reviews.now(ALICE, third.items());
            assertEquals(1, parts.statements() - before, "the items' records in one statement");
            assertEquals(43, now.size());
            Map<String, String> handled = new TreeMap<>();
            now.forEach((item, check) -> handled.put(item.system() + "/" + item.check(), check.check().state().shown()
                    + (check.check().acknowledged() ? " acknowledged" : "")));
            assertEquals("critical acknowledged", handled.get("db-1/backup"));
            assertEquals("critical", handled.get("db-1/raid-0"));
        }
    }

    @Test
    void aProblemTheLastPassDidNotHaveIsNewHoweverLongItWasBrokenSince() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            shop(parts);
            parts.reviews.define(ALICE, "weekly", "shop", null, everyDays(7));
            parts.reviews.start(ALICE, "weekly");
            parts.reviews.close(ALICE, "weekly", "nothing to do");
            parts.clock.advance(days(7));
            parts.report("web-1", "disk", "critical", days(6));
            assertEquals(Map.of("web-1/disk", Review.Group.NEW), groups(parts.reviews.start(ALICE, "weekly")),
                    "broken 6 of the 7 days, but no one has looked at it yet");
        }
    }

    @Test
    void whatWasMadeOfAProblemGoesOnWithItUntilSomeoneMarksItAgain() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            weeklyOfShop(parts);
            parts.reviews.start(ALICE, "weekly");
            parts.reviews.mark(ALICE, "weekly", "web-1", "disk", "accepted", "vendor fix in Q3");
            parts.reviews.mark(ALICE, "weekly", "db-1", "backup", "action-needed", "ticket 7");
            parts.reviews.close(ALICE, "weekly", "first");
            parts.clock.advance(days(1));
            parts.reviews.start(ALICE, "weekly");
            parts.reviews.mark(ALICE, "weekly", "db-1", "backup", "looked-at", null);
            parts.reviews.close(ALICE, "weekly", "second, disk not marked again");
            parts.clock.advance(days(1));
            parts.report("db-1", "backup", "ok", days(1).dividedBy(2));

            Map<String, Review.Item> third = new TreeMap<>();
            parts.reviews.start(ALICE, "weekly").items().forEach(item -> third.put(item.system() + "/" + item.check(),
                    item));
            assertEquals(Review.Mark.ACCEPTED, third.get("web-1/disk").previousMark());
            assertEquals("vendor fix in Q3", third.get("web-1/disk").previousNote());
            assertEquals(Review.Group.RESOLVED, third.get("db-1/backup").group());
            assertEquals(Review.Mark.LOOKED_AT, third.get("db-1/backup").previousMark());
            assertEquals(null, third.get("db-1/backup").previousNote(), "the note goes with its mark");
        }
    }

    @Test
    void aFlappingCheckThatWentSilentIsAStaleProblemNoLongerFlapping() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.flap("web-1", "link");
            parts.reviews.define(ALICE, "daily", "web-1", null, everyDays(1));
            assertEquals(Map.of("web-1/link", Review.Group.FLAPPING), groups(parts.reviews.start(ALICE, "daily")));
            parts.reviews.close(ALICE, "daily", "flaps");
            parts.clock.advance(days(1));
            parts.checks.sweep();
            assertTrue(parts.checks.get("web-1", "link").orElseThrow().stale());
            assertEquals(Map.of("web-1/link", Review.Group.STILL_OPEN), groups(parts.reviews.start(ALICE, "daily")));
        }
    }

    @Test
    void aProblemThatWasOkAndThenWentSilentBrokeAgainAndIsNewWithoutTheMarkBefore() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.report("web-1", "disk", "critical", days(1));
            parts.reviews.define(ALICE, "daily", "web-1", null, everyDays(1));
            parts.reviews.start(ALICE, "daily");
            parts.reviews.mark(ALICE, "daily", "web-1", "disk", "accepted", "vendor fix in Q3");
            parts.reviews.close(ALICE, "daily", "first");
            parts.clock.advance(Duration.ofHours(1));
            parts.report("web-1", "disk", "ok", Duration.ZERO);
            parts.clock.advance(days(1));
            parts.checks.sweep();
            assertTrue(parts.checks.get("web-1", "disk").orElseThrow().stale());
            Review.Item silent = parts.reviews.start(ALICE, "daily").items().get(0);
            assertEquals(Review.Group.NEW, silent.group(), "ok, then stale: no one has looked at that yet");
            assertEquals(null, silent.previousMark());
            assertEquals(null, silent.previousNote());
            parts.reviews.mark(ALICE, "daily", "web-1", "disk", "accepted", "agent moves");
            parts.reviews.close(ALICE, "daily", "second");

            // Stale in that pass, then fresh and ok, then stale again: broke again too.
            parts.clock.advance(Duration.ofHours(1));
            parts.report("web-1", "disk", "ok", Duration.ZERO);
            parts.clock.advance(days(1));
            parts.checks.sweep();
            Review.Item again = parts.reviews.start(ALICE, "daily").items().get(0);
            assertEquals(Review.Group.NEW, again.group());
            assertEquals(null, again.previousMark());
            parts.reviews.mark(ALICE, "daily", "web-1", "disk", "accepted", "agent moves");
            parts.reviews.close(ALICE, "daily", "third");

            // Stale all the time since that pass: the same problem, with what was made of it.
            parts.clock.advance(days(1));
            parts.checks.sweep();
            Review.Item still = parts.reviews.start(ALICE, "daily").items().get(0);
            assertEquals(Review.Group.STILL_OPEN, still.group());
            assertEquals(Review.Mark.ACCEPTED, still.previousMark());
        }
    }

    @Test
    void aPassBuiltOnOneThatIsNoLongerTheLatestIsNotStoredAndTheReviewGoesOn() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            shop(parts);
            Review review = parts.reviews.define(ALICE, "weekly", "shop", null, everyDays(7));
            parts.reviews.start(ALICE, "weekly");
            parts.reviews.close(ALICE, "weekly", "first");
            parts.reviews.start(ALICE, "weekly");
            parts.reviews.close(ALICE, "weekly", "second, by someone else meanwhile");
            // Built on the first pass while the second started and closed.
            Review.Pass late = new Review.Pass(UUID.randomUUID(), review.id(), 2, NOW, "user:alice", null, null,
                    null);
            assertFalse(new ReviewStore(parts.sql).start(late, List.of(), List.of()));
            assertEquals(3, parts.reviews.start(ALICE, "weekly").last().number());
            assertEquals("closed", parts.reviews.close(ALICE, "weekly", "closed").last().outcome());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aSystemsPassIsOnItsTimelineAndASelectorsOnThatOfEachSystemWithAnItem(Database.Kind kind) throws Exception {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            shop(parts);
            parts.report("web-1", "disk", "ok", days(1));
            parts.reviews.define(ALICE, "shop-weekly", "shop", null, everyDays(7));
            parts.reviews.define(ALICE, "prod", null, "!retired", everyDays(7));
            parts.reviews.start(ALICE, "shop-weekly");
            parts.reviews.close(ALICE, "shop-weekly", "nothing to do");
            parts.reviews.start(ALICE, "prod");
            parts.reviews.close(ALICE, "prod", "nothing to do");
            assertEquals(List.of("shop"), parts.systemsOf("monitoring.review-started"));
            assertEquals(List.of("shop"), parts.systemsOf("monitoring.review-closed"),
                    "a selector's pass without items has no system to be about");
            String started = parts.timeline.ofType("monitoring.review-started").get(0).body();
            assertTrue(JSON.readTree(started).path("outcome").isMissingNode(), "a pass started has none: " + started);
            assertEquals("nothing to do", JSON.readTree(parts.timeline.ofType("monitoring.review-closed").get(0)
                    .body()).path("outcome").asText());

            parts.report("web-1", "disk", "critical", Duration.ZERO);
            parts.report("db-1", "disk", "critical", Duration.ZERO);
            parts.reviews.start(ALICE, "prod");
            assertEquals(List.of("shop", "db-1", "web-1"), parts.systemsOf("monitoring.review-started"));
            parts.reviews.close(ALICE, "prod", "db-1's disk is ordered");
            for (Event closed : parts.timeline.ofType("monitoring.review-closed").subList(1, 3)) {
                JsonNode body = JSON.readTree(closed.body());
                assertEquals(1, body.path("items").asInt(), closed.body() + ": each system's event counts its own"
                        + " items, whose readers may not read the others");
                assertEquals(1, body.path("groups").path("new").asInt(), closed.body());
                assertTrue(body.path("outcome").isMissingNode(), closed.body());
            }
        }
    }

    @Test
    void whoMayReadAnAggregateButNotAllItsMembersSeesAndMarksOnlyTheItemsOfThoseItMayReadAndClosesNoPass() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            weeklyOfShop(parts);
            parts.reviews.define(ALICE, "prod", null, "!retired", everyDays(7));
            parts.reviews.start(ALICE, "weekly");
            TestCaller bob = TestCaller.on("bob", Set.of("shop", "web-1"), MonitoringPermissions.READ,
                    MonitoringPermissions.REVIEW);
            assertEquals(Map.of("web-1/disk", Review.Group.NEW), groups(parts.reviews.show(bob, "weekly")));
            assertEquals(List.of("weekly"), parts.reviews.list(bob).stream().map(view -> view.review().name()).toList(),
                    "a selector's review is for those who may read everything");
            assertThrows(NotFoundException.class, () -> parts.reviews.show(bob, "prod"));
            assertEquals("review 'weekly' has no item 'db-1/backup'", assertThrows(NotFoundException.class,
                    () -> parts.reviews.mark(bob, "weekly", "db-1", "backup", "accepted", null)).getMessage());
            TestCaller carol = new TestCaller(new Source(Source.Kind.USER, "carol"), true, false, Map.of(
                    MonitoringPermissions.READ, Scope.of(Set.of("shop", "web-1", "db-1")),
                    MonitoringPermissions.REVIEW, Scope.of(Set.of("shop", "web-1"))));
            assertEquals("missing permission monitoring:review on system 'db-1'", assertThrows(ForbiddenException.class,
                    () -> parts.reviews.mark(carol, "weekly", "db-1", "backup", "accepted", null)).getMessage());
            assertEquals(Review.Mark.ACCEPTED, parts.reviews.mark(bob, "weekly", "web-1", "disk", "accepted", null)
                    .mark());
            for (TestCaller partly : List.of(bob, carol)) {
                assertEquals("missing permission monitoring:review on every system with an item in review weekly's"
                        + " pass, which closing it concludes", assertThrows(ForbiddenException.class,
                                () -> parts.reviews.close(partly, "weekly", "done")).getMessage());
            }
            assertEquals(null, parts.reviews.show(ALICE, "weekly").last().closed(), "still in progress");
            assertEquals(Map.of("db-1/backup", Review.Group.NEW, "web-1/disk", Review.Group.NEW),
                    groups(parts.reviews.close(ALICE, "weekly", "done")));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void passesBeforeTheLatestAreReadWithTheirOutcomeItemsMarksAndNotesAPageAtATime(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            weeklyOfShop(parts);
            parts.reviews.start(ALICE, "weekly");
            parts.reviews.mark(ALICE, "weekly", "web-1", "disk", "accepted", "vendor fix in Q3");
            parts.reviews.close(ALICE, "weekly", "first");
            parts.clock.advance(days(1));
            parts.reviews.start(ALICE, "weekly");
            parts.reviews.mark(ALICE, "weekly", "db-1", "backup", "action-needed", "ticket 7");
            parts.reviews.close(ALICE, "weekly", "second");
            parts.clock.advance(days(1));
            parts.reviews.start(ALICE, "weekly");

            Review.PassView first = parts.reviews.pass(ALICE, "weekly", 1);
            assertEquals("first", first.pass().outcome());
            assertEquals(NOW, first.pass().started());
            Review.Item disk = first.items().stream().filter(item -> item.check().equals("disk")).findFirst()
                    .orElseThrow();
            assertEquals(Review.Group.NEW, disk.group());
            assertEquals("critical", disk.status());
            assertEquals(Review.Mark.ACCEPTED, disk.mark());
            assertEquals("vendor fix in Q3", disk.note());
            assertEquals("user:alice", disk.markedBy());

            int before = parts.statements();
            List<Review.PassSummary> newest = parts.reviews.passes(ALICE, "weekly", null, 2);
            int statements = parts.statements() - before;
            assertEquals(List.of(3, 2), newest.stream().map(view -> view.pass().number()).toList());
            assertEquals(null, newest.get(0).pass().closed(), "the pass in progress is the newest");
            assertEquals(Map.of("still-open", 2), newest.get(1).counts().groups());
            assertEquals(Map.of("action-needed", 1, "unmarked", 1), newest.get(1).counts().marks());
            before = parts.statements();
            List<Review.PassSummary> older = parts.reviews.passes(ALICE, "weekly", 2, 2);
            assertEquals(statements, parts.statements() - before, "however many passes a page holds");
            assertEquals(List.of(1), older.stream().map(view -> view.pass().number()).toList());
            assertEquals(Map.of("accepted", 1, "unmarked", 1), older.get(0).counts().marks());
            assertEquals(List.of(), parts.reviews.passes(ALICE, "weekly", 1, 2));

            assertEquals("review 'weekly' has no pass 4", assertThrows(NotFoundException.class,
                    () -> parts.reviews.pass(ALICE, "weekly", 4)).getMessage());
            assertThrows(NotFoundException.class, () -> parts.reviews.passes(ALICE, "monthly", null, 2));
            assertEquals("limit: between 1 and 100, not 0", assertThrows(InvalidRequestException.class,
                    () -> parts.reviews.passes(ALICE, "weekly", null, 0)).getMessage());
            assertThrows(InvalidRequestException.class, () -> parts.reviews.passes(ALICE, "weekly", null, 101));
            assertEquals("before: the number of a pass, counted from 1, not 0", assertThrows(
                    InvalidRequestException.class, () -> parts.reviews.passes(ALICE, "weekly", 0, 2)).getMessage());
        }
    }

    @Test
    void whoMayReadAnAggregateButNotAllItsMembersSeesOnlyTheItemsOfThoseItMayReadInPassesBefore() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            weeklyOfShop(parts);
            parts.reviews.define(ALICE, "prod", null, "!retired", everyDays(7));
            parts.reviews.start(ALICE, "weekly");
            parts.reviews.mark(ALICE, "weekly", "db-1", "backup", "action-needed", "ticket 7");
            parts.reviews.close(ALICE, "weekly", "first");
            parts.reviews.start(ALICE, "weekly");
            parts.reviews.start(ALICE, "prod");
            TestCaller bob = TestCaller.on("bob", Set.of("shop", "web-1"), MonitoringPermissions.READ);

            assertEquals(List.of("web-1/disk"), parts.reviews.pass(bob, "weekly", 1).items().stream()
                    .map(item -> item.system() + "/" + item.check()).toList());
            Review.PassSummary first = parts.reviews.passes(bob, "weekly", null, 10).get(1);
            assertEquals(Map.of("new", 1), first.counts().groups());
            assertEquals(Map.of("unmarked", 1), first.counts().marks(), "not db-1's mark, which bob may not read");
            assertThrows(NotFoundException.class, () -> parts.reviews.pass(bob, "prod", 1));
            assertThrows(NotFoundException.class, () -> parts.reviews.passes(bob, "prod", null, 10));
            TestCaller stranger = TestCaller.on("sam", Set.of("db-1"), MonitoringPermissions.READ);
            assertEquals("no review 'weekly'", assertThrows(NotFoundException.class,
                    () -> parts.reviews.pass(stranger, "weekly", 1)).getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aListOfPassesCountsTheItemsTheCallerMayReadInTheDatabaseWithoutReadingThem(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            weeklyOfShop(parts);
            List<AgentObservation> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(parts.result("db-1", "raid-" + i, "critical", parts.clock.instant().minus(days(1))));
            }
            parts.report(results);
            parts.reviews.start(ALICE, "weekly");
            parts.reviews.mark(ALICE, "weekly", "web-1", "disk", "accepted", "x".repeat(Reviews.MAX_NOTE));
            parts.reviews.mark(ALICE, "weekly", "db-1", "raid-0", "noise", "y".repeat(Reviews.MAX_NOTE));
            parts.reviews.close(ALICE, "weekly", "first");
            parts.reviews.start(ALICE, "weekly");

            int statements = parts.statements();
            int rows = parts.rows();
            List<Review.PassSummary> passes = parts.reviews.passes(ALICE, "weekly", null, 10);
            assertTrue(parts.statements() - statements <= 4, "the review, its systems, its passes and their counts: "
                    + (parts.statements() - statements));
            assertTrue(parts.rows() - rows < 42, "a row per system, group and mark, not the 84 items: "
                    + (parts.rows() - rows));
            assertEquals(Map.of("still-open", 42), passes.get(0).counts().groups());
            assertEquals(Map.of("unmarked", 42), passes.get(0).counts().marks());
            assertEquals(Map.of("new", 42), passes.get(1).counts().groups());
            assertEquals(Map.of("accepted", 1, "noise", 1, "unmarked", 40), passes.get(1).counts().marks());

            TestCaller bob = TestCaller.on("bob", Set.of("shop", "web-1"), MonitoringPermissions.READ);
            List<Review.PassSummary> bobs = parts.reviews.passes(bob, "weekly", null, 10);
            assertEquals(List.of(2, 1), bobs.stream().map(pass -> pass.pass().number()).toList());
            assertEquals(Map.of("still-open", 1), bobs.get(0).counts().groups(), "web-1's item only");
            assertEquals(Map.of("new", 1), bobs.get(1).counts().groups());
            assertEquals(Map.of("accepted", 1), bobs.get(1).counts().marks(), "not db-1's, which bob may not read");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aMarkIsClearedByNoneAndANoteWithoutAMarkStaysWithItsPassWhileTheMarkBeforeGoesOn(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            weeklyOfShop(parts);
            parts.reviews.start(ALICE, "weekly");
            parts.reviews.mark(ALICE, "weekly", "web-1", "disk", "accepted", "vendor fix in Q3");
            parts.reviews.mark(ALICE, "weekly", "db-1", "backup", "noise", "wrong item");
            Review.Item cleared = parts.reviews.mark(ALICE, "weekly", "db-1", "backup", Review.Mark.NONE, null);
            assertEquals(new Review.Item("db-1", parts.systems.get("db-1").id(), "backup", Review.Group.NEW, "critical",
                    null, null, null, null, null, null), cleared, "as when the pass started");
            parts.reviews.close(ALICE, "weekly", "first");
            String closed = parts.timeline.ofType("monitoring.review-closed").get(0).body();
            assertTrue(closed.contains("\"marks\":{\"accepted\":1,\"unmarked\":1}"), closed);

            parts.clock.advance(days(1));
            parts.reviews.start(ALICE, "weekly");
            Review.Item noted = parts.reviews.mark(ALICE, "weekly", "web-1", "disk", null, "vendor says August");
            assertEquals(null, noted.mark());
            assertEquals("vendor says August", noted.note());
            assertEquals("user:alice", noted.markedBy());
            assertEquals(Review.Mark.ACCEPTED, noted.verdict(), "a note is no new verdict");
            assertEquals("note is at most 1000 characters, not 1001", assertThrows(InvalidRequestException.class,
                    () -> parts.reviews.mark(ALICE, "weekly", "web-1", "disk", null, "z".repeat(1001))).getMessage());
            parts.reviews.mark(ALICE, "weekly", "db-1", "backup", "looked-at", null);
            parts.reviews.mark(ALICE, "weekly", "db-1", "backup", null, null);
            parts.reviews.close(ALICE, "weekly", "second");

            parts.clock.advance(days(1));
            Map<String, Review.Item> third = new TreeMap<>();
            parts.reviews.start(ALICE, "weekly").items().forEach(item -> third.put(item.check(), item));
            assertEquals(Review.Mark.ACCEPTED, third.get("disk").previousMark());
            assertEquals("vendor fix in Q3", third.get("disk").previousNote());
            assertEquals(null, third.get("backup").previousMark(), "a cleared mark is none");
            assertEquals("vendor says August", parts.reviews.pass(ALICE, "weekly", 2).items().stream()
                    .filter(item -> item.check().equals("disk")).findFirst().orElseThrow().note());
        }
    }

    @Test
    void aPassStartedByWhoMayReadOnlyPartOfTheScopeHoldsAllOfItAndTheMarksBefore() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            weeklyOfShop(parts);
            parts.reviews.start(ALICE, "weekly");
            parts.reviews.mark(ALICE, "weekly", "db-1", "backup", "action-needed", "ticket 42");
            parts.reviews.close(ALICE, "weekly", "db-1 needs a ticket");
            TestCaller bob = TestCaller.on("bob", Set.of("shop", "web-1"), MonitoringPermissions.READ,
                    MonitoringPermissions.REVIEW);

            assertEquals(Map.of("web-1/disk", Review.Group.STILL_OPEN), groups(parts.reviews.start(bob, "weekly")));

            Review.View seen = parts.reviews.show(ALICE, "weekly");
            assertEquals(Map.of("db-1/backup", Review.Group.STILL_OPEN, "web-1/disk", Review.Group.STILL_OPEN),
                    groups(seen));
            Review.Item backup = seen.items().stream().filter(item -> item.system().equals("db-1")).findFirst()
                    .orElseThrow();
            assertEquals(Review.Mark.ACTION_NEEDED, backup.previousMark());
            assertEquals("ticket 42", backup.previousNote());
            String started = parts.timeline.ofType("monitoring.review-started").get(1).body();
            assertTrue(started.contains("\"items\":2,"), "the started event counts the whole scope: " + started);
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aMarkAndACloseAtOnceAgreeOnWhetherTheMarkIsInThePass(Database.Kind kind) throws Exception {
        ExecutorService people = Executors.newFixedThreadPool(2);
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("web-1");
            parts.report("web-1", "disk", "critical", days(1));
            parts.reviews.define(ALICE, "weekly", "web-1", null, everyDays(7));
            for (int round = 0; round < 20; round++) {
                parts.reviews.start(ALICE, "weekly");
                CyclicBarrier together = new CyclicBarrier(2);
                Future<?> marked = people.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    try {
                        return parts.reviews.mark(ALICE, "weekly", "web-1", "disk", "accepted", null);
                    } catch (ConflictException closedFirst) {
                        return closedFirst;
                    }
                });
                Future<Review.View> closed = people.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return parts.reviews.close(ALICE, "weekly", "done");
                });
                marked.get(30, TimeUnit.SECONDS);
                Review.Mark counted = closed.get(30, TimeUnit.SECONDS).items().get(0).mark();
                assertEquals(parts.reviews.show(ALICE, "weekly").items().get(0).mark(), counted,
                        "the closed pass is what its close counted");
            }
        } finally {
            people.shutdownNow();
        }
    }

    @Test
    void anOutcomeTooLongIsRefusedSayingSoAndAMissingOneAsRequired() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.report("web-1", "disk", "critical", days(1));
            parts.reviews.define(ALICE, "weekly", "web-1", null, everyDays(7));
            parts.reviews.start(ALICE, "weekly");
            assertEquals("outcome is at most 2000 characters, not 2001", assertThrows(InvalidRequestException.class,
                    () -> parts.reviews.close(ALICE, "weekly", "x".repeat(Reviews.MAX_OUTCOME + 1))).getMessage());
            assertTrue(assertThrows(InvalidRequestException.class, () -> parts.reviews.close(ALICE, "weekly", " "))
                    .getMessage().startsWith("outcome is required"));
            parts.reviews.close(ALICE, "weekly", "x".repeat(Reviews.MAX_OUTCOME));
            assertEquals("x".repeat(Reviews.MAX_OUTCOME), parts.reviews.show(ALICE, "weekly").last().outcome());
        }
    }

    @Test
    void aReviewOfAFederatedPeersSystemIsRefusedAsItsChecksAreWatchedThereAndOneNotHereIsNoSystem() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("fra/db-1");
            assertEquals("fra/db-1 is fra's, whose checks are watched there: review it on fra",
                    assertThrows(InvalidRequestException.class, () -> parts.reviews.define(ALICE, "remote-only",
                            "fra/db-1", null, everyDays(7))).getMessage());
            assertEquals("no system 'xyz/db-1'", assertThrows(NotFoundException.class, () -> parts.reviews.define(
                    ALICE, "nowhere", "xyz/db-1", null, everyDays(7))).getMessage());
            assertEquals(List.of(), parts.reviews.names(ALICE));
        }
    }

    @Test
    void aMarkOfAPassClosedMeanwhileIsRefusedNotStored() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.report("web-1", "disk", "critical", days(1));
            parts.reviews.define(ALICE, "weekly", "web-1", null, everyDays(7));
            Review.Pass pass = parts.reviews.start(ALICE, "weekly").last();
            parts.reviews.close(ALICE, "weekly", "done");
            // As when a close commits between a mark's look at the pass and its update.
            assertThrows(ConflictException.class, () -> new ReviewStore(parts.sql).mark(pass.id(), "web-1", "disk",
                    Review.Mark.NOISE, null, "alice", NOW));
            assertEquals(null, parts.reviews.show(ALICE, "weekly").items().get(0).mark());
        }
    }

    @Test
    void aProblemWhoseCheckWasRemovedSinceIsResolvedAndOneOfASystemDeletedSinceIsNotListed() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.system("cache-1");
            parts.system("shop", "web-1", "cache-1");
            parts.report("web-1", "disk", "critical", days(1));
            parts.report("web-1", "load", "critical", days(1));
            parts.report("cache-1", "memory", "critical", days(1));
            parts.reviews.define(ALICE, "weekly", "shop", null, everyDays(7));
            parts.reviews.start(ALICE, "weekly");
            parts.reviews.mark(ALICE, "weekly", "web-1", "disk", "noise", "the agent reads the wrong mount");
            parts.reviews.close(ALICE, "weekly", "fix the disk check");

            parts.checks.remove(ALICE, "web-1", "disk");
            ManagedSystem cache = parts.systems.remove("cache-1");
            parts.checks.event(new SystemEvent(SystemEvent.Type.REMOVED, cache, Optional.of(cache), List.of(),
                    List.of()));
            Review.View next = parts.reviews.start(ALICE, "weekly");
            assertEquals(Map.of("web-1/disk", Review.Group.RESOLVED, "web-1/load", Review.Group.STILL_OPEN),
                    groups(next));
            Review.Item removed = next.items().stream().filter(item -> item.check().equals("disk")).findFirst()
                    .orElseThrow();
            assertEquals(Reviews.REMOVED, removed.status());
            assertEquals(Review.Mark.NOISE, removed.previousMark());
            assertEquals("the agent reads the wrong mount", removed.previousNote());
            assertEquals(null, parts.reviews.now(ALICE, next.items()).get(removed), "a removed check is not there now");
        }
    }

    @Test
    void aSelectorsProblemWhoseCheckWasItsSystemsLastIsResolvedAsRemovedWhileTheSystemIsThere() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.system("db-1");
            parts.system("cache-1");
            parts.report("web-1", "disk", "critical", days(1));
            parts.report("db-1", "disk", "critical", days(1));
            parts.report("db-1", "load", "ok", days(1));
            parts.report("cache-1", "memory", "critical", days(1));
            parts.reviews.define(ALICE, "prod", null, "!retired", everyDays(7));
            parts.reviews.start(ALICE, "prod");
            parts.reviews.close(ALICE, "prod", "disks");

            parts.checks.remove(ALICE, "web-1", "disk");
            parts.checks.remove(ALICE, "db-1", "disk");
            parts.checks.remove(ALICE, "cache-1", "memory");
            ManagedSystem cache = parts.systems.remove("cache-1");
            parts.checks.event(new SystemEvent(SystemEvent.Type.REMOVED, cache, Optional.of(cache), List.of(),
                    List.of()));
            Review.View next = parts.reviews.start(ALICE, "prod");
            assertEquals(Map.of("db-1/disk", Review.Group.RESOLVED, "web-1/disk", Review.Group.RESOLVED), groups(next),
                    "web-1 has no check left, but is still one the selector chooses; cache-1 is gone");
            assertEquals(List.of(Reviews.REMOVED, Reviews.REMOVED), next.items().stream().map(Review.Item::status)
                    .toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aReviewAndItsItemsFollowTheirSystemAsTheKernelTellsOfItsRenameAndDeletion(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("web-1");
            parts.report("web-1", "disk", "critical", days(1));
            parts.reviews.define(ALICE, "web-weekly", "web-1", null, everyDays(7));
            parts.reviews.start(ALICE, "web-weekly");
            parts.reviews.close(ALICE, "web-weekly", "ordered a disk");

            ManagedSystem before = parts.systems.get("web-1");
            ManagedSystem renamed = parts.rename("web-1", "web-2");
            parts.reviews.event(new SystemEvent(SystemEvent.Type.UPDATED, renamed, Optional.of(before), List.of(),
                    List.of()));
            Review.View view = parts.reviews.show(ALICE, "web-weekly");
            assertEquals("web-2", view.review().system());
            assertEquals(List.of("web-2"), view.items().stream().map(Review.Item::system).toList());

            parts.remove("web-2");
            parts.reviews.event(new SystemEvent(SystemEvent.Type.REMOVED, renamed, Optional.of(renamed), List.of(),
                    List.of()));
            assertEquals(List.of(), parts.reviews.list(ALICE), "a review of the system goes with it");
            assertEquals(0, parts.rows("monitoring_review_item", "web-2"));
        }
    }

    @Test
    void aPassAboutMoreSystemsThanTheTimelineTakesAtOnceGoesOnTheTimelineOfEach() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            int many = MemoryTimeline.MAX_BATCH + 1;
            List<AgentObservation> results = new ArrayList<>();
            for (int i = 0; i < many; i++) {
                parts.system("web-" + i);
                results.add(parts.result("web-" + i, "disk", "critical", NOW.minus(days(1))));
            }
            parts.report(results);
            parts.reviews.define(ALICE, "everything", null, "!retired", everyDays(7));
            assertEquals(many, parts.reviews.start(ALICE, "everything").items().size());
            assertEquals(many, parts.systemsOf("monitoring.review-started").size());
            // Owed while the timeline is away, then sent by the sweep a thousand at a time, for a second at each.
            parts.timeline.unavailable(true);
            assertEquals(many, parts.reviews.close(ALICE, "everything", "too many disks").items().size());
            parts.timeline.unavailable(false);
            for (int sweeps = 0; sweeps < 100 && parts.owed() > 0; sweeps++) {
                parts.checks.sweep();
            }
            assertEquals(many, parts.systemsOf("monitoring.review-closed").size());
            assertEquals(0, parts.owed());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aPassStartedAndClosedWhileTheTimelineIsAwayIsToldWithItsMarksWhenItIsBackAfterARestartToo(
            Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            shop(parts);
            parts.report("web-1", "disk", "critical", days(1));
            parts.reviews.define(ALICE, "shop-weekly", "shop", null, everyDays(7));
            parts.timeline.unavailable(true);
            parts.reviews.start(ALICE, "shop-weekly");
            parts.reviews.mark(ALICE, "shop-weekly", "web-1", "disk", "accepted", null);
            assertEquals(1, parts.reviews.close(ALICE, "shop-weekly", "fine").items().size());
            parts.restart();
            parts.timeline.unavailable(false);
            assertEquals(List.of(), parts.systemsOf("monitoring.review-started"));
            parts.checks.sweep();
            assertEquals(List.of("shop"), parts.systemsOf("monitoring.review-started"));
            List<Event> closed = parts.timeline.ofType("monitoring.review-closed");
            assertEquals(List.of("shop"), closed.stream().map(Event::system).toList());
            assertTrue(closed.get(0).body().contains("\"marks\":{\"accepted\":1}"), closed.get(0).body());
        }
    }

    @Test
    void aReviewsScheduleChangesWhenItIsDueByWhoMayReviewItsSystem() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            shop(parts);
            parts.reviews.define(ALICE, "shop-weekly", "shop", null, everyDays(7));
            parts.reviews.start(ALICE, "shop-weekly");
            Review.View changed = parts.reviews.schedule(ALICE, "shop-weekly", everyDays(14));
            assertEquals(14, changed.review().everyDays());
            assertEquals(NOW.plus(days(14)), changed.due(), "from the start of its last pass");
            assertTrue(changed.inProgress(), "the pass in progress goes on");
            assertEquals(14, parts.reviews.list(ALICE).get(0).review().everyDays());
            assertEquals("everyDays is between 1 and 366, not 0", assertThrows(InvalidRequestException.class,
                    () -> parts.reviews.schedule(ALICE, "shop-weekly", everyDays(0))).getMessage());
            TestCaller reader = TestCaller.on("rita", Set.of("shop"), MonitoringPermissions.READ);
            assertThrows(ForbiddenException.class, () -> parts.reviews.schedule(reader, "shop-weekly", everyDays(1)));
            TestCaller stranger = TestCaller.on("sam", Set.of("db-1"), MonitoringPermissions.READ,
                    MonitoringPermissions.REVIEW);
            assertEquals("no review 'shop-weekly'", assertThrows(NotFoundException.class,
                    () -> parts.reviews.schedule(stranger, "shop-weekly", everyDays(1))).getMessage());
            assertEquals(14, parts.reviews.show(ALICE, "shop-weekly").review().everyDays());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aReviewDueByAScheduleInATimeZoneIsStoredWithItAndChangesToDaysAndBack(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            shop(parts);
            Review mondays = parts.reviews.define(ALICE, "shop-mondays", "shop", null,
                    new Reviews.Due(null, " Weekly MON 10:00", "Europe/Berlin"));
            assertEquals(Schedule.parse("schedule", "weekly mon 10:00", BERLIN), mondays.schedule());
            assertEquals(null, mondays.everyDays());
            parts.reviews.define(ALICE, "prod-monthly", null, "!retired", new Reviews.Due(null, "cron 0 10 * * mon#1",
                    null));
            parts.reviews.define(ALICE, "shop-weekly", "shop", null, new Reviews.Due(null, null, null));
            parts.restart();

            Map<String, Review.View> listed = new TreeMap<>();
            parts.reviews.list(ALICE).forEach(view -> listed.put(view.review().name(), view));
            assertEquals(Schedule.parse("schedule", "weekly mon 10:00", BERLIN),
                    listed.get("shop-mondays").review().schedule());
            assertEquals(Instant.parse("2026-12-07T09:00:00Z"), listed.get("shop-mondays").due(), "10:00 CET");
            assertEquals(Schedule.parse("schedule", "cron 0 10 * * mon#1", ZoneId.of("UTC")),
                    listed.get("prod-monthly").review().schedule(), "in UTC when no zone is given");
            assertEquals(Instant.parse("2026-12-07T10:00:00Z"), listed.get("prod-monthly").due(),
                    "the first Monday of December");
            assertEquals(Integer.valueOf(7), listed.get("shop-weekly").review().everyDays(), "7 days by default");
            assertEquals(null, listed.get("shop-weekly").review().schedule());
            assertEquals(NOW.plus(days(7)), listed.get("shop-weekly").due());

            parts.reviews.start(ALICE, "shop-weekly");
            Review.View changed = parts.reviews.schedule(ALICE, "shop-weekly", new Reviews.Due(null,
                    "cron 30 9 * * mon-fri", "America/New_York"));
            assertEquals(Instant.parse("2026-12-07T14:30:00Z"), changed.due(), "09:30 EST after the pass started");
            assertTrue(changed.inProgress(), "the pass in progress goes on");
            assertEquals(null, changed.review().everyDays());
            parts.reviews.schedule(ALICE, "shop-mondays", everyDays(14));
            parts.restart();
            assertEquals(Schedule.parse("schedule", "cron 30 9 * * mon-fri", ZoneId.of("America/New_York")),
                    parts.reviews.show(ALICE, "shop-weekly").review().schedule());
            Review.View biweekly = parts.reviews.show(ALICE, "shop-mondays");
            assertEquals(Integer.valueOf(14), biweekly.review().everyDays());
            assertEquals(null, biweekly.review().schedule());
            assertEquals(NOW.plus(days(14)), biweekly.due(), "from when it was defined: it never ran");

            // The table holds one of the two, and a zone with a schedule only.
            assertThrows(AssertionError.class, () -> parts.execute("UPDATE monitoring_review SET every_days = 7"
                    + " WHERE name = 'shop-weekly'"));
            assertThrows(AssertionError.class, () -> parts.execute("UPDATE monitoring_review SET zone = NULL"
                    + " WHERE name = 'shop-weekly'"));
            assertThrows(AssertionError.class, () -> parts.execute("UPDATE monitoring_review SET every_days = NULL"
                    + " WHERE name = 'shop-mondays'"));
        }
    }

    @Test
    void whenAReviewIsDueIsRefusedNamingWhatIsWrongInIt() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            shop(parts);
            assertEquals("give everyDays or schedule, not both: a review is due every so many days after its last pass"
                    + " or at the times of its schedule", refusal(parts, new Reviews.Due(7, "weekly mon 10:00", null)));
            assertEquals("zone is the time zone of a schedule; a review due every so many days has none",
                    refusal(parts, new Reviews.Due(7, null, "Europe/Berlin")));
            assertEquals("zone: Europe/Bonn is not a time zone such as Europe/Berlin",
                    refusal(parts, new Reviews.Due(null, "weekly mon 10:00", "Europe/Bonn")));
            assertEquals("schedule: hour 25 in 25:00 is not between 0 and 23",
                    refusal(parts, new Reviews.Due(null, "weekly mon 25:00", null)));
            assertEquals("schedule: at most 200 characters, not 201",
                    refusal(parts, new Reviews.Due(null, "weekly mon 10:00" + " ".repeat(185), null)));
            assertEquals("schedule: cron 0 10 30 2 * in Europe/Berlin has no time in the next 371 days; the review"
                    + " would never be due", refusal(parts, new Reviews.Due(null, "cron 0 10 30 2 *",
                            "Europe/Berlin")));
            // A fifth Monday in March: 2027, then not before 2031.
            assertEquals("schedule: cron 0 10 * mar mon#5 in UTC has times more than 371 days apart, which the review"
                    + " would not be due at after a pass; a schedule needs a time in every 371 days",
                    refusal(parts, new Reviews.Due(null, "cron 0 10 * mar mon#5", null)));
            assertEquals("everyDays is between 1 and 366, not 367", refusal(parts, everyDays(367)));
            assertEquals(List.of(), parts.reviews.list(ALICE));

            parts.reviews.define(ALICE, "shop-weekly", "shop", null, everyDays(7));
            assertEquals("everyDays or schedule is required: how many days after its last pass the review is due, or"
                    + " the times it is due at, such as weekly mon 10:00", assertThrows(InvalidRequestException.class,
                            () -> parts.reviews.schedule(ALICE, "shop-weekly", new Reviews.Due(null, " ", null)))
                            .getMessage());
            assertThrows(InvalidRequestException.class, () -> parts.reviews.schedule(ALICE, "shop-weekly",
                    new Reviews.Due(7, "weekly mon 10:00", null)));
            assertEquals(Integer.valueOf(7), parts.reviews.show(ALICE, "shop-weekly").review().everyDays());

            parts.reviews.define(ALICE, "shop-mondays", "shop", null, new Reviews.Due(null, "weekly mon 10:00", null));
            assertEquals("zone is the time zone of a schedule and comes with it: a change of when a review is due"
                    + " replaces it as a whole, so give the schedule with its zone, such as schedule 'weekly mon 10:00'"
                    + " in zone Europe/Berlin", assertThrows(InvalidRequestException.class, () -> parts.reviews
                            .schedule(ALICE, "shop-mondays", new Reviews.Due(null, null, "Europe/Berlin")))
                            .getMessage());
            assertEquals(Schedule.parse("schedule", "weekly mon 10:00", ZoneId.of("UTC")),
                    parts.reviews.show(ALICE, "shop-mondays").review().schedule(), "unchanged");
            assertEquals(Schedule.parse("schedule", "weekly mon 10:00", BERLIN), parts.reviews.schedule(ALICE,
                    "shop-mondays", new Reviews.Due(null, "weekly mon 10:00", "Europe/Berlin")).review().schedule());
        }
    }

    @Test
    void aScheduledReviewsProblemIsChronicWhenBrokenMostOfTheTimeBetweenTheDueTimesAroundItsStart() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            shop(parts);
            parts.report("web-1", "disk", "critical", days(2));
            parts.reviews.define(ALICE, "daily", "shop", null, new Reviews.Due(null, "cron 0 9 * * *", null));
            parts.reviews.define(ALICE, "mondays", "shop", null, new Reviews.Due(null, "weekly mon 09:00", null));
            // Broken all of the day from the daily review's last due time to its next, but 2 of the 7 from Monday to
            // Monday.
            assertEquals(Map.of("web-1/disk", Review.Group.CHRONIC), groups(parts.reviews.start(ALICE, "daily")));
            assertEquals(Map.of("web-1/disk", Review.Group.NEW), groups(parts.reviews.start(ALICE, "mondays")));
        }
    }

    /** The message a review of shop due so is refused with. */
    private static String refusal(MonitoringParts parts, Reviews.Due due) {
        return assertThrows(InvalidRequestException.class, () -> parts.reviews.define(ALICE, "shop-weekly", "shop",
                null, due)).getMessage();
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aReviewIsRemovedWithItsPassesOnceNoneIsInProgressAndTheTimelineSaysWho(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            shop(parts);
            parts.report("web-1", "disk", "critical", days(1));
            Review shopWeekly = parts.reviews.define(ALICE, "shop-weekly", "shop", null, everyDays(7));
            parts.reviews.define(ALICE, "prod", null, "!retired", everyDays(7));
            parts.reviews.start(ALICE, "shop-weekly");
            TestCaller reader = TestCaller.on("rita", Set.of("shop"), MonitoringPermissions.READ);
            assertThrows(ForbiddenException.class, () -> parts.reviews.remove(reader, "shop-weekly"));
            TestCaller stranger = TestCaller.on("sam", Set.of("db-1"), MonitoringPermissions.READ,
                    MonitoringPermissions.REVIEW);
            assertThrows(NotFoundException.class, () -> parts.reviews.remove(stranger, "shop-weekly"));
            assertEquals("a pass of the review is in progress; close it first", assertThrows(ConflictException.class,
                    () -> parts.reviews.remove(ALICE, "shop-weekly")).getMessage());
            assertTrue(parts.reviews.show(ALICE, "shop-weekly").inProgress(), "still there");
            parts.reviews.close(ALICE, "shop-weekly", "disk ordered");
            assertEquals(1, parts.rows("monitoring_review_item", "web-1"));

            assertEquals("shop-weekly", parts.reviews.remove(ALICE, "shop-weekly").name());
            assertEquals(0, parts.rows("monitoring_review_item", "web-1"), "its passes' items went with it");
            assertEquals(List.of("prod"), parts.reviews.list(ALICE).stream().map(view -> view.review().name())
                    .toList());
            assertThrows(NotFoundException.class, () -> parts.reviews.remove(ALICE, "shop-weekly"));
            List<Event> removed = parts.timeline.ofType("monitoring.review-removed");
            assertEquals(List.of("shop"), removed.stream().map(Event::system).toList());
            assertEquals("{\"review\":\"shop-weekly\",\"reviewId\":\"" + shopWeekly.id()
                    + "\",\"by\":\"user:alice\"}", removed.get(0).body());
            assertTrue(parts.timeline.ofType("monitoring.review-started").get(0).body()
                    .contains("\"reviewId\":\"" + shopWeekly.id() + "\""));
            Review again = parts.reviews.define(ALICE, "shop-weekly", "shop", null, everyDays(7));
            assertTrue(!again.id().equals(shopWeekly.id()), "the name is free again, for another review");

            parts.reviews.start(ALICE, "prod");
            parts.reviews.close(ALICE, "prod", "disk ordered");
            parts.reviews.remove(ALICE, "prod");
            assertEquals(List.of("shop-weekly"), parts.reviews.list(ALICE).stream()
                    .map(view -> view.review().name()).toList());
            assertEquals(List.of("shop", "web-1"), parts.systemsOf("monitoring.review-removed"),
                    "a selector's review is about the systems of its last pass's items");
        }
    }

    @Test
    void aPassStandsWhenTheTimelineRefusesItsEvents() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            // As if the system were deleted after the pass was stored: the timeline no longer knows it.
            parts.systems.add("shop");
            parts.reviews.define(ALICE, "shop-weekly", "shop", null, everyDays(7));
            assertEquals(1, parts.reviews.start(ALICE, "shop-weekly").last().number());
            assertEquals(List.of(), parts.systemsOf("monitoring.review-started"));
            assertEquals("shop-weekly", parts.reviews.list(ALICE).get(0).review().name());
            assertTrue(parts.reviews.show(ALICE, "shop-weekly").inProgress());
            assertEquals(0, parts.owed(), "dropped, not tried again at every sweep");
        }
    }

    @Test
    void aPassOfARemoteAggregatesReviewDefinedBeforeSuchWereRefusedGoesOnItsTimeline() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            UUID shop = parts.system("fra/shop").id();
            assertThrows(InvalidRequestException.class, () -> parts.reviews.define(ALICE, "fra-shop", "fra/shop", null,
                    everyDays(7)));
            // As stored before: its slug's slash, not allowed in an event id, becomes a colon there.
            new ReviewStore(parts.sql).insert(new Review(UUID.randomUUID(), "fra-shop", "fra/shop", shop, null, 7,
                    null, NOW, "user:alice"));
            parts.reviews.start(ALICE, "fra-shop");
            assertEquals(List.of("fra/shop"), parts.systemsOf("monitoring.review-started"));
        }
    }
}
