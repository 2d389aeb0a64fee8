package io.hanse.api.timeline;

import java.util.List;
import java.util.Optional;

/**
 * One page of events, newest first.
 *
 * @param events the events
 * @param next the cursor for the next (older) page; empty if this is the last
 */
public record EventPage(List<Event> events, Optional<String> next) {

    public EventPage {
        events = List.copyOf(events);
    }
}
