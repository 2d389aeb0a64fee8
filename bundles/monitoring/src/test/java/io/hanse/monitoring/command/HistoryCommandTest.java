package io.hanse.monitoring.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    private static List<String> history(MonitoringParts parts) {
        HistoryCommand history = new HistoryCommand();
        history.histories = parts.histories;
        history.views = parts.views;
        history.system = "web-1";
        history.check = "disk";
        return Printed.lines(() -> history.execute(ALICE));
    }
}
