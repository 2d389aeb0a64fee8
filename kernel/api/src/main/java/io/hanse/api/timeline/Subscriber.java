package io.hanse.api.timeline;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the events of a live {@link Timeline#subscribe subscription}. */
@ConsumerType
@FunctionalInterface
public interface Subscriber {

    /** Called for each event, in the order events were stored. */
    void event(Event event);

    /**
     * Called once when the timeline ends the subscription on its own, such as when the subscriber
     * fell too far behind or the kernel stops; not called after {@link Subscription#close()}.
     *
     * @param reason why, in words for the log or the user
     */
    default void ended(String reason) {
    }
}
