package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.Source;
import io.hanse.kernel.store.internal.JdbcEventStore;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Following the timeline from the database, on a real H2 database: what is stored comes once, in
 * storage order, and an event whose transaction commits after later ones were read still comes.
 */
class FollowerTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    /** The most missing numbers a follower here looks for at once, fewer than a real one's 10,000. */
    private static final int MAX_GAPS = 100;

    private final KernelDatabase database = KernelDatabase.h2();
    private final JdbcEventStore events = new JdbcEventStore(null, database.database(), database.dataSource());
    private final MutableClock clock = new MutableClock(T0);

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void followsFromWhereItStartsAndPicksUpALateCommitOnce() throws Exception {
        events.insert(List.of(event("before")));
        Follower follower = new Follower(events, "fra", events.highestSequence(), clock);
        assertEquals(List.of(), ids(follower.next(100)));

        try (Connection slow = database.dataSource().getConnection()) {
            slow.setAutoCommit(false);
            insert(slow, event("late"));
            events.insert(List.of(event("first"), event("second")));
            assertEquals(List.of("first", "second"), ids(follower.next(100)));
            slow.commit();
        }
        // One that starts again from where this one stands misses nothing and repeats what came after.
        Follower again = new Follower(events, "fra", follower.position(), clock);
        assertEquals(List.of("late", "first", "second"), ids(again.next(100)));
        assertEquals(List.of("late"), ids(follower.next(100)));
        assertEquals(events.highestSequence(), follower.position(), "nothing missing any more");
        assertEquals(List.of(), ids(follower.next(100)), "nothing twice");

        events.insert(List.of(event("third"), event("fourth"), event("fifth")));
        assertEquals(List.of("third", "fourth"), ids(follower.next(2)));
        assertEquals(List.of("fifth"), ids(follower.next(2)));
    }

    @Test
    void eventsFromOtherInstancesAreSkippedWithoutBeingTakenForGaps() {
        Follower follower = new Follower(events, "fra", events.highestSequence(), clock);
        Event remote = event("remote");
        events.insert(List.of(event("own"), new Event(remote.id(), remote.type(), remote.systemId(), remote.system(),
                T0, T0, remote.source(), "ber", remote.body()), event("own-2")));
        assertEquals(List.of("own", "own-2"), ids(follower.next(100)));
        assertEquals(events.highestSequence(), follower.position(), "the other's number is no gap");
    }

    @Test
    void aNumberThatNeverCommitsIsGivenUpAfterAWhile() throws Exception {
        Follower follower = new Follower(events, "fra", events.highestSequence(), clock);
        try (Connection rolledBack = database.dataSource().getConnection()) {
            rolledBack.setAutoCommit(false);
            insert(rolledBack, event("never"));
            events.insert(List.of(event("after")));
            rolledBack.rollback();
        }
        assertEquals(List.of("after"), ids(follower.next(100)));
        clock.advance(Follower.GAP_WAIT.plus(Duration.ofSeconds(1)));
        assertEquals(List.of(), ids(follower.next(100)));
        assertEquals(events.highestSequence(), follower.position(), "given up, it no longer holds the position");
        // Given up: a late commit with that number would no longer be looked for; nothing else is lost.
        events.insert(List.of(event("later")));
        assertEquals(List.of("later"), ids(follower.next(100)));
    }

    @Test
    void aLateCommitBehindMoreGapsThanItLooksForAtOnceIsStillFollowed() throws Exception {
        Follower follower = new Follower(events, "fra", events.highestSequence(), clock, MAX_GAPS);
        List<Event> slow = IntStream.rangeClosed(0, MAX_GAPS).mapToObj(i -> event("slow-" + i)).toList();
        List<String> seen = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            for (Event event : slow) {
                insert(connection, event);
            }
            events.insert(List.of(event("fast")));
            seen.addAll(ids(follower.next(100)));
            connection.commit();
        }
        clock.advance(Duration.ofSeconds(1));
        seen.addAll(ids(follower.next(1_000)));
        assertEquals(slow.size() + 1, seen.size(), "every committed event is followed");
        assertEquals("fast", seen.get(seen.size() - 1), "in storage order");
        assertEquals(events.highestSequence(), follower.position());
    }

    @Test
    void moreNumbersRolledBackThanItLooksForAtOnceHoldItUpOnlyUntilTheyAreGivenUp() throws Exception {
        Follower follower = new Follower(events, "fra", events.highestSequence(), clock, MAX_GAPS);
        try (Connection rolledBack = database.dataSource().getConnection()) {
            rolledBack.setAutoCommit(false);
            for (int i = 0; i <= MAX_GAPS; i++) {
                insert(rolledBack, event("never-" + i));
            }
            events.insert(List.of(event("after")));
            rolledBack.rollback();
        }
        assertEquals(List.of(), ids(follower.next(100)), "the numbers before it are looked for first");
        clock.advance(Follower.GAP_WAIT.plus(Duration.ofSeconds(1)));
        assertEquals(List.of("after"), ids(follower.next(100)));
        clock.advance(Follower.GAP_WAIT.plus(Duration.ofSeconds(1)));
        follower.next(100);
        assertEquals(events.highestSequence(), follower.position());
    }

    @Test
    void aLongRunOfNumbersThatNeverCommitIsGivenUpWholeAfterOneWait() throws Exception {
        Follower follower = new Follower(events, "fra", events.highestSequence(), clock, MAX_GAPS);
        // As PostgreSQL burns numbers for rows that ON CONFLICT DO NOTHING skips: ten times the gaps kept.
        try (Connection rolledBack = database.dataSource().getConnection()) {
            rolledBack.setAutoCommit(false);
            for (int i = 0; i < 10 * MAX_GAPS; i++) {
                insert(rolledBack, event("burnt-" + i));
            }
            events.insert(List.of(event("after")));
            rolledBack.rollback();
        }
        assertEquals(List.of(), ids(follower.next(100)), "so many missing may be one transaction yet to commit");
        clock.advance(Follower.GAP_WAIT.plus(Duration.ofSeconds(1)));
        assertEquals(List.of("after"), ids(follower.next(100)), "the whole run given up at once");
        assertEquals(events.highestSequence(), follower.position());
        events.insert(List.of(event("later")));
        assertEquals(List.of("later"), ids(follower.next(100)));
    }

    @Test
    void moreRunsOfMissingNumbersThanItKeepsHoldItUpOnlyUntilTheyAreGivenUp() throws Exception {
        Follower follower = new Follower(events, "fra", events.highestSequence(), clock, MAX_GAPS);
        try (Connection rolledBack = database.dataSource().getConnection()) {
            rolledBack.setAutoCommit(false);
            for (int i = 0; i <= MAX_GAPS; i++) {
                insert(rolledBack, event("never-" + i));
                events.insert(List.of(event("after-" + i)));
            }
            rolledBack.rollback();
        }
        assertEquals(MAX_GAPS, follower.next(1_000).size(), "as far as it has room to look for the runs before");
        clock.advance(Follower.GAP_WAIT.plus(Duration.ofSeconds(1)));
        assertEquals(List.of("after-" + MAX_GAPS), ids(follower.next(1_000)));
        clock.advance(Follower.GAP_WAIT.plus(Duration.ofSeconds(1)));
        follower.next(1_000);
        assertEquals(events.highestSequence(), follower.position());
    }

    private static Event event(String id) {
        return new Event(id, "deploy.finished", UUID.randomUUID(), "web", T0, T0, new Source(Source.Kind.USER, "u"),
                "fra", "{}");
    }

    /** Inserts an event in a transaction the test holds open. */
    private static void insert(Connection connection, Event event) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO hanse_event (id, type, system_id,"
                + " system_slug, time, recorded, source_kind, source_name, origin, body)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, event.id());
            insert.setString(2, event.type());
            insert.setObject(3, event.systemId());
            insert.setString(4, event.system());
            insert.setObject(5, event.time().atOffset(ZoneOffset.UTC));
            insert.setObject(6, event.recorded().atOffset(ZoneOffset.UTC));
            insert.setString(7, event.source().kind().name());
            insert.setString(8, event.source().name());
            insert.setString(9, event.origin());
            insert.setString(10, event.body());
            insert.executeUpdate();
        }
    }

    private static List<String> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }
}
