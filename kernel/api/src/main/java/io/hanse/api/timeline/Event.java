package io.hanse.api.timeline;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as it is stored on the timeline.
 *
 * @param id the idempotency key: given by the appender or generated
 * @param type namespaced type, such as {@code monitoring.result}; the type owns the body's schema
 * @param systemId the id of the system the event is about
 * @param system the slug of that system when the event was appended
 * @param time when it happened, as the appender says
 * @param recorded when this instance stored it
 * @param source who appended it
 * @param origin the name of the instance where the event was first appended: this one, or for an
 *     event a peer passed on (its source is of kind {@code PEER}), that peer
 * @param body a JSON object
 */
public record Event(
        String id,
        String type,
        UUID systemId,
        String system,
        Instant time,
        Instant recorded,
        Source source,
        String origin,
        String body) {
}
