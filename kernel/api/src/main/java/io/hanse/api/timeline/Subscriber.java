package io.hanse.api.timeline;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the events of a live {@link Timeline#subscribe subscription}. */
@ConsumerType
@FunctionalInterface
public interface Subscriber {

    /**
     * Called for each event, one at a time. The events of one append come in the order they were
     * stored; those of appends that run at the same time may come in another order than they were
     * stored in, since each append hands its events on once it has stored them.
     */
    void event(Event event);

    /**
     * Called once when the timeline ends the subscription on its own, such as when the subscriber
     * fell too far behind or the kernel stops, after the event being taken, if any, was taken; not
     * called after {@link Subscription#close()}.
     *
     * @param reason why, in words for the log or the user
     */
    default void ended(String reason) {
    }
}
