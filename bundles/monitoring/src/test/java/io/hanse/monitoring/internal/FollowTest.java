package io.hanse.monitoring.internal;

import static io.hanse.monitoring.internal.MonitoringParts.everyDays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.kernel.store.Database;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks, their history, downtimes and reviews follow their systems by id across a stop of the
 * plugin, when nobody tells it what happened meanwhile; on H2 and on PostgreSQL.
 */
class FollowTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final TestCaller ALICE = TestCaller.everywhere("alice");
    /** The review of every system, whose passes have items of many. */
    private static final String EVERYTHING = "everything";
    /** The tables whose rows name a system by its id too. */
    private static final List<String> WITH_IDS = List.of("monitoring_check", "monitoring_downtime",
            "monitoring_review", "monitoring_review_item");

    /**
     * Gives a system what the plugin keeps of one: a critical check with its history, a downtime, and
     * a review of it whose pass marked the check.
     */
    private static void keep(MonitoringParts parts, String slug) {
        parts.report(slug, "disk", "critical", Duration.ofDays(1));
        parts.downtimes.add(ALICE, new Downtimes.Draft(slug, "disk", false, null, NOW.plus(Duration.ofDays(1)),
                null, null, "new disk"));
        String review = slug + "-weekly";
        parts.reviews.define(ALICE, review, slug, null, everyDays(7));
        parts.reviews.start(ALICE, review);
        parts.reviews.mark(ALICE, review, slug, "disk", "action-needed", "ordered");
        parts.reviews.close(ALICE, review, "disk ordered");
    }

    /** Runs a pass of the review of every system, which marks each item. */
    private static void reviewEverything(MonitoringParts parts) {
        parts.reviews.define(ALICE, EVERYTHING, null, "!retired", everyDays(7));
        for (Review.Item item : parts.reviews.start(ALICE, EVERYTHING).items()) {
            parts.reviews.mark(ALICE, EVERYTHING, item.system(), item.check(), "accepted", null);
        }
        parts.reviews.close(ALICE, EVERYTHING, "all seen");
    }

    private static List<String> items(Review.View view) {
        return view.items().stream().map(item -> item.system() + "/" + item.check() + " " + item.status()).toList();
    }

    private static List<Change.Kind> history(MonitoringParts parts, String system) {
        return parts.histories.history(system, "disk", NOW.minus(Duration.ofDays(2)), NOW.plusSeconds(1), 10)
                .stream().map(HistoryEntry::kind).toList();
    }

    /** Returns how many rows of the plugin's tables name a system by this slug. */
    private static int rows(MonitoringParts parts, String slug) {
        return parts.rows("monitoring_change", slug) + WITH_IDS.stream().mapToInt(table -> parts.rows(table, slug))
                .sum();
    }

    private static List<String> reviews(MonitoringParts parts) {
        return parts.reviews.list(ALICE).stream().map(view -> view.review().name()).toList();
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aSystemRenamedWhileThePluginWasStoppedKeepsItsChecksHistoryDowntimesAndReviews(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            UUID web = parts.system("web-1").id();
            parts.system("db-1");
            keep(parts, "web-1");
            reviewEverything(parts);
            parts.rename("web-1", "web-2");
            parts.restart();

            assertEquals(Set.of("web-2"), parts.checks.systems());
            CheckState disk = parts.checks.get("web-2", "disk").orElseThrow();
            assertEquals(CheckStatus.CRITICAL, disk.hardStatus());
            assertEquals(web, disk.systemId());
            assertEquals(List.of(Change.Kind.HARD), history(parts, "web-2"));
            assertEquals(List.of("web-2"), parts.downtimes.list().stream().map(Downtime::system).toList());
            assertTrue(parts.checks.handled(disk), "in its downtime");
            Review.View weekly = parts.reviews.show(ALICE, "web-1-weekly");
            assertEquals("web-2", weekly.review().system());
            assertEquals(List.of("web-2/disk critical"), items(weekly));
            assertEquals(List.of("web-2/disk critical"), items(parts.reviews.show(ALICE, EVERYTHING)));
            Review.Item again = parts.reviews.start(ALICE, "web-1-weekly").items().get(0);
            assertEquals(Review.Group.STILL_OPEN, again.group());
            assertEquals(Review.Mark.ACTION_NEEDED, again.previousMark(), "what the pass before made of it");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void whatASystemHasUnderItsOldAndItsNewSlugIsMergedTheNewerStateOfACheckKept(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            UUID web = parts.system("web-1").id();
            keep(parts, "web-1");
            parts.rename("web-1", "web-2");
            // Before the rename is followed: results, a downtime and a review under the new slug.
            parts.report("web-2", "disk", "warning", Duration.ZERO);
            parts.report("web-2", "load", "critical", Duration.ZERO);
            parts.downtimes.add(ALICE, new Downtimes.Draft("web-2", "load", false, null, NOW.plus(Duration.ofDays(1)),
                    null, null, "load test"));
            parts.reviews.define(ALICE, "web-2-daily", "web-2", null, everyDays(1));
            parts.restart();

            assertEquals(0, rows(parts, "web-1"));
            assertEquals(Set.of("disk", "load"), parts.checks.of("web-2").stream().map(CheckState::check)
                    .collect(Collectors.toSet()));
            CheckState disk = parts.checks.get("web-2", "disk").orElseThrow();
            assertEquals(CheckStatus.WARNING, disk.hardStatus(), "the newer state, made under the new slug");
            assertEquals(web, disk.systemId());
            assertEquals(List.of(Change.Kind.HARD, Change.Kind.HARD), history(parts, "web-2"),
                    "the history from under both slugs");
            assertEquals(List.of("disk", "load"), parts.downtimes.list().stream().map(Downtime::check).sorted()
                    .toList());
            assertEquals(List.of("web-1-weekly", "web-2-daily"), reviews(parts).stream().sorted().toList());
            assertEquals("web-2", parts.reviews.show(ALICE, "web-1-weekly").review().system());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void checksUnderTwoOldSlugsOfASystemBothMoveToItsNewOneAndTakeResultsThere(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("a");
            parts.report("a", "disk", "critical", Duration.ZERO);
            parts.rename("a", "a2");
            parts.report("a2", "load", "critical", Duration.ZERO);
            parts.rename("a2", "b");
            parts.checks.sweep();
            assertEquals(Set.of("disk", "load"), parts.checks.of("b").stream().map(CheckState::check)
                    .collect(Collectors.toSet()));
            parts.report("b", "load", "ok", Duration.ZERO);
            assertEquals(CheckStatus.OK, parts.checks.get("b", "load").orElseThrow().hardStatus());
            assertEquals(0, rows(parts, "a") + rows(parts, "a2"));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aReviewWhoseSystemWasRenamedWithoutWordFollowsItWhenItIsUsed(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("web-1");
            parts.report("web-1", "disk", "critical", Duration.ofDays(1));
            parts.reviews.define(ALICE, "weekly", "web-1", null, everyDays(7));
            parts.rename("web-1", "web-2");
            Review.View started = parts.reviews.start(ALICE, "weekly");
            assertEquals("web-2", started.review().system());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aSystemDeletedWhileThePluginWasStoppedLeavesNothingBehind(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("web-1");
            parts.system("db-1");
            keep(parts, "web-1");
            parts.report("db-1", "disk", "critical", Duration.ofDays(1));
            reviewEverything(parts);
            parts.remove("web-1");
            parts.restart();

            assertEquals(Set.of("db-1"), parts.checks.systems());
            assertEquals(0, rows(parts, "web-1"), "its checks, history, downtime, review and items");
            assertEquals(List.of(), parts.downtimes.list());
            assertEquals(List.of(EVERYTHING), reviews(parts), "a review of the system goes with it");
            assertEquals(List.of("db-1/disk critical"), items(parts.reviews.show(ALICE, EVERYTHING)));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aNewSystemWithTheSlugOfOneDeletedWhileThePluginWasStoppedStartsEmpty(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("web-1");
            keep(parts, "web-1");
            reviewEverything(parts);
            parts.remove("web-1");
            UUID web = parts.system("web-1").id();
            parts.restart();

            assertEquals(Set.of(), parts.checks.systems());
            assertEquals(0, rows(parts, "web-1"), "its checks, history, downtime, review and items");
            assertEquals(List.of(), parts.downtimes.list());
            assertEquals(List.of(EVERYTHING), reviews(parts), "the review was of the system deleted");
            assertEquals(List.of(), items(parts.reviews.show(ALICE, EVERYTHING)));

            parts.report("web-1", "disk", "critical", Duration.ZERO);
            CheckState disk = parts.checks.get("web-1", "disk").orElseThrow();
            assertEquals(web, disk.systemId());
            assertEquals(NOW, disk.firstSeen());
            assertFalse(parts.checks.handled(disk), "the deleted system's downtime does not cover it");
            assertEquals(List.of(Change.Kind.HARD), history(parts, "web-1"), "its own");
            Review.Item item = parts.reviews.start(ALICE, EVERYTHING).items().get(0);
            assertEquals(Review.Group.NEW, item.group());
            assertNull(item.previousMark());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void systemsThatSwappedSlugsWhileThePluginWasStoppedEachKeepTheirOwn(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("web-1");
            parts.system("db-1");
            keep(parts, "web-1");
            parts.report("db-1", "disk", "warning", Duration.ofDays(1));
            reviewEverything(parts);
            parts.rename("web-1", "swap");
            parts.rename("db-1", "web-1");
            parts.rename("swap", "db-1");
            parts.restart();

            assertEquals(CheckStatus.CRITICAL, parts.checks.get("db-1", "disk").orElseThrow().hardStatus());
            assertEquals(CheckStatus.WARNING, parts.checks.get("web-1", "disk").orElseThrow().hardStatus());
            assertEquals("warning", parts.histories.history("web-1", "disk", NOW.minus(Duration.ofDays(2)),
                    NOW, 10).get(0).status().label());
            assertEquals(List.of("db-1"), parts.downtimes.list().stream().map(Downtime::system).toList());
            assertEquals("db-1", parts.reviews.show(ALICE, "web-1-weekly").review().system());
            assertEquals(List.of("db-1/disk critical", "web-1/disk warning"),
                    items(parts.reviews.show(ALICE, EVERYTHING)));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void rowsStoredBeforeIdsWereAreLabelledWithTheirSystemsAndThoseOfSystemsGoneForgotten(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            UUID web = parts.system("web-1").id();
            parts.system("db-1");
            keep(parts, "web-1");
            keep(parts, "db-1");
            reviewEverything(parts);
            // As the plugin's tables were before it kept ids, with db-1 deleted before the upgrade.
            WITH_IDS.forEach(table -> parts.execute("UPDATE " + table + " SET system_id = NULL"));
            parts.remove("db-1");
            parts.restart();

            CheckState disk = parts.checks.get("web-1", "disk").orElseThrow();
            assertEquals(web, disk.systemId());
            assertEquals(List.of(Change.Kind.HARD), history(parts, "web-1"));
            assertEquals(List.of(web), parts.downtimes.list().stream().map(Downtime::systemId).toList());
            assertEquals(List.of(EVERYTHING, "web-1-weekly"), reviews(parts));
            Review.View weekly = parts.reviews.show(ALICE, "web-1-weekly");
            assertEquals(web, weekly.review().systemId());
            assertEquals(List.of(web), weekly.items().stream().map(Review.Item::systemId).toList());
            assertEquals(List.of("web-1/disk critical"), items(parts.reviews.show(ALICE, EVERYTHING)));
            assertEquals(Set.of("web-1"), parts.checks.systems());
            assertEquals(0, rows(parts, "db-1"));

            parts.rename("web-1", "web-2");
            parts.restart();
            assertEquals(web, parts.checks.get("web-2", "disk").orElseThrow().systemId(), "follows as labelled");
            assertEquals(List.of("web-2"), parts.downtimes.list().stream().map(Downtime::system).toList());
            assertEquals(List.of("web-2/disk critical"), items(parts.reviews.show(ALICE, EVERYTHING)));
        }
    }

    @Test
    void aPlanFollowsTheIdDataIsKeptForAndTheDataItsMoveDisplaces() {
        MemorySystems systems = new MemorySystems();
        UUID a = systems.add("a").id();
        UUID b = systems.add("b").id();
        UUID c = systems.add("c").id();
        UUID d = systems.add("d").id();
        systems.rename("a", "x");
        systems.rename("b", "a");
        systems.remove("c");
        Map<String, UUID> kept = Map.of("a", a, "b", b, "c", c, "d", d);

        Follow renamed = Follow.of(List.of("b"), kept::get, systems);
        assertEquals(List.of(new Follow.Move("b", "a"), new Follow.Move("a", "x")), renamed.moves(),
                "what is kept under a, which b has now, is a's, which is x now");
        assertEquals(List.of(), renamed.forgotten());
        Follow gone = Follow.of(List.of("c", "d", "nothing-kept"), kept::get, systems);
        assertEquals(List.of("c"), gone.forgotten());
        assertEquals(List.of(), gone.moves(), "d stays");

        Map<String, UUID> twice = Map.of("d", d, "d-before", d);
        Follow both = Follow.of(List.of("d-before", "d"), twice::get, systems);
        assertEquals(List.of(), both.forgotten());
        assertEquals(List.of(new Follow.Move("d-before", "d")), both.moves(), "merged into what is kept under d");
    }
}
