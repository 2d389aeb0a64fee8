package io.hanse.kernel.core.internal.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.Source;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KernelRecordsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final String CHANGE = "{\"name\":\"Shop\",\"kind\":\"service\",\"addedMembers\":[\"db-1\",\"db-2\"],"
            + "\"removedMembers\":[\"cache-1\"],\"previousSlug\":\"old-shop\"}";
    /** Bound on shop without its members, and on db-1. */
    private static final Scope SHOP_AND_DB_1 = Scope.of(Set.of("shop", "db-1"));

    @Test
    void aKernelRecordNamesOnlyTheMembersTheCallerMayRead() {
        Event seen = KernelRecords.seenBy(event(Source.KERNEL, CHANGE), SHOP_AND_DB_1);

        assertEquals("{\"name\":\"Shop\",\"kind\":\"service\",\"addedMembers\":[\"db-1\"],"
                + "\"previousSlug\":\"old-shop\"}", seen.body());
        assertEquals(event(Source.KERNEL, seen.body()), seen, "the event is the same but for its body");
        assertEquals("{\"name\":\"Shop\",\"kind\":\"service\",\"previousSlug\":\"old-shop\"}",
                KernelRecords.seenBy(event(Source.KERNEL, CHANGE), Scope.of(Set.of("shop"))).body());
    }

    @Test
    void whoMayReadEveryMemberAndWhatOthersAppendedSeeTheEventAsStored() {
        Event stored = event(Source.KERNEL, CHANGE);
        Event appended = event(new Source(Source.Kind.AGENT, "agent-7"), CHANGE);

        assertSame(stored, KernelRecords.seenBy(stored, Scope.EVERYWHERE));
        assertSame(stored, KernelRecords.seenBy(stored, Scope.of(Set.of("shop", "db-1", "db-2", "cache-1"))));
        assertSame(appended, KernelRecords.seenBy(appended, SHOP_AND_DB_1));
    }

    private static Event event(Source source, String body) {
        return new Event("e1", "system.updated", UUID.nameUUIDFromBytes("shop".getBytes()), "shop", NOW, NOW, source,
                "here", body);
    }
}
