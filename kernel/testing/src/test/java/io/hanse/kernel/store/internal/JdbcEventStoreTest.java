package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.Database;
import io.hanse.kernel.store.EventFilter;
import io.hanse.kernel.store.SequenceRange;
import io.hanse.kernel.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JdbcEventStoreTest extends OnBothDatabases {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static Event event(String id, String type, UUID system, Instant time) {
        return new Event(id, type, system, "s-" + system.toString().substring(0, 4), time, time,
                new Source(Source.Kind.AGENT, "agent-1"), "here", "{\"n\":\"" + id + "\"}");
    }

    private static List<String> ids(List<StoredEvent> events) {
        return events.stream().map(stored -> stored.event().id()).toList();
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void storesEachIdOnceWithinAndAcrossBatches(Database.Kind kind) {
        JdbcEventStore store = events(kind);
        UUID system = UUID.randomUUID();
        String prefix = kind + "-once-";

        Set<String> first = store.insert(List.of(event(prefix + "a", "deploy.finished", system, T0),
                event(prefix + "b", "deploy.finished", system, T0)));
        Event changed = new Event(prefix + "a", "other.type", system, "x", T0, T0, Source.KERNEL, "here", "{}");
        Set<String> second = store.insert(List.of(changed, event(prefix + "c", "deploy.finished", system, T0)));

        assertEquals(Set.of(prefix + "a", prefix + "b"), first);
        assertEquals(Set.of(prefix + "c"), second);
        Map<String, Event> stored = store.find(List.of(prefix + "a"));
        assertEquals("deploy.finished", stored.get(prefix + "a").type(), "the first event with an id stays");
        assertEquals(new Source(Source.Kind.AGENT, "agent-1"), stored.get(prefix + "a").source());
        assertEquals(T0, stored.get(prefix + "a").time());
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void queriesBySystemsTypesAndTimeNewestFirstWithPaging(Database.Kind kind) {
        JdbcEventStore store = events(kind);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID elsewhere = UUID.randomUUID();
        String p = kind + "-q-";
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(event(p + "a" + i, "monitoring.result", a, T0.plusSeconds(i)));
            events.add(event(p + "b" + i, i % 2 == 0 ? "deploy.finished" : "monitoring.state", b, T0.plusSeconds(i)));
            events.add(event(p + "x" + i, "monitoring.result", elsewhere, T0.plusSeconds(i)));
        }
        store.insert(events);

        List<StoredEvent> both = store.query(new EventFilter(Set.of(a, b), Set.of(), null, null, null, 100));
        assertEquals(List.of(p + "b4", p + "a4", p + "b3", p + "a3", p + "b2", p + "a2", p + "b1", p + "a1",
                p + "b0", p + "a0"), ids(both), "newest first; at the same time, the last stored first");

        Set<UUID> wide = new HashSet<>(Set.of(a, b));
        while (wide.size() <= JdbcEventStore.PER_SYSTEM_MAX) {
            wide.add(UUID.randomUUID());
        }
        assertEquals(ids(both), ids(store.query(new EventFilter(wide, Set.of(), null, null, null, 100))),
                "a wide aggregate is read another way, with the same answer");

        assertEquals(List.of(p + "b3", p + "b1"),
                ids(store.query(new EventFilter(Set.of(b), Set.of("monitoring.state"), null, null, null, 100))));
        assertEquals(List.of(p + "a4", p + "b3", p + "a3", p + "a2", p + "b1", p + "a1"), ids(store.query(
                new EventFilter(Set.of(a, b), Set.of("monitoring.*"), T0.plusSeconds(1), null, null, 100))));
        assertEquals(List.of(p + "a1", p + "a0"), ids(store.query(new EventFilter(Set.of(a), Set.of(), null,
                T0.plusSeconds(2), null, 100))));

        List<String> paged = new ArrayList<>();
        EventFilter.Position after = null;
        do {
            List<StoredEvent> page = store.query(new EventFilter(Set.of(a, b), Set.of(), null, null, after, 3));
            paged.addAll(ids(page));
            StoredEvent last = page.isEmpty() ? null : page.get(page.size() - 1);
            after = page.size() < 3 ? null : new EventFilter.Position(last.event().time(), last.seq());
        } while (after != null);
        assertEquals(ids(both), paged, "pages of 3 give every event once, in order");
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void readsInStorageOrderAfterANumberAndByNumbers(Database.Kind kind) {
        JdbcEventStore store = events(kind);
        UUID system = UUID.randomUUID();
        long before = store.highestSequence();
        String prefix = kind + "-order-";
        store.insert(List.of(event(prefix + "a", "order.test", system, T0.plusSeconds(9)),
                event(prefix + "b", "order.test", system, T0)));
        store.insert(List.of(event(prefix + "c", "order.test", system, T0.plusSeconds(5))));
        Event remote = event(prefix + "remote", "order.test", system, T0);
        store.insert(List.of(new Event(remote.id(), remote.type(), system, remote.system(), T0, T0, remote.source(),
                "elsewhere", remote.body())));

        List<StoredEvent> after = store.since(before, 10, "here");
        assertEquals(4, after.size(), "every number");
        assertEquals(List.of(prefix + "a", prefix + "b", prefix + "c"), ids(after.subList(0, 3)),
                "storage order, not the order of time");
        assertEquals("{\"n\":\"" + prefix + "a\"}", after.get(0).event().body());
        assertNull(after.get(3).event(), "another instance's event is not read");
        assertEquals(after.get(3).seq(), store.highestSequence());
        assertEquals(List.of(prefix + "a", prefix + "b"), ids(store.since(before, 2, "here")));
        long a = after.get(0).seq();
        long c = after.get(2).seq();
        assertEquals(List.of(prefix + "a", prefix + "c"), ids(store.withSequence(List.of(new SequenceRange(c, c),
                new SequenceRange(a - 1_000, a), new SequenceRange(c + 1_000, c + 100_000)), 10, "here")));
        assertEquals(List.of(prefix + "a", prefix + "b", prefix + "c"),
                ids(store.withSequence(List.of(new SequenceRange(a, c)), 10, "here")), "a long run at once");
        assertEquals(List.of(prefix + "a", prefix + "b"),
                ids(store.withSequence(List.of(new SequenceRange(a, c)), 2, "here")), "at most max");
        assertEquals(prefix + "remote", store.withSequence(List.of(new SequenceRange(after.get(3).seq(),
                after.get(3).seq())), 10, "elsewhere").get(0).event().id());
        assertEquals(List.of(), store.withSequence(List.of(), 10, "here"));
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void retentionDeletesOldEventsOfATypeButKeepsMoreSpecificOnes(Database.Kind kind) {
        JdbcEventStore store = events(kind);
        UUID system = UUID.randomUUID();
        String p = kind + "-r-";
        store.insert(List.of(event(p + "old-result", "retained.result", system, T0.minusSeconds(100)),
                event(p + "old-state", "retained.state", system, T0.minusSeconds(100)),
                event(p + "new-result", "retained.result", system, T0)));

        int deleted = store.deleteBefore("retained.*", Set.of("retained.state"), T0.minusSeconds(10), 1000);

        assertEquals(1, deleted);
        assertEquals(List.of(p + "new-result", p + "old-state"),
                ids(store.query(new EventFilter(Set.of(system), Set.of(), null, null, null, 10))));
    }
}
