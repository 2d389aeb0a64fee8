package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.api.NotFoundException;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusSink;
import io.hanse.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LinkWatchTest {

    private static final Instant LOST = Instant.parse("2026-12-07T14:03:12.345Z");

    private final MutableClock clock = new MutableClock(LOST);
    private final List<LinkWatch.Unlinked> unlinked = new CopyOnWriteArrayList<>();
    private final Calls sink = new Calls();
    private final AtomicReference<Runnable> whenLinked = new AtomicReference<>();
    private final LinkWatch watch = new LinkWatch(() -> List.copyOf(unlinked), Duration.ofSeconds(120),
            whenLinked::set, clock);

    /** A sink that notes each call, and knows no system named {@code fra/gone}. */
    private static final class Calls implements StatusSink {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void report(String system, Status status, String summary) {
            if (system.equals("fra/gone")) {
                throw new NotFoundException("no system " + system);
            }
            calls.add(system + " " + status.label() + ": " + summary);
        }

        @Override
        public void clear(String system) {
            calls.add(system + " cleared");
        }
    }

    @Test
    void aPeerWithoutALinkForLongerThanTheGraceHasItsSystemsUnknownUntilItIsBack() {
        watch.start(sink);
        unlinked.add(new LinkWatch.Unlinked("fra", LOST, List.of("fra/db", "fra/gone", "fra/storage")));
        unlinked.add(new LinkWatch.Unlinked("muc", LOST, List.of()));
        clock.advance(Duration.ofSeconds(119));
        watch.check();
        assertEquals(List.of(), sink.calls, "within the grace");

        clock.advance(Duration.ofSeconds(1));
        watch.check();
        String summary = "unknown: no link with fra since 2026-12-07T14:03:12Z: what it said last may be out of date";
        assertEquals(List.of("fra/db " + summary, "fra/storage " + summary), sink.calls.stream().sorted().toList());

        sink.calls.clear();
        clock.advance(Duration.ofMinutes(10));
        watch.check();
        assertEquals(List.of(), sink.calls, "reported once while the link stays down");

        unlinked.clear();
        watch.check();
        assertEquals(List.of("fra/db cleared", "fra/storage cleared"), sink.calls.stream().sorted().toList());
    }

    @Test
    void aPeerLinkedAgainAndLostOnceMoreWaitsOutTheGraceAgain() {
        watch.start(sink);
        unlinked.add(new LinkWatch.Unlinked("fra", LOST, List.of("fra/db")));
        clock.advance(Duration.ofMinutes(5));
        watch.check();
        unlinked.set(0, new LinkWatch.Unlinked("fra", clock.instant(), List.of("fra/db")));
        watch.check();
        assertEquals(List.of("fra/db unknown: no link with fra since 2026-12-07T14:03:12Z: what it said last may be out"
                + " of date", "fra/db cleared"), sink.calls);
    }

    @Test
    void aLinkThatOpensWithdrawsTheReportsAtOnceNotAtTheNextLook() throws InterruptedException {
        watch.start(sink);
        watch.open();
        try {
            unlinked.add(new LinkWatch.Unlinked("fra", LOST, List.of("fra/db")));
            clock.advance(Duration.ofMinutes(5));
            whenLinked.get().run();
            awaitCalls(1);
            unlinked.clear();
            whenLinked.get().run();
            awaitCalls(2);
            assertEquals("fra/db cleared", sink.calls.get(1));
        } finally {
            watch.close();
        }
        whenLinked.get().run();
    }

    /** Waits, well within {@link LinkWatch#EVERY}, for the watch's thread to have made this many calls. */
    private void awaitCalls(int count) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (sink.calls.size() < count && System.nanoTime() - until < 0) {
            Thread.sleep(10);
        }
        assertEquals(count, sink.calls.size(), "calls: " + sink.calls);
    }

    @Test
    void aStoppedWatchReportsNothing() {
        watch.start(sink);
        watch.stop();
        unlinked.add(new LinkWatch.Unlinked("fra", LOST, List.of("fra/db")));
        clock.advance(Duration.ofHours(1));
        watch.check();
        assertEquals(List.of(), sink.calls);
    }
}
