package io.hanse.kernel.core.internal.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.EventQuery;
import io.hanse.api.timeline.Source;
import io.hanse.api.timeline.Subscriber;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveSubscriptionTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final ExecutorService delivery = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        delivery.shutdownNow();
    }

    @Test
    void aSubscriberThatStopsTakingEventsIsEndedWithoutHoldingUpThePublisher() throws InterruptedException {
        CountDownLatch taking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        // As a client's stream whose write blocks: taking an event and ending share its monitor.
        Subscriber stalled = new Subscriber() {
            @Override
            public synchronized void event(Event event) {
                taking.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                calls.add("event " + event.id());
            }

            @Override
            public synchronized void ended(String reason) {
                calls.add("ended: " + reason);
            }
        };
        LiveSubscription subscription = new LiveSubscription(EventQuery.around("web", 1), null, null, stalled,
                delivery, ended -> calls.add("unsubscribed"));
        subscription.offer(event("first"));
        assertTrue(taking.await(5, TimeUnit.SECONDS));

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i <= LiveSubscription.MAX_BEHIND; i++) {
                subscription.offer(event("behind-" + i));
            }
        }, "the publisher of the event one too many does not wait for the subscriber");
        assertEquals("unsubscribed", calls.poll(5, TimeUnit.SECONDS));
        assertNull(calls.poll(200, TimeUnit.MILLISECONDS), "not told while it still takes an event");
        release.countDown();
        assertEquals("event first", calls.poll(5, TimeUnit.SECONDS));
        assertEquals("ended: the subscriber fell more than 10000 events behind", calls.poll(5, TimeUnit.SECONDS));
        assertNull(calls.poll(200, TimeUnit.MILLISECONDS), "nothing after it was ended");
    }

    private static Event event(String id) {
        return new Event(id, "deploy.finished", UUID.randomUUID(), "web", NOW, NOW, Source.KERNEL, "here", "{}");
    }
}
