package io.hanse.kernel.store;

import io.hanse.api.timeline.Event;

/**
 * An event with its storage sequence number, which orders events that happened at the same time.
 */
public record StoredEvent(Event event, long seq) {
}
