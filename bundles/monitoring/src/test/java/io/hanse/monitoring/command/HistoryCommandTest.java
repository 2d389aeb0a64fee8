package io.hanse.monitoring.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.shell.ShellText;
import io.hanse.kernel.store.Database;
import io.hanse.monitoring.internal.Downtimes;
import io.hanse.monitoring.internal.MonitoringParts;
import io.hanse.testing.Printed;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A check's history begins with what the one on call needs first: its output, and who handles it. */
class HistoryCommandTest {

    private static final TestCaller ALICE = TestCaller.everywhere("alice");

    @Test
    void theRecordSaysTheLatestOutputAndWhoAcknowledgedItOrThatItIsInDowntime() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, now)) {
            parts.system("web-1");
            parts.report("web-1", "disk", "critical", Duration.ZERO);
            parts.checks.acknowledge(ALICE, "web-1", "disk", "disk ordered,\narrives Monday", true,
                    now.plus(Duration.ofDays(3)));

            List<String> header = history(parts).subList(0, 4);
            assertEquals("web-1/disk: first seen " + ShellText.time(now) + "; broke once in 7 days, once in 30",
                    header.get(0));
            assertEquals("Latest result " + ShellText.time(now) + ": critical: critical", header.get(1));
            assertEquals("Acknowledged by user:alice at " + ShellText.time(now) + ", sticky, until "
                    + ShellText.time(now.plus(Duration.ofDays(3))) + ": disk ordered, arrives Monday", header.get(2));

            parts.checks.unacknowledge(ALICE, "web-1", "disk");
            UUID downtime = parts.downtimes.add(ALICE, new Downtimes.Draft("web-1", "disk", false, null,
                    now.plus(Duration.ofHours(1)), null, null, "new disk")).id();
            assertEquals("In downtime " + downtime + ": monitoring:downtime-list web-1", history(parts).get(2));
        }
    }

    @Test
    void theLatestResultsMetricsAndWhatOfItsPerfdataCouldNotBeReadFollowIt() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, now)) {
            parts.system("web-1");
            parts.report("web-1", "perf", "ok", ",\"durationMs\":25,\"perfdata\":[{\"label\":\"load1\",\"value\":5.1,"
                    + "\"unit\":\"\",\"warn\":\"5\",\"crit\":\"10\",\"min\":\"0\",\"max\":null},"
                    + "{\"label\":\"time\",\"value\":0.25,\"unit\":\"s\"},{\"label\":\"free\",\"value\":null},"
                    + "{\"label\":5}],\"perfdataError\":\"cannot read \\\"x=\\\"\"");
            List<String> header = history(parts, "perf").subList(0, 4);
            assertEquals("Latest result " + ShellText.time(now) + ": ok, ran 25 ms: ok", header.get(1));
            assertEquals("Metrics: load1=5.1 (warn 5, crit 10), time=0.25s, free=U", header.get(2));
            assertEquals("Perfdata error: unreadable perfdata, kept as text: {\"label\":5}; cannot read \"x=\"",
                    header.get(3));
        }
    }

    @Test
    void manyMetricsTakeAFewLinesAndSayHowManyMoreThereAre() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (MonitoringParts parts = new MonitoringParts(Database.Kind.H2, now)) {
            parts.system("web-1");
            parts.report("web-1", "perf", "ok", ",\"perfdata\":[" + IntStream.range(0, 200)
                    .mapToObj(i -> "{\"label\":\"metric-" + i + "\",\"value\":" + i + "}")
                    .collect(Collectors.joining(",")) + "]");
            List<String> lines = history(parts, "perf");
            List<String> metrics = lines.subList(2, lines.indexOf(lines.stream()
                    .filter(line -> line.startsWith("Availability")).findFirst().orElseThrow()));
            assertEquals(5, metrics.size(), String.join("\n", lines));
            assertTrue(metrics.get(0).startsWith("Metrics: metric-0=0, metric-1=1, "), metrics.get(0));
            assertTrue(metrics.get(1).startsWith("  metric-"), metrics.get(1));
            assertTrue(metrics.stream().allMatch(line -> line.length() <= 115), String.join("\n", metrics));
            assertTrue(metrics.get(4).matches(".*, and \\d+ more"), metrics.get(4));
        }
    }

    private static List<String> history(MonitoringParts parts) {
        return history(parts, "disk");
    }

    private static List<String> history(MonitoringParts parts, String check) {
        HistoryCommand history = new HistoryCommand();
        history.histories = parts.histories;
        history.views = parts.views;
        history.system = "web-1";
        history.check = check;
        return Printed.lines(() -> history.execute(ALICE));
    }
}
