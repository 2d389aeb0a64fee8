package io.hanse.monitoring.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.status.Status;
import io.hanse.api.status.StatusReport;
import io.hanse.kernel.store.Database;
import io.hanse.monitoring.internal.MonitoringParts;
import io.hanse.testing.Printed;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The problems command counts a stale check's age from its last result, as the matrix does; by the real clock. */
class ProblemsCommandTest {

    private static final TestCaller ALICE = TestCaller.everywhere("alice");

    @Test
    void aStaleChecksSinceIsHowLongSinceItsLastResultAsInTheMatrix() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, now.minus(Duration.ofHours(1)))) {
            parts.system("web-1");
            // Critical since three hours ago, its last result ten minutes ago; stale since.
            parts.report("web-1", "disk", "critical", Duration.ofHours(2));
            parts.clock.advance(Duration.ofMinutes(50));
            parts.report("web-1", "disk", "critical", Duration.ZERO);
            parts.report("web-1", "load", "warning", Duration.ZERO);
            parts.clock.advance(Duration.ofMinutes(10));
            parts.report("web-1", "load", "warning", Duration.ZERO);
            parts.sweep();
            assertTrue(parts.checks.get("web-1", "disk").orElseThrow().stale());

            ProblemsCommand problems = new ProblemsCommand();
            problems.views = parts.views;
            List<String> rows = Printed.lines(() -> problems.execute(ALICE));
            // By the real clock, which the database's migration may have moved on by a minute.
            List<String> ages = rows.stream().filter(row -> row.startsWith("web-1"))
                    .map(row -> row.split("\\|")[3].strip()).toList();
            assertEquals(2, ages.size(), String.join("\n", rows));
            assertTrue(ages.stream().allMatch(age -> age.matches("1[01]m")), String.join("\n", rows));

            MatrixCommand matrix = new MatrixCommand();
            matrix.views = parts.views;
            String shown = String.join("\n", Printed.lines(() -> matrix.execute(ALICE)));
            assertTrue(shown.matches("(?s).*stale 1[01]m.*"), shown);
        }
    }

    @Test
    void remoteSystemsWithProblemsFollowTheChecksInATableOfTheirOwn() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, now)) {
            parts.system("fra/db");
            parts.system("fra/web");
            parts.remoteStatus("fra/db", new StatusReport("peer-link", Status.UNKNOWN, "no link with fra since "
                    + now.minus(Duration.ofMinutes(3)) + ": what it said last may be out of date",
                    now.minus(Duration.ofMinutes(1))));
            parts.remoteStatus("fra/web", new StatusReport("federation", Status.OK, "on fra", now));
            ProblemsCommand problems = new ProblemsCommand();
            problems.views = parts.views;

            List<String> rows = Printed.lines(() -> problems.execute(ALICE));
            int heading = rows.indexOf("Remote systems, whose checks are watched on their peers:");
            assertEquals(List.of("No checks with problems", ""), rows.subList(heading - 2, heading),
                    String.join("\n", rows));
            List<String> remote = rows.stream().filter(row -> row.startsWith("fra/")).toList();
            assertEquals(1, remote.size(), String.join("\n", rows));
            assertTrue(remote.get(0).matches("fra/db +\\| unknown \\| 1m +\\| no link with fra since .*"),
                    remote.get(0));

            parts.remoteStatus("fra/db", new StatusReport("peer-link", Status.OK, "", now));
            rows = Printed.lines(() -> problems.execute(ALICE));
            assertEquals("No problems", rows.get(rows.size() - 1), String.join("\n", rows));
            assertTrue(rows.stream().noneMatch(row -> row.startsWith("Remote") || row.startsWith("fra/")),
                    String.join("\n", rows));
        }
    }
}
