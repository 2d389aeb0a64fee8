package io.hanse.kernel.core.internal.timeline;

import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.EventQuery;
import io.hanse.api.timeline.Subscriber;
import io.hanse.api.timeline.Subscription;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live subscription: its own queue, drained by at most one pool thread at a time, so events
 * arrive in order and a slow subscriber holds up nobody else. The subscriber is called only on that
 * thread, never on the thread of whoever appends or ends the subscription.
 */
final class LiveSubscription implements Subscription {

    static final int MAX_BEHIND = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(LiveSubscription.class);

    final EventQuery filter;
    /** The system the filter names, or {@code null} for all. */
    final UUID system;
    /** The systems the subscriber may see, fixed when it subscribed, or {@code null} for all. */
    final Set<UUID> within;
    private final Subscriber subscriber;
    private final Executor executor;
    private final Consumer<LiveSubscription> onEnd;
    private final Queue<Event> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger behind = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean open = new AtomicBoolean(true);
    /** Why the timeline ended the subscription, until the subscriber is told. */
    private final AtomicReference<String> ending = new AtomicReference<>();

    LiveSubscription(EventQuery filter, UUID system, Set<UUID> within, Subscriber subscriber, Executor executor,
            Consumer<LiveSubscription> onEnd) {
        this.filter = filter;
        this.system = system;
        this.within = within;
        this.subscriber = subscriber;
        this.executor = executor;
        this.onEnd = onEnd;
    }

    void offer(Event event) {
        if (!open.get()) {
            return;
        }
        if (behind.incrementAndGet() > MAX_BEHIND) {
            end("the subscriber fell more than " + MAX_BEHIND + " events behind");
            return;
        }
        queue.add(event);
        schedule();
    }

    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        Event event;
        while (open.get() && (event = queue.poll()) != null) {
            behind.decrementAndGet();
            try {
                subscriber.event(event);
            } catch (RuntimeException e) {
                LOG.warn("A timeline subscriber failed and is unsubscribed: {}", e.toString());
                end("the subscriber failed: " + e.getMessage());
            }
        }
        String reason = ending.getAndSet(null);
        if (reason != null) {
            try {
                subscriber.ended(reason);
            } catch (RuntimeException e) {
                LOG.debug("A timeline subscriber failed on its end", e);
            }
        }
        draining.set(false);
        if (open.get() ? !queue.isEmpty() : ending.get() != null) {
            schedule();
        }
    }

    /**
     * Ends the subscription from the timeline's side and tells the subscriber why, on the
     * subscription's own thread once the event it may be taking is taken: whoever ends it, such as
     * an appender whose event the subscriber is too far behind for, does not wait for the subscriber.
     */
    void end(String reason) {
        if (open.compareAndSet(true, false)) {
            onEnd.accept(this);
            queue.clear();
            ending.set(reason);
            schedule();
        }
    }

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            onEnd.accept(this);
            queue.clear();
        }
    }
}
