package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ForbiddenException;
import io.hanse.api.NotFoundException;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusReport;
import io.hanse.kernel.store.Database;
import io.hanse.monitoring.rest.CheckDto;
import io.hanse.monitoring.rest.MatrixDtos;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The problems and the matrix of a scope, as each caller may see them. */
class ViewsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final TestCaller ALICE = TestCaller.everywhere("alice");

    @Test
    void whoMayNotReadAnAggregateLearnsNotWhetherItExists() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.system("secret");
            TestCaller bob = TestCaller.on("bob", Set.of("web-1"), MonitoringPermissions.READ);
            Views views = parts.views;
            for (String aggregate : List.of("secret", "nothing")) {
                assertEquals("missing permission monitoring:read on system '" + aggregate + "'",
                        assertThrows(ForbiddenException.class, () -> views.scope(bob, aggregate, null)).getMessage());
            }
            assertThrows(NotFoundException.class, () -> views.scope(ALICE, "nothing", null));
            assertEquals(List.of("web-1"), views.scope(bob, "web-1", null));
        }
    }

    @Test
    void aSystemThatDoesNotExistIs404NamingItToWhoMayReadItAnd403ToWhoMayNotAsAnAggregateIs() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.system("secret");
            parts.report("web-1", "disk", "critical", Duration.ofMinutes(5));
            TestCaller bob = TestCaller.on("bob", Set.of("web-1"), MonitoringPermissions.READ);
            for (String system : List.of("secret", "nothing")) {
                String missing = "missing permission monitoring:read on system '" + system + "'";
                assertEquals(missing, assertThrows(ForbiddenException.class, () -> parts.views.checks(bob, system))
                        .getMessage());
                assertEquals(missing, assertThrows(ForbiddenException.class, () -> parts.downtimes.list(bob, system,
                        null)).getMessage());
            }
            List<Executable> asked = List.of(() -> parts.views.checks(ALICE, "nothing"),
                    () -> parts.downtimes.list(ALICE, "nothing", null),
                    () -> parts.downtimes.list(ALICE, "nothing", "app"),
                    () -> parts.checks.acknowledge(ALICE, "nothing", "app", "looking", false, null),
                    () -> parts.checks.unacknowledge(ALICE, "nothing", "app"),
                    () -> parts.checks.setMaxAttempts(ALICE, "nothing", "app", 5),
                    () -> parts.checks.remove(ALICE, "nothing", "app"),
                    () -> parts.histories.record("nothing", "app"),
                    () -> parts.histories.history("nothing", "app", NOW.minus(Duration.ofDays(1)), NOW, 10));
            for (Executable ask : asked) {
                assertEquals("no system 'nothing'", assertThrows(NotFoundException.class, ask).getMessage());
            }
            assertEquals("system 'web-1' has no check 'app'", assertThrows(NotFoundException.class,
                    () -> parts.checks.acknowledge(ALICE, "web-1", "app", "looking", false, null)).getMessage());
            assertEquals(List.of("disk"), parts.views.checks(bob, "web-1").stream().map(item -> item.state().check())
                    .toList());
            assertEquals(List.of(), parts.views.checks(ALICE, "secret"), "a system without checks has none");
            assertEquals(List.of(), parts.downtimes.list(ALICE, "secret", null));
        }
    }

    @Test
    void aMemberInADowntimeOfAnAggregateTheCallerMayNotReadIsInDowntimeWithoutItsId() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.system("shop", "web-1");
            parts.report("web-1", "disk", "critical", Duration.ofMinutes(5));
            Downtime downtime = parts.downtimes.add(ALICE, new Downtimes.Draft("shop", null, true, NOW,
                    NOW.plus(Duration.ofHours(1)), null, null, "maintenance"));
            Views views = parts.views;
            TestCaller bob = TestCaller.on("bob", Set.of("web-1"), MonitoringPermissions.READ);

            Views.Item seen = views.problems(bob, null, null, false).get(0);
            assertTrue(seen.handled() && seen.inDowntime());
            assertNull(seen.downtime());
            assertEquals(List.of(), views.problems(bob, "web-1", null, true));
            Views.Item cell = views.matrix(bob, null, null).rows().get(0).checks().get(0);
            assertTrue(cell.inDowntime());
            assertNull(cell.downtime());
            assertEquals(downtime.id(), views.problems(ALICE, null, null, false).get(0).downtime());
        }
    }

    @Test
    void aMatrixCellSaysHowLongSinceTheStatusChangedAndSinceTheLastResult() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.report("web-1", "disk", "ok", Duration.ofMinutes(10));
            parts.report("web-1", "disk", "ok", Duration.ofMinutes(2));
            Views views = parts.views;

            MatrixDtos.CellDto cell = MatrixDtos.MatrixDto.of(views.matrix(ALICE, null, null), NOW).rows().get(0)
                    .cells().get("disk");
            assertEquals(600, cell.ageSeconds());
            assertEquals(120, cell.lastResultAgeSeconds());
        }
    }

    @Test
    void aggregatesByMembersSumUpEachMembersChecksWithItsMembersAsFarAsTheCallerMayReadThem() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.system("web-2");
            parts.system("db-1");
            parts.system("vault");
            parts.system("secret");
            parts.system("front", "web-1", "web-2");
            parts.system("back", "db-1", "vault");
            parts.system("shop", "front", "back", "secret");
            parts.system("lonely", "web-1");
            parts.report("front", "http", "ok", Duration.ofMinutes(1));
            parts.report("web-1", "disk", "critical", Duration.ofMinutes(50));
            parts.report("web-1", "load", "ok", Duration.ofMinutes(1));
            parts.report("web-2", "disk", "warning", Duration.ofMinutes(10));
            parts.report("db-1", "cpu", "critical", Duration.ofMinutes(30));
            parts.report("vault", "key", "critical", Duration.ofHours(2));
            parts.report("secret", "x", "critical", Duration.ofHours(3));
            parts.checks.acknowledge(ALICE, "web-1", "disk", "ordered", false, null);
            Views views = parts.views;
            TestCaller bob = TestCaller.on("bob", Set.of("shop", "front", "back", "web-1", "web-2", "db-1",
                    "lonely"), MonitoringPermissions.READ);

            Views.Members members = views.members(bob, "shop", null);
            assertEquals(List.of("back", "db-1", "front", "web-1", "web-2"), members.columns());
            assertEquals(List.of("back", "front", "shop"), members.rows().stream().map(Views.Aggregate::system)
                    .toList(), "the aggregates in shop, itself too; not lonely, which is not in it");
            Map<String, Views.Summary> shop = members.rows().get(2).cells();
            assertEquals(Set.of("front", "back"), shop.keySet(), "no cell for a member bob may not read");
            assertEquals(new Views.Summary(CheckStatus.CRITICAL, 4, 2, 1, NOW.minus(Duration.ofMinutes(10)), null),
                    shop.get("front"), "front's own check and its members', the acknowledged one handled");
            assertEquals(new Views.Summary(CheckStatus.CRITICAL, 1, 1, 1, NOW.minus(Duration.ofMinutes(30)), null),
                    shop.get("back"), "vault, which bob may not read, neither counted nor its problem the oldest");
            assertEquals(Set.of("db-1"), members.rows().get(0).cells().keySet(), "back's row without vault");

            Views.Summary back = views.members(ALICE, "shop", null).rows().stream()
                    .filter(row -> row.system().equals("shop")).findFirst().orElseThrow().cells().get("back");
            assertEquals(new Views.Summary(CheckStatus.CRITICAL, 2, 2, 2, NOW.minus(Duration.ofHours(2)), null), back);
            assertEquals(List.of("back", "front", "lonely", "shop"), views.members(ALICE, null, null).rows().stream()
                    .map(Views.Aggregate::system).toList(), "without an aggregate, every aggregate");
            assertEquals(Map.of("web-1", new Views.Summary(CheckStatus.CRITICAL, 2, 1, 0, null, null)),
                    views.members(bob, "lonely", null).rows().get(0).cells(), "all its problems handled");
            assertThrows(ForbiddenException.class, () -> views.members(bob, "secret", null));
        }
    }

    @Test
    void aFlappingCheckThatWentStaleIsShownNotFlappingInTheMatrixAndTheProblems() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.flap("web-1", "link");
            parts.report("web-1", "link", "critical", Duration.ZERO);
            assertTrue(flapping(parts), "flapping while it reports");

            parts.clock.advance(Duration.ofDays(1));
            parts.checks.sweep();

            assertTrue(parts.checks.get("web-1", "link").orElseThrow().stale());
            assertFalse(flapping(parts), "a stale check's last flapping says nothing of now");
        }
    }

    /** Whether web-1/link shows as flapping, in the matrix and the problems alike. */
    private static boolean flapping(MonitoringParts parts) {
        boolean inMatrix = MatrixDtos.MatrixDto.of(parts.views.matrix(ALICE, null, null), NOW).rows().get(0)
                .cells().get("link").flapping();
        boolean inProblems = CheckDto.of(parts.views.problems(ALICE, null, null, false).get(0)).flapping();
        assertEquals(inMatrix, inProblems, "the matrix and the problems agree");
        return inMatrix;
    }

    @Test
    void aStaleCheckCountsAsUnknownAndAsAProblemSinceItsLastResult() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("web-1");
            parts.system("shop", "web-1");
            parts.clock.advance(Checks.AGENTS_RETURN);
            parts.report("web-1", "load", "ok", Duration.ZERO);
            parts.clock.advance(Duration.ofMinutes(1));
            Instant lastResult = parts.clock.instant();
            parts.report("web-1", "load", "ok", Duration.ZERO);
            parts.clock.advance(Duration.ofMinutes(3));
            parts.checks.sweep();
            parts.report("web-1", "disk", "warning", Duration.ZERO);
            Views views = parts.views;

            assertEquals(new Views.Summary(CheckStatus.UNKNOWN, 2, 2, 2, lastResult, null),
                    views.members(ALICE, null, null).rows().get(0).cells().get("web-1"),
                    "stale, worse than the warning, and a problem since its last result, not its last change");
        }
    }

    @Test
    void aRemoteMemberShowsTheStatusItsPeerReportsForItHasNoChecksHere() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("fra/db");
            parts.system("fra/cache");
            parts.system("fra/storage", "fra/db", "fra/cache");
            parts.system("web-1");
            parts.system("shop", "web-1", "fra/storage");
            parts.system("all", "shop");
            parts.report("web-1", "disk", "warning", Duration.ofMinutes(5));
            parts.statuses.report("fra/storage", Status.OK);
            parts.statuses.report("fra/db", Status.CRITICAL);
            parts.statuses.report("fra/cache", Status.WARNING);
            Set<String> bobs = Set.of("all", "shop", "web-1", "fra/storage", "fra/cache");
            TestCaller bob = TestCaller.on("bob", bobs, MonitoringPermissions.READ, KernelPermissions.SYSTEMS_READ);
            TestCaller carol = TestCaller.on("carol", bobs, MonitoringPermissions.READ);

            Map<String, Views.Summary> shop = row(parts.views.members(ALICE, "all", null), "shop");
            assertEquals(new Views.Summary(null, 0, 0, 0, null, Status.CRITICAL), shop.get("fra/storage"),
                    "the worst its peer reports of it and its members: no checks here");
            assertEquals(new Views.Summary(CheckStatus.WARNING, 1, 1, 1, NOW.minus(Duration.ofMinutes(5)), null),
                    shop.get("web-1"), "a local member, as before");
            assertEquals(new Views.Summary(CheckStatus.WARNING, 1, 1, 1, NOW.minus(Duration.ofMinutes(5)),
                    Status.CRITICAL), row(parts.views.members(ALICE, "all", null), "all").get("shop"),
                    "an aggregate with remote systems below sums up its checks and what the peers report apart");
            assertEquals(Status.WARNING, row(parts.views.members(bob, "all", null), "shop").get("fra/storage")
                    .remote(), "fra/db, which bob may not read, does not count");
            assertNull(row(parts.views.members(carol, "all", null), "shop").get("fra/storage").remote(),
                    "the kernel shows a system's status to those who may read the system only");
        }
    }

    @Test
    void remoteSystemsWithProblemsAreListedApartWorstFirstToThoseWhoMayReadThemAsSystems() {
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, NOW)) {
            parts.system("fra/db");
            parts.system("fra/cache");
            parts.system("fra/web");
            parts.system("fra/storage", "fra/db", "fra/cache");
            parts.system("shop", "fra/storage");
            parts.system("web-1");
            parts.report("web-1", "disk", "critical", Duration.ZERO);
            Instant broke = NOW.minus(Duration.ofHours(2));
            Instant lost = NOW.minus(Duration.ofMinutes(7));
            String unlinked = "no link with fra since " + lost + ": what it said last may be out of date";
            parts.statuses.report("fra/db", new StatusReport("federation", Status.CRITICAL,
                    "on fra: monitoring disk CRITICAL", broke));
            parts.statuses.report("fra/db", new StatusReport("peer-link", Status.UNKNOWN, unlinked, lost));
            parts.statuses.report("fra/cache", new StatusReport("federation", Status.OK, "on fra", broke));
            parts.statuses.report("fra/cache", new StatusReport("peer-link", Status.UNKNOWN, unlinked, lost));
            parts.statuses.report("fra/web", Status.OK);
            parts.statuses.report("fra/storage", new StatusReport("federation", Status.WARNING, "on fra: load", broke));

            assertEquals(List.of(
                    new Views.RemoteProblem("fra/db", "fra", Status.CRITICAL, broke,
                            "on fra: monitoring disk CRITICAL"),
                    new Views.RemoteProblem("fra/cache", "fra", Status.UNKNOWN, lost, unlinked),
                    new Views.RemoteProblem("fra/storage", "fra", Status.WARNING, broke, "on fra: load")),
                    parts.views.remoteProblems(ALICE, null, null),
                    "worst first, each with the reports that make its status; no local system, none that is ok");
            assertEquals(List.of("fra/db", "fra/cache", "fra/storage"), parts.views.remoteProblems(ALICE, "shop", null)
                    .stream().map(Views.RemoteProblem::system).toList(), "an aggregate's remote members");
            TestCaller bob = TestCaller.on("bob", Set.of("shop", "fra/storage", "fra/cache"),
                    MonitoringPermissions.READ, KernelPermissions.SYSTEMS_READ);
            assertEquals(List.of("fra/cache", "fra/storage"), parts.views.remoteProblems(bob, null, null).stream()
                    .map(Views.RemoteProblem::system).toList(), "fra/db, which bob may not read, is left out");
            TestCaller carol = TestCaller.on("carol", Set.of("shop", "fra/storage", "fra/cache", "fra/db"),
                    MonitoringPermissions.READ);
            assertEquals(List.of(), parts.views.remoteProblems(carol, null, null),
                    "the kernel shows a system's status to those who may read the system only");
        }
    }

    private static Map<String, Views.Summary> row(Views.Members members, String aggregate) {
        return members.rows().stream().filter(row -> row.system().equals(aggregate)).findFirst().orElseThrow()
                .cells();
    }
}
