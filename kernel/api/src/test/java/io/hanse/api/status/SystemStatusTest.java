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
        // The three causes not listed may pass through systems outside the scope.
        assertEquals(1, seen.causeCount());
        assertEquals(Status.CRITICAL, seen.rolledUp());
    }

    @Test
    void withinAScopeCausesNotListedDoNotCountAsSeen() {
        // Five hidden members are critical; one of them is listed.
        SystemStatus shop = new SystemStatus("shop", Status.OK, List.of(), Status.CRITICAL, FRA1.since(),
                List.of(new Cause(List.of("shop", "db-1"), Status.CRITICAL, List.of())), 5);

        SystemStatus seen = shop.within(Scope.of(Set.of("shop")));

        assertEquals(List.of(), seen.causes());
        assertEquals(0, seen.causeCount());
    }

    @Test
    void withinAScopeEveryCauseListedIsCountedExactly() {
        SystemStatus complete = new SystemStatus("fra1", Status.OK, List.of(), Status.CRITICAL, FRA1.since(),
                FRA1.causes(), 2);

        assertEquals(1, complete.within(Scope.of(Set.of("fra1", "billing"))).causeCount());
    }

    @Test
    void everywhereEverythingRemains() {
        assertSame(FRA1, FRA1.within(Scope.EVERYWHERE));
    }
}
