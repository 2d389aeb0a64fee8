package io.hanse.kernel.store;

import io.hanse.api.timeline.Event;

/**
 * An event with its storage sequence number, which orders events that happened at the same time.
 *
 * @param event the event; {@code null} where a follower asked only for another instance's events
 *     ({@link EventStore#since})
 * @param seq its sequence number
 */
public record StoredEvent(Event event, long seq) {
}
