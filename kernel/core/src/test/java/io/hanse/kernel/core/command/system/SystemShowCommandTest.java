package io.hanse.kernel.core.command.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.api.status.Cause;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusReport;
import io.hanse.api.status.SystemStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemShowCommandTest {

    private static final Instant SINCE = Instant.parse("2026-11-23T10:15:00Z");

    @Test
    void aCauseIsThePathDownAndWhatTheContributorsSay() {
        Cause cause = new Cause(List.of("dc-fra1", "storage", "db-1"), Status.CRITICAL, List.of(
                new StatusReport("monitoring", Status.CRITICAL, "disk full", SINCE),
                new StatusReport("backup", Status.OK, "last backup 02:00", SINCE)));

        assertEquals("critical via dc-fra1 → storage → db-1: disk full", SystemShowCommand.cause(cause));
    }

    @Test
    void aCauseNamesTheContributorWhenItGaveNoSummary() {
        Cause cause = new Cause(List.of("db-1"), Status.WARNING, List.of(
                new StatusReport("monitoring", Status.WARNING, "load 12", SINCE),
                new StatusReport("tickets", Status.WARNING, "", SINCE)));

        assertEquals("warning via db-1: load 12; tickets", SystemShowCommand.cause(cause));
    }

    @Test
    void whyListsTheCausesAndHowManyMoreThereAre() {
        Cause first = new Cause(List.of("storage", "db-1"), Status.CRITICAL,
                List.of(new StatusReport("monitoring", Status.CRITICAL, "disk full", SINCE)));
        Cause second = new Cause(List.of("storage", "db-2"), Status.CRITICAL,
                List.of(new StatusReport("monitoring", Status.CRITICAL, "down", SINCE)));
        SystemStatus status = new SystemStatus("storage", Status.OK, List.of(), Status.CRITICAL, SINCE,
                List.of(first, second), 14);

        assertEquals(List.of(
                "critical via storage → db-1: disk full",
                "critical via storage → db-2: down",
                "12 more"), SystemShowCommand.why(status));
    }

    @Test
    void whyIsEmptyWhenAllIsWell() {
        SystemStatus status = new SystemStatus("storage", Status.OK, List.of(), Status.OK, SINCE, List.of(), 0);

        assertEquals(List.of(), SystemShowCommand.why(status));
    }
}
