package io.hanse.api.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.hanse.api.security.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SystemStatusTest {

    private static final SystemStatus FRA1 = new SystemStatus("fra1", Status.OK, List.of(), Status.CRITICAL,
            Instant.parse("2026-11-23T10:00:00Z"), List.of(
                    new Cause(List.of("fra1", "storage", "db-1"), Status.CRITICAL, List.of()),
                    new Cause(List.of("fra1", "billing"), Status.CRITICAL, List.of())), 5);

    @Test
    void withinAScopeOnlyCausesThroughItsSystemsRemainAndAreCounted() {
        SystemStatus seen = FRA1.within(Scope.of(Set.of("fra1", "storage", "db-1")));

        assertEquals(List.of(List.of("fra1", "storage", "db-1")), seen.causes().stream().map(Cause::path).toList());
        assertEquals(4, seen.causeCount());
        assertEquals(Status.CRITICAL, seen.rolledUp());
    }

    @Test
    void everywhereEverythingRemains() {
        assertSame(FRA1, FRA1.within(Scope.EVERYWHERE));
    }
}
