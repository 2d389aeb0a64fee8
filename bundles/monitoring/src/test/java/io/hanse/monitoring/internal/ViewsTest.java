package io.hanse.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ForbiddenException;
import io.hanse.api.NotFoundException;
import io.hanse.kernel.store.Database;
import io.hanse.testing.TestCaller;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
            Views views = new Views(parts.checks, parts.systems);
            for (String aggregate : List.of("secret", "nothing")) {
                assertEquals("missing permission monitoring:read on system " + aggregate,
                        assertThrows(ForbiddenException.class, () -> views.scope(bob, aggregate, null)).getMessage());
            }
            assertThrows(NotFoundException.class, () -> views.scope(ALICE, "nothing", null));
            assertEquals(List.of("web-1"), views.scope(bob, "web-1", null));
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
            Views views = new Views(parts.checks, parts.systems);
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
}
