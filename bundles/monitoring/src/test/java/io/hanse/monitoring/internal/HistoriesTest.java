package io.hanse.monitoring.internal;

import static io.hanse.monitoring.internal.MonitoringParts.everyDays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.agent.AgentObservation;
import io.hanse.kernel.store.Database;
import io.hanse.monitoring.rest.ReviewDtos;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checks' records, history and availability, on H2 and on PostgreSQL. */
class HistoriesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static Duration days(int days) {
        return Duration.ofDays(days);
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aCheckFirstSeenAheadOfTheServersClockHasNoSpanAndWasNotBroken(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("db-1");
            // The kernel takes results up to 5 minutes ahead of its clock.
            parts.report("db-1", "ntp", "critical", Duration.ofMinutes(-2));
            Histories.Record record = parts.histories.record("db-1", "ntp");
            assertEquals(NOW, record.availability30d().from());
            assertEquals(NOW, record.availability30d().to());
            assertTrue(record.availability30d().shares().isEmpty());
            assertEquals(0.0, record.availability30d().broken());
            assertFalse(record.chronic());
            Histories.Availability hour = parts.histories.availability("db-1", "ntp", NOW.minusSeconds(3600),
                    NOW.plusSeconds(3600));
            assertEquals(hour.to(), hour.from(), "no span, rather than starting after it ends");
            assertEquals(0.0, hour.broken());

            parts.reviews.define(TestCaller.everywhere("alice"), "daily", "db-1", null, everyDays(1));
            Review.Item item = parts.reviews.start(TestCaller.everywhere("alice"), "daily").items().get(0);
            assertEquals(Review.Group.NEW, item.group());
            ReviewDtos.ItemDto shown = ReviewDtos.ItemDto.of(item, parts.reviews.now(TestCaller.everywhere("alice"),
                    List.of(item)).get(item));
            assertEquals(0.0, shown.brokenPercent30d());
            assertEquals(false, shown.acknowledged());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aFirstResultTimedToTheNanosecondBreaksOnceThoughItsChangeIsKeptToTheMicrosecond(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("db-1");
            parts.report(List.of(parts.result("db-1", "disk", "critical",
                    Instant.parse("2026-12-05T12:00:00.000000500Z"))));
            Histories.Availability day = parts.histories.availability("db-1", "disk", NOW.minus(days(2)), NOW);
            assertEquals(List.of(Instant.parse("2026-12-05T12:00:00Z")), day.breaks());
            assertEquals(Map.of(CheckStatus.CRITICAL, 1.0), day.shares());
            Histories.Record record = parts.histories.record("db-1", "disk");
            assertEquals(1, record.breaks30d());
            assertEquals(1, record.availability30d().breaks().size(), "as GET …/checks/db-1/disk shows it");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aHardChangeTimedAheadOfTheServersClockIsInTheHistoryUpToNowAndCountsAsABreakNow(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("web-1");
            parts.report("web-1", "disk", "ok", days(2));
            // The kernel takes results up to 5 minutes ahead of its clock.
            parts.report("web-1", "disk", "critical", Duration.ofMinutes(-2));
            assertEquals(CheckStatus.CRITICAL, parts.checks.get("web-1", "disk").orElseThrow().hardStatus());

            assertEquals(NOW.plus(Histories.AHEAD), parts.histories.latest());
            List<HistoryEntry> history = parts.histories.history("web-1", "disk", NOW.minus(days(30)),
                    parts.histories.latest(), 10);
            assertEquals(List.of("critical"), history.stream().map(entry -> entry.status().label()).toList());
            Histories.Record record = parts.histories.record("web-1", "disk");
            assertEquals(1, record.breaks7d());
            assertEquals(1, record.breaks30d());
            assertEquals(List.of(NOW.plus(Duration.ofMinutes(2))), record.availability30d().breaks());
            assertEquals(NOW, record.availability30d().to(), "no time after now is counted");
            assertEquals(Map.of(CheckStatus.OK, 1.0), record.availability30d().shares());
            assertEquals(record, parts.histories.records(parts.checks.of("web-1")).get(new Histories.Key("web-1",
                    "disk")));
            Histories.Availability month = parts.histories.availability("web-1", "disk", NOW.minus(days(30)),
                    parts.histories.latest());
            assertEquals(1, month.breaks().size());
            assertEquals(Map.of(CheckStatus.OK, 1.0), month.shares());
            assertEquals(month, parts.histories.availability("web-1", "disk", NOW.minus(days(30)), NOW.plus(days(1))));
            assertEquals(List.of(), parts.histories.availability("web-1", "disk", NOW.minus(days(30)), NOW).breaks(),
                    "a range that ends now, asked for, ends there");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void pruningDeletesOldHistoryButTheLastHardChangeBeforeTheCutAChunkAtATime(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("db-1");
            parts.report("db-1", "disk", "critical", days(40));
            parts.report("db-1", "disk", "ok", days(38));
            parts.report("db-1", "disk", "critical", days(36));
            parts.report("db-1", "disk", "ok", days(33));
            parts.report("db-1", "disk", "critical", days(20));
            parts.report("db-1", "ntp", "critical", days(50));
            // Broke and recovered at the same time: the later of the two is the last.
            parts.report("db-1", "replication", "critical", days(35));
            parts.report("db-1", "replication", "ok", days(35));
            Histories.Availability before = parts.histories.availability("db-1", "disk", NOW.minus(days(30)), NOW);

            CheckStore store = new CheckStore(parts.sql);
            assertEquals(List.of(2, 2, 0), List.of(store.prune(NOW.minus(days(30)), 2),
                    store.prune(NOW.minus(days(30)), 2), store.prune(NOW.minus(days(30)), 2)));
            assertEquals(List.of("ok"), parts.histories.history("db-1", "replication", NOW.minus(days(400)), NOW,
                    10).stream().map(entry -> entry.status().label()).toList());
            assertEquals(List.of("critical", "ok"), parts.histories.history("db-1", "disk", NOW.minus(days(400)), NOW,
                    10).stream().map(entry -> entry.status().label()).toList());
            assertEquals(1, parts.histories.history("db-1", "ntp", NOW.minus(days(400)), NOW, 10).size(),
                    "a check's only change, the last before the cut, is kept");
            assertEquals(before, parts.histories.availability("db-1", "disk", NOW.minus(days(30)), NOW));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void availabilityReachingPastTheCutCountsTheTimeBeforeTheOldestChangeKeptInTheStatusItChangedFrom(
            Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("db-1");
            parts.report("db-1", "load", "critical", days(60));
            parts.report("db-1", "load", "warning", days(40));
            new CheckStore(parts.sql).prune(NOW.minus(days(30)), 100);

            Histories.Availability year = parts.histories.availability("db-1", "load", NOW.minus(days(365)), NOW);

            assertEquals(NOW.minus(days(60)), year.from());
            assertEquals(Map.of(CheckStatus.CRITICAL, 1 / 3.0, CheckStatus.WARNING, 2 / 3.0), year.shares());
        }
    }

    @Test
    void aRangeThatEndsBeforeItStartsIsRefusedForHistoryAsForAvailability() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("db-1");
            parts.report("db-1", "ntp", "critical", days(1));
            assertEquals("the range must end after it starts, not from 2026-12-06T12:00:00Z to 2026-12-05T12:00:00Z",
                    assertThrows(InvalidRequestException.class, () -> parts.histories.history("db-1", "ntp", NOW,
                            NOW.minus(days(1)), 10)).getMessage());
            assertThrows(InvalidRequestException.class, () -> parts.histories.availability("db-1", "ntp", NOW,
                    NOW.minus(days(1))));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void theRecordsOfChecksReadTogetherAreTheirRecordsReadOneByOne(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("web-1");
            parts.system("db-1");
            parts.report("web-1", "load", "ok", days(45));
            // Broken since before the month: only the change before it says so.
            parts.report("web-1", "disk", "critical", days(40));
            // Broke three times in the month, twice in the week; warning to critical is no break.
            parts.report("db-1", "disk", "ok", days(60));
            parts.report("db-1", "disk", "warning", days(20));
            parts.report("db-1", "disk", "critical", days(19));
            parts.report("db-1", "disk", "ok", days(15));
            parts.report("db-1", "disk", "critical", days(6));
            parts.report("db-1", "disk", "ok", days(5));
            parts.report("db-1", "disk", "warning", days(1));
            // First seen in the month, and broken since.
            parts.report("db-1", "backup", "unknown", days(10));
            // Broke and recovered at the same time before the month: the later of the two counts.
            parts.report("db-1", "replication", "critical", days(35));
            parts.report("db-1", "replication", "ok", days(35));
            parts.report("db-1", "ntp", "critical", Duration.ofMinutes(-2));
            List<CheckState> states = new ArrayList<>(parts.checks.of("web-1"));
            states.addAll(parts.checks.of("db-1"));

            int before = parts.statements();
            Map<Histories.Key, Histories.Record> together = parts.histories.records(states);
            assertEquals(1, parts.statements() - before, "one statement for " + states.size() + " checks");
            for (CheckState state : states) {
                assertEquals(parts.histories.record(state.system(), state.check()),
                        together.get(Histories.Key.of(state)), state.system() + "/" + state.check());
            }
            Histories.Record disk = together.get(new Histories.Key("db-1", "disk"));
            assertEquals(3, disk.breaks30d());
            assertEquals(2, disk.breaks7d());
            assertTrue(together.get(new Histories.Key("web-1", "disk")).chronic());
            assertEquals(1.0, together.get(new Histories.Key("web-1", "disk")).availability30d().broken());
            assertEquals(0.0, together.get(new Histories.Key("db-1", "replication")).availability30d().broken());
            assertEquals(0.0, together.get(new Histories.Key("web-1", "load")).availability30d().broken());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void moreThanAThousandChecksAreReadAThousandAStatement(Database.Kind kind) {
        try (MonitoringParts parts = new MonitoringParts(kind, NOW)) {
            parts.system("web-1");
            parts.system("web-2");
            List<AgentObservation> results = new ArrayList<>();
            for (int i = 0; i <= 1000; i++) {
                results.add(parts.result(i < 500 ? "web-1" : "web-2", "check-" + i, i % 2 == 0 ? "critical" : "ok",
                        NOW.minus(days(i % 40))));
            }
            parts.report(results);
            List<CheckState> states = new ArrayList<>(parts.checks.of("web-1"));
            states.addAll(parts.checks.of("web-2"));

            int before = parts.statements();
            Map<Histories.Key, Histories.Record> together = parts.histories.records(states);
            assertEquals(2, parts.statements() - before);
            assertEquals(1001, together.size());
            // The first and last of each statement's checks.
            for (CheckState state : List.of(states.get(0), states.get(999), states.get(1000))) {
                assertEquals(parts.histories.record(state.system(), state.check()),
                        together.get(Histories.Key.of(state)), state.check());
            }
        }
    }
}
