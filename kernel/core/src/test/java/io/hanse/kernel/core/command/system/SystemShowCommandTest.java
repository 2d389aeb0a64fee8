package io.hanse.kernel.core.command.system;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.TIMELINE_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.status.Cause;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusReport;
import io.hanse.api.status.SystemStatus;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.MemoryTimeline;
import io.hanse.testing.Printed;
import io.hanse.testing.TestCaller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SystemShowCommandTest {

    private static final Instant SINCE = Instant.parse("2026-11-23T10:15:00Z");
    private static final List<String> CRITICAL_MEMBERS = IntStream.rangeClosed(1, 12)
            .mapToObj(n -> String.format("db-%02d", n))
            .toList();

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
    void aMemberDeletedWhileTheSystemIsShownIsLeftOut() {
        MemorySystems systems = new MemorySystems();
        systems.add("db-1");
        systems.add("db-2");
        systems.add("storage", "db-1", "db-2");
        SystemShowCommand show = new SystemShowCommand();
        show.systems = systems;
        // db-2 was deleted after the members were listed, before its status was read.
        show.status = new MemoryStatuses().put("storage", Status.CRITICAL).put("db-1", Status.CRITICAL);
        show.timeline = new MemoryTimeline(Set.of());
        show.slug = "storage";

        List<String> lines = Printed.lines(() -> show.execute(TestCaller.everywhere("tester")));

        assertTrue(lines.contains("Members (1):"), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("db-1 ")), String.join("\n", lines));
        assertFalse(lines.stream().anyMatch(line -> line.contains("db-2")), String.join("\n", lines));
    }

    @Test
    void causesThroughMembersTheCallerMayNotReadAreNeitherListedNorCounted() {
        List<String> lines = showStorage(Set.of("storage"));

        assertTrue(lines.contains("  critical via storage"), String.join("\n", lines));
        assertFalse(lines.stream().anyMatch(line -> line.endsWith(" more")), String.join("\n", lines));
        assertTrue(lines.contains("Members: none"), String.join("\n", lines));
    }

    @Test
    void causesBeyondThoseListedAreCountedWhenTheCallerMayReadThem() {
        Set<String> all = new HashSet<>(CRITICAL_MEMBERS);
        all.add("storage");

        List<String> lines = showStorage(all);

        assertTrue(lines.contains("  3 more"), String.join("\n", lines));
    }

    @Test
    void eventsAreShownOnlyToACallerWhoMayReadTheSystemsTimeline() {
        MemorySystems systems = new MemorySystems();
        systems.add("storage");
        SystemShowCommand show = new SystemShowCommand();
        show.systems = systems;
        show.status = new MemoryStatuses().put("storage", Status.OK);
        show.timeline = new MemoryTimeline(Set.of());
        show.slug = "storage";

        List<String> lines = Printed.lines(() -> show.execute(TestCaller.on("alice", Set.of("storage"),
                SYSTEMS_READ)));

        assertTrue(lines.contains("Latest events: not shown without " + TIMELINE_READ + " on storage"),
                String.join("\n", lines));
        assertTrue(Printed.lines(() -> show.execute(TestCaller.on("alice", Set.of("storage"), SYSTEMS_READ,
                TIMELINE_READ))).contains("Latest events: none"));
    }

    @Test
    void whyIsEmptyWhenAllIsWell() {
        SystemStatus status = new SystemStatus("storage", Status.OK, List.of(), Status.OK, SINCE, List.of(), 0);

        assertEquals(List.of(), SystemShowCommand.why(status));
    }

    /**
     * Shows storage to a caller who may read these systems: storage and its members are critical,
     * which is 13 causes, more than are listed.
     */
    private static List<String> showStorage(Set<String> readable) {
        MemorySystems systems = new MemorySystems();
        List<Cause> causes = new ArrayList<>(List.of(new Cause(List.of("storage"), Status.CRITICAL, List.of())));
        MemoryStatuses statuses = new MemoryStatuses();
        for (String member : CRITICAL_MEMBERS) {
            systems.add(member);
            statuses.put(member, Status.CRITICAL);
            causes.add(new Cause(List.of("storage", member), Status.CRITICAL, List.of()));
        }
        systems.add("storage", CRITICAL_MEMBERS.toArray(String[]::new));
        statuses.put(new SystemStatus("storage", Status.CRITICAL, List.of(), Status.CRITICAL, SINCE, causes,
                causes.size()));
        SystemShowCommand show = new SystemShowCommand();
        show.systems = systems;
        show.status = statuses;
        show.timeline = new MemoryTimeline(Set.of());
        show.slug = "storage";

        return Printed.lines(() -> show.execute(TestCaller.on("alice", readable, SYSTEMS_READ, TIMELINE_READ)));
    }
}
