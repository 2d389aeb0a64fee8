package io.hanse.kernel.core.command.timeline;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.TIMELINE_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Scope;
import io.hanse.api.timeline.Appended;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.EventPage;
import io.hanse.api.timeline.EventQuery;
import io.hanse.api.timeline.Source;
import io.hanse.api.timeline.Subscriber;
import io.hanse.api.timeline.Subscription;
import io.hanse.api.timeline.Timeline;
import io.hanse.testing.TestCaller;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TimelineTailCommandTest {

    private static final TestCaller CALLER = TestCaller.everywhere("tester");

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream systemOut;
    private PrintStream systemErr;

    @BeforeEach
    void captureOutput() {
        systemOut = System.out;
        systemErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(systemOut);
        System.setErr(systemErr);
    }

    @Test
    void withoutFollowPrintsTheLatestOldestFirstAndAsksForWhatWasGiven() {
        FakeTimeline timeline = new FakeTimeline(List.of(event("e2", 2), event("e1", 1)), subscriber -> { });
        TimelineTailCommand tail = command(timeline);
        tail.system = "storage";
        tail.types = "deploy.finished, monitoring.*,";
        tail.limit = 5;
        tail.noFollow = true;

        assertNull(tail.tail(CALLER, () -> true));

        assertEquals(List.of(
                "2026-11-23T10:00:01Z deploy.finished db-1 user:alice {\"n\":1}",
                "2026-11-23T10:00:02Z deploy.finished db-1 user:alice {\"n\":2}"), lines(out));
        EventQuery query = timeline.queries.get(0);
        assertEquals("storage", query.system());
        assertTrue(query.includeMembers());
        assertEquals(Set.of("deploy.finished", "monitoring.*"), query.types());
        assertEquals(5, query.limit());
        assertEquals(0, timeline.subscriptions.size());
    }

    @Test
    void onlyThisLeavesOutTheMembers() {
        FakeTimeline timeline = new FakeTimeline(List.of(), subscriber -> { });
        TimelineTailCommand tail = command(timeline);
        tail.system = "storage";
        tail.onlyThis = true;
        tail.noFollow = true;

        tail.tail(CALLER, () -> true);

        assertFalse(timeline.queries.get(0).includeMembers());
    }

    @Test
    void followsUntilTheTimelineEndsTheSubscriptionPrintingEachEventOnce() {
        // The subscription sees e2 too: it was appended between subscribing and reading the latest events.
        FakeTimeline timeline = new FakeTimeline(List.of(event("e2", 2), event("e1", 1)), subscriber -> {
            subscriber.event(event("e2", 2));
            subscriber.event(event("e3", 3));
            subscriber.ended("the subscriber fell too far behind");
        });

        assertNull(command(timeline).tail(CALLER, () -> true));

        assertEquals(List.of(
                "2026-11-23T10:00:01Z deploy.finished db-1 user:alice {\"n\":1}",
                "2026-11-23T10:00:02Z deploy.finished db-1 user:alice {\"n\":2}",
                "2026-11-23T10:00:03Z deploy.finished db-1 user:alice {\"n\":3}"), lines(out));
        assertEquals(List.of("The timeline ended the subscription: the subscriber fell too far behind"), lines(err));
        assertNull(timeline.subscriptions.get(0).filter.system());
        assertTrue(timeline.subscriptions.get(0).closed);
    }

    @Test
    void anInterruptStopsFollowingAndClosesTheSubscription() throws Exception {
        CountDownLatch subscribed = new CountDownLatch(1);
        FakeTimeline timeline = new FakeTimeline(List.of(), subscriber -> subscribed.countDown());
        TimelineTailCommand tail = command(timeline);
        tail.limit = 0;
        Thread thread = new Thread(() -> tail.tail(CALLER, () -> true));

        thread.start();
        assertTrue(subscribed.await(5, TimeUnit.SECONDS));
        thread.interrupt();
        thread.join(5_000);

        assertFalse(thread.isAlive());
        assertTrue(timeline.subscriptions.get(0).closed);
        assertEquals(List.of(), timeline.queries, "--limit 0 reads no latest events");
    }

    @Test
    void stopsFollowingWhenTheConsoleIsGone() {
        FakeTimeline timeline = new FakeTimeline(List.of(), subscriber -> {
            subscriber.event(event("e1", 1));
            subscriber.event(event("e2", 2));
        });
        AtomicInteger checks = new AtomicInteger();

        // The console is there for the first check only: e1 is printed, then the client has gone.
        assertNull(command(timeline).tail(CALLER, () -> checks.incrementAndGet() == 1));

        assertEquals(List.of("2026-11-23T10:00:01Z deploy.finished db-1 user:alice {\"n\":1}"), lines(out));
        assertTrue(timeline.subscriptions.get(0).closed);
    }

    @Test
    void endsWhenTheConsoleFallsTooFarBehindInsteadOfHoldingEveryEvent() {
        // The subscription delivers one event more than the tail holds before the tail takes any.
        FakeTimeline timeline = new FakeTimeline(List.of(), subscriber -> {
            for (int second = 1; second <= TimelineTailCommand.MAX_QUEUED + 1; second++) {
                subscriber.event(event("e" + second, second));
            }
        });
        TimelineTailCommand tail = command(timeline);
        tail.limit = 0;
        AtomicInteger checks = new AtomicInteger();

        // The console is there for every event delivered and one quiet check more.
        assertNull(tail.tail(CALLER, () -> checks.incrementAndGet() <= TimelineTailCommand.MAX_QUEUED + 2));

        assertEquals(TimelineTailCommand.MAX_QUEUED, lines(out).size());
        assertEquals(List.of("The console fell more than 10000 events behind; start the tail again"), lines(err));
        assertTrue(timeline.subscriptions.get(0).closed);
    }

    @Test
    void endsAsALiveStreamDoesWhenTheCallerNoLongerHolds() {
        FakeTimeline timeline = new FakeTimeline(List.of(), subscriber -> {
            subscriber.event(event("e1", 1));
            subscriber.event(event("e2", 2));
        });
        TimelineTailCommand tail = command(timeline);
        tail.limit = 0;
        AtomicInteger validityChecks = new AtomicInteger();
        AtomicInteger consoleChecks = new AtomicInteger();
        // Valid when e1 comes, disabled before e2 does.
        Caller disabled = new Caller() {
            @Override
            public Source source() {
                return CALLER.source();
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public boolean valid() {
                return validityChecks.incrementAndGet() == 1;
            }

            @Override
            public Scope scope(String permission) {
                return CALLER.scope(permission);
            }
        };

        assertNull(tail.tail(disabled, () -> consoleChecks.incrementAndGet() <= 3));

        assertEquals(List.of("2026-11-23T10:00:01Z deploy.finished db-1 user:alice {\"n\":1}"), lines(out));
        assertEquals(List.of("The credentials no longer hold, or what they allow changed; connect again"), lines(err));
        assertTrue(timeline.subscriptions.get(0).closed);
    }

    @Test
    void namesOnlyTheMembersTheCallerMayReadInTheKernelsRecords() {
        // Bound on storage without its members, and on db-1.
        TestCaller storage = TestCaller.on("alice", Set.of("storage", "db-1"), TIMELINE_READ, SYSTEMS_READ);
        String change = "{\"name\":\"storage\",\"kind\":\"service\",\"addedMembers\":[\"db-1\",\"db-2\"]"
                + "}";
        FakeTimeline timeline = new FakeTimeline(List.of(record("latest", 1, change)), subscriber -> {
            subscriber.event(record("followed", 2, change));
            subscriber.ended("the kernel stops");
        });
        TimelineTailCommand tail = command(timeline);
        tail.system = "storage";

        tail.tail(storage, () -> true);

        String seen = "{\"name\":\"storage\",\"kind\":\"service\",\"addedMembers\":[\"db-1\"]}";
        assertEquals(List.of("2026-11-23T10:00:01Z system.updated storage kernel " + seen,
                "2026-11-23T10:00:02Z system.updated storage kernel " + seen), lines(out));
    }

    @Test
    void aNegativeLimitIsRefused() {
        TimelineTailCommand tail = command(new FakeTimeline(List.of(), subscriber -> { }));
        tail.limit = -1;

        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> tail.tail(CALLER, () -> true));
        assertEquals("--limit must be 0 or more, not -1", error.getMessage());
    }

    @Test
    void aLineCutsTheBodyTo120Characters() {
        String body = "{\"text\":\"" + "x".repeat(200) + "\"}";
        Event event = new Event("e1", "note.added", UUID.randomUUID(), "db-1", T0, T0, Source.KERNEL, "fra", body);

        String line = TimelineTailCommand.line(event);

        assertEquals("2026-11-23T10:00:00Z note.added db-1 kernel " + body.substring(0, 119) + "…", line);
    }

    private static TimelineTailCommand command(Timeline timeline) {
        TimelineTailCommand tail = new TimelineTailCommand();
        tail.timeline = timeline;
        return tail;
    }

    private static Event event(String id, int second) {
        return new Event(id, "deploy.finished", UUID.nameUUIDFromBytes("db-1".getBytes()), "db-1",
                T0.plusSeconds(second), T0.plusSeconds(second), new Source(Source.Kind.USER, "alice"), "fra",
                "{\"n\":" + second + "}");
    }

    private static Event record(String id, int second, String body) {
        return new Event(id, "system.updated", UUID.nameUUIDFromBytes("storage".getBytes()), "storage",
                T0.plusSeconds(second), T0.plusSeconds(second), Source.KERNEL, "fra", body);
    }

    private static List<String> lines(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** A timeline that answers every query with the same page and lets the test drive each subscriber. */
    private static final class FakeTimeline implements Timeline {

        final List<EventQuery> queries = new ArrayList<>();
        final List<FakeSubscription> subscriptions = new ArrayList<>();
        private final List<Event> newestFirst;
        private final Consumer<Subscriber> onSubscribe;

        FakeTimeline(List<Event> newestFirst, Consumer<Subscriber> onSubscribe) {
            this.newestFirst = newestFirst;
            this.onSubscribe = onSubscribe;
        }

        @Override
        public Appended append(EventDraft draft) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Appended> append(List<EventDraft> drafts) {
            throw new UnsupportedOperationException();
        }

        @Override
        public EventPage query(EventQuery query) {
            queries.add(query);
            return new EventPage(newestFirst, Optional.empty());
        }

        @Override
        public Subscription subscribe(EventQuery filter, Subscriber subscriber) {
            FakeSubscription subscription = new FakeSubscription(filter);
            subscriptions.add(subscription);
            onSubscribe.accept(subscriber);
            return subscription;
        }
    }

    private static final class FakeSubscription implements Subscription {

        final EventQuery filter;
        volatile boolean closed;

        FakeSubscription(EventQuery filter) {
            this.filter = filter;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
